"""References for the ew_* specs (electroweak: Z, W, WW, WZ, ZZ, Z->tautau, Drell-Yan, Z+gamma)."""
import math

from refs.common import *  # noqa: F401,F403

NAN = float("nan")


def zpair(lep):
    """Indices (i, k) of the SFOS pair closest to MZ, or None."""
    best, bi = None, None
    for i in range(len(lep)):
        for k in range(i + 1, len(lep)):
            a, b = lep[i], lep[k]
            if a["typ"] == b["typ"] and q(a) * q(b) < 0:
                m = m2(a, b)
                if best is None or abs(m - MZ) < abs(best - MZ):
                    best, bi = m, (i, k)
    return bi


def mtv(v, met):
    """Transverse mass of a system four-vector with the MET."""
    return math.sqrt(max(2 * vpt(v) * met["pt"] * (1 - math.cos(dphi(vphi(v), met["phi"]))), 0.0))


def ew_zee_sections(ev):
    e = sel(ev, 1, central(25, 2.47))
    yield len(e) == 2
    yield q(e[0]) * q(e[1]) < 0
    v = add(p4(e[0]), p4(e[1])); m = mass(v); yield 66 < m < 116
    yield e[0]["pt"] > 30
    return [m, vpt(v), e[0]["pt"], e[1]["eta"], dphi(e[0]["phi"], e[1]["phi"])]


def ew_wenu_sections(ev):
    e = sel(ev, 1, central(25, 2.47)); met = ev["met"]
    yield len(e) == 1
    yield not any(m["pt"] > 10 for m in sel(ev, 2))
    yield met["pt"] > 25
    m_t = mt(e[0], met); yield m_t > 40
    yield dphi(e[0]["phi"], met["phi"]) > 1.0
    return [m_t, e[0]["pt"], e[0]["eta"], met["pt"], met["pt"] / e[0]["pt"]]


def ew_wz_sections(ev):
    lep = leptons(ev, central(15, 2.5)); met = ev["met"]
    yield len(lep) == 3
    zp = zpair(lep); yield zp is not None
    z = add(p4(lep[zp[0]]), p4(lep[zp[1]])); mz = mass(z); yield abs(mz - MZ) < 10
    w = [lep[i] for i in range(3) if i not in zp][0]
    yield w["pt"] > 20
    yield met["pt"] > 30
    m_t = mt(w, met); yield m_t > 30
    return [mz, vpt(z), w["pt"], m_t, mass(add(*(p4(l) for l in lep)))]


def ew_zz4l_sections(ev):
    lep = leptons(ev, central(7, 2.5), central(5, 2.4))
    yield len(lep) == 4
    yield lep[0]["pt"] > 20
    yield lep[1]["pt"] > 10
    zp = zpair(lep); yield zp is not None
    mz1 = m2(lep[zp[0]], lep[zp[1]]); yield 60 < mz1 < 120
    o = [lep[i] for i in range(4) if i not in zp]
    mz2 = m2(o[0], o[1]); yield 12 < mz2 < 120
    v = add(*(p4(l) for l in lep)); m4 = mass(v); yield m4 > 100
    return [m4, mz1, mz2, vpt(v), lep[3]["pt"]]


def ew_zgamma_sections(ev):
    lep = leptons(ev, central(20, 2.5))
    ph = [g for g in sel(ev, 0, central(15, 2.37)) if all(dr(g, l) >= 0.4 for l in lep)]
    yield len(lep) == 2
    yield lep[0]["typ"] == lep[1]["typ"]
    yield q(lep[0]) * q(lep[1]) < 0
    mll = m2(lep[0], lep[1]); yield mll > 40
    yield len(ph) >= 1
    mllg = mass(add(p4(lep[0]), p4(lep[1]), p4(ph[0]))); yield mll + mllg > 182
    return [mllg, mll, ph[0]["pt"], dr(ph[0], lep[0]), ph[0]["pt"] / mllg]


def ew_dy_lowmass_sections(ev):
    mu = sel(ev, 2, central(10, 2.4))
    yield len(mu) == 2
    yield q(mu[0]) * q(mu[1]) < 0
    yield mu[0]["pt"] > 20
    v = add(p4(mu[0]), p4(mu[1])); m = mass(v); yield 15 < m < 60
    yield ev["met"]["pt"] < 50
    yield not any(btag(j) and j["pt"] > 20 for j in sel(ev, 4))
    return [m, vpt(v), dr(mu[0], mu[1]), math.sqrt(mu[0]["pt"] * mu[1]["pt"])]


def ew_ww_lnujj_sections(ev):
    lep = leptons(ev, central(25, 2.5)); met = ev["met"]
    yield len(lep) == 1
    j = [x for x in sel(ev, 4, central(30, 2.4)) if all(dr(x, l) >= 0.4 for l in lep)]
    yield len(j) >= 2
    yield not any(btag(x) for x in j)
    yield met["pt"] > 30
    m_t = mt(lep[0], met); yield m_t > 50
    v = add(p4(j[0]), p4(j[1])); mjj = mass(v); yield 65 < mjj < 95
    return [mjj, vpt(v), m_t, dr(j[0], j[1]), float(len(j))]


def ew_zee_jets_sections(ev):
    e = sel(ev, 1, central(20, 2.47))
    yield len(e) == 2
    yield q(e[0]) * q(e[1]) < 0
    z = add(p4(e[0]), p4(e[1])); yield abs(mass(z) - MZ) < 15
    j = [x for x in sel(ev, 4, central(30, 2.5)) if all(dr(x, l) >= 0.4 for l in e)]
    yield len(j) >= 1
    yield j[0]["pt"] > 40
    return [float(len(j)), j[0]["pt"], vpt(z), dphi(vphi(z), j[0]["phi"]), sum(x["pt"] for x in j),
            vpt(z) / j[0]["pt"]]


def ew_ztautau_lh_sections(ev):
    mu = sel(ev, 2, central(20, 2.1)); met = ev["met"]
    yield len(mu) == 1
    yield not any(e["pt"] > 15 for e in sel(ev, 1))
    t = sel(ev, 3, central(25, 2.3))
    yield len(t) == 1
    yield q(mu[0]) * q(t[0]) < 0
    m_t = mt(mu[0], met); yield m_t < 50
    d = dr(mu[0], t[0]); yield d > 0.5
    mvis = m2(mu[0], t[0]); yield 40 < mvis < 100
    return [mvis, m_t, t[0]["pt"], mu[0]["pt"], d, met["pt"]]


def ew_zmumu_prose(ev):
    mu = sel(ev, 2, central(25, 2.4))
    yield len(mu) == 2
    yield q(mu[0]) * q(mu[1]) < 0
    v = add(p4(mu[0]), p4(mu[1])); m = mass(v); yield 81 < m < 101
    yield mu[0]["pt"] > 30
    return [m, vpt(v), abs(mu[0]["eta"] - mu[1]["eta"]), dphi(mu[0]["phi"], mu[1]["phi"])]


def ew_wmunu_prose(ev):
    mu = sel(ev, 2, central(25, 2.4)); met = ev["met"]
    yield len(mu) == 1
    yield not any(e["pt"] > 15 for e in sel(ev, 1))
    yield met["pt"] > 25
    m_t = mt(mu[0], met); yield 50 < m_t < 150
    wpt = vpt(add(p4(mu[0]), met_p4(met))); yield wpt < 100
    return [m_t, mu[0]["pt"], mu[0]["eta"], met["pt"], wpt, float(q(mu[0]))]


def ew_ww_sf_prose(ev):
    lep = leptons(ev, central(20, 2.47), central(20, 2.4)); met = ev["met"]
    yield len(lep) == 2
    yield lep[0]["typ"] == lep[1]["typ"]
    yield q(lep[0]) * q(lep[1]) < 0
    yield lep[0]["pt"] > 25
    v = add(p4(lep[0]), p4(lep[1])); mll = mass(v); yield mll > 12
    yield abs(mll - MZ) > 15
    yield met["pt"] > 45
    yield not any(btag(j) and j["pt"] > 20 for j in sel(ev, 4))
    return [mll, vpt(v), dphi(lep[0]["phi"], lep[1]["phi"]), met["pt"], met["pt"] / vpt(v)]


def ew_wz_prose(ev):
    lep = leptons(ev, central(20, 2.47), central(20, 2.4)); met = ev["met"]
    yield len(lep) == 3
    zp = zpair(lep); yield zp is not None
    mz = m2(lep[zp[0]], lep[zp[1]]); yield abs(mz - MZ) < 15
    w = [lep[i] for i in range(3) if i not in zp][0]
    yield w["pt"] > 20
    m_t = mt(w, met); yield m_t > 40
    yield not any(btag(j) and j["pt"] > 25 for j in sel(ev, 4))
    return [m_t, mz, w["eta"], float(q(w)), met["pt"]]


def ew_zz4mu_prose(ev):
    mu = sel(ev, 2, central(5, 2.4))
    yield len(mu) == 4
    yield mu[0]["pt"] > 20
    yield mu[1]["pt"] > 10
    zp = zpair(mu); yield zp is not None
    mz = m2(mu[zp[0]], mu[zp[1]]); yield 60 < mz < 120
    o = [mu[i] for i in range(4) if i not in zp]
    mo = m2(o[0], o[1]); yield mo > 12
    v = add(*(p4(m) for m in mu)); m4 = mass(v); yield m4 > 80
    return [m4, mz, mo, vpt(v), mu[3]["pt"]]


def ew_ztautau_emu_prose(ev):
    e = sel(ev, 1, central(15, 2.47)); mu = sel(ev, 2, central(10, 2.4)); met = ev["met"]
    j = sel(ev, 4, central(30, 2.5))
    yield len(e) == 1
    yield len(mu) == 1
    yield q(e[0]) * q(mu[0]) < 0
    yield not any(btag(x) for x in j)
    v = add(p4(e[0]), p4(mu[0])); m = mass(v); yield 30 < m < 90
    dp = dphi(e[0]["phi"], mu[0]["phi"]); yield dp > 2.0
    s = mt(e[0], met) + mt(mu[0], met); yield s < 80
    return [m, dp, vpt(v), s]


def ew_dy_highmass_prose(ev):
    e = sel(ev, 1, lambda o: o["pt"] > 30 and abs(o["eta"]) < 2.47 and not (1.37 < abs(o["eta"]) < 1.52))
    yield len(e) == 2
    yield q(e[0]) * q(e[1]) < 0
    yield e[0]["pt"] > 40
    v = add(p4(e[0]), p4(e[1])); m = mass(v); yield m > 120
    return [m, vpt(v), e[1]["pt"] / e[0]["pt"], abs(e[0]["eta"] - e[1]["eta"])]


def ew_znunugamma_prose(ev):
    g = sel(ev, 0, central(40, 2.37)); met = ev["met"]
    yield len(g) == 1
    yield not any(l["pt"] > 10 for l in leptons(ev))
    yield len([j for j in sel(ev, 4) if j["pt"] > 30]) <= 2
    yield met["pt"] > 40
    dp = dphi(g[0]["phi"], met["phi"]); yield dp > 2.0
    r = met["pt"] / g[0]["pt"]; yield 0.5 < r < 2.0
    return [g[0]["pt"], g[0]["eta"], met["pt"], dp, r]


def ew_wjets_enu_prose(ev):
    e = sel(ev, 1, central(30, 2.47)); met = ev["met"]
    yield len(e) == 1
    j = [x for x in sel(ev, 4, central(25, 2.5)) if all(dr(x, l) >= 0.4 for l in e)]
    yield len(j) >= 2
    yield j[0]["pt"] > 50
    yield met["pt"] > 30
    yield mt(e[0], met) > 50
    return [float(len(j)), sum(x["pt"] for x in j), m2(j[0], j[1]), dr(e[0], j[0]),
            min(dphi(x["phi"], met["phi"]) for x in j)]


def ew_zmumu_jets(ev):
    mu = sel(ev, 2, central(20, 2.4))
    yield len(mu) == 2
    yield q(mu[0]) * q(mu[1]) < 0
    z = add(p4(mu[0]), p4(mu[1])); m = mass(z); yield 71 < m < 111
    j = [x for x in sel(ev, 4, central(30, 2.4)) if all(dr(x, l) > 0.4 for l in mu)]
    yield len(j) >= 1
    yield j[0]["pt"] > 40
    yield dphi(vphi(z), j[0]["phi"]) > 2.5
    return [m, vpt(z), float(len(j)), j[0]["pt"], vpt(z) / j[0]["pt"]]


def ew_zll_boosted(ev):
    lep = leptons(ev, central(25, 2.5))
    yield len(lep) >= 2
    zp = zpair(lep); yield zp is not None
    z = add(p4(lep[zp[0]]), p4(lep[zp[1]])); mz = mass(z); yield abs(mz - MZ) < 15
    yield vpt(z) > 100
    d = dr(lep[0], lep[1]); yield d < 1.5
    return [vpt(z), mz, d, d * vpt(z) / mz]


def ew_wjets_munu(ev):
    mu = sel(ev, 2, central(25, 2.4)); met = ev["met"]
    yield len(mu) == 1
    yield not any(e["pt"] > 15 for e in sel(ev, 1))
    j = [x for x in sel(ev, 4, central(30, 4.5)) if all(dr(x, l) >= 0.4 for l in mu)]
    yield len(j) >= 2
    yield met["pt"] > 25
    m_t = mt(mu[0], met); yield m_t > 50
    ht = sum(x["pt"] for x in j); yield ht > 120
    return [float(len(j)), ht, m2(j[0], j[1]), m_t, j[1]["pt"]]


def ew_ww_emu(ev):
    e = sel(ev, 1, central(25, 2.47)); mu = sel(ev, 2, central(20, 2.4)); met = ev["met"]
    yield len(e) == 1
    yield len(mu) == 1
    yield q(e[0]) * q(mu[0]) < 0
    v = add(p4(e[0]), p4(mu[0])); m = mass(v); yield m > 55
    yield vpt(v) > 30
    yield not any(j["pt"] > 30 and abs(j["eta"]) < 4.5 for j in sel(ev, 4))
    yield met["pt"] > 20
    return [m, vpt(v), dphi(e[0]["phi"], mu[0]["phi"]), met["pt"], mtv(v, met)]


def ew_ww_boosted_jj(ev):
    lep = leptons(ev, central(30, 2.5)); met = ev["met"]
    yield len(lep) == 1
    j = sel(ev, 4, central(40, 2.5))
    yield len(j) >= 2
    v = add(p4(j[0]), p4(j[1])); ptjj = vpt(v); yield ptjj > 150
    d = dr(j[0], j[1]); yield d < 1.5
    mjj = mass(v); yield 60 < mjj < 100
    yield met["pt"] > 40
    yield mt(lep[0], met) > 40
    return [ptjj, mjj, d, mjj / ptjj, lep[0]["pt"], abs(j[0]["eta"] - j[1]["eta"])]


def ew_wz_terse(ev):
    lep = leptons(ev, central(20, 2.47), central(20, 2.5)); met = ev["met"]
    yield len(lep) == 3
    zp = zpair(lep); yield zp is not None
    z = add(p4(lep[zp[0]]), p4(lep[zp[1]])); yield abs(mass(z) - MZ) < 20
    w = [lep[i] for i in range(3) if i not in zp][0]
    yield w["pt"] > 25
    yield met["pt"] > 20
    m_t = mt(w, met); yield m_t > 30
    m3 = mass(add(*(p4(l) for l in lep))); yield m3 > 100
    return [m3, m_t, w["pt"], vpt(z), dphi(w["phi"], vphi(z)), float(q(w))]


def ew_zz_terse(ev):
    lep = leptons(ev, central(7, 2.5), central(5, 2.7))
    yield len(lep) >= 4
    yield nsfos(lep) >= 2
    yield lep[0]["pt"] > 20
    yield lep[1]["pt"] > 15
    yield lep[2]["pt"] > 10
    v = add(*(p4(l) for l in lep[:4])); m4 = mass(v); yield 80 < m4 < 500
    return [m4, vpt(v), float(len(lep)), m2(lep[0], lep[1])]


def ew_ztautau_hh(ev):
    t = sel(ev, 3, central(25, 2.3)); met = ev["met"]
    yield len(t) == 2
    yield q(t[0]) * q(t[1]) < 0
    yield not any(l["pt"] > 25 for l in leptons(ev))
    yield met["pt"] > 10
    d = dr(t[0], t[1]); yield 0.5 < d < 3.5
    mvis = m2(t[0], t[1]); yield 30 < mvis < 150
    return [mvis, t[0]["pt"], t[1]["pt"], d, met["pt"], vpt(add(p4(t[0]), p4(t[1]), met_p4(met)))]


SPECS = {f.__name__: f for f in [
    ew_zee_sections, ew_wenu_sections, ew_wz_sections, ew_zz4l_sections, ew_zgamma_sections,
    ew_dy_lowmass_sections, ew_ww_lnujj_sections, ew_zee_jets_sections, ew_ztautau_lh_sections,
    ew_zmumu_prose, ew_wmunu_prose, ew_ww_sf_prose, ew_wz_prose, ew_zz4mu_prose, ew_ztautau_emu_prose,
    ew_dy_highmass_prose, ew_znunugamma_prose, ew_wjets_enu_prose,
    ew_zmumu_jets, ew_zll_boosted, ew_wjets_munu, ew_ww_emu, ew_ww_boosted_jj, ew_wz_terse,
    ew_zz_terse, ew_ztautau_hh,
]}
