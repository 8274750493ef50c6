"""Shared LHCO reader and physics for the corpus references (standard library only).

Written from DESIGN §5, not from the Rust code: types 0 photon, 1 electron, 2 muon, 3 tau, 4 jet,
6 MET; charge = sign(ntrk); e, mu and photons massless; jets and taus use jmass; dphi wrapped to
[0, pi]; b-tag means btag >= 1; every list from `sel` is pT-ordered.
"""
import gzip
import math

PI = math.pi
MZ = 91.1876


def read_lhco(path):
    opener = gzip.open if path.endswith(".gz") else open
    ev = None
    with opener(path, "rt") as f:
        for line in f:
            tok = line.split()
            if not tok or tok[0].startswith("#") or not tok[0].isdigit():
                continue
            if tok[0] == "0":
                if len(tok) < 3:
                    continue  # bare stdhep count line
                if ev is not None:
                    yield ev
                ev = {"number": int(tok[1]), "objs": [], "met": None}
                continue
            typ = int(tok[1])
            eta, phi, pt, jmass, ntrk, btag = (float(x) for x in tok[2:8])
            if phi > PI + 0.01:
                phi -= 2 * PI
            o = {"typ": typ, "eta": eta, "phi": phi, "pt": pt, "m": jmass if typ in (3, 4) else 0.0,
                 "ntrk": ntrk, "btag": btag}
            if typ == 6:
                ev["met"] = o
            else:
                ev["objs"].append(o)
    if ev is not None:
        yield ev


def sel(ev, typ, pred=lambda o: True):
    return sorted((o for o in ev["objs"] if o["typ"] == typ and pred(o)), key=lambda o: -o["pt"])


def ptsort(objs):
    return sorted(objs, key=lambda o: -o["pt"])


def p4(o):
    px, py, pz = o["pt"] * math.cos(o["phi"]), o["pt"] * math.sin(o["phi"]), o["pt"] * math.sinh(o["eta"])
    return [px, py, pz, math.sqrt(px * px + py * py + pz * pz + o["m"] ** 2)]


def met_p4(met):
    return [met["pt"] * math.cos(met["phi"]), met["pt"] * math.sin(met["phi"]), 0.0, met["pt"]]


def add(*vs):
    return [sum(v[i] for v in vs) for i in range(4)]


def mass(v):
    return math.sqrt(max(v[3] ** 2 - v[0] ** 2 - v[1] ** 2 - v[2] ** 2, 0.0))


def vpt(v):
    return math.hypot(v[0], v[1])


def vphi(v):
    return math.atan2(v[1], v[0])


def dphi(a, b):
    d = (a - b) % (2 * PI)
    return 2 * PI - d if d > PI else d


def dr(a, b):
    return math.hypot(a["eta"] - b["eta"], dphi(a["phi"], b["phi"]))


def mt(o, met):
    return math.sqrt(max(2 * o["pt"] * met["pt"] * (1 - math.cos(dphi(o["phi"], met["phi"]))), 0.0))


def q(o):
    return (o["ntrk"] > 0) - (o["ntrk"] < 0)


def central(ptmin, etamax):
    return lambda o: o["pt"] > ptmin and abs(o["eta"]) < etamax


def btag(j):
    return j["btag"] >= 1.0



def zcand(lep):
    best = None
    for i in range(len(lep)):
        for k in range(i + 1, len(lep)):
            a, b = lep[i], lep[k]
            if a["typ"] == b["typ"] and q(a) * q(b) < 0:
                v = add(p4(a), p4(b))
                if best is None or abs(mass(v) - MZ) < abs(mass(best) - MZ):
                    best = v
    return best



def leptons(ev, pred=lambda o: True, pred_mu=None):
    return ptsort(sel(ev, 1, pred) + sel(ev, 2, pred if pred_mu is None else pred_mu))


def m2(a, b):
    return mass(add(p4(a), p4(b)))


def nsfos(lep):
    return sum(1 for i in range(len(lep)) for k in range(i + 1, len(lep))
               if lep[i]["typ"] == lep[k]["typ"] and q(lep[i]) * q(lep[k]) < 0)

