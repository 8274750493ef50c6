#!/usr/bin/env python3
"""Writes data/gen_mixed.lhco.gz: a deterministic stress sample for the corpus.

Not physics: every event draws a random number of every object type (leptons of both flavours
and charges, taus with 1 or 3 prongs, photons, jets out to |eta| = 4.9 with b-tags 0, 1 and 2),
and a share of the events carries a resonance (Z -> ll, W -> jj, H -> photons, Z -> tau tau),
so that 3- and 4-lepton, tau, photon, b-jet and forward-jet selections all keep events. phi is
written in [0, 2 pi) as PGS does. Usage: make_mixed.py [EVENTS] (default 4000).
"""
import gzip
import math
import os
import random
import sys

TAU = 2 * math.pi


def row(i, typ, eta, phi, pt, jmass=0.0, ntrk=0.0, btag=0.0, hadem=0.0):
    return f"{i:4d} {typ:4d} {eta:8.3f} {phi:8.3f} {pt:8.2f} {jmass:7.2f} {ntrk:6.1f} {btag:6.1f} {hadem:7.2f} {0.0:6.1f} {0.0:6.1f}\n"


def boson(rng, m, width, daughter_mass=0.0):
    """Two daughters of a resonance with mass m, boosted transversely; (pt, eta, phi) each."""
    mass = max(rng.gauss(m, width), 2 * daughter_mass + 1.0)
    pt_b = rng.expovariate(1 / 30.0)
    phi_b = rng.uniform(0, TAU)
    eta_b = rng.uniform(-1.5, 1.5)
    # rest-frame decay
    p = math.sqrt(max(mass * mass / 4 - daughter_mass ** 2, 0.0))
    ct = rng.uniform(-1, 1)
    st = math.sqrt(1 - ct * ct)
    ph = rng.uniform(0, TAU)
    d = [(p * st * math.cos(ph), p * st * math.sin(ph), p * ct), (-p * st * math.cos(ph), -p * st * math.sin(ph), -p * ct)]
    e_d = math.sqrt(p * p + daughter_mass ** 2)
    # boost of the parent
    pz_b = math.sqrt(mass * mass + pt_b * pt_b) * math.sinh(eta_b)
    px_b, py_b = pt_b * math.cos(phi_b), pt_b * math.sin(phi_b)
    e_b = math.sqrt(mass * mass + pt_b * pt_b + pz_b * pz_b)
    bx, by, bz = px_b / e_b, py_b / e_b, pz_b / e_b
    b2 = bx * bx + by * by + bz * bz
    g = 1 / math.sqrt(1 - b2)
    out = []
    for (x, y, z) in d:
        bp = bx * x + by * y + bz * z
        f = (g - 1) * bp / b2 + g * e_d if b2 > 0 else 0
        x2, y2, z2 = x + f * bx, y + f * by, z + f * bz
        pt = math.hypot(x2, y2)
        eta = math.asinh(z2 / pt) if pt > 0 else 0.0
        out.append((pt, eta, math.atan2(y2, x2) % TAU))
    return out


def event(rng, number):
    objs = []  # (typ, eta, phi, pt, jmass, ntrk, btag, hadem)

    def lepton(typ, pt, eta, phi, charge):
        objs.append((typ, eta, phi, pt, 0.0, float(charge), 0.0, rng.uniform(0, 0.3)))

    r = rng.random()
    if r < 0.30:  # Z -> ee or mumu
        typ = rng.choice((1, 2))
        for (pt, eta, phi), c in zip(boson(rng, 91.19, 2.5 + rng.expovariate(1 / 4.0)), (1, -1)):
            lepton(typ, pt, eta, phi, c)
    elif r < 0.42:  # W -> jj
        for pt, eta, phi in boson(rng, 80.4, 8.0):
            objs.append((4, eta, phi, pt, rng.uniform(3, 15), float(rng.randint(2, 20)), 0.0, rng.uniform(0.5, 20)))
    elif r < 0.52:  # H -> photons
        for pt, eta, phi in boson(rng, 125.25, 2.0):
            objs.append((0, eta, phi, pt, 0.0, 0.0, 0.0, rng.uniform(0, 0.1)))
    elif r < 0.58:  # Z -> tau tau
        for (pt, eta, phi), c in zip(boson(rng, 91.19, 6.0, 1.777), (1, -1)):
            objs.append((3, eta, phi, pt * 0.7, rng.uniform(0.5, 1.7), float(c * rng.choice((1, 3))), 0.0, rng.uniform(0.5, 5)))
    for typ in (1, 2):
        for _ in range(rng.choices((0, 1, 2, 3), (0.45, 0.3, 0.17, 0.08))[0]):
            lepton(typ, 5 + rng.expovariate(1 / 25.0), rng.uniform(-2.7, 2.7), rng.uniform(0, TAU), rng.choice((1, -1)))
    for _ in range(rng.choices((0, 1, 2), (0.7, 0.22, 0.08))[0]):
        objs.append((3, rng.uniform(-2.5, 2.5), rng.uniform(0, TAU), 10 + rng.expovariate(1 / 25.0),
                     rng.uniform(0.3, 1.8), float(rng.choice((1, -1)) * rng.choice((1, 3))), 0.0, rng.uniform(0.5, 5)))
    for _ in range(rng.choices((0, 1, 2), (0.6, 0.3, 0.1))[0]):
        objs.append((0, rng.uniform(-2.6, 2.6), rng.uniform(0, TAU), 10 + rng.expovariate(1 / 35.0), 0.0, 0.0, 0.0, rng.uniform(0, 0.2)))
    for _ in range(rng.choices(range(9), (0.08, 0.14, 0.18, 0.17, 0.14, 0.11, 0.08, 0.06, 0.04))[0]):
        forward = rng.random() < 0.25
        eta = rng.uniform(-4.9, 4.9) if forward else rng.uniform(-2.6, 2.6)
        btag = rng.choices((0.0, 1.0, 2.0), (0.75, 0.15, 0.10))[0] if abs(eta) < 2.5 else 0.0
        pt = 15 + rng.expovariate(1 / (70.0 if rng.random() < 0.8 else 250.0))
        objs.append((4, eta, rng.uniform(0, TAU), pt, rng.uniform(2, 0.12 * pt + 3), float(rng.randint(1, 30)), btag, rng.uniform(0.3, 30)))
    objs.sort(key=lambda o: (o[0], -o[3]))
    lines = [f"{0:4d} {number:13d} {0:8d}\n"]
    for i, o in enumerate(objs, start=1):
        lines.append(row(i, *o))
    met = rng.expovariate(1 / 45.0) + (rng.expovariate(1 / 150.0) if rng.random() < 0.2 else 0.0)
    lines.append(row(len(objs) + 1, 6, 0.0, rng.uniform(0, TAU), met))
    return "".join(lines)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    rng = random.Random(20261201)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "gen_mixed.lhco.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(b"   #  typ      eta      phi      pt    jmas   ntrk   btag  had/em   dum1   dum2\n")
        for k in range(n):
            f.write(event(rng, k + 1).encode())


if __name__ == "__main__":
    main()
