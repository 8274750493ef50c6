//! Properties of objects and systems: "its pT", "the invariant mass of the two leading
//! jets", "pT(j1)", the number of jets, the transverse mass and separations.

use crate::ir::{Delta, Filter, Kind, ObjRef, Prop, Quantity, Sys};
use crate::lexicon::prop_word;
use crate::read::base::{P, R};
use crate::read::ctx::Def;
use crate::read::objects::{first_n, sum};

impl P<'_> {
    /// "its pT", "their invariant mass": a property of the focus.
    pub(super) fn possessive(&self, i: usize, single: bool) -> R<Quantity> {
        let f = self.ctx.focus.as_ref()?;
        let sys = match (&f.sys, f.n) {
            (Some(s), _) => s.clone(),
            (None, Some(n)) if !single && n >= 2 => first_n(f.kind, n),
            (None, _) if single => Sys::Obj(ObjRef {
                kind: f.kind,
                index: 0,
            }),
            _ => return None,
        };
        let j = self.skip_of(i, &["own", "combined", "total", "visible"]);
        // "its transverse mass with the missing transverse momentum".
        if self.w(j) == "mt" && !(self.w(j + 1) == "(" && self.glued(j + 1)) {
            let k = self.skip_of(j + 1, &["with", "and", "computed", "built", "the"]);
            let e = if self.w(k) == "met" && k > j + 1 {
                k + 1
            } else {
                j + 1
            };
            return Some((Quantity::Mt(sys), e));
        }
        if let Some(r) = self.special(j, Some(&sys)) {
            return Some(r);
        }
        let p = prop_word(self.w(j))?;
        Some((Quantity::Prop(p, sys), j + 1))
    }

    /// `(sys)` glued to a function word, "of sys", or `_` codes the lexer expanded.
    pub(super) fn of_sys(&self, i: usize) -> R<Sys> {
        if self.w(i) == "(" && self.glued(i) {
            let (s, e) = self.sys(i + 1, true)?;
            return Some((s, self.eat(e, ")")?));
        }
        if self.w(i) == "of" {
            // "pT of the W lepton, MET": after "of", a comma ends the objects (in a list of
            // items) unless "and" closes a list of them ("of the electron, the muon and the
            // photon").
            let comma = (i + 1..self.toks.len())
                .take_while(|&k| !self.is(k, &["(", "and", ";"]))
                .find(|&k| {
                    self.w(k) == ","
                        && !self.is(
                            k + 1,
                            &["built", "formed", "made", "reconstructed", "constructed"],
                        )
                });
            let listed = comma.is_some_and(|c| {
                (c..self.toks.len())
                    .take_while(|&k| !self.is(k, &[";", ":"]))
                    .any(|k| self.w(k) == "and")
            });
            return match comma.filter(|_| !listed) {
                Some(c) => P {
                    toks: &self.toks[..c],
                    ..*self
                }
                .sys(i + 1, true),
                None => self.sys(i + 1, true),
            };
        }
        // Shorthand: "pt j1", "mT lep+MET", the objects written right after the property.
        let juxtaposed = crate::lexicon::symbol(self.w(i)).is_some()
            || (crate::lexicon::kind_word(self.w(i)).is_some()
                && self.w(i + 1) == "+"
                && self.glued(i + 1));
        if juxtaposed {
            return self.sys(i, false);
        }
        None
    }

    /// "pT of the leading jet", `pT(j1)`, "the invariant mass of the two leading jets",
    /// "pT" of the subject.
    pub(super) fn prop_of(&self, j: usize, subj: Option<&Sys>) -> R<Quantity> {
        let w = self.w(j);
        // "E" is energy only as a function; alone it is the electron symbol.
        if w == "e" && !(self.w(j + 1) == "(" || self.w(j + 1) == "of" || self.w(j + 1) == ",") {
            return None;
        }
        let mut p = prop_word(w)?;
        let mut k = j + 1;
        // "pseudorapidity |η| < 2.4": the word and the symbol name one property.
        if p == Prop::Eta && self.w(k) == "|" && self.w(k + 1) == "eta" && self.w(k + 2) == "|" {
            p = Prop::AbsEta;
            k += 3;
        }
        // "the mass m_ℓℓγ of the two leptons and the leading photon": the word, then the
        // property written as a symbol, with its objects said again.
        if prop_word(self.w(k)) == Some(p) && self.w(k + 1) == "(" && self.glued(k + 1) {
            if let Some(r) = self.prop_of(k, subj) {
                return Some(r);
            }
        }
        // "energy E < 1000 GeV", "mass m > 10 GeV": the symbol restated.
        let symbol = prop_word(self.w(k)) == Some(p) || (p == Prop::Energy && self.w(k) == "e");
        if symbol
            && w != self.w(k)
            && !(self.w(k + 1) == "(" && self.glued(k + 1))
            && self.w(k + 1) != "of"
        {
            k += 1;
        }
        // "the pT of the top candidate and the lepton pT": the list ends where a property
        // word starts the next item.
        let listed = self
            .of_sys(k)
            .filter(|(_, e)| prop_word(self.w(*e)).is_none() || self.w(k) != "of");
        let listed = listed.or_else(|| {
            (self.w(k) == "of")
                .then(|| self.sys(k + 1, false))
                .flatten()
        });
        if let Some((s, e)) = listed {
            return self.prop_of_system(j, k, p, s, e);
        }
        // "pT, |η| and φ of the leading jet" are handled by the list readers; here the
        // property stands alone and is about the subject, or a bare mass is the mass of the
        // objects the text is speaking of ("the visible mass").
        let s = match subj {
            // "pT/m > 0.3 for the leading photon": a photon (electron, muon) has no mass of
            // its own; the m is that of the pair it belongs to.
            Some(Sys::Obj(o))
                if p == Prop::Mass
                    && matches!(o.kind, Kind::Photon | Kind::Electron | Kind::Muon) =>
            {
                first_n(o.kind, 2)
            }
            Some(s) => s.clone(),
            None if p == Prop::Mass => self.focus_pair()?,
            None => return None,
        };
        Some((Quantity::Prop(p, s), k))
    }

    /// The property `p` (its word at `j`, its objects from `k`) of the system `s` read up to
    /// `e`: "the pT of the two leading jets", "m_jj of the two leading jets", "the invariant
    /// mass of the leading photon with the two leading jets".
    fn prop_of_system(&self, j: usize, k: usize, p: Prop, s: Sys, e: usize) -> R<Quantity> {
        // "the pT of both muons" is each muon's pT, a list of two (read by the output
        // and condition readers), not the pT of their sum.
        let each =
            self.w(k) == "of" && self.is(self.skip_of(k + 1, &["the"]), &["both", "each", "all"]);
        if each && p != Prop::Mass {
            return None;
        }
        // "the invariant mass of the leading photon with the two leading jets".
        if p == Prop::Mass && self.w(k) == "of" && self.w(e) == "with" {
            if let Some((s2, e2)) = self.sys(self.skip_of(e + 1, &["the"]), true) {
                return Some((Quantity::Prop(p, sum(vec![s, s2])), e2));
            }
        }
        // "W candidate = the two leading light jets, 50 < m_jj < 110 GeV": a subscript
        // code names the jets of the system the text built from them.
        let s = if self.one_word_at(j, e) {
            self.code_system(s)
        } else {
            s
        };
        // "m_jj of the two leading jets": the words restate the subscript.
        let glued_code = self.w(k) == "(" && self.glued(k);
        if glued_code && self.w(e) == "of" {
            if let Some((s2, e2)) = self.sys(e + 1, true) {
                if s2 == s {
                    return Some((Quantity::Prop(p, s), e2));
                }
            }
        }
        Some((Quantity::Prop(p, s), e))
    }

    /// Whether tokens `i..e` all come from one word of the text (`m_jj` → `m ( j1 + j2 )`).
    pub(in crate::read) fn one_word_at(&self, i: usize, e: usize) -> bool {
        let spans: Vec<_> = (i..e)
            .filter_map(|k| self.toks.get(k).map(|t| t.span.clone()))
            .collect();
        spans.len() > 1 && spans.iter().all(|s| *s == spans[0])
    }

    /// The leading jets a code names, replaced by the last system the text built from as
    /// many jets of one tagging ("the two leading light jets"): `m_jj` is then the W
    /// candidate's mass, `m_bjj` the top candidate's.
    fn code_system(&self, s: Sys) -> Sys {
        let parts = match &s {
            Sys::Sum(v) => v.clone(),
            _ => return s,
        };
        let jets: Vec<usize> = parts
            .iter()
            .filter_map(|p| match p {
                Sys::Obj(o) if o.kind == Kind::Jet => Some(o.index),
                _ => None,
            })
            .collect();
        let n = jets.len();
        if n < 2 || jets != (0..n).collect::<Vec<_>>() {
            return s;
        }
        let built = self.ctx.defs.iter().rev().find_map(|(_, d)| match d {
            Def::S(Sys::Sum(v)) if v.len() == n && v.iter().all(|p| matches!(p, Sys::Obj(o) if matches!(o.kind, Kind::LightJet | Kind::BJet))) => Some(v.clone()),
            _ => None,
        });
        let Some(built) = built else { return s };
        let mut out: Vec<Sys> = parts
            .into_iter()
            .filter(|p| !matches!(p, Sys::Obj(o) if o.kind == Kind::Jet))
            .collect();
        out.extend(built);
        crate::read::objects::sum(out)
    }

    /// "the leading jet pT", "the dimuon mass", "the Z candidate mass", "MET φ".
    pub(super) fn sys_prop(&self, j: usize) -> R<Quantity> {
        let (s, e) = self.sys(j, false)?;
        let e = self.skip_of(e, &["'s", "s"]);
        let p = prop_word(self.w(e))?;
        // "MET pT(j1)", "MET m_jj": a property with objects of its own is another item.
        if self.w(e + 1) == "(" && self.glued(e + 1) {
            return None;
        }
        if p == Prop::Eta && self.w(e) == "eta" && matches!(s, Sys::Sum(_)) {
            return None;
        }
        // "energy E", "mass m", "transverse momentum pT": the symbol restated.
        let mut e = e + 1;
        if prop_word(self.w(e)) == Some(p) && !(self.w(e + 1) == "(" && self.glued(e + 1)) {
            e += 1;
        }
        Some((Quantity::Prop(p, s), e))
    }

    /// After "number of" / "N(": a count of a kind, optionally with conditions.
    pub(super) fn count(&self, i: usize) -> R<Quantity> {
        let paren = self.w(i) == "(";
        let j = self.skip_of(i, &["(", "of", "the", "selected", "reconstructed"]);
        // "the number of b-tags": of b-jets.
        let ((kind, _), mut e) = match self.w(j) {
            "btag" | "btags" => ((Kind::BJet, Some(true)), j + 1),
            _ => self.kind(j)?,
        };
        if kind == Kind::Met {
            return None;
        }
        if paren {
            e = self.eat(e, ")")?;
        }
        let mut filters = Vec::new();
        if let Some((f, k)) = self.with_filters(e, kind) {
            filters = f;
            e = k;
        }
        Some((Quantity::Count(kind, filters), e))
    }

    /// Conditions introduced by "with"/"having"/"above" after a kind in a count.
    fn with_filters(&self, i: usize, kind: Kind) -> R<Vec<Filter>> {
        let j = self.skip_of(i, &["with", "having", "w/", "of"]);
        let (fs, e) = self.filters(j, kind)?;
        Some((fs, e))
    }

    /// After "mT": `(sys, MET)`, "of sys and MET", "of the lepton–MET system"; alone, the
    /// transverse mass the text used last, else the leading lepton's.
    pub(super) fn mt(&self, i: usize) -> R<Quantity> {
        let (s, e) = match self.of_sys(i).or_else(|| {
            let j = self.eat_any(
                i,
                &["between", "built", "from", "computed", "made", "formed"],
            )?;
            self.sys(self.skip_of(j, &["from", "of", "with"]), true)
        }) {
            Some(x) => x,
            None => {
                let default = match (self.ctx.lookup("mt"), &self.ctx.last_mt) {
                    (Some(Def::Q(q)), _) => q.clone(),
                    (None, Some(q)) => q.clone(),
                    _ => Quantity::Mt(Sys::Obj(ObjRef {
                        kind: Kind::Lepton,
                        index: 0,
                    })),
                };
                return Some((default, i));
            }
        };
        // "of the eμ system with the MET", "of the W lepton and the E_T^miss" (words, not
        // `MT(ℓℓ, MET), MET/pT(ℓℓ)`).
        let call = self.w(i) == "(";
        let (s, e) = match self.eat_any(e, &["with", "and", ","]).filter(|_| !call) {
            Some(k) if self.w(self.skip_of(k, &["the"])) == "met" => (
                sum(vec![s, Sys::Obj(ObjRef::MET)]),
                self.skip_of(k, &["the"]) + 1,
            ),
            _ => (s, e),
        };
        Some((Quantity::Mt(without_met(s)?), e))
    }

    /// After "ΔR"/"Δφ"/"Δη": `(a, b)`, `(ab)`, "between a and b", "of a and b", "of the
    /// pair"; with a subject, "to/from X".
    pub(super) fn delta(&self, j: usize, subj: Option<&Sys>) -> R<Quantity> {
        let d = match self.w(j) {
            "dr" => Delta::R,
            "dphi" => Delta::Phi,
            _ => Delta::Eta,
        };
        let (a, b, e) = self.pair_args(j + 1, subj)?;
        Some((Quantity::Delta(d, a, b), e))
    }
}

/// The system without the MET it was written with ("MT(ℓ, MET)", "lepton + MET").
fn without_met(s: Sys) -> Option<Sys> {
    let met = Sys::Obj(ObjRef::MET);
    match s {
        Sys::Sum(v) => {
            let rest: Vec<Sys> = v.into_iter().filter(|p| *p != met).collect();
            (!rest.is_empty()).then(|| sum(rest))
        }
        s if s == met => None,
        s => Some(s),
    }
}
