#!/usr/bin/env python3
"""Pure-Python anchor for the WW -> l nu jj benchmark, written the way CoLLM's generated
analyses are: a `read_lhco` that splits every line into strings, one dict per event and per
object, and per-event Python loops for the selection, histograms and CSV rows.

Usage: anchor_collm_style.py FILE OUTDIR [MAX_EVENTS]

Prints the cutflow as `step,cut,events` lines and a final `anchor ...` timing line that
bench/lhco_ww.sh reads. Only the standard library is used, so the figure measures Python
itself, not numpy.
"""

import csv
import math
import os
import sys
import time


def read_lhco(path, max_events=None):
    events = []
    event = None
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            if parts[0] == "0":
                if len(parts) < 3:
                    continue
                if event is not None:
                    events.append(event)
                    if max_events is not None and len(events) >= max_events:
                        return events
                event = {"number": int(parts[1]), "trigger": int(parts[2]), "objects": [], "met": None}
                continue
            obj = {
                "typ": int(parts[1]),
                "eta": float(parts[2]),
                "phi": float(parts[3]),
                "pt": float(parts[4]),
                "jmas": float(parts[5]),
                "ntrk": float(parts[6]),
                "btag": float(parts[7]),
                "hadem": float(parts[8]),
            }
            if obj["typ"] == 6:
                event["met"] = obj
            else:
                event["objects"].append(obj)
    if event is not None:
        events.append(event)
    return events


def delta_phi(a, b):
    d = (a - b) % (2 * math.pi)
    return 2 * math.pi - d if d > math.pi else d


def p4(o, massless):
    m = 0.0 if massless else o["jmas"]
    px = o["pt"] * math.cos(o["phi"])
    py = o["pt"] * math.sin(o["phi"])
    pz = o["pt"] * math.sinh(o["eta"])
    e = math.sqrt(px * px + py * py + pz * pz + m * m)
    return [px, py, pz, e]


def mass(v):
    m2 = v[3] ** 2 - v[0] ** 2 - v[1] ** 2 - v[2] ** 2
    return math.sqrt(m2) if m2 > 0 else 0.0


CUTS = ["all events", "exactly 1 lepton", ">= 2 jets", "MET > 30", "b-jet veto",
        "40 < MT < 120", "60 < m_jj < 100", "dR(j1, j2) < 3.0"]
HISTS = [("mt", 40, 40.0, 120.0), ("mjj", 40, 60.0, 100.0), ("met", 40, 0.0, 200.0),
         ("lep_pt", 40, 0.0, 200.0), ("j1_pt", 40, 0.0, 300.0), ("j2_pt", 40, 0.0, 200.0),
         ("drjj", 40, 0.0, 3.0), ("dphi_lmet", 40, 0.0, math.pi), ("lep_eta", 40, -2.5, 2.5),
         ("dphi_ww", 40, 0.0, math.pi)]


def analyse(events):
    counts = [0] * len(CUTS)
    hists = {name: [0.0] * n for name, n, _, _ in HISTS}
    rows = []
    for ev in events:
        counts[0] += 1
        electrons = [o for o in ev["objects"] if o["typ"] == 1 and o["pt"] > 25 and abs(o["eta"]) < 2.5]
        muons = [o for o in ev["objects"] if o["typ"] == 2 and o["pt"] > 20 and abs(o["eta"]) < 2.4]
        leptons = sorted(electrons + muons, key=lambda o: -o["pt"])
        if len(leptons) != 1:
            continue
        counts[1] += 1
        jets = sorted([o for o in ev["objects"] if o["typ"] == 4 and o["pt"] > 30 and abs(o["eta"]) < 2.5],
                      key=lambda o: -o["pt"])
        if len(jets) < 2:
            continue
        counts[2] += 1
        met = ev["met"]
        if not met["pt"] > 30:
            continue
        counts[3] += 1
        if any(j["btag"] >= 1 for j in jets):
            continue
        counts[4] += 1
        lep = leptons[0]
        mt = math.sqrt(max(2 * lep["pt"] * met["pt"] * (1 - math.cos(delta_phi(lep["phi"], met["phi"]))), 0.0))
        if not 40 < mt < 120:
            continue
        counts[5] += 1
        j1, j2 = jets[0], jets[1]
        a, b = p4(j1, False), p4(j2, False)
        whad = [a[i] + b[i] for i in range(4)]
        mjj = mass(whad)
        if not 60 < mjj < 100:
            continue
        counts[6] += 1
        drjj = math.sqrt((j1["eta"] - j2["eta"]) ** 2 + delta_phi(j1["phi"], j2["phi"]) ** 2)
        if not drjj < 3.0:
            continue
        counts[7] += 1
        l4 = p4(lep, True)
        wlep = [l4[0] + met["pt"] * math.cos(met["phi"]), l4[1] + met["pt"] * math.sin(met["phi"])]
        dphi_ww = delta_phi(math.atan2(wlep[1], wlep[0]), math.atan2(whad[1], whad[0]))
        values = [mt, mjj, met["pt"], lep["pt"], j1["pt"], j2["pt"], drjj,
                  delta_phi(lep["phi"], met["phi"]), lep["eta"], dphi_ww]
        for (name, n, lo, hi), v in zip(HISTS, values):
            if lo <= v < hi:
                hists[name][int((v - lo) / (hi - lo) * n)] += 1
        rows.append([ev["number"], mt, mjj, met["pt"], lep["pt"], drjj, dphi_ww])
    for name in hists:
        total = sum(hists[name])
        if total:
            hists[name] = [c / total for c in hists[name]]
    return counts, hists, rows


def main():
    path, out = sys.argv[1], sys.argv[2]
    max_events = int(sys.argv[3]) if len(sys.argv) > 3 else None
    start = time.perf_counter()
    events = read_lhco(path, max_events)
    read_done = time.perf_counter()
    counts, _hists, rows = analyse(events)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "features.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["event", "mt", "mjj", "met", "lep_pt", "drjj", "dphi_ww"])
        w.writerows(rows)
    seconds = time.perf_counter() - start
    table = csv.writer(sys.stdout, lineterminator="\n")
    table.writerow(["step", "cut", "events"])
    for i, (cut, n) in enumerate(zip(CUTS, counts)):
        table.writerow([i, cut, n])
    print(f"anchor events={len(events)} selected={len(rows)} read_seconds={read_done - start:.3f} "
          f"seconds={seconds:.3f} events/s={len(events) / seconds:.0f}")


if __name__ == "__main__":
    main()
