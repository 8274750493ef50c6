"""References for the jet_* specs: VBF, QCD dijet/multijet, monojet and mono-X, SUSY-like
jets + MET, b-jets + MET. Written from the spec texts and the README conventions."""
import math

from refs.common import *  # noqa: F401,F403

NAN = float("nan")


def mtv(v, met):
    """Transverse mass of a summed four-vector with the MET (pT and phi of the summed vector)."""
    return mt({"pt": vpt(v), "phi": vphi(v)}, met)


def mjj(a, b):
    return mass(add(p4(a), p4(b)))


def deta(a, b):
    return abs(a["eta"] - b["eta"])


def ht(jets):
    return sum(x["pt"] for x in jets)


def dphi_met(o, met):
    return dphi(o["phi"], met["phi"])


# 1. CoLLM sections
def jet_vbf_invisible(ev):
    e = sel(ev, 1, central(10, 2.47)); mu = sel(ev, 2, central(10, 2.5))
    j = sel(ev, 4, central(30, 4.5)); met = ev["met"]
    yield len(e) == 0
    yield len(mu) == 0
    yield len(j) >= 2
    yield j[0]["pt"] > 60
    yield j[1]["pt"] > 40
    yield met["pt"] > 100
    yield j[0]["eta"] * j[1]["eta"] < 0
    de = deta(j[0], j[1]); yield de > 3.0
    m = mjj(j[0], j[1]); yield m > 500
    dp = dphi(j[0]["phi"], j[1]["phi"]); yield dp < 2.0
    return [m, de, dp, met["pt"]]


# 2. prose
def jet_vbf_cjv_prose(ev):
    j = sel(ev, 4, central(25, 4.7))
    yield len(j) >= 2
    yield j[0]["pt"] > 40
    yield j[0]["eta"] * j[1]["eta"] < 0
    de = deta(j[0], j[1]); yield de > 3.5
    m = mjj(j[0], j[1]); yield m > 400
    yield len([x for x in j if x["pt"] > 30]) <= 2
    yield any(abs(x["eta"]) > 3.0 for x in j)
    return [m, de, j[0]["pt"], j[1]["pt"]]


# 3. terse
def jet_vbf_zmumu(ev):
    mu = sel(ev, 2, central(20, 2.4))
    j = [x for x in sel(ev, 4, central(30, 4.7)) if all(dr(x, m) >= 0.4 for m in mu)]
    yield len(mu) == 2
    yield q(mu[0]) * q(mu[1]) < 0
    mmm = m2(mu[0], mu[1]); yield abs(mmm - MZ) < 15
    yield len(j) >= 2
    yield j[0]["pt"] > 50
    yield j[1]["pt"] > 35
    de = deta(j[0], j[1]); yield de > 2.5
    m = mjj(j[0], j[1]); yield m > 250
    yield j[0]["eta"] * j[1]["eta"] < 0
    return [m, mmm, de, vpt(add(p4(mu[0]), p4(mu[1])))]


# 4. CoLLM sections
def jet_vbf_zeppenfeld(ev):
    j = sel(ev, 4, central(30, 4.7))
    yield len(j) >= 3
    de = deta(j[0], j[1]); yield de > 3.0
    m = mjj(j[0], j[1]); yield m > 300
    z3 = abs(j[2]["eta"] - (j[0]["eta"] + j[1]["eta"]) / 2) / de; yield z3 < 0.7
    return [m, de, z3, j[2]["pt"]]


# 5. prose
def jet_dijet_balance(ev):
    j = sel(ev, 4, central(40, 2.5))
    yield len(j) >= 2
    yield j[0]["pt"] > 120
    yield j[1]["pt"] > 80
    yield deta(j[0], j[1]) < 1.3
    dp = dphi(j[0]["phi"], j[1]["phi"]); yield dp > 2.7
    bal = (j[0]["pt"] - j[1]["pt"]) / (j[0]["pt"] + j[1]["pt"]); yield bal < 0.25
    m = mjj(j[0], j[1])
    return [m, bal, dp, math.tanh(deta(j[0], j[1]) / 2)]


# 6. terse
def jet_dijet_chi(ev):
    j = sel(ev, 4, central(50, 2.5))
    yield len(j) >= 2
    yield j[0]["pt"] > 150
    chi = math.exp(deta(j[0], j[1])); yield chi < 16
    yb = (j[0]["eta"] + j[1]["eta"]) / 2; yield abs(yb) < 1.1
    m = mjj(j[0], j[1]); yield m > 400
    return [m, chi, yb]


# 7. CoLLM sections
def jet_dijet_thirdjet(ev):
    j = sel(ev, 4, central(30, 2.5))
    yield len(j) >= 3
    yield j[0]["pt"] > 100
    r = j[2]["pt"] / j[1]["pt"]; yield r > 0.3
    d23 = dr(j[1], j[2]); yield d23 > 0.8
    return [j[2]["pt"] / j[0]["pt"], d23, mass(add(p4(j[0]), p4(j[1]), p4(j[2]))), ht(j)]


# 8. prose, TeV units
def jet_dijet_tev(ev):
    j = sel(ev, 4, central(50, 2.4))
    yield len(j) >= 2
    yield j[0]["pt"] > 200
    yield deta(j[0], j[1]) < 1.3
    m = mjj(j[0], j[1]); yield m > 500
    yield ht(j) > 400
    return [m, j[0]["pt"], j[1]["pt"], j[0]["eta"], j[1]["eta"], j[2]["pt"] if len(j) > 2 else NAN]


# 9. CoLLM sections
def jet_multijet_ht(ev):
    j = sel(ev, 4, central(40, 2.4))
    yield len(j) >= 4
    yield j[3]["pt"] > 50
    h = ht(j); yield h > 500
    yield len(sel(ev, 1, lambda o: o["pt"] > 20)) + len(sel(ev, 2, lambda o: o["pt"] > 20)) == 0
    return [h, float(len(j)), mass(add(*(p4(x) for x in j[:4]))), j[3]["pt"]]


# 10. prose
def jet_multijet_sixjet(ev):
    j = sel(ev, 4, central(30, 2.5))
    yield len(sel(ev, 1, lambda o: o["pt"] > 15)) + len(sel(ev, 2, lambda o: o["pt"] > 15)) == 0
    yield len(j) >= 6
    yield j[5]["pt"] > 35
    h = ht(j); yield h > 400
    yield any(btag(x) for x in j)
    yield ev["met"]["pt"] / math.sqrt(h) < 5
    return [h, float(len(j)), float(len([x for x in j if btag(x)])), j[5]["pt"]]


# 11. terse
def jet_trijet(ev):
    j = sel(ev, 4, central(35, 2.5))
    yield len(j) >= 3
    yield j[0]["pt"] > 80
    v = add(p4(j[0]), p4(j[1]), p4(j[2]))
    m = mass(v); yield 100 < m < 250
    yield vpt(v) > 50
    dp = dphi(j[0]["phi"], vphi(add(p4(j[1]), p4(j[2])))); yield dp > 2.0
    return [m, vpt(v), dp, dr(j[1], j[2])]


# 12. CoLLM sections
def jet_monojet_vetoes(ev):
    met = ev["met"]
    yield len(sel(ev, 1, central(10, 2.5))) == 0
    yield len(sel(ev, 2, central(10, 2.4))) == 0
    yield len(sel(ev, 3, central(18, 2.3))) == 0
    yield len(sel(ev, 0, central(15, 2.5))) == 0
    j = sel(ev, 4, central(30, 2.5))
    yield len(j) >= 1
    yield j[0]["pt"] > 100
    yield met["pt"] > 150
    mdp = min(dphi_met(x, met) for x in j); yield mdp > 0.5
    return [met["pt"], j[0]["pt"], float(len(j)), mdp]


# 13. prose
def jet_monojet_separated(ev):
    e = sel(ev, 1, central(10, 2.5)); mu = sel(ev, 2, central(10, 2.5))
    j = sel(ev, 4, central(30, 4.5)); met = ev["met"]
    yield len(e) + len(mu) == 0
    yield len(j) <= 4
    yield len(j) >= 1 and abs(j[0]["eta"]) < 2.4
    yield j[0]["pt"] > 120
    yield met["pt"] > 150
    yield all(dphi_met(x, met) > 0.4 for x in j)
    r = j[0]["pt"] / met["pt"]; yield r > 0.5
    return [met["pt"], j[0]["pt"], r, float(len(j))]


# 14. terse
def jet_monophoton(ev):
    ph = sel(ev, 0, central(50, 1.44)); met = ev["met"]
    yield len(ph) == 1
    yield len(sel(ev, 1, lambda o: o["pt"] > 10)) + len(sel(ev, 2, lambda o: o["pt"] > 10)) == 0
    yield met["pt"] > 50
    dp = dphi(ph[0]["phi"], met["phi"]); yield dp > 2.0
    j = [x for x in sel(ev, 4, central(30, 4.5)) if all(dr(x, g) >= 0.4 for g in ph)]
    yield len(j) <= 1
    yield ph[0]["pt"] / met["pt"] < 1.4
    return [ph[0]["pt"], met["pt"], dp, mt(ph[0], met), float(len(j))]


# 15. mixed
def jet_monoz(ev):
    lep = leptons(ev, central(20, 2.47), central(20, 2.5))
    j = sel(ev, 4, central(30, 2.5)); met = ev["met"]
    yield len(lep) == 2
    z = zcand(lep); yield z is not None
    mll = mass(z); yield abs(mll - MZ) < 15
    yield not any(btag(x) for x in j)
    yield met["pt"] > 50
    ptz = vpt(z); yield ptz > 30
    dp = dphi(vphi(z), met["phi"]); yield dp > 1.5
    yield abs(met["pt"] - ptz) / ptz < 0.8
    return [mll, ptz, met["pt"], dp, mtv(z, met)]


# 16. CoLLM sections
def jet_monov_hadronic(ev):
    met = ev["met"]
    yield len(sel(ev, 1, lambda o: o["pt"] > 10)) + len(sel(ev, 2, lambda o: o["pt"] > 10)) == 0
    j = sel(ev, 4, central(30, 2.5))
    yield len(j) >= 2
    v = add(p4(j[0]), p4(j[1]))
    m = mass(v); yield 65 < m < 105
    yield vpt(v) > 100
    d = dr(j[0], j[1]); yield d < 3.0
    yield met["pt"] > 100
    yield min(dphi_met(j[0], met), dphi_met(j[1], met)) > 0.5
    return [m, vpt(v), met["pt"], d]


# 17. CoLLM sections
def jet_susy_meff(ev):
    met = ev["met"]
    yield len(sel(ev, 1, lambda o: o["pt"] > 10)) == 0
    yield len(sel(ev, 2, lambda o: o["pt"] > 10)) == 0
    j = sel(ev, 4, central(40, 2.8))
    yield len(j) >= 3
    yield j[0]["pt"] > 130
    yield j[1]["pt"] > 60
    yield met["pt"] > 160
    yield min(dphi_met(x, met) for x in j[:3]) > 0.4
    h = ht(j); meff = h + met["pt"]
    yield met["pt"] / meff > 0.25
    yield meff > 700
    return [meff, met["pt"] / meff, h, float(len(j))]


# 18. prose
def jet_susy_metsig(ev):
    met = ev["met"]
    j = sel(ev, 4, central(30, 2.8))
    yield len(j) >= 4
    h = ht(j); yield h > 300
    s = met["pt"] / math.sqrt(h); yield s > 6
    yield not any(btag(x) for x in j)
    meff = h + met["pt"]
    return [s, h, met["pt"], math.log(meff)]


# 19. terse
def jet_susy_onelepton(ev):
    lep = leptons(ev, central(25, 2.47), central(25, 2.5)); met = ev["met"]
    j = [x for x in sel(ev, 4, central(30, 2.5)) if all(dr(x, l) >= 0.4 for l in lep)]
    b = [x for x in j if btag(x)]
    yield len(lep) == 1
    yield len(j) >= 4
    yield len(b) >= 1
    yield met["pt"] > 100
    m_t = mt(lep[0], met); yield m_t > 120
    meff = ht(j) + lep[0]["pt"] + met["pt"]; yield meff > 600
    return [m_t, met["pt"], meff, float(len(b)), lep[0]["pt"]]


# 20. CoLLM sections
def jet_susy_compressed(ev):
    met = ev["met"]
    yield len(sel(ev, 1, lambda o: o["pt"] > 10)) + len(sel(ev, 2, lambda o: o["pt"] > 10)) == 0
    j = sel(ev, 4, central(30, 2.8))
    yield len(j) >= 2
    yield len(j) <= 5
    yield j[0]["pt"] > 150
    yield abs(j[0]["eta"]) < 2.4
    yield met["pt"] > 150
    r = met["pt"] / j[0]["pt"]; yield r > 0.7
    d1 = dphi_met(j[0], met); yield d1 > 2.4
    yield min(dphi_met(x, met) for x in j) > 0.4
    h = ht(j)
    return [r, d1, met["pt"] / math.sqrt(h), h + met["pt"]]


# 21. prose
def jet_sbottom_bb(ev):
    met = ev["met"]
    yield len(sel(ev, 1, lambda o: o["pt"] > 10)) + len(sel(ev, 2, lambda o: o["pt"] > 10)) == 0
    j = sel(ev, 4, central(30, 2.5))
    yield len(j) >= 2
    yield btag(j[0])
    yield btag(j[1])
    yield met["pt"] > 100
    m = mjj(j[0], j[1]); yield m > 100
    meff = ht(j) + met["pt"]; yield met["pt"] / meff > 0.2
    return [m, met["pt"], mt(j[0], met), meff]


# 22. terse
def jet_bjet_met(ev):
    met = ev["met"]
    j = sel(ev, 4, central(25, 2.5)); b = [x for x in j if btag(x)]
    yield len(j) >= 2
    yield len(b) >= 1
    yield len(j) <= 3
    yield b[0]["pt"] > 60
    yield met["pt"] > 100
    dp = dphi_met(b[0], met); yield dp > 1.0
    return [b[0]["pt"], met["pt"], mt(b[0], met), float(len(j)), dp]


# 23. mixed
def jet_monotop(ev):
    met = ev["met"]
    j = sel(ev, 4, central(30, 2.5)); b = [x for x in j if btag(x)]; l = [x for x in j if not btag(x)]
    yield len(sel(ev, 1, lambda o: o["pt"] > 10)) + len(sel(ev, 2, lambda o: o["pt"] > 10)) == 0
    yield len(b) == 1
    yield len(l) >= 2
    wv = add(p4(l[0]), p4(l[1])); mw = mass(wv); yield 50 < mw < 110
    tv = add(p4(b[0]), wv); mtop = mass(tv); yield abs(mtop - 172.5) < 40
    yield met["pt"] > 80
    yield dphi(vphi(tv), met["phi"]) > 1.5
    return [mtop, mw, met["pt"], vpt(tv)]


# 24. CoLLM sections
def jet_stop_zero_lepton(ev):
    met = ev["met"]
    yield len(sel(ev, 1, lambda o: o["pt"] > 10)) + len(sel(ev, 2, lambda o: o["pt"] > 10)) == 0
    j = sel(ev, 4, central(30, 2.4)); b = [x for x in j if btag(x)]
    yield len(j) >= 4
    yield len(b) >= 2
    yield j[1]["pt"] > 60
    yield met["pt"] > 100
    yield min(dphi_met(j[0], met), dphi_met(j[1], met)) > 0.4
    mtb = min(mt(b[0], met), mt(b[1], met)); yield mtb > 150
    return [mtb, met["pt"], ht(j), mjj(b[0], b[1])]


# 25. mixed
def jet_leading_jet_props(ev):
    j = sel(ev, 4, central(40, 3.0))
    yield len(j) >= 2
    yield dphi(j[0]["phi"], j[1]["phi"]) > 2.8
    yield j[0]["m"] > 10
    yield j[0]["ntrk"] >= 5
    v = p4(j[0]); yield v[3] < 1000
    return [v[3], v[2], j[0]["m"], j[0]["ntrk"], j[0]["btag"], v[0]]


# 26. prose
def jet_qcd_control(ev):
    met = ev["met"]
    j = sel(ev, 4, central(30, 2.8))
    yield len(sel(ev, 1, lambda o: o["pt"] > 10)) + len(sel(ev, 2, lambda o: o["pt"] > 10)) == 0
    yield len(j) >= 2
    h = ht(j); yield h > 300
    yield met["pt"] > 80
    mdp = min(dphi_met(j[0], met), dphi_met(j[1], met)); yield mdp < 0.3
    return [met["pt"] / math.sqrt(h), mdp, h, met["pt"]]


SPECS = {f.__name__: f for f in [
    jet_vbf_invisible, jet_vbf_cjv_prose, jet_vbf_zmumu, jet_vbf_zeppenfeld, jet_dijet_balance,
    jet_dijet_chi, jet_dijet_thirdjet, jet_dijet_tev, jet_multijet_ht, jet_multijet_sixjet,
    jet_trijet, jet_monojet_vetoes, jet_monojet_separated, jet_monophoton, jet_monoz,
    jet_monov_hadronic, jet_susy_meff, jet_susy_metsig, jet_susy_onelepton, jet_susy_compressed,
    jet_sbottom_bb, jet_bjet_met, jet_monotop, jet_stop_zero_lepton, jet_leading_jet_props,
    jet_qcd_control]}
