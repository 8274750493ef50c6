"""References for the sh_* specs (terse logbook shorthand)."""
import math

from refs.common import *  # noqa: F401,F403

NAN = float("nan")


def _zpair(lep):
    """Indices (i, k) of the SFOS pair with mass closest to MZ, or None."""
    best, bi = None, None
    for i in range(len(lep)):
        for k in range(i + 1, len(lep)):
            a, b = lep[i], lep[k]
            if a["typ"] == b["typ"] and q(a) * q(b) < 0:
                d = abs(m2(a, b) - MZ)
                if best is None or d < best:
                    best, bi = d, (i, k)
    return bi


def _sys(v):
    return {"pt": vpt(v), "phi": vphi(v)}


def _ht(j):
    return sum(x["pt"] for x in j)


def sh_zmumu(ev):
    mu = sel(ev, 2, central(20, 2.4))
    yield len(mu) == 2
    yield q(mu[0]) * q(mu[1]) < 0
    yield mu[0]["pt"] > 25
    m = m2(mu[0], mu[1]); yield 81 < m < 101
    return [m, mu[0]["pt"], mu[1]["pt"], dr(mu[0], mu[1])]


def sh_zee(ev):
    e = sel(ev, 1, central(20, 2.47))
    yield len(e) == 2
    yield q(e[0]) * q(e[1]) < 0
    yield e[0]["pt"] > 25
    yield not any(m["pt"] > 10 for m in sel(ev, 2))
    ee = add(p4(e[0]), p4(e[1])); m = mass(ee); yield 66 < m < 116
    return [m, vpt(ee), e[0]["eta"], e[1]["eta"], dphi(e[0]["phi"], e[1]["phi"])]


def sh_zjets(ev):
    lep = leptons(ev, central(15, 2.47), central(15, 2.5))
    yield len(lep) >= 2
    yield nsfos(lep) >= 1
    z = zcand(lep); yield abs(mass(z) - MZ) < 10
    j = [x for x in sel(ev, 4, central(30, 2.5)) if all(dr(x, l) >= 0.4 for l in lep)]
    yield len(j) >= 1
    yield j[0]["pt"] > 50
    return [mass(z), vpt(z), float(len(j)), j[0]["pt"], dphi(vphi(z), j[0]["phi"])]


def sh_ww_emu(ev):
    e = sel(ev, 1, central(25, 2.47)); mu = sel(ev, 2, central(25, 2.4)); met = ev["met"]
    yield len(e) == 1
    yield len(mu) == 1
    yield q(e[0]) * q(mu[0]) < 0
    v = add(p4(e[0]), p4(mu[0])); m = mass(v); yield m > 20
    yield len(sel(ev, 4, central(30, 4.5))) == 0
    yield met["pt"] > 30
    yield vpt(v) > 30
    return [m, vpt(v), dphi(e[0]["phi"], mu[0]["phi"]), met["pt"]]


def sh_wz3l(ev):
    lep = leptons(ev, central(15, 2.5)); met = ev["met"]
    yield len(lep) == 3
    pr = _zpair(lep); yield pr is not None
    mz = m2(lep[pr[0]], lep[pr[1]]); yield abs(mz - MZ) < 15
    lw = [lep[i] for i in range(3) if i not in pr][0]
    yield lw["pt"] > 20
    yield met["pt"] > 25
    m_t = mt(lw, met); yield m_t > 30
    return [mz, lw["pt"], m_t, mass(add(*(p4(l) for l in lep)))]


def sh_zz4l(ev):
    lep = leptons(ev, central(7, 2.5), central(5, 2.4))
    yield len(lep) == 4
    yield lep[0]["pt"] > 20
    yield lep[1]["pt"] > 10
    z = zcand(lep); yield z is not None and 60 < mass(z) < 120
    v = add(*(p4(l) for l in lep)); m4 = mass(v); yield m4 > 180
    return [m4, mass(z), vpt(v), lep[3]["pt"]]


def sh_ttbar_ljets(ev):
    lep = leptons(ev, central(30, 2.4)); met = ev["met"]
    yield len(lep) == 1
    j = sel(ev, 4, central(25, 2.5)); yield len(j) >= 4
    b = [x for x in j if btag(x)]; yield len(b) >= 2
    yield met["pt"] > 30
    yield mt(lep[0], met) > 30
    ht = _ht(j); yield ht > 300
    return [ht, mass(add(p4(j[0]), p4(j[1]), p4(j[2]))), float(len(b)), b[0]["pt"], met["pt"] / math.sqrt(ht)]


def sh_ttbar_emu(ev):
    e = sel(ev, 1, central(20, 2.5)); mu = sel(ev, 2, central(20, 2.4))
    yield len(e) == 1
    yield len(mu) == 1
    yield q(e[0]) * q(mu[0]) < 0
    m = m2(e[0], mu[0]); yield m > 20
    j = sel(ev, 4, central(30, 2.4)); yield len(j) >= 2
    b = [x for x in j if btag(x)]; yield len(b) >= 1
    return [m, float(len(j)), b[0]["pt"], dr(e[0], mu[0]), min(e[0]["pt"], mu[0]["pt"])]


def sh_ttbar_allhad(ev):
    j = sel(ev, 4, central(40, 2.4)); b = [x for x in j if btag(x)]
    yield len(j) >= 6
    yield len(b) >= 2
    yield not any(l["pt"] > 15 for l in sel(ev, 1) + sel(ev, 2))
    ht = _ht(j); yield ht > 500
    return [ht, float(len(j)), mass(add(p4(j[0]), p4(j[1]), p4(j[2]))), j[0]["pt"] / ht, dr(b[0], b[1])]


def sh_hgg(ev):
    ph = sel(ev, 0, lambda o: o["pt"] > 25 and abs(o["eta"]) < 2.37 and not (1.37 < abs(o["eta"]) < 1.52))
    yield len(ph) >= 2
    v = add(p4(ph[0]), p4(ph[1])); m = mass(v)
    yield ph[0]["pt"] / m > 0.35
    yield ph[1]["pt"] / m > 0.25
    yield 105 < m < 160
    return [m, vpt(v), abs(ph[0]["eta"] - ph[1]["eta"]), ph[0]["pt"] / m]


def sh_hgg_vbf(ev):
    ph = sel(ev, 0, central(30, 2.5))
    yield len(ph) >= 2
    yield ph[0]["pt"] > 40
    gg = add(p4(ph[0]), p4(ph[1])); mgg = mass(gg); yield 110 < mgg < 140
    j = [x for x in sel(ev, 4, central(30, 4.7)) if all(dr(x, g) >= 0.4 for g in ph)]
    yield len(j) >= 2
    deta = abs(j[0]["eta"] - j[1]["eta"]); yield deta > 3
    jj = add(p4(j[0]), p4(j[1])); mjj = mass(jj); yield mjj > 400
    dp = dphi(vphi(gg), vphi(jj)); yield dp > 2.6
    return [mgg, mjj, deta, dp, vpt(gg)]


def sh_vbf_hinv(ev):
    j = sel(ev, 4, central(30, 4.7)); met = ev["met"]
    yield len(j) >= 2
    yield j[0]["pt"] > 80
    yield j[1]["pt"] > 40
    yield not any(l["pt"] > 10 for l in sel(ev, 1) + sel(ev, 2))
    yield met["pt"] > 80
    yield j[0]["eta"] * j[1]["eta"] < 0
    deta = abs(j[0]["eta"] - j[1]["eta"]); yield deta > 3.5
    mjj = m2(j[0], j[1]); yield mjj > 600
    dpjj = dphi(j[0]["phi"], j[1]["phi"]); yield dpjj < 1.8
    mdp = min(dphi(x["phi"], met["phi"]) for x in j); yield mdp > 0.5
    return [mjj, deta, met["pt"], dpjj, mdp]


def sh_monojet(ev):
    j = sel(ev, 4, central(30, 2.8)); met = ev["met"]
    yield len(j) <= 4
    yield len(j) >= 1 and j[0]["pt"] > 120
    yield abs(j[0]["eta"]) < 2.4
    yield met["pt"] > 150
    yield all(dphi(x["phi"], met["phi"]) > 0.4 for x in j)
    yield not any(l["pt"] > 10 for l in sel(ev, 1) + sel(ev, 2))
    yield not sel(ev, 3, central(20, 2.3))
    yield not any(g["pt"] > 15 for g in sel(ev, 0))
    return [met["pt"], j[0]["pt"], float(len(j)), met["pt"] / j[0]["pt"]]


def sh_zz2l2nu(ev):
    lep = leptons(ev, central(25, 2.5)); met = ev["met"]
    yield len(lep) == 2
    yield lep[0]["typ"] == lep[1]["typ"] and q(lep[0]) * q(lep[1]) < 0
    ll = add(p4(lep[0]), p4(lep[1])); m = mass(ll); yield abs(m - MZ) < 15
    yield vpt(ll) > 30
    yield met["pt"] > 30
    yield dphi(vphi(ll), met["phi"]) > 2.0
    j = sel(ev, 4, central(20, 2.5)); yield not any(btag(x) for x in j)
    r = met["pt"] / vpt(ll); yield 0.4 < r < 1.6
    return [m, vpt(ll), met["pt"], mt(_sys(ll), met), r]


def sh_dijet_chi(ev):
    j = sel(ev, 4, central(50, 2.5))
    yield len(j) >= 2
    yield j[0]["pt"] > 200
    chi = math.exp(abs(j[0]["eta"] - j[1]["eta"])); yield chi < 16
    mjj = m2(j[0], j[1]); yield mjj > 500
    return [mjj, chi, j[0]["pt"], j[1]["pt"], abs(j[0]["eta"] + j[1]["eta"]) / 2]


def sh_multijet(ev):
    j = sel(ev, 4, central(40, 2.8)); met = ev["met"]
    yield len(j) >= 4
    yield j[0]["pt"] > 150
    yield j[3]["pt"] > 50
    ht = _ht(j); yield ht > 600
    meff = ht + met["pt"]; yield meff > 800
    return [ht, meff, j[3]["pt"], math.log(j[0]["pt"]), dphi(j[0]["phi"], j[1]["phi"])]


def sh_dijet_balance(ev):
    j = sel(ev, 4, central(30, 3))
    yield len(j) >= 2
    yield j[0]["pt"] > 60
    yield abs(j[0]["eta"]) < 1.3
    yield dphi(j[0]["phi"], j[1]["phi"]) > 2.7
    a = (j[0]["pt"] - j[1]["pt"]) / (j[0]["pt"] + j[1]["pt"]); yield a < 0.4
    return [a, j[1]["eta"], j[0]["pt"], (j[0]["pt"] + j[1]["pt"]) / 2]


def sh_wenu(ev):
    e = sel(ev, 1, central(25, 2.47)); met = ev["met"]
    yield len(e) == 1
    yield not any(m["pt"] > 10 for m in sel(ev, 2))
    yield met["pt"] > 25
    m_t = mt(e[0], met); yield m_t > 40
    return [m_t, e[0]["pt"], e[0]["eta"], met["pt"]]


def sh_wmunu_jets(ev):
    mu = sel(ev, 2, central(27, 2.4)); met = ev["met"]
    yield len(mu) == 1
    yield not any(e["pt"] > 15 for e in sel(ev, 1))
    yield met["pt"] > 30
    m_t = mt(mu[0], met); yield m_t > 50
    j = [x for x in sel(ev, 4, central(30, 2.4)) if all(dr(x, m) >= 0.4 for m in mu)]
    yield len(j) >= 2
    yield not any(btag(x) for x in j)
    return [m_t, float(len(j)), _ht(j), m2(j[0], j[1]), dr(j[0], j[1])]


def sh_wz_mumue(ev):
    mu = sel(ev, 2, central(20, 2.4)); e = sel(ev, 1, central(25, 2.47)); met = ev["met"]
    yield len(mu) == 2
    yield len(e) == 1
    yield q(mu[0]) * q(mu[1]) < 0
    mmm = m2(mu[0], mu[1]); yield abs(mmm - MZ) < 10
    yield met["pt"] > 30
    m_t = mt(e[0], met); yield m_t > 40
    return [mmm, m_t, e[0]["pt"], mass(add(p4(mu[0]), p4(mu[1]), p4(e[0]))), dr(e[0], mu[0])]


def sh_ww_lnujj(ev):
    lep = leptons(ev, central(25, 2.47), central(25, 2.4)); met = ev["met"]
    yield len(lep) == 1
    j = sel(ev, 4, central(30, 2.4)); yield len(j) >= 2
    yield not any(btag(x) for x in j)
    yield met["pt"] > 30
    m_t = mt(lep[0], met); yield m_t > 40
    jj = add(p4(j[0]), p4(j[1])); mjj = mass(jj); yield 65 < mjj < 95
    return [mjj, vpt(jj), m_t, mass(add(p4(lep[0]), met_p4(met), jj)), dphi(lep[0]["phi"], met["phi"])]


def sh_ditau_hh(ev):
    t = sel(ev, 3, central(25, 2.3)); met = ev["met"]
    yield len(t) == 2
    yield q(t[0]) * q(t[1]) < 0
    d = dr(t[0], t[1]); yield 0.5 < d < 3.5
    yield not any(l["pt"] > 15 for l in sel(ev, 1) + sel(ev, 2))
    yield met["pt"] > 20
    m = m2(t[0], t[1]); yield 40 < m < 150
    return [m, t[0]["pt"], t[1]["pt"], d, met["pt"]]


def sh_mutau(ev):
    mu = sel(ev, 2, central(25, 2.4)); t = sel(ev, 3, central(30, 2.3)); met = ev["met"]
    yield len(mu) == 1
    yield len(t) >= 1
    yield not any(e["pt"] > 10 for e in sel(ev, 1))
    yield q(mu[0]) * q(t[0]) < 0
    yield dr(mu[0], t[0]) > 0.5
    m_t = mt(mu[0], met); yield m_t < 50
    j = sel(ev, 4, central(20, 2.5)); yield not any(btag(x) for x in j)
    return [m2(mu[0], t[0]), m_t, t[0]["pt"], dphi(mu[0]["phi"], t[0]["phi"]), mu[0]["pt"] / t[0]["pt"]]


def sh_wtaunu(ev):
    t = sel(ev, 3, central(25, 2.3)); met = ev["met"]
    yield len(t) == 1
    yield not any(l["pt"] > 10 for l in sel(ev, 1) + sel(ev, 2))
    yield met["pt"] > 30
    dp = dphi(t[0]["phi"], met["phi"]); yield dp > 2.0
    yield 0.5 < met["pt"] / t[0]["pt"] < 1.5
    return [mt(t[0], met), t[0]["pt"], met["pt"], dp]


def sh_gamma_jet(ev):
    g = sel(ev, 0, central(100, 1.37))
    yield len(g) == 1
    j = [x for x in sel(ev, 4, central(50, 2.5)) if all(dr(x, y) >= 0.4 for y in g)]
    yield len(j) >= 1
    yield dphi(g[0]["phi"], j[0]["phi"]) > 2.6
    return [g[0]["pt"], j[0]["pt"], j[0]["pt"] / g[0]["pt"], m2(g[0], j[0])]


def sh_ssww_vbs(ev):
    lep = leptons(ev, central(25, 2.5)); met = ev["met"]
    yield len(lep) == 2
    yield q(lep[0]) * q(lep[1]) > 0
    mll = m2(lep[0], lep[1]); yield mll > 20
    yield met["pt"] > 30
    j = [x for x in sel(ev, 4, central(30, 4.5)) if all(dr(x, l) >= 0.4 for l in lep)]
    yield len(j) >= 2
    yield not any(btag(x) for x in j)
    mjj = m2(j[0], j[1]); yield mjj > 500
    deta = abs(j[0]["eta"] - j[1]["eta"]); yield deta > 2.5
    return [mll, mjj, deta, max(abs(j[0]["eta"]), abs(j[1]["eta"])), lep[1]["pt"]]


SPECS = {f.__name__: f for f in [
    sh_zmumu, sh_zee, sh_zjets, sh_ww_emu, sh_wz3l, sh_zz4l, sh_ttbar_ljets, sh_ttbar_emu,
    sh_ttbar_allhad, sh_hgg, sh_hgg_vbf, sh_vbf_hinv, sh_monojet, sh_zz2l2nu, sh_dijet_chi,
    sh_multijet, sh_dijet_balance, sh_wenu, sh_wmunu_jets, sh_wz_mumue, sh_ww_lnujj,
    sh_ditau_hh, sh_mutau, sh_wtaunu, sh_gamma_jet, sh_ssww_vbs,
]}
