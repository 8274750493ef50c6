"""References for the pr_* prose specs (written from the spec texts and README conventions)."""
import math

from refs.common import *  # noqa: F401,F403

NAN = float("nan")


def _zpair(lep):
    """Indices (i, k) of the SFOS pair closest to MZ, or None."""
    best = None
    for i in range(len(lep)):
        for k in range(i + 1, len(lep)):
            a, b = lep[i], lep[k]
            if a["typ"] == b["typ"] and q(a) * q(b) < 0:
                d = abs(m2(a, b) - MZ)
                if best is None or d < best[0]:
                    best = (d, i, k)
    return None if best is None else (best[1], best[2])


def _drop(objs, others, cone):
    return [o for o in objs if all(dr(o, x) >= cone for x in others)]


def _mt_v(v, met):
    return math.sqrt(max(2 * vpt(v) * met["pt"] * (1 - math.cos(dphi(vphi(v), met["phi"]))), 0.0))


def _ht(j):
    return sum(x["pt"] for x in j)


def pr_zmumu_email(ev):
    mu = sel(ev, 2, central(25, 2.4))
    yield len(mu) == 2
    yield q(mu[0]) * q(mu[1]) < 0
    z = add(p4(mu[0]), p4(mu[1])); m = mass(z)
    yield 70 < m < 110
    yield mu[0]["pt"] > 30
    return [m, vpt(z), mu[0]["pt"], mu[1]["pt"], dr(mu[0], mu[1])]


def pr_zee_jets(ev):
    e = sel(ev, 1, central(20, 2.47))
    j = _drop(sel(ev, 4, central(30, 2.5)), e, 0.4)
    yield len(e) == 2
    yield q(e[0]) * q(e[1]) < 0
    z = add(p4(e[0]), p4(e[1])); m = mass(z)
    yield abs(m - 91.1876) < 15
    yield len(j) >= 1
    return [m, vpt(z), j[0]["pt"], float(len(j))]


def pr_zjet_balance(ev):
    mu = sel(ev, 2, central(20, 2.4))
    j = _drop(sel(ev, 4, central(20, 2.5)), mu, 0.5)
    yield len(mu) == 2
    yield q(mu[0]) * q(mu[1]) < 0
    z = add(p4(mu[0]), p4(mu[1])); m = mass(z)
    yield 81 < m < 101
    yield len(j) == 1
    dp = dphi(j[0]["phi"], vphi(z)); yield dp > 2.8
    bal = j[0]["pt"] / vpt(z); yield 0.3 < bal < 3
    return [bal, vpt(z), j[0]["eta"], dp]


def pr_w_munu(ev):
    mu = sel(ev, 2, central(25, 2.4)); met = ev["met"]
    yield len(mu) == 1
    yield len(sel(ev, 1, lambda o: o["pt"] > 15)) == 0
    yield met["pt"] > 25
    m_t = mt(mu[0], met); yield m_t > 40
    return [m_t, mu[0]["pt"], float(q(mu[0])), met["pt"]]


def pr_w_enu_jets(ev):
    e = sel(ev, 1, central(30, 2.47)); met = ev["met"]
    j = _drop(sel(ev, 4, central(30, 4.5)), e, 0.4)
    yield len(e) == 1
    yield len(sel(ev, 2, lambda o: o["pt"] > 10)) == 0
    yield len(j) >= 2
    yield met["pt"] > 30
    m_t = mt(e[0], met); yield m_t > 50
    ht = _ht(j); yield ht > 100
    return [m_t, ht, float(len(j)), j[0]["pt"], j[1]["pt"]]


def pr_ww_emu(ev):
    e = sel(ev, 1, central(25, 2.47)); mu = sel(ev, 2, central(25, 2.4)); met = ev["met"]
    j = sel(ev, 4, central(30, 4.5))
    yield len(e) == 1
    yield len(mu) == 1
    yield q(e[0]) * q(mu[0]) < 0
    yield len(j) == 0
    ll = add(p4(e[0]), p4(mu[0])); m = mass(ll)
    yield m > 55
    yield vpt(ll) > 30
    yield met["pt"] > 20
    return [m, vpt(ll), dphi(e[0]["phi"], mu[0]["phi"]), met["pt"], _mt_v(ll, met)]


def pr_ww_semilep(ev):
    lep = leptons(ev, central(25, 2.5)); met = ev["met"]
    j = sel(ev, 4, central(30, 2.4))
    yield len(lep) == 1
    yield len(j) >= 2
    yield not any(btag(x) for x in j)
    yield met["pt"] > 30
    w = add(p4(j[0]), p4(j[1])); mjj = mass(w)
    yield 65 < mjj < 95
    d = dr(j[0], j[1]); yield d < 2.5
    m_t = mt(lep[0], met); yield m_t < 150
    return [mjj, m_t, d, lep[0]["pt"], vpt(w)]


def pr_wz_3l(ev):
    lep = ptsort(sel(ev, 1, central(15, 2.47)) + sel(ev, 2, central(15, 2.5))); met = ev["met"]
    yield len(lep) == 3
    yield nsfos(lep) >= 1
    i, k = _zpair(lep)
    z = add(p4(lep[i]), p4(lep[k])); mz = mass(z)
    yield abs(mz - 91.1876) < 10
    wl = [lep[n] for n in range(3) if n not in (i, k)][0]
    yield wl["pt"] > 20
    m_t = mt(wl, met); yield m_t > 30
    return [mz, vpt(z), wl["pt"], m_t, mass(add(*(p4(l) for l in lep)))]


def pr_zz_4l(ev):
    lep = ptsort(sel(ev, 1, central(7, 2.5)) + sel(ev, 2, central(5, 2.4)))
    yield len(lep) == 4
    yield nsfos(lep) >= 1
    i, k = _zpair(lep)
    z1 = add(p4(lep[i]), p4(lep[k])); m1 = mass(z1)
    yield 40 < m1 < 120
    a, b = [lep[n] for n in range(4) if n not in (i, k)]
    yield a["typ"] == b["typ"]
    yield q(a) * q(b) < 0
    m2_ = m2(a, b); yield 12 < m2_ < 120
    v = add(*(p4(l) for l in lep))
    return [m1, m2_, mass(v), vpt(v)]


def pr_ttbar_ljets(ev):
    lep = leptons(ev, central(30, 2.5)); met = ev["met"]
    j = _drop(sel(ev, 4, central(25, 2.5)), lep, 0.4)
    b = [x for x in j if btag(x)]; lj = [x for x in j if not btag(x)]
    yield len(lep) == 1
    yield len(j) >= 4
    yield len(b) >= 2
    yield met["pt"] > 20
    yield met["pt"] + mt(lep[0], met) > 60
    t = add(p4(j[0]), p4(j[1]), p4(j[2]))
    mw = m2(lj[0], lj[1]) if len(lj) >= 2 else NAN
    return [mass(t), vpt(t), mw, float(len(b)), _ht(j), b[0]["pt"]]


def pr_ttbar_emu(ev):
    e = sel(ev, 1, central(25, 2.47)); mu = sel(ev, 2, central(25, 2.4))
    j = sel(ev, 4, central(30, 2.5)); b = [x for x in j if btag(x)]
    yield len(e) == 1
    yield len(mu) == 1
    yield q(e[0]) * q(mu[0]) < 0
    m = m2(e[0], mu[0]); yield m > 20
    yield len(j) >= 2
    yield len(b) >= 1
    hta = _ht(j) + e[0]["pt"] + mu[0]["pt"]
    return [m, dphi(e[0]["phi"], mu[0]["phi"]), float(len(j)), float(len(b)), hta]


def pr_ttbar_allhad(ev):
    met = ev["met"]
    j = sel(ev, 4, central(30, 2.4)); b = [x for x in j if btag(x)]
    yield len(leptons(ev, lambda o: o["pt"] > 20)) == 0
    yield len(j) >= 6
    yield j[0]["pt"] > 60
    yield len(b) == 2
    ht = _ht(j); yield ht > 400
    s = met["pt"] / math.sqrt(ht); yield s < 3
    return [ht, j[5]["pt"], m2(b[0], b[1]), dr(b[0], b[1]), s]


def pr_hgg_paper(ev):
    ph = sel(ev, 0, lambda o: o["pt"] > 25 and abs(o["eta"]) < 2.37 and not (1.37 < abs(o["eta"]) < 1.52))
    yield len(ph) >= 2
    gg = add(p4(ph[0]), p4(ph[1])); m = mass(gg)
    yield m > 0 and ph[0]["pt"] / m > 0.35
    yield ph[1]["pt"] / m > 0.25
    yield 105 < m < 160
    return [m, vpt(gg), p4(ph[0])[3], abs(ph[0]["eta"] - ph[1]["eta"])]


def pr_hgg_vbf(ev):
    ph = sel(ev, 0, central(20, 2.5))
    j = _drop(sel(ev, 4, central(30, 4.7)), ph, 0.4)
    yield len(ph) >= 2
    yield ph[0]["pt"] > 30
    gg = add(p4(ph[0]), p4(ph[1])); mgg = mass(gg)
    yield 100 < mgg < 180
    yield len(j) >= 2
    yield j[0]["eta"] * j[1]["eta"] < 0
    de = abs(j[0]["eta"] - j[1]["eta"]); yield de > 3
    jj = add(p4(j[0]), p4(j[1])); mjj = mass(jj)
    yield mjj > 400
    return [mgg, mjj, de, dphi(vphi(gg), vphi(jj))]


def pr_vbf_inv(ev):
    met = ev["met"]
    j = sel(ev, 4, central(30, 4.7))
    yield len(leptons(ev, lambda o: o["pt"] > 10)) == 0
    yield len(j) >= 2
    yield j[0]["pt"] > 80
    yield j[1]["pt"] > 40
    yield j[0]["eta"] * j[1]["eta"] < 0
    de = abs(j[0]["eta"] - j[1]["eta"]); yield de > 3
    mjj = m2(j[0], j[1]); yield mjj > 800
    dp = dphi(j[0]["phi"], j[1]["phi"]); yield dp < 1.8
    yield met["pt"] > 100
    yield min(dphi(x["phi"], met["phi"]) for x in j) > 0.5
    return [mjj, de, met["pt"], dp]


def pr_qcd_dijet(ev):
    j = sel(ev, 4, central(50, 2.5))
    yield len(j) >= 2
    yield j[0]["pt"] > 100
    mjj = m2(j[0], j[1]); yield mjj > 200
    chi = math.exp(abs(j[0]["eta"] - j[1]["eta"])); yield chi < 16
    boost = abs(j[0]["eta"] + j[1]["eta"]) / 2; yield boost < 1.1
    return [mjj, chi, boost, j[1]["pt"] / j[0]["pt"]]


def pr_qcd_multijet(ev):
    j = sel(ev, 4, central(40, 2.8))
    yield len(j) >= 3
    yield j[2]["pt"] > 60
    yield any(abs(x["eta"]) < 1.0 for x in j)
    yield not any(btag(x) for x in j)
    ht = _ht(j); yield ht > 300
    m3 = mass(add(p4(j[0]), p4(j[1]), p4(j[2])))
    return [m3, ht, j[2]["pt"] / j[0]["pt"], max(abs(x["eta"]) for x in j[:3])]


def pr_monojet_email(ev):
    met = ev["met"]
    j = sel(ev, 4, central(30, 2.8))
    yield len(leptons(ev, lambda o: o["pt"] > 10)) == 0
    yield len(sel(ev, 3, lambda o: o["pt"] > 20)) == 0
    yield len(j) <= 4
    yield len(j) >= 1 and j[0]["pt"] > 150
    yield abs(j[0]["eta"]) < 2.4
    yield met["pt"] > 150
    yield min(dphi(x["phi"], met["phi"]) for x in j) > 0.4
    return [met["pt"], j[0]["pt"], float(len(j)), j[0]["pt"] / met["pt"]]


def pr_monophoton(ev):
    met = ev["met"]
    ph = sel(ev, 0, central(50, 2.37))
    j = sel(ev, 4, central(30, 4.5))
    yield len(ph) == 1
    yield met["pt"] > 50
    yield len(leptons(ev, lambda o: o["pt"] > 10)) == 0
    yield len(j) <= 1
    yield all(dphi(x["phi"], met["phi"]) > 0.4 for x in j)
    dp = dphi(ph[0]["phi"], met["phi"]); yield dp > 0.4
    return [ph[0]["pt"], ph[0]["eta"], met["pt"], dp, met["pt"] / ph[0]["pt"]]


def pr_gamma_jet(ev):
    ph = sel(ev, 0, central(100, 1.37))
    j = [x for x in sel(ev, 4, central(30, 2.5)) if all(dr(x, g) > 0.4 for g in ph)]
    yield len(ph) >= 1
    yield len(j) >= 1
    yield dphi(ph[0]["phi"], j[0]["phi"]) > 2.9
    bal = j[0]["pt"] / ph[0]["pt"]; yield 0.5 < bal < 1.5
    return [ph[0]["pt"], j[0]["pt"], bal, m2(ph[0], j[0]), ph[0]["eta"]]


def pr_tau_mutau(ev):
    met = ev["met"]
    mu = sel(ev, 2, central(20, 2.1)); ta = sel(ev, 3, central(20, 2.3))
    yield len(mu) == 1
    yield len(ta) >= 1
    yield len(sel(ev, 1, lambda o: o["pt"] > 15)) == 0
    yield q(mu[0]) * q(ta[0]) < 0
    yield dr(mu[0], ta[0]) > 0.5
    m_t = mt(mu[0], met); yield m_t < 40
    mv = m2(mu[0], ta[0]); yield 40 < mv < 100
    return [mv, mu[0]["pt"], ta[0]["pt"], m_t, dphi(mu[0]["phi"], ta[0]["phi"])]


def pr_ditau_had(ev):
    ta = sel(ev, 3, central(20, 2.5))
    yield len(ta) == 2
    yield q(ta[0]) * q(ta[1]) < 0
    yield len(leptons(ev, lambda o: o["pt"] > 15)) == 0
    d = dr(ta[0], ta[1]); yield 0.8 < d < 2.8
    yield ev["met"]["pt"] > 20
    v = add(p4(ta[0]), p4(ta[1]))
    return [mass(v), vpt(v), d, ta[0]["pt"], ta[1]["pt"]]


def pr_susy_meff(ev):
    met = ev["met"]
    j = sel(ev, 4, central(40, 2.8))
    yield len(leptons(ev, lambda o: o["pt"] > 10)) == 0
    yield len(j) >= 4
    yield j[0]["pt"] > 100
    yield j[3]["pt"] > 50
    yield met["pt"] > 80
    yield min(dphi(x["phi"], met["phi"]) for x in j) > 0.4
    ht = _ht(j); meff = ht + met["pt"]
    yield meff > 500
    yield met["pt"] / meff > 0.1
    return [meff, met["pt"] / meff, met["pt"] / math.sqrt(ht), math.log(meff)]


def pr_ss_dilepton(ev):
    lep = leptons(ev, central(25, 2.5)); met = ev["met"]
    j = _drop(sel(ev, 4, central(25, 2.5)), lep, 0.4); b = [x for x in j if btag(x)]
    yield len(lep) == 2
    yield q(lep[0]) * q(lep[1]) > 0
    m = m2(lep[0], lep[1]); yield m > 12
    yield len(j) >= 2
    yield len(b) >= 1
    yield met["pt"] > 30
    return [lep[0]["pt"], lep[1]["pt"], m, float(len(b)), _ht(j)]


def pr_zgamma(ev):
    lep = leptons(ev, central(20, 2.5))
    ph = _drop(sel(ev, 0, central(15, 2.37)), lep, 0.7)
    yield len(lep) == 2
    yield lep[0]["typ"] == lep[1]["typ"]
    yield q(lep[0]) * q(lep[1]) < 0
    mll = m2(lep[0], lep[1]); yield mll > 40
    yield len(ph) >= 1
    mllg = mass(add(p4(lep[0]), p4(lep[1]), p4(ph[0]))); yield mllg + mll > 182
    return [mll, mllg, ph[0]["pt"], min(dr(ph[0], lep[0]), dr(ph[0], lep[1]))]


def pr_w_taunu(ev):
    met = ev["met"]
    ta = sel(ev, 3, central(30, 2.3)); j = sel(ev, 4, central(30, 2.5))
    yield len(ta) == 1
    yield len(leptons(ev, lambda o: o["pt"] > 20)) == 0
    yield met["pt"] > 50
    yield dphi(ta[0]["phi"], met["phi"]) > 2.4
    m_t = mt(ta[0], met); yield m_t > 50
    yield not any(btag(x) for x in j)
    return [m_t, ta[0]["pt"], met["pt"], ta[0]["pt"] / met["pt"]]


SPECS = {f.__name__: f for f in [
    pr_zmumu_email, pr_zee_jets, pr_zjet_balance, pr_w_munu, pr_w_enu_jets, pr_ww_emu,
    pr_ww_semilep, pr_wz_3l, pr_zz_4l, pr_ttbar_ljets, pr_ttbar_emu, pr_ttbar_allhad,
    pr_hgg_paper, pr_hgg_vbf, pr_vbf_inv, pr_qcd_dijet, pr_qcd_multijet, pr_monojet_email,
    pr_monophoton, pr_gamma_jet, pr_tau_mutau, pr_ditau_had, pr_susy_meff, pr_ss_dilepton,
    pr_zgamma, pr_w_taunu]}
