#!/usr/bin/env python3
"""Independent reference for the %%collm correctness corpus.

Each spec in this directory has a hand-written selection below (standard library only, its own
LHCO reader and physics, written from the spec text and DESIGN §5, not from the Rust code).
Usage: reference.py OUTDIR FILE...  writes OUTDIR/<spec>/<file stem>/{cutflow,features}.csv
with cutflow rows `step,events` (step 0 = all events) and features `event,<columns>`.
"""
import importlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refs.common import *  # noqa: E402,F401,F403  (the shared reader and physics)

# Each spec: function(ev) -> (list of booleans, one per cut, evaluated lazily) via a generator
# that yields the result of each cut and finally returns the feature row.

def ww(ev, veto_before_met=False):
    e = sel(ev, 1, central(25, 2.5)); mu = sel(ev, 2, central(20, 2.4)); lep = ptsort(e + mu)
    j = sel(ev, 4, central(30, 2.5)); met = ev["met"]
    yield len(lep) == 1
    yield len(j) >= 2
    cuts = [lambda: met["pt"] > 30, lambda: not any(btag(x) for x in j)]
    for cut in (reversed(cuts) if veto_before_met else cuts):
        yield cut()
    m_t = mt(lep[0], met); yield 40 < m_t < 120
    mjj = mass(add(p4(j[0]), p4(j[1]))); yield 60 < mjj < 100
    drjj = dr(j[0], j[1]); yield drjj < 3
    wl = add(p4(lep[0]), met_p4(met)); wh = add(p4(j[0]), p4(j[1]))
    return [m_t, mjj, met["pt"], lep[0]["pt"], drjj, dphi(vphi(wl), vphi(wh))]


def zmumu(ev):
    mu = sel(ev, 2, central(20, 2.4))
    yield len(mu) == 2
    yield q(mu[0]) * q(mu[1]) < 0
    m = mass(add(p4(mu[0]), p4(mu[1]))); yield 76 < m < 106
    return [m, mu[0]["pt"], mu[1]["pt"]]



def zll_window(ev):
    lep = ptsort(sel(ev, 1, central(15, 2.47)) + sel(ev, 2, central(15, 2.5)))
    z = zcand(lep)
    yield z is not None
    yield abs(mass(z) - MZ) < 15
    return [mass(z), vpt(z), ev["met"]["pt"]]


def wjets_enu(ev):
    # The jet count with predicates is the first mention of jets, so it defines "the jets".
    e = sel(ev, 1, central(30, 2.47)); met = ev["met"]; j = sel(ev, 4, central(25, 4.5))
    yield len(e) == 1
    yield len([m for m in sel(ev, 2) if m["pt"] > 10]) == 0
    yield met["pt"] > 25
    yield mt(e[0], met) > 50
    yield len(j) >= 1
    return [mt(e[0], met), e[0]["pt"], float(len(j)), sum(x["pt"] for x in j)]


def ttbar_ljets(ev):
    lep = ptsort(sel(ev, 1, central(25, 2.5)) + sel(ev, 2, central(25, 2.5)))
    j = sel(ev, 4, central(25, 2.5)); b = [x for x in j if btag(x)]; met = ev["met"]
    yield len(lep) == 1
    yield len(j) >= 4
    yield len(b) >= 1
    yield met["pt"] > 20
    yield mt(lep[0], met) + met["pt"] > 60
    return [sum(x["pt"] for x in j), mass(add(p4(j[0]), p4(j[1]), p4(j[2]))), float(len(b)), b[0]["pt"]]


def ttbar_dilep(ev):
    lep = ptsort(sel(ev, 1, central(20, 2.5)) + sel(ev, 2, central(20, 2.4)))
    j = sel(ev, 4, lambda o: o["pt"] > 30); met = ev["met"]
    yield len(lep) == 2
    yield q(lep[0]) * q(lep[1]) < 0
    mll = mass(add(p4(lep[0]), p4(lep[1]))); yield mll > 20
    yield len(j) >= 2
    yield len([x for x in j if btag(x)]) >= 1
    yield met["pt"] > 40
    return [mll, dphi(lep[0]["phi"], lep[1]["phi"]), met["pt"]]


def hgg_crack(ev):
    ph = sel(ev, 0, lambda o: o["pt"] > 25 and abs(o["eta"]) < 2.37 and not (1.37 < abs(o["eta"]) < 1.52))
    yield len(ph) >= 2
    yield ph[0]["pt"] > 35
    m = mass(add(p4(ph[0]), p4(ph[1]))); yield 105 < m < 160
    return [m, ph[0]["pt"] / m, ph[1]["pt"] / m, abs(ph[0]["eta"])]


def vbf_overlap(ev):
    e = sel(ev, 1, central(10, 2.47)); mu = sel(ev, 2, central(10, 2.5)); lep = e + mu
    j = [x for x in sel(ev, 4, central(30, 4.7)) if all(dr(x, l) >= 0.4 for l in lep)]
    yield len(j) >= 2
    deta = abs(j[0]["eta"] - j[1]["eta"]); yield deta > 3.5
    mjj = mass(add(p4(j[0]), p4(j[1]))); yield mjj > 500
    yield j[0]["eta"] * j[1]["eta"] < 0
    return [mjj, deta, j[0]["pt"], j[1]["pt"]]


def wz3l(ev):
    lep = ptsort(sel(ev, 1, central(15, 2.5)) + sel(ev, 2, central(15, 2.5)))
    yield len(lep) == 3
    z = zcand(lep); yield z is not None
    yield abs(mass(z) - MZ) < 10
    yield ev["met"]["pt"] > 30
    return [mass(z), mass(add(*(p4(l) for l in lep))), ev["met"]["pt"], lep[2]["pt"]]


def dijet(ev):
    j = sel(ev, 4, central(50, 2.5))
    yield len(j) >= 2
    yield j[0]["pt"] > 150
    yield abs(j[0]["eta"] - j[1]["eta"]) < 1.3
    return [mass(add(p4(j[0]), p4(j[1]))), j[0]["pt"], j[1]["pt"], dphi(j[0]["phi"], j[1]["phi"])]


def monojet(ev):
    j = sel(ev, 4, central(30, 2.8)); met = ev["met"]
    yield len(j) > 0 and j[0]["pt"] > 120
    yield len(j) <= 4
    yield len(sel(ev, 1)) == 0
    yield len(sel(ev, 2)) == 0
    yield met["pt"] > 150
    yield dphi(j[0]["phi"], met["phi"]) > 0.4
    ht = sum(x["pt"] for x in j)
    return [met["pt"], j[0]["pt"], float(len(j)), met["pt"] / ht]


def tau_had(ev):
    ta = sel(ev, 3, central(20, 2.3)); met = ev["met"]
    mu = [m for m in sel(ev, 2) if m["pt"] > 20]
    yield len(ta) >= 1
    yield len(mu) == 1
    mu1 = sel(ev, 2)[0]
    yield mt(mu1, met) < 40
    yield q(ta[0]) * q(mu1) < 0
    return [mass(add(p4(ta[0]), p4(mu1))), ta[0]["pt"], ta[0]["ntrk"]]


def boosted(ev):
    j = sel(ev, 4, central(200, 2.0))
    yield len(j) >= 1
    yield 60 < j[0]["m"] < 110
    yield ev["met"]["pt"] < 100
    return [j[0]["m"], j[0]["pt"], p4(j[0])[3]]


def photon_jets(ev):
    ph = sel(ev, 0); j = sel(ev, 4)
    yield len([p for p in ph if p["pt"] > 20]) >= 1
    yield len(j) >= 2
    yield dr(ph[0], j[0]) > 0.4
    return [ph[0]["pt"], ph[0]["eta"], mass(add(p4(j[0]), p4(j[1]))), dr(ph[0], j[0]), ph[0]["phi"]]


def allhad_ttbar(ev):
    j = sel(ev, 4, central(25, 2.5)); b = [x for x in j if btag(x)]
    lep = sel(ev, 1) + sel(ev, 2)
    yield len(j) >= 6
    yield len(b) >= 2
    yield len(lep) == 0
    ht = sum(x["pt"] for x in j); yield ht > 300
    return [ht, j[5]["pt"], mass(add(p4(b[0]), p4(b[1])))]


SPECS = {f.__name__: f for f in [ww, zmumu, zll_window, wjets_enu, ttbar_ljets, ttbar_dilep, hgg_crack,
                                 vbf_overlap, wz3l, dijet, monojet, tau_had, boosted, photon_jets,
                                 allhad_ttbar]}


# --- second batch: varied phrasing, each hand-coded from its spec text ---


def zee_prose(ev):
    e = sel(ev, 1, central(25, 2.47))
    yield len(e) == 2
    yield q(e[0]) * q(e[1]) < 0
    m = m2(e[0], e[1]); yield abs(m - MZ) < 10
    return [m, vpt(add(p4(e[0]), p4(e[1]))), e[0]["pt"], e[1]["pt"]]


def zmumu_tev(ev):
    mu = sel(ev, 2, central(15, 2.4))
    yield len(mu) >= 2
    yield mu[0]["pt"] > 25
    yield q(mu[0]) * q(mu[1]) < 0
    m = m2(mu[0], mu[1]); yield 70 < m < 110
    return [m, mu[0]["pt"] + mu[1]["pt"], dr(mu[0], mu[1])]


def zjets_closest(ev):
    lep = leptons(ev, central(20, 2.5)); j = sel(ev, 4, central(30, 2.5))
    yield len(lep) >= 2
    yield nsfos(lep) >= 1
    z = zcand(lep); yield 81 < mass(z) < 101
    yield len(j) >= 2
    return [mass(z), vpt(z), float(len(j)), j[0]["pt"], dphi(vphi(z), j[0]["phi"])]


def ss_dilepton(ev):
    lep = leptons(ev, central(20, 2.5)); j = sel(ev, 4, lambda o: o["pt"] > 40)
    yield len(lep) == 2
    yield q(lep[0]) * q(lep[1]) > 0
    yield len(j) >= 2
    yield ev["met"]["pt"] > 50
    return [lep[0]["pt"], lep[1]["pt"], m2(lep[0], lep[1]), sum(x["pt"] for x in j)]


def btag_wp(ev):
    j = sel(ev, 4, central(30, 2.5)); b = [x for x in j if x["btag"] >= 1]
    yield len(j) >= 4
    yield len([x for x in j if x["btag"] >= 1]) >= 2
    yield len([x for x in j if x["btag"] >= 2]) >= 1
    return [float(len(b)), b[0]["pt"], j[0]["btag"], m2(b[0], b[1])]


def met_significance(ev):
    j = sel(ev, 4, central(30, 2.8)); met = ev["met"]["pt"]; ht = sum(x["pt"] for x in j)
    yield len(j) >= 3
    yield ht > 200
    yield met / math.sqrt(ht) > 4
    return [ht, met / math.sqrt(ht), met / ht]


def diphoton_window(ev):
    ph = sel(ev, 0, central(20, 2.5))
    yield len(ph) >= 2
    m = m2(ph[0], ph[1]); yield abs(m - 125.25) < 5
    return [m, vpt(add(p4(ph[0]), p4(ph[1]))), dr(ph[0], ph[1])]


def vbf_deta(ev):
    j = sel(ev, 4, central(40, 4.5))
    yield len(j) >= 2
    de = abs(j[0]["eta"] - j[1]["eta"]); yield de > 4
    prod = j[0]["eta"] * j[1]["eta"]; yield prod < 0
    m = m2(j[0], j[1]); yield m > 800
    return [de, m, prod]


def wz_prose(ev):
    lep = leptons(ev, lambda o: o["pt"] > 10); met = ev["met"]
    yield len(lep) == 3
    yield lep[2]["pt"] > 15
    z = zcand(lep); yield z is not None and abs(mass(z) - MZ) < 10
    m_t = mt(lep[2], met); yield m_t > 30
    return [m_t, mass(z), mass(add(*(p4(l) for l in lep)))]


def monojet_prose(ev):
    j = sel(ev, 4, central(30, 2.8)); met = ev["met"]
    yield len(j) >= 1 and j[0]["pt"] > 250
    yield len(j) <= 4
    yield len(sel(ev, 1)) == 0
    yield len(sel(ev, 2)) == 0
    yield met["pt"] > 250
    d = dphi(j[0]["phi"], met["phi"]); yield d > 0.4
    return [met["pt"], j[0]["pt"], d]


def ditau(ev):
    ta = sel(ev, 3, central(25, 2.3))
    yield len(ta) == 2
    yield q(ta[0]) * q(ta[1]) < 0
    m = m2(ta[0], ta[1]); yield 40 < m < 150
    yield dr(ta[0], ta[1]) > 0.5
    return [m, ta[0]["pt"], ta[1]["pt"], ta[0]["ntrk"]]


def tau_etau(ev):
    e = sel(ev, 1, central(25, 2.47)); ta = sel(ev, 3, lambda o: o["pt"] > 20); met = ev["met"]
    yield len(e) == 1
    yield len(ta) >= 1
    yield len(sel(ev, 2)) == 0
    yield mt(e[0], met) < 50
    yield q(e[0]) * q(ta[0]) < 0
    return [m2(e[0], ta[0]), dr(e[0], ta[0]), mt(e[0], met)]


def boosted_top(ev):
    j = sel(ev, 4, lambda o: o["pt"] > 300)
    yield len(j) >= 1
    yield abs(j[0]["m"] - 172.5) < 40
    return [j[0]["m"], j[0]["pt"], p4(j[0])[3] / j[0]["pt"]]


def boosted_hbb(ev):
    j = sel(ev, 4, central(25, 2.5))
    yield len(j) >= 1 and j[0]["pt"] > 250
    yield 90 < j[0]["m"] < 160
    nb = len([x for x in j if btag(x)]); yield nb >= 1
    return [j[0]["m"], j[0]["pt"], float(nb)]


def dijet_tev(ev):
    j = sel(ev, 4, central(50, 2.4))
    yield len(j) >= 2
    yield j[0]["pt"] > 300
    de = abs(j[0]["eta"] - j[1]["eta"]); yield de < 1.3
    m = m2(j[0], j[1]); yield m > 600
    return [m, j[1]["pt"], de]


def wjets_munu(ev):
    mu = sel(ev, 2, central(25, 2.4)); met = ev["met"]; j = sel(ev, 4, lambda o: o["pt"] > 30)
    yield len(mu) == 1
    yield len(sel(ev, 1, lambda o: o["pt"] > 15)) == 0
    yield met["pt"] > 30
    m_t = mt(mu[0], met); yield 60 < m_t < 100
    yield len(j) >= 2
    return [m_t, mu[0]["pt"], met["pt"], float(len(j)), vpt(add(p4(mu[0]), met_p4(met)))]


def ttbar_emu(ev):
    e = sel(ev, 1, central(25, 2.47)); mu = sel(ev, 2, central(25, 2.5)); j = sel(ev, 4, central(30, 2.5))
    yield len(e) == 1
    yield len(mu) == 1
    yield q(e[0]) * q(mu[0]) < 0
    yield len(j) >= 2
    yield len([x for x in j if btag(x)]) >= 1
    v = add(p4(e[0]), p4(mu[0]))
    return [mass(v), vpt(v), sum(x["pt"] for x in j), dphi(e[0]["phi"], mu[0]["phi"])]


def allhad_prose(ev):
    j = sel(ev, 4, central(30, 2.4)); b = [x for x in j if btag(x)]
    yield len(j) >= 6
    yield len(b) >= 2
    yield j[5]["pt"] > 40
    ht = sum(x["pt"] for x in j); yield ht > 500
    yield len(sel(ev, 1)) + len(sel(ev, 2)) == 0
    return [ht, j[5]["pt"], m2(b[0], b[1]), mass(add(p4(j[0]), p4(j[1]), p4(j[2])))]


def ttbar_light(ev):
    lep = leptons(ev, central(25, 2.5)); j = sel(ev, 4, central(25, 2.5))
    b = [x for x in j if btag(x)]; lj = [x for x in j if not btag(x)]
    yield len(lep) == 1
    yield len(j) >= 4
    yield len(j) <= 6
    yield len(b) >= 1
    yield len(lj) >= 2
    m = m2(lj[0], lj[1]); yield abs(m - 80.377) < 25
    return [m, mass(add(p4(lj[0]), p4(lj[1]), p4(b[0]))), mt(lep[0], ev["met"])]


def hgg_unicode(ev):
    ph = sel(ev, 0, lambda o: o["pt"] > 25 and abs(o["eta"]) < 2.37 and not (1.37 < abs(o["eta"]) < 1.52))
    yield len(ph) >= 2
    m = m2(ph[0], ph[1])
    yield ph[0]["pt"] / m > 0.35
    yield ph[1]["pt"] / m > 0.25
    yield abs(m - 125.25) < 10
    return [m, ph[0]["pt"] / m, abs(ph[1]["eta"])]


def vbf_inv(ev):
    j = sel(ev, 4, central(40, 4.5)); met = ev["met"]["pt"]
    yield len(sel(ev, 1)) + len(sel(ev, 2)) == 0
    yield len(j) >= 2
    dp = dphi(j[0]["phi"], j[1]["phi"]); yield dp < 1.8
    yield abs(j[0]["eta"] - j[1]["eta"]) > 4
    yield j[0]["eta"] * j[1]["eta"] < 0
    m = m2(j[0], j[1]); yield m > 1000
    yield met > 150
    return [m, met, dp]


def vbf_overlap_prose(ev):
    ph = sel(ev, 0, central(20, 2.37))
    j = [x for x in sel(ev, 4, central(30, 4.7)) if all(dr(x, p) >= 0.4 for p in ph)]
    yield len(j) >= 2
    yield abs(j[0]["eta"] - j[1]["eta"]) > 3
    m = m2(j[0], j[1]); yield m > 400
    yield len(ph) >= 1
    return [m, ph[0]["pt"], dr(ph[0], j[0])]


def monophoton(ev):
    ph = sel(ev, 0, central(150, 2.37)); met = ev["met"]; j = sel(ev, 4, lambda o: o["pt"] > 30)
    yield len(ph) == 1
    yield met["pt"] > 150
    yield dphi(ph[0]["phi"], met["phi"]) > 0.4
    yield len(sel(ev, 1)) + len(sel(ev, 2)) == 0
    yield len(j) <= 1
    return [ph[0]["pt"], met["pt"], met["pt"] / ph[0]["pt"]]


def gamma_jet(ev):
    ph = sel(ev, 0, lambda o: o["pt"] > 50); j = sel(ev, 4)
    yield len(ph) >= 1
    yield len(j) >= 1
    yield 0.5 < j[0]["pt"] / ph[0]["pt"] < 1.5
    yield dphi(ph[0]["phi"], j[0]["phi"]) > 2.5
    a, b = ph[0]["pt"], j[0]["pt"]
    return [a * b, a + b, a - b]


def effective_mass(ev):
    j = sel(ev, 4, central(40, 2.8)); met = ev["met"]["pt"]; ht = sum(x["pt"] for x in j)
    yield len(j) >= 2
    s2 = j[0]["pt"] + j[1]["pt"]; yield s2 > 200
    yield ht + met > 400
    yield met / (ht + met) > 0.1
    return [ht + met, s2, met / (ht + met)]


def zmumu_latex(ev):
    mu = sel(ev, 2, central(20, 2.4))
    yield len(mu) == 2
    yield q(mu[0]) * q(mu[1]) < 0
    m = m2(mu[0], mu[1]); yield 81 < m < 101
    yield dr(mu[0], mu[1]) > 0.2
    return [m, mu[0]["pt"], mu[1]["eta"]]


def multiplicity(ev):
    j = sel(ev, 4); nb = len([x for x in j if btag(x)])
    yield len(j) >= 3
    yield nb == 1
    yield len(sel(ev, 1)) + len(sel(ev, 2)) == 1
    ht = sum(x["pt"] for x in j); yield ht > 150
    return [float(len(j)), float(nb), ht]


def zboost_prose(ev):
    lep = leptons(ev, lambda o: o["pt"] > 20); j = sel(ev, 4)
    yield nsfos(lep) >= 1
    z = zcand(lep); yield abs(mass(z) - MZ) < 15
    ptll = vpt(add(p4(lep[0]), p4(lep[1]))); yield ptll > 100
    yield len(j) >= 1
    d = dphi(vphi(z), j[0]["phi"]); yield d > 2.5
    return [ptll, vpt(z), d]


def zz4l(ev):
    lep = leptons(ev, central(7, 2.5))
    yield len(lep) >= 4
    yield nsfos(lep) >= 2
    m = mass(add(*(p4(l) for l in lep[:4]))); yield m > 100
    return [m, lep[3]["pt"]]


def forward_jets(ev):
    j = sel(ev, 4, lambda o: o["pt"] > 25)
    yield len([x for x in j if 2.5 < abs(x["eta"]) < 4.5]) >= 1
    yield len([x for x in j if abs(x["eta"]) < 2.5 and x["pt"] > 50]) >= 1
    yield len(j) <= 5
    return [float(len(j)), j[0]["eta"], abs(j[1]["eta"])]


def multijet(ev):
    j = sel(ev, 4, central(50, 2.5)); ht = sum(x["pt"] for x in j)
    yield len(j) >= 4
    yield j[3]["pt"] > 60
    yield ht > 1000
    return [ht, mass(add(p4(j[0]), p4(j[1]), p4(j[2]))), j[3]["pt"], ev["met"]["pt"] / ht]


SPECS.update({f.__name__: f for f in [
    zee_prose, zmumu_tev, zjets_closest, ss_dilepton, btag_wp, met_significance, diphoton_window,
    vbf_deta, wz_prose, monojet_prose, ditau, tau_etau, boosted_top, boosted_hbb, dijet_tev,
    wjets_munu, ttbar_emu, allhad_prose, ttbar_light, hgg_unicode, vbf_inv, vbf_overlap_prose,
    monophoton, gamma_jet, effective_mass, zmumu_latex, multiplicity, zboost_prose, zz4l,
    forward_jets, multijet]})


# The WW selection written as prose and in shorthand (notebook 03): the same cuts, with the b-jet
# veto stated next to the jets, so before the MET cut.
def ww_written(ev):
    return (yield from ww(ev, veto_before_met=True))


SPECS.update({"ww_prose": ww_written, "ww_terse": ww_written})


def fmt(x):
    return "nan" if x != x else repr(float(x))


def run(events, spec, outdir):
    counts = None
    rows = []
    for ev in events:
        gen = spec(ev)
        passed = [1]
        try:
            while True:
                ok = next(gen)
                if not ok:
                    break
                passed.append(1)
        except StopIteration as stop:
            rows.append((ev["number"], stop.value))
        if counts is None:
            counts = []
        while len(counts) < len(passed):
            counts.append(0)
        for i in range(len(passed)):
            counts[i] += 1
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "cutflow.csv"), "w") as f:
        f.write("step,events\n")
        for i, n in enumerate(counts or [0]):
            f.write(f"{i},{n}\n")
    with open(os.path.join(outdir, "features.csv"), "w") as f:
        for number, vals in rows:
            f.write(",".join([str(number)] + [fmt(v) for v in vals]) + "\n")


LOADED = []


def load_batches():
    """Every refs/<batch>.py other than common contributes its SPECS (spec name -> function)."""
    if LOADED:
        return
    LOADED.append(True)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "refs")
    for name in sorted(os.listdir(here)):
        if name.endswith(".py") and name not in ("common.py", "__init__.py"):
            mod = importlib.import_module("refs." + name[:-3])
            clash = set(mod.SPECS) & set(SPECS)
            if clash:
                sys.exit(f"refs/{name}: spec names defined twice: {sorted(clash)}")
            SPECS.update(mod.SPECS)


def one_file(args):
    """Runs every spec on one file (a worker of the pool)."""
    out, path = args
    load_batches()
    events = list(read_lhco(path))
    stem = os.path.basename(path).split(".")[0]
    for name, spec in SPECS.items():
        run(events, spec, os.path.join(out, name, stem))


def main():
    import multiprocessing
    out, files = sys.argv[1], sys.argv[2:]
    with multiprocessing.Pool(2) as pool:
        pool.map(one_file, [(out, f) for f in files])


if __name__ == "__main__":
    main()
