//! Candidates: "the Z candidate", "Z", "Z(ll)", "the SFOS pair closest to the Z
//! mass", "the leptonic W", "the hadronic W", and their members ("the Z leptons").

use crate::ir::{Cand, Kind, ObjRef, PairRel, Sys};
use crate::read::base::{MZ, P, R};

use super::first_n;

impl P<'_> {
    /// Candidates: "the Z candidate", "Z", "Z(ll)", "the SFOS pair closest to the Z mass",
    /// "the leptonic W", "the hadronic W".
    pub fn candidate(&self, j: usize) -> R<Sys> {
        let w = self.w(j);
        match w {
            "z" | "z1" | "z0" => {
                if let Some(s) = self.z_code(j) {
                    return Some(s);
                }
                let e = self.skip_of(j + 1, &["boson", "candidate", "pair"]);
                let cand = self.ctx.cand.unwrap_or(z_cand(Kind::Lepton));
                Some((Sys::Cand(cand), e))
            }
            "leptonic" if self.w(j + 1) == "w" => {
                Some((lep_w(), self.skip_of(j + 2, &["candidate", "boson"])))
            }
            "w" if self.w(j + 1) == "leptonic" => Some((lep_w(), j + 2)),
            // "leptonic and hadronic W systems": the first of two.
            "leptonic"
                if self.w(j + 1) == "and"
                    && self.w(j + 2) == "hadronic"
                    && self.w(j + 3) == "w" =>
            {
                Some((lep_w(), j + 1))
            }
            "hadronic" if self.w(j + 1) == "w" => Some((
                self.hadronic_w(),
                self.skip_of(j + 2, &["candidate", "boson"]),
            )),
            "w_lep" | "wlep" => Some((lep_w(), j + 1)),
            "w_had" | "whad" => Some((self.hadronic_w(), j + 1)),
            _ => self.closest_pair(j).map(|(c, e)| (Sys::Cand(c), e)),
        }
    }

    /// The hadronic W by the convention of DESIGN §5: the two leading jets, or the two
    /// leading light jets once the cuts require b-tagged jets (the b-jets come from the tops).
    fn hadronic_w(&self) -> Sys {
        first_n(
            if self.ctx.btagged {
                Kind::LightJet
            } else {
                Kind::Jet
            },
            2,
        )
    }

    /// `Z(ll)`, `Z(ee)`, `Z(mumu)`: the canonical Z candidate of a flavour, whatever names
    /// the text gave.
    pub(super) fn z_code(&self, j: usize) -> R<Sys> {
        if !(self.is(j, &["z", "z0"]) && self.w(j + 1) == "(" && self.glued(j + 1)) {
            return None;
        }
        let (kind, e) = self.flavour_code(j + 2)?;
        Some((Sys::Cand(z_cand(kind)), self.eat(e, ")")?))
    }

    /// The canonical members of a candidate: `l1 not in Z(ll)` (the leading lepton outside
    /// the pair), `l2 of Z(ll)` (its second leg).
    pub(super) fn member_of(&self, j: usize, kind: Kind, index: usize) -> R<Sys> {
        let (rest, k) = match self.w(j) {
            "not" => (true, self.eat(j + 1, "in")?),
            "of" => (false, j + 1),
            _ => return None,
        };
        let (c, e) = if self.w(k) == "(" {
            let (c, e) = self.closest_pair(k + 1)?;
            (c, self.eat(e, ")")?)
        } else {
            let (Sys::Cand(c), e) = self.candidate(k)? else {
                return None;
            };
            (c, e)
        };
        if c.kind != kind {
            return None;
        }
        Some((
            if rest {
                Sys::Rest(c, index)
            } else {
                Sys::Leg(c, index)
            },
            e,
        ))
    }

    /// `ll`, `ee`, `mumu` inside `Z(...)`.
    pub(in crate::read) fn flavour_code(&self, j: usize) -> R<Kind> {
        let kind = match self.w(j) {
            "ll" => Kind::Lepton,
            "ee" => Kind::Electron,
            "mumu" | "muonmuon" => Kind::Muon,
            _ => {
                // The lexer expands `ll` to `( l1 + l2 )`.
                let (s, e) = self.sys(j, true)?;
                let Sys::Sum(v) = &s else { return None };
                let kinds: Vec<Kind> = v
                    .iter()
                    .filter_map(|p| match p {
                        Sys::Obj(o) => Some(o.kind),
                        _ => None,
                    })
                    .collect();
                return (kinds.len() == 2 && kinds[0] == kinds[1]).then(|| (kinds[0], e));
            }
        };
        Some((kind, j + 1))
    }

    /// "the SFOS (lepton) pair closest to the Z mass", "the same-flavour opposite-sign pair
    /// whose invariant mass is closest to 91.19 GeV", "the pair of jets closest to m_W".
    pub fn closest_pair(&self, j: usize) -> R<Cand> {
        let mut k = self.skip_of(j, &["the", "a", "an", ","]);
        let mut rel = None;
        loop {
            match self.w(k) {
                "sfos" => rel = Some(PairRel::Sfos),
                "os" if rel == Some(PairRel::Sf) => rel = Some(PairRel::Sfos),
                "sf" if rel == Some(PairRel::Os) => rel = Some(PairRel::Sfos),
                "os" => rel = Some(PairRel::Os),
                "sf" => rel = Some(PairRel::Sf),
                "," | "and" => {}
                _ => break,
            }
            k += 1;
        }
        let mut kind = None;
        let mut coded = false;
        if let Some(((kd, _), e)) = self.kind(k) {
            kind = Some(kd);
            k = e;
        } else if let Some((kd, e)) = (self.w(k) == "(").then(|| self.flavour_code(k)).flatten() {
            // "SFOS ℓℓ closest to mZ".
            kind = Some(kd);
            k = e;
            coded = true;
        }
        k = match self.eat_any(k, &["pair", "pairs", "combination"]) {
            Some(e) => e,
            None if coded => k,
            None => return None,
        };
        // "w/ m_ℓℓ closest to mZ": the pair's own mass, written as a symbol.
        let with = self.skip_of(k, &["with", "w/", "whose"]);
        if self.w(with) == "m"
            && self.w(with + 1) == "("
            && self
                .flavour_code(with + 1)
                .is_some_and(|(kd, _)| Some(kd) == kind || kind.is_none())
        {
            let (kd, e) = self.flavour_code(with + 1)?;
            kind = kind.or(Some(kd));
            k = self.eat(e, ")").unwrap_or(e);
        }
        if kind.is_none() && self.w(k) == "of" {
            if let Some(((kd, _), e)) = self.kind(k + 1) {
                kind = Some(kd);
                k = e;
            }
        }
        let kind = kind.unwrap_or(Kind::Lepton);
        k = self.skip_of(
            k,
            &[
                "with",
                "whose",
                "of",
                "having",
                "the",
                "invariant",
                "invmass",
                "mass",
                "m",
                "is",
                "has",
                "that",
                "which",
                "lies",
            ],
        );
        k = self.eat(k, "closest")?;
        k = self.skip_of(k, &["to", "the"]);
        let ((mass, _), e) = self.value_or_mass(k)?;
        let rel = rel.or(
            (kind != Kind::Jet && kind != Kind::BJet && kind != Kind::Photon)
                .then_some(PairRel::Sfos),
        );
        Some((Cand { kind, rel, mass }, e))
    }
}

/// The Z candidate of a flavour: the SFOS pair closest to m_Z.
pub fn z_cand(kind: Kind) -> Cand {
    Cand {
        kind,
        rel: Some(PairRel::Sfos),
        mass: MZ,
    }
}

/// The leading lepton and MET: the leptonic W.
pub fn lep_w() -> Sys {
    Sys::Sum(vec![
        Sys::Obj(ObjRef {
            kind: Kind::Lepton,
            index: 0,
        }),
        Sys::Obj(ObjRef::MET),
    ])
}
