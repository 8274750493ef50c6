"""References for the top-quark batch (PREFIX top)."""
import math

from refs.common import *  # noqa: F401,F403

NAN = float("nan")


def _met(ev):
    return ev["met"]


def _ht(j):
    return sum(x["pt"] for x in j)


def _bj(j):
    return [x for x in j if btag(x)]


def _lj(j):
    return [x for x in j if not btag(x)]


def _clean(objs, others, r=0.4):
    return [x for x in objs if all(dr(x, o) >= r for o in others)]


def _zpair(lep):
    best = None
    for i in range(len(lep)):
        for k in range(i + 1, len(lep)):
            a, b = lep[i], lep[k]
            if a["typ"] == b["typ"] and q(a) * q(b) < 0:
                m = m2(a, b)
                if best is None or abs(m - MZ) < abs(best[0] - MZ):
                    best = (m, i, k)
    return best


def top_dilep_ee(ev):
    e = sel(ev, 1, central(25, 2.47)); j = sel(ev, 4, central(30, 2.5)); b = _bj(j); met = _met(ev)
    yield len(e) == 2
    yield q(e[0]) * q(e[1]) < 0
    m = m2(e[0], e[1]); yield m > 20
    yield abs(m - 91.1876) > 15
    yield len(j) >= 2
    yield len(b) >= 1
    yield met["pt"] > 40
    return [m, met["pt"], j[0]["pt"], float(len(b))]


def top_dilep_mumu(ev):
    mu = sel(ev, 2, central(20, 2.4)); j = sel(ev, 4, central(30, 2.5)); met = _met(ev)
    yield len(mu) == 2
    yield q(mu[0]) * q(mu[1]) < 0
    m = m2(mu[0], mu[1]); yield m > 20
    yield not (76 < m < 106)
    yield len(j) >= 2
    yield any(btag(x) for x in j)
    yield met["pt"] > 40
    return [m, dphi(mu[0]["phi"], mu[1]["phi"]), met["pt"], _ht(j)]


def top_dilep_emu(ev):
    e = sel(ev, 1, central(20, 2.47)); mu = sel(ev, 2, central(20, 2.5))
    j = _clean(sel(ev, 4, central(25, 2.5)), e); b = _bj(j)
    yield len(e) == 1
    yield len(mu) == 1
    yield q(e[0]) * q(mu[0]) < 0
    m = m2(e[0], mu[0]); yield m > 12
    yield len(j) >= 2
    yield len(b) >= 1
    yield _ht(j) + e[0]["pt"] + mu[0]["pt"] > 150
    return [m, e[0]["pt"], mu[0]["pt"], dr(e[0], mu[0]), _ht(j)]


def top_dilep_pgs(ev):
    lep = leptons(ev, central(15, 2.5)); j = _clean(sel(ev, 4, central(20, 2.5)), lep); b = _bj(j)
    met = _met(ev)
    yield len(lep) == 2
    yield q(lep[0]) * q(lep[1]) < 0
    ll = add(p4(lep[0]), p4(lep[1])); yield mass(ll) > 15
    yield len(j) >= 2
    yield len(b) >= 1
    yield met["pt"] > 30
    return [mass(ll), vpt(ll), dphi(vphi(ll), met["phi"]), b[0]["pt"], float(len(j))]


def top_ljets_2b(ev):
    lep = ptsort(sel(ev, 1, central(30, 2.47)) + sel(ev, 2, central(30, 2.5)))
    j = sel(ev, 4, central(25, 2.5)); b = _bj(j); l = _lj(j); met = _met(ev)
    yield len(lep) == 1
    yield len(j) >= 4
    yield len(b) == 2
    yield met["pt"] > 30
    m_t = mt(lep[0], met); yield m_t > 30
    mw = m2(l[0], l[1]) if len(l) >= 2 else NAN
    return [float(len(j)), b[0]["pt"], b[1]["pt"], mw, m_t]


def top_ljets_hadtop(ev):
    lep = leptons(ev, central(25, 2.5)); j = sel(ev, 4, central(25, 2.5)); b = _bj(j); l = _lj(j)
    yield len(lep) == 1
    yield len(j) >= 4
    yield len(b) >= 1
    yield len(l) >= 2
    w = add(p4(l[0]), p4(l[1])); yield 60 < mass(w) < 100
    t = add(w, p4(b[0])); yield 130 < mass(t) < 210
    return [mass(t), mass(w), vpt(t), lep[0]["pt"]]


def top_ljets_terse(ev):
    lep = ptsort(sel(ev, 1, central(25, 2.47)) + sel(ev, 2, central(25, 2.4)))
    j = sel(ev, 4, central(30, 2.4)); b = _bj(j); met = _met(ev)
    yield len(lep) == 1
    yield len(j) >= 4
    yield len(b) >= 1
    yield met["pt"] > 25
    m_t = mt(lep[0], met); yield m_t > 40
    yield dphi(j[0]["phi"], met["phi"]) > 0.4
    m3 = mass(add(p4(j[0]), p4(j[1]), p4(j[2])))
    return [m_t, m3, lep[0]["pt"], abs(lep[0]["eta"]), met["pt"]]


def top_ljets_pgs(ev):
    e = sel(ev, 1, central(20, 2.5)); mu = sel(ev, 2, central(20, 2.5)); lep = ptsort(e + mu)
    j = _clean(sel(ev, 4, central(20, 2.5)), e); met = _met(ev)
    yield len(lep) == 1
    yield len(j) >= 4
    yield len([x for x in j if btag(x) and x["btag"] >= 2]) >= 1
    yield met["pt"] > 20
    w = add(p4(lep[0]), met_p4(met)); ht = _ht(j)
    return [vpt(w), mt(lep[0], met), ht, ht + met["pt"]]


def top_allhad_six(ev):
    j = sel(ev, 4, central(30, 2.5)); b = _bj(j)
    yield len(j) >= 6
    yield len(b) >= 2
    yield j[5]["pt"] > 35
    ht = _ht(j); yield ht > 400
    return [ht, float(len(j)), mass(add(*(p4(x) for x in j[:6]))), dr(b[0], b[1])]


def top_allhad_terse(ev):
    j = sel(ev, 4, central(25, 2.4)); b = _bj(j); met = _met(ev)
    yield len(leptons(ev, lambda o: o["pt"] > 15)) == 0
    yield len(j) >= 6
    yield len(b) >= 2
    ht = _ht(j); yield ht > 400
    r = met["pt"] / math.sqrt(ht); yield r < 3
    return [ht, r, j[0]["pt"], j[5]["pt"], m2(b[0], b[1])]


def top_allhad_pgs(ev):
    j = sel(ev, 4, central(20, 2.5)); b = _bj(j)
    yield len(sel(ev, 1, lambda o: o["pt"] > 10)) == 0
    yield len(sel(ev, 2, lambda o: o["pt"] > 10)) == 0
    yield len(j) >= 6
    yield len(b) >= 2
    yield j[0]["pt"] > 60
    ht = _ht(j); yield ht > 300
    return [ht, mass(add(p4(j[0]), p4(j[1]), p4(j[2]))), m2(b[0], b[1]), j[5]["pt"]]


def top_single_tchan(ev):
    lep = leptons(ev, central(25, 2.5)); j = sel(ev, 4, central(30, 4.5)); b = _bj(j); l = _lj(j)
    met = _met(ev)
    yield len(lep) == 1
    yield len(b) == 1
    yield len(l) >= 1
    yield abs(l[0]["eta"]) > 2.0
    yield met["pt"] > 30
    yield mt(lep[0], met) > 50
    mt_ = mass(add(p4(lep[0]), p4(b[0]), met_p4(met)))
    return [abs(l[0]["eta"]), mt_, abs(b[0]["eta"] - l[0]["eta"]), b[0]["pt"]]


def top_single_prose(ev):
    mu = sel(ev, 2, central(25, 2.4)); j = sel(ev, 4, central(30, 4.7)); b = _bj(j); l = _lj(j)
    met = _met(ev)
    yield len(mu) == 1
    yield len(j) == 2
    yield len(b) == 1
    yield len(l) > 0 and abs(l[0]["eta"]) > 1.5
    yield b[0]["eta"] * l[0]["eta"] < 0
    yield len(sel(ev, 1, lambda o: o["pt"] > 20)) == 0
    m_t = mt(mu[0], met); yield m_t > 40
    return [m2(mu[0], b[0]), abs(l[0]["eta"]), m_t, dr(mu[0], b[0])]


def top_single_pgs(ev):
    lep = leptons(ev, central(20, 2.5)); j = sel(ev, 4, central(20, 4.0)); b = _bj(j); l = _lj(j)
    met = _met(ev)
    yield len(lep) == 1
    yield len(b) == 1
    yield len([x for x in l if abs(x["eta"]) > 2.5]) >= 1
    yield met["pt"] > 20
    return [mt(lep[0], met), m2(lep[0], b[0]), l[0]["pt"], l[0]["eta"]]


def top_boosted_had(ev):
    j = sel(ev, 4, central(30, 2.5)); b = _bj(j)
    yield len(j) > 0 and j[0]["pt"] > 250
    yield abs(j[0]["eta"]) < 2.0
    yield j[0]["m"] > 80
    yield len(b) >= 1
    yield len(j) >= 2 and dphi(j[0]["phi"], j[1]["phi"]) > 2.0
    return [j[0]["m"], j[0]["pt"], j[0]["m"] / j[0]["pt"], dphi(j[0]["phi"], j[1]["phi"])]


def top_boosted_semilep(ev):
    lep = leptons(ev, central(30, 2.5)); j = _clean(sel(ev, 4, central(25, 2.5)), lep); met = _met(ev)
    yield len(lep) == 1
    yield len(j) > 0 and j[0]["pt"] > 200
    yield j[0]["m"] > 60
    d = dr(lep[0], j[0]); yield d > 2.0
    yield met["pt"] > 30
    return [j[0]["m"], j[0]["pt"], d, vpt(add(p4(lep[0]), met_p4(met)))]


def top_ttz_3l(ev):
    lep = leptons(ev, central(15, 2.5)); j = sel(ev, 4, central(25, 2.5)); b = _bj(j); met = _met(ev)
    yield len(lep) == 3
    yield nsfos(lep) >= 1
    z = _zpair(lep); yield abs(z[0] - 91.1876) < 10
    yield len(j) >= 3
    yield len(b) >= 1
    lw = [lep[i] for i in range(3) if i not in (z[1], z[2])][0]
    m_t = mt(lw, met); yield m_t > 20
    return [z[0], lw["pt"], m_t, float(len(j))]


def top_met_1l(ev):
    lep = ptsort(sel(ev, 1, central(25, 2.47)) + sel(ev, 2, central(25, 2.5)))
    j = sel(ev, 4, central(25, 2.5)); b = _bj(j); met = _met(ev)
    yield len(lep) == 1
    yield len(j) >= 4
    yield len(b) >= 1
    yield met["pt"] > 80
    m_t = mt(lep[0], met); yield m_t > 100
    yield min(dphi(j[0]["phi"], met["phi"]), dphi(j[1]["phi"], met["phi"])) > 0.8
    ht = _ht(j)
    return [met["pt"], m_t, ht + met["pt"], met["pt"] / math.sqrt(ht)]


def top_met_2l(ev):
    lep = ptsort(sel(ev, 1, central(20, 2.47)) + sel(ev, 2, central(20, 2.5)))
    j = sel(ev, 4, central(30, 2.5)); met = _met(ev)
    yield len(lep) == 2
    yield q(lep[0]) * q(lep[1]) < 0
    m = m2(lep[0], lep[1]); yield m > 20
    yield len(j) >= 2
    yield met["pt"] > 80
    s = vpt(add(p4(lep[0]), p4(lep[1]), met_p4(met))); yield s > 100
    return [met["pt"], m, s, met["pt"] / m, lep[1]["pt"]]


def top_met_0l(ev):
    j = sel(ev, 4, central(30, 2.8)); b = _bj(j); met = _met(ev)
    yield len(j) >= 4
    yield len(b) >= 2
    yield len(leptons(ev, lambda o: o["pt"] > 10)) == 0
    yield met["pt"] > 120
    md = min(dphi(x["phi"], met["phi"]) for x in j); yield md > 0.4
    yield j[1]["pt"] > 80
    ht = _ht(j)
    return [met["pt"], md, ht, ht + met["pt"], j[1]["pt"]]


def top_tth_1l(ev):
    lep = leptons(ev, central(25, 2.5)); j = _clean(sel(ev, 4, central(25, 2.5)), lep); b = _bj(j)
    yield len(lep) == 1
    yield len(j) >= 5
    yield len(b) >= 3
    ht = _ht(j); yield ht > 250
    return [float(len(b)), m2(b[0], b[1]), dr(b[0], b[1]), b[2]["pt"], ht]


def top_tth_4b(ev):
    j = sel(ev, 4, central(20, 2.5)); b = _bj(j)
    yield len(j) >= 5
    yield len(b) >= 4
    yield b[0]["pt"] > 50
    bb = add(p4(b[0]), p4(b[1])); yield mass(bb) > 50
    return [mass(bb), m2(b[2], b[3]), dr(b[0], b[1]), vpt(bb) / mass(bb), float(len(b))]


def top_tth_pgs(ev):
    j = sel(ev, 4, central(20, 2.5)); b = _bj(j); lep = leptons(ev, central(15, 2.5))
    yield len(j) >= 5
    yield len(b) >= 3
    yield len(lep) <= 1
    ht = _ht(j); yield ht > 250
    return [float(len(b)), ht, mass(add(p4(b[0]), p4(b[1]), p4(b[2]))), dr(b[0], b[1]), b[2]["pt"]]


def top_ttgamma_pgs(ev):
    ph = sel(ev, 0, central(15, 2.37)); lep = leptons(ev, central(20, 2.5)); j = sel(ev, 4, central(25, 2.5))
    b = _bj(j)
    yield len(lep) == 1
    yield len(ph) >= 1
    yield dr(ph[0], lep[0]) > 0.4
    yield len(j) >= 3
    yield len(b) >= 1
    return [ph[0]["pt"], abs(ph[0]["eta"]), m2(lep[0], ph[0]), dr(ph[0], j[0])]


def top_tau_pgs(ev):
    lep = leptons(ev, central(20, 2.5)); ta = sel(ev, 3, central(20, 2.3))
    j = _clean(sel(ev, 4, central(25, 2.5)), ta); b = _bj(j); met = _met(ev)
    yield len(lep) == 1
    yield len(ta) == 1
    yield q(lep[0]) * q(ta[0]) < 0
    yield len(j) >= 2
    yield len(b) >= 1
    yield met["pt"] > 20
    return [m2(lep[0], ta[0]), ta[0]["pt"], dr(lep[0], ta[0]), mt(lep[0], met)]


def top_ljets_math(ev):
    lep = leptons(ev, central(30, 2.4)); j = sel(ev, 4, central(30, 2.4)); b = _bj(j); met = _met(ev)
    yield len(lep) == 1
    yield len(j) >= 4
    yield len(b) >= 2
    eb = p4(b[0])[3]; yield eb < 600
    pz = p4(lep[0])[2]; yield abs(pz) < 400
    meff = _ht(j) + met["pt"]; yield math.log(meff) > 5.5
    m_t = mt(lep[0], met)
    return [math.log(meff), math.sqrt(b[0]["pt"] * b[1]["pt"]), eb, pz,
            met["pt"] * math.cos(met["phi"]), met["pt"] * math.sin(met["phi"]),
            math.exp(-dr(b[0], b[1])), math.tanh(m_t / 100)]


SPECS = {f.__name__: f for f in [
    top_dilep_ee, top_dilep_mumu, top_dilep_emu, top_dilep_pgs,
    top_ljets_2b, top_ljets_hadtop, top_ljets_terse, top_ljets_pgs,
    top_allhad_six, top_allhad_terse, top_allhad_pgs,
    top_single_tchan, top_single_prose, top_single_pgs,
    top_boosted_had, top_boosted_semilep, top_ttz_3l,
    top_met_1l, top_met_2l, top_met_0l,
    top_tth_1l, top_tth_4b, top_tth_pgs,
    top_ttgamma_pgs, top_tau_pgs, top_ljets_math,
]}
