"""References for the hig_* specs (Higgs and photons), written from the spec texts."""
import math

from refs.common import *  # noqa: F401,F403

NAN = float("nan")
MH = 125.25


def _div(a, b):
    if b == 0:
        return NAN if a == 0 else math.copysign(math.inf, a)
    return a / b


def _crack(lo, hi, etamax, ptmin):
    return lambda o: o["pt"] > ptmin and abs(o["eta"]) < etamax and not (lo < abs(o["eta"]) < hi)


def _mt_sys(v, met):
    return math.sqrt(max(2 * vpt(v) * met["pt"] * (1 - math.cos(dphi(vphi(v), met["phi"]))), 0.0))


def _clean(objs, refs_, cone):
    return [o for o in objs if all(dr(o, r) >= cone for r in refs_)]


def _pt(objs, i):
    return objs[i]["pt"] if len(objs) > i else NAN


def hig_hgg_ptm(ev):
    ph = sel(ev, 0, _crack(1.37, 1.52, 2.37, 25))
    yield len(ph) >= 2
    m = m2(ph[0], ph[1])
    yield _div(ph[0]["pt"], m) > 0.35
    yield _div(ph[1]["pt"], m) > 0.25
    yield 105 < m < 160
    return [m, vpt(add(p4(ph[0]), p4(ph[1]))), _div(ph[0]["pt"], m), _div(ph[1]["pt"], m)]


def hig_hgg_prose(ev):
    ph = sel(ev, 0, _crack(1.4442, 1.566, 2.5, 30))
    yield len(ph) == 2
    d = dr(ph[0], ph[1]); yield d > 0.4
    yield ph[0]["pt"] > 40
    m = m2(ph[0], ph[1]); yield abs(m - 125) < 10
    return [m, d, abs(ph[0]["eta"] - ph[1]["eta"])]


def hig_hgg_terse(ev):
    ph = sel(ev, 0, _crack(1.37, 1.52, 2.37, 20))
    yield len(ph) >= 2
    yield ph[0]["pt"] > 40
    yield ph[1]["pt"] > 30
    m = m2(ph[0], ph[1]); yield 110 < m < 150
    yield abs(ph[0]["eta"] - ph[1]["eta"]) < 1.5
    return [m, ph[0]["pt"], ph[1]["pt"], dphi(ph[0]["phi"], ph[1]["phi"])]


def hig_hgg_vbf(ev):
    ph = sel(ev, 0, _crack(1.37, 1.52, 2.37, 25))
    j = _clean(sel(ev, 4, central(30, 4.7)), ph, 0.4)
    yield len(ph) >= 2
    gg = add(p4(ph[0]), p4(ph[1])); mgg = mass(gg); yield 110 < mgg < 140
    yield len(j) >= 2
    deta = abs(j[0]["eta"] - j[1]["eta"]); yield deta > 3.0
    jj = add(p4(j[0]), p4(j[1])); mjj = mass(jj); yield mjj > 400
    yield j[0]["eta"] * j[1]["eta"] < 0
    d = dphi(vphi(gg), vphi(jj)); yield d > 2.6
    return [mgg, mjj, deta, d, j[0]["pt"]]


def hig_hgg_boosted(ev):
    ph = sel(ev, 0, _crack(1.37, 1.52, 2.37, 25))
    j = _clean(sel(ev, 4, central(30, 4.5)), ph, 0.4)
    yield len(ph) >= 2
    gg = add(p4(ph[0]), p4(ph[1])); yield vpt(gg) > 60
    m = mass(gg); yield 100 < m < 150
    yield len(j) >= 1
    a, b = ph[0]["pt"], ph[1]["pt"]
    return [m, vpt(gg), (a - b) / (a + b), math.log(m) if m > 0 else NAN, j[0]["pt"]]


def hig_h4l(ev):
    lep = leptons(ev, central(7, 2.47), central(5, 2.7))
    yield len(lep) == 4
    yield lep[0]["pt"] > 20
    yield lep[1]["pt"] > 15
    yield lep[2]["pt"] > 10
    yield nsfos(lep) >= 1
    z = zcand(lep); yield z is not None and 50 < mass(z) < 106
    v = add(*(p4(l) for l in lep)); m4 = mass(v); yield m4 > 100
    return [m4, mass(z), vpt(v), lep[3]["pt"]]


def hig_h4mu_prose(ev):
    mu = sel(ev, 2, central(6, 2.5))
    yield len(mu) == 4
    yield len([x for x in mu if q(x) > 0]) == 2
    z = zcand(mu); yield z is not None and 40 < mass(z) < 120
    m4 = mass(add(*(p4(x) for x in mu))); yield m4 > 70
    return [m4, mass(z), mu[0]["pt"], dr(mu[0], mu[1])]


def hig_h2e2mu(ev):
    e = sel(ev, 1, central(7, 2.5)); mu = sel(ev, 2, central(5, 2.4))
    yield len(e) == 2
    yield q(e[0]) * q(e[1]) < 0
    yield len(mu) == 2
    yield q(mu[0]) * q(mu[1]) < 0
    mee = m2(e[0], e[1]); mmm = m2(mu[0], mu[1])
    yield mee > 12
    yield mmm > 12
    yield max(mee, mmm) > 40
    m4 = mass(add(p4(e[0]), p4(e[1]), p4(mu[0]), p4(mu[1]))); yield m4 > 80
    return [mee, mmm, m4, e[0]["pt"], mu[0]["pt"]]


def hig_hww_emu(ev):
    e = sel(ev, 1, central(20, 2.47)); mu = sel(ev, 2, central(15, 2.5)); met = ev["met"]
    yield len(e) == 1
    yield len(mu) == 1
    yield q(e[0]) * q(mu[0]) < 0
    ll = add(p4(e[0]), p4(mu[0])); m = mass(ll); yield 12 < m < 80
    d = dphi(e[0]["phi"], mu[0]["phi"]); yield d < 2.0
    yield met["pt"] > 20
    yield vpt(ll) > 20
    return [m, d, _mt_sys(ll, met), met["pt"], vpt(ll)]


def hig_hww_prose(ev):
    lep = leptons(ev, central(15, 2.5)); met = ev["met"]
    yield len(lep) == 2
    yield q(lep[0]) * q(lep[1]) < 0
    yield lep[0]["typ"] != lep[1]["typ"]
    ll = add(p4(lep[0]), p4(lep[1])); m = mass(ll); yield m > 10
    yield lep[0]["pt"] > 25
    yield met["pt"] > 25
    yield dphi(vphi(ll), met["phi"]) > 1.57
    m_t = _mt_sys(ll, met); yield 60 < m_t < 150
    return [m_t, m, dphi(lep[0]["phi"], lep[1]["phi"]), lep[1]["pt"]]


def hig_hww_terse(ev):
    e = sel(ev, 1, central(20, 2.5)); mu = sel(ev, 2, central(20, 2.4)); j = sel(ev, 4, central(20, 2.5))
    met = ev["met"]
    yield len(e) == 1
    yield len(mu) == 1
    yield q(e[0]) * q(mu[0]) < 0
    yield len([x for x in j if btag(x)]) == 0
    ll = add(p4(e[0]), p4(mu[0])); m = mass(ll); yield m < 70
    yield vpt(ll) > 25
    yield met["pt"] > 30
    d = dphi(vphi(ll), met["phi"]); yield d > 1.0
    return [m, vpt(ll), d, met["pt"], float(len(j))]


def hig_htt_hh(ev):
    ta = sel(ev, 3, central(20, 2.3)); met = ev["met"]
    yield len(ta) == 2
    yield q(ta[0]) * q(ta[1]) < 0
    d = dr(ta[0], ta[1]); yield 0.8 < d < 3.5
    yield len([l for l in sel(ev, 1) + sel(ev, 2) if l["pt"] > 20]) == 0
    yield met["pt"] > 20
    tt = add(p4(ta[0]), p4(ta[1]))
    return [mass(tt), d, vpt(tt), met["pt"], mass(add(tt, met_p4(met)))]


def hig_htt_mutau(ev):
    mu = sel(ev, 2, central(25, 2.1)); met = ev["met"]
    ta = _clean(sel(ev, 3, central(30, 2.3)), mu, 0.5)
    yield len(mu) == 1
    yield len(ta) >= 1
    yield q(mu[0]) * q(ta[0]) < 0
    m_t = mt(mu[0], met); yield m_t < 40
    mv = m2(mu[0], ta[0]); yield 40 < mv < 100
    return [mv, m_t, ta[0]["pt"], dphi(mu[0]["phi"], ta[0]["phi"])]


def hig_htt_etau(ev):
    e = sel(ev, 1, central(27, 2.1)); ta = sel(ev, 3, central(25, 2.3)); j = sel(ev, 4, central(30, 2.5))
    met = ev["met"]
    yield len([x for x in j if btag(x)]) == 0
    yield len(e) == 1
    yield len(ta) >= 1
    yield q(e[0]) * q(ta[0]) < 0
    m_t = mt(e[0], met); yield m_t < 50
    mvis = m2(e[0], ta[0]); mfull = mass(add(p4(e[0]), p4(ta[0]), met_p4(met))); yield mfull > 60
    r = _div(ta[0]["pt"], e[0]["pt"]); yield r > 0.5
    return [mvis, mfull, m_t, r, dr(e[0], ta[0])]


def hig_zh_bb(ev):
    e = sel(ev, 1, central(20, 2.47)); mu = sel(ev, 2, central(20, 2.5)); lep = ptsort(e + mu)
    j = _clean(sel(ev, 4, central(25, 2.5)), lep, 0.4); b = [x for x in j if btag(x)]
    yield len(lep) == 2
    yield lep[0]["typ"] == lep[1]["typ"]
    yield q(lep[0]) * q(lep[1]) < 0
    ll = add(p4(lep[0]), p4(lep[1])); yield 81 < mass(ll) < 101
    yield len(j) >= 2
    yield len(b) >= 1
    jj = add(p4(j[0]), p4(j[1])); mjj = mass(jj); yield 60 < mjj < 160
    return [mjj, vpt(ll), dr(j[0], j[1]), mass(add(ll, jj)), float(len(b))]


def hig_wh_bb(ev):
    e = sel(ev, 1, central(25, 2.47)); mu = sel(ev, 2, central(25, 2.5)); lep = ptsort(e + mu)
    j = _clean(sel(ev, 4, central(20, 2.5)), lep, 0.4); b = [x for x in j if btag(x)]; met = ev["met"]
    yield len(lep) == 1
    yield met["pt"] > 30
    yield len(b) == 2
    w = add(p4(lep[0]), met_p4(met)); yield vpt(w) > 100
    bb = add(p4(b[0]), p4(b[1])); yield dphi(vphi(w), vphi(bb)) > 2.5
    mbb = mass(bb); yield 80 < mbb < 160
    return [mbb, vpt(w), mt(lep[0], met), dr(b[0], b[1])]


def hig_zvvh_bb(ev):
    met = ev["met"]; j = sel(ev, 4, central(30, 2.5)); b = [x for x in j if btag(x)]
    yield len([x for x in sel(ev, 1) if x["pt"] > 10]) == 0
    yield len([x for x in sel(ev, 2) if x["pt"] > 10]) == 0
    yield met["pt"] > 100
    yield len(j) >= 2
    yield len(j) <= 3
    yield len(b) >= 1
    mdp = min(dphi(x["phi"], met["phi"]) for x in j); yield mdp > 0.4
    jj = add(p4(j[0]), p4(j[1])); mjj = mass(jj); yield 50 < mjj < 200
    return [met["pt"], mjj, vpt(jj), mdp, sum(x["pt"] for x in j), float(len(b))]


def hig_ntgc_kin(ev):
    ph = sel(ev, 0, central(20, 2.5)); j = sel(ev, 4, central(25, 4.5))
    yield len(ph) >= 1
    yield len(j) >= 2
    out = []
    for o in (j[0], j[1], ph[0]):
        v = p4(o); out += [v[3], v[0], v[1], v[2]]
    return out


def hig_ntgc_dr(ev):
    ph = sel(ev, 0, central(30, 2.37)); j = _clean(sel(ev, 4, central(30, 2.5)), ph, 0.4)
    yield len(ph) >= 1
    yield len(j) >= 2
    mjj = m2(j[0], j[1]); yield mjj > 60
    mjjg = mass(add(p4(j[0]), p4(j[1]), p4(ph[0])))
    return [dr(ph[0], j[0]), dr(ph[0], j[1]), mjj, mjjg, _div(ph[0]["pt"], mjjg)]


def hig_ntgc_terse(ev):
    ph = sel(ev, 0, central(25, 2.5)); j = sel(ev, 4, central(20, 4.7))
    yield len(ph) == 1
    yield len(j) >= 2
    yield all(dr(x, ph[0]) > 0.5 for x in j)
    deta = abs(j[0]["eta"] - j[1]["eta"]); yield deta > 1.0
    jj = add(p4(j[0]), p4(j[1])); d = dphi(ph[0]["phi"], vphi(jj)); yield d > 2.0
    return [ph[0]["pt"], ph[0]["eta"], mass(jj), deta, d, sum(x["pt"] for x in j)]


def hig_ntgc_vbs(ev):
    ph = sel(ev, 0, central(20, 2.5)); j = sel(ev, 4, central(30, 4.7))
    yield len(ph) >= 1
    yield len(j) >= 2
    yield j[0]["eta"] * j[1]["eta"] < 0
    deta = abs(j[0]["eta"] - j[1]["eta"]); yield deta > 2.5
    mjj = m2(j[0], j[1]); yield mjj > 250
    yield ph[0]["pt"] > 30
    v = p4(ph[0])
    return [math.log(mjj), deta, ph[0]["pt"] / mjj, math.sqrt(j[0]["pt"] * j[1]["pt"]), v[0], v[1], v[2]]


def hig_ntgc_energy(ev):
    ph = sel(ev, 0, central(20, 2.5)); j = sel(ev, 4, central(25, 4.5))
    yield len(ph) >= 1
    eg = p4(ph[0])[3]; yield eg > 40
    yield len(j) >= 2
    yield abs(p4(j[0])[2]) < 500
    mdr = min(dr(ph[0], j[0]), dr(ph[0], j[1])); yield mdr > 0.7
    return [eg, p4(j[0])[3], p4(j[1])[3], mdr, mass(add(p4(ph[0]), p4(j[0]), p4(j[1])))]


def hig_monophoton(ev):
    ph = sel(ev, 0, central(50, 2.37)); met = ev["met"]
    yield len(ph) == 1
    yield met["pt"] > 50
    yield len([l for l in sel(ev, 1) + sel(ev, 2) if l["pt"] > 20]) == 0
    yield len(sel(ev, 4, central(30, 4.5))) <= 2
    d = dphi(ph[0]["phi"], met["phi"]); yield d > 1.5
    return [met["pt"], ph[0]["pt"], _div(met["pt"], ph[0]["pt"]), d]


def hig_monophoton_prose(ev):
    ph = sel(ev, 0, central(80, 1.44)); met = ev["met"]
    yield len(ph) >= 1
    yield met["pt"] > 90
    m_t = mt(ph[0], met); yield m_t > 150
    yield len(sel(ev, 4, lambda o: o["pt"] > 30)) <= 1
    return [m_t, met["pt"], ph[0]["pt"], ph[0]["eta"]]


def hig_diphoton_met(ev):
    ph = sel(ev, 0, _crack(1.37, 1.52, 2.37, 25)); met = ev["met"]
    yield len(ph) >= 2
    gg = add(p4(ph[0]), p4(ph[1])); m = mass(gg); yield 105 < m < 160
    yield met["pt"] > 50
    d = dphi(vphi(gg), met["phi"]); yield d > 2.1
    return [m, met["pt"], vpt(gg), d, _div(met["pt"], vpt(gg))]


def hig_diphoton_met_prose(ev):
    ph = sel(ev, 0, _crack(1.37, 1.52, 2.37, 30)); met = ev["met"]
    yield len(ph) >= 2
    gg = add(p4(ph[0]), p4(ph[1])); m = mass(gg); yield abs(m - MH) < 5
    yield met["pt"] > 40
    s = met["pt"] / math.sqrt(ph[0]["pt"] + ph[1]["pt"]); yield s > 3
    yield dphi(ph[0]["phi"], met["phi"]) > 1.0
    return [m, met["pt"], s, _mt_sys(gg, met)]


SPECS = {f.__name__: f for f in [
    hig_hgg_ptm, hig_hgg_prose, hig_hgg_terse, hig_hgg_vbf, hig_hgg_boosted,
    hig_h4l, hig_h4mu_prose, hig_h2e2mu,
    hig_hww_emu, hig_hww_prose, hig_hww_terse,
    hig_htt_hh, hig_htt_mutau, hig_htt_etau,
    hig_zh_bb, hig_wh_bb, hig_zvvh_bb,
    hig_ntgc_kin, hig_ntgc_dr, hig_ntgc_terse, hig_ntgc_vbs, hig_ntgc_energy,
    hig_monophoton, hig_monophoton_prose, hig_diphoton_met, hig_diphoton_met_prose,
]}
