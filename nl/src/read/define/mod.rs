//! Definitions and candidates: "A = (pT(j1) − pT(j2))/(pT(j1) + pT(j2))", "we define m_eff
//! as HT + MET", "where HT is the scalar pT sum of those jets", "the Z candidate is the SFOS
//! pair closest to the Z mass", "Z1 = SFOS ℓℓ closest to mZ", "ℓ_W = the ℓ not in the Z
//! pair", "the remaining two leptons form Z2", "adding the leading b-jet to the W candidate
//! gives the top candidate"; and overlap removal ("discard jets within ΔR < 0.4 of any
//! selected electron").

mod candidate;
mod overlap;

use crate::ir::{Kind, Quantity, Stmt, Sys};
use crate::lexicon::{kind_word, prop_word, quantity_word};

use super::base::{P, R};
use super::ctx::{Def, Focus};
use super::Reading;

/// What a defined name stands for, as a statement (quantities) or a binding only (systems).
enum Defined {
    Q(crate::ir::Quantity),
    S(Sys),
}

impl P<'_> {
    /// `NAME = EXPR [cmp]`, "define NAME as EXPR", "NAME is defined as EXPR", "where NAME
    /// is EXPR", "NAME: <candidate>".
    pub fn definition(&self, i: usize) -> Option<Reading> {
        let j = self.skip_of(
            i,
            &[
                ",", "we", "define", "let", "where", "with", "and", "then", "the",
            ],
        );
        let defining = j > i && self.is_any_before(i, j, &["define", "where", "let", "with"])
            || (self.w(i) == "and" && (0..i).any(|k| self.w(k) == "where"));
        let j = self.label_before_symbol(j);
        if let Some(r) = self.code_restated(j) {
            return Some(r);
        }
        let Some((name, k)) = self.def_name(j) else {
            return self.restatement(i, j, defining);
        };
        // "ℓ = e or μ, pT > 30": the lepton convention, read with the objects.
        if kind_word(&name).is_some() && self.w(k) == "=" && self.kind(k + 1).is_some() {
            return None;
        }
        // "Z candidate (the SFOS pair with mass closest to mZ)".
        if self.w(k) == "(" && self.cand_name(j).is_some() {
            if let Some((Defined::S(s), e)) = self.def_body(k + 1) {
                if let Some(e) = self.eat(e, ")") {
                    return Some(self.bind(name, s, e));
                }
            }
        }
        let colon = self.w(k) == ":";
        let k = match self.w(k) {
            "=" | "≡" | ":=" | ":" | "denotes" | "==" => k + 1,
            "as" if defining => k + 1,
            // "with HT the scalar sum of the jet pT".
            "the" if self.w(i) == "with" || self.w(i + 1) == "with" => k,
            "is" | "are" if defining || self.w(k + 1) == "defined" => self.skip_of(
                k + 1,
                &["defined", "as", "given", "by", "the", "computed", "taken"],
            ),
            _ => return None,
        };
        let (def, e) = self.def_body(k)?;
        // "Z: SFOS pair closest to mZ" names a candidate; "m_T: 40 bins" is not a definition.
        if colon && matches!(def, Defined::Q(_)) {
            return None;
        }
        let e = self.with_restated(e);
        Some(match def {
            Defined::Q(q) => self.defined_quantity(name, q, e),
            Defined::S(s) => named(name, s, e),
        })
    }

    /// "Visible mass m_vis = m(μ, τ)": words naming the quantity before its symbol are
    /// skipped, so the definition starts at the symbol.
    fn label_before_symbol(&self, j: usize) -> usize {
        let Some(eq) = (j + 1..(j + 4).min(self.toks.len())).find(|&k| self.w(k) == "=") else {
            return j;
        };
        let label = (j..eq - 1).all(|k| {
            !self.is(k, &[",", ";", "(", ")"]) && self.toks.get(k).is_some_and(|t| t.num.is_none())
        });
        let whole = self.def_name(j).is_some_and(|(_, e)| e == eq);
        if label && !whole && eq > j + 1 && self.def_name(eq - 1).is_some_and(|(_, e)| e == eq) {
            eq - 1
        } else {
            j
        }
    }

    /// A name defined as the quantity `q` (read up to `e`), with a cut on it said at once:
    /// "m_vis = m(τ1,τ2) ∈ [40,150]", "m_eff = HT + MET > 800", "z_3 = ..., below 0.7".
    fn defined_quantity(&self, name: String, q: Quantity, e: usize) -> Reading {
        let mut stmts = vec![Stmt::Define { name, q: q.clone() }];
        let mut end = e;
        let after = self.skip_of(self.opt(e, ","), &["which", "that"]);
        if let Some(((cmp, _), e2)) = self.cmp(after) {
            stmts.push(Stmt::Cut(crate::ir::Cut::Value { q, cmp }));
            end = e2;
        }
        let mut r = Reading::new(stmts, end);
        r.defines = true;
        r
    }

    /// "jj = system of the two leading jets": a code the text used, explained; it says what
    /// the code already names.
    fn code_restated(&self, j: usize) -> Option<Reading> {
        if self.w(j) != "(" {
            return None;
        }
        let close = (j..self.toks.len()).find(|&m| self.w(m) == ")")?;
        if !self.one_word_at(j, close + 1) || !self.is(close + 1, &["=", "is", "means", "denotes"])
        {
            return None;
        }
        let (code, _) = self.sys(j, true)?;
        let k = self.skip_of(
            close + 2,
            &[
                "the", "system", "sum", "of", "made", "formed", "built", "from",
            ],
        );
        let (said, e) = self.sys(k, true)?;
        (said.objects() == code.objects()).then(|| {
            let mut r = Reading::new(Vec::new(), e);
            r.defines = true;
            r
        })
    }

    /// "where m_4ℓ is the invariant mass of the four leptons": a quantity written as a
    /// symbol and defined in words.
    fn restatement(&self, i: usize, j: usize, defining: bool) -> Option<Reading> {
        if !defining {
            return None;
        }
        let (x, k) = self.expr(j, None)?;
        // "with m_jj the invariant mass of the two leading jets".
        let k = if self.w(i) == "with" && self.w(k) == "the" {
            k
        } else {
            self.eat_any(k, &["is", "=", "denotes", "means", "being"])?
        };
        let k = self.skip_of(k, &["defined", "as", "given", "by", "computed"]);
        let (y, e) = P {
            formula: true,
            ..*self
        }
        .expr(k, None)?;
        let name = crate::canon::quantity(&x);
        let _ = i;
        let mut r = Reading::new(vec![Stmt::Define { name, q: y }], e);
        r.defines = true;
        Some(r)
    }

    /// ", with η1, η2 the pseudorapidities of the two leading jets": words after a
    /// definition that explain its symbols, with no number or comparison.
    fn with_restated(&self, e: usize) -> usize {
        let k = self.opt(e, ",");
        if !self.is(k, &["with", "where"]) {
            return e;
        }
        self.symbols_explained(k + 1).unwrap_or(e)
    }

    /// "η1, η2 the pseudorapidities of the two leading jets", "b1, b2 the two leading
    /// b-jets": symbols, then the same objects (and property) in words. The end, when the
    /// words name exactly the symbols' objects.
    fn symbols_explained(&self, i: usize) -> Option<usize> {
        let mut objs = Vec::new();
        let mut props = Vec::new();
        let mut j = i;
        loop {
            let (s, e) = match self.expr(j, None) {
                Some((Quantity::Prop(p, s), e)) => {
                    props.push(p);
                    (s, e)
                }
                _ => self.obj(j)?,
            };
            objs.extend(s.objects());
            j = e;
            match self.eat_any(j, &[",", "and"]) {
                Some(n) if !self.is(n, &["the", "are", "is", "being"]) => j = n,
                _ => break,
            }
        }
        let k = self.skip_of(j, &["are", "is", "being", "denote", "the"]);
        let k = self.skip_of(k, &["respective"]);
        let (said, e) = match prop_word(self.w(k)) {
            Some(p) if props.iter().all(|q| *q == p) && !props.is_empty() => {
                let (s, e) = self.sys(self.eat(k + 1, "of")?, true)?;
                (s, e)
            }
            _ if props.is_empty() => self.sys(k, true)?,
            _ => return None,
        };
        (said.objects() == objs && !objs.is_empty()).then_some(e)
    }

    fn is_any_before(&self, i: usize, j: usize, ws: &[&str]) -> bool {
        (i..j).any(|k| self.is(k, ws))
    }

    /// A name being defined: a word or two that is not already an object word ("A", "χ",
    /// "m_vis", "balance", "H_T^all", "Z1", "ℓ_W"); HT, m_eff and MT may be redefined.
    fn def_name(&self, j: usize) -> R<String> {
        for len in (1..=2).rev() {
            let words: Vec<&str> = (j..j + len).map(|k| self.w(k)).collect();
            if words
                .iter()
                .any(|w| w.is_empty() || !w.chars().any(char::is_alphanumeric))
            {
                continue;
            }
            // "tagging jets = ...": a qualified kind names a group.
            let qualified = len == 2
                && kind_word(words[1]).is_some()
                && self.w(j + len) == "="
                && kind_word(words[0]).is_none()
                && crate::lexicon::ordinal(words[0]).is_none();
            let single_letter = len == 1 && self.w(j + 1) == "=" && words[0].len() == 1;
            let ok = qualified
                || single_letter
                || words.iter().all(|w| {
                    !matches!(
                        *w,
                        "the"
                            | "a"
                            | "an"
                            | "is"
                            | "as"
                            | "and"
                            | "of"
                            | "to"
                            | "csv"
                            | "in"
                            | "for"
                            | "with"
                    ) && !crate::lexicon::FILLER.contains(w)
                        && !crate::lexicon::POS_VERBS.contains(w)
                        && !crate::lexicon::is_output_verb(w)
                        && !crate::lexicon::NEG_VERBS.contains(w)
                        && kind_word(w).is_none_or(|(k, _)| k == Kind::Lepton && *w == "l")
                        && prop_word(w).is_none()
                        && (!quantity_word(w) || matches!(*w, "ht" | "meff" | "mt" | "st"))
                        && w.parse::<f64>().is_err()
                });
            if ok {
                // "Z candidate", "W system": the name is the first word.
                let k = self.skip_of(j + len, &["candidate", "candidates", "system", "boson"]);
                let name: Vec<&str> = words
                    .into_iter()
                    .filter(|w| !matches!(*w, "candidate" | "candidates" | "system" | "boson"))
                    .collect();
                if name.is_empty() {
                    return None;
                }
                return Some((name.join(" "), k));
            }
        }
        None
    }

    /// The body of a definition: a candidate or system, or a quantity.
    fn def_body(&self, k: usize) -> R<Defined> {
        let k = self.skip_of(k, &["the", "a", "an"]);
        if let Some((c, e)) = self.closest_pair(k) {
            return Some((Defined::S(Sys::Cand(c)), e));
        }
        if let Some((s, e)) = self.sys(k, true) {
            if self.cmp(e).is_none() && !self.is(e, &["+", "-", "*", "/", "^"]) {
                if let Some(s) = self.system_def(s) {
                    return Some((Defined::S(s), e));
                }
            }
        }
        let p = P {
            formula: true,
            ..*self
        };
        let (q, e) = p.expr(k, None)?;
        Some((Defined::Q(q), e))
    }

    /// A system worth a name: more than a single leading object.
    fn system_def(&self, s: Sys) -> Option<Sys> {
        match &s {
            Sys::Obj(o) if o.kind == Kind::Met => None,
            _ => Some(s),
        }
    }

    /// "compute the transverse mass of the lepton and the MET": a quantity named for what
    /// follows ("and keep it below 150 GeV").
    pub fn compute(&self, i: usize) -> Option<Reading> {
        let j = self.eat_any(
            self.skip_of(i, &["we", "also", "then", "to"]),
            &[
                "compute",
                "computed",
                "calculate",
                "calculated",
                "reconstruct",
                "reconstructed",
                "use",
                "used",
                "build",
                "built",
            ],
        )?;
        let j = self.skip_of(j, &["to", "compute", "calculate", "the"]);
        let ((name, q), e) = self.labeled(j)?;
        let name = name.unwrap_or_else(|| crate::canon::quantity(&q));
        let mut stmts = vec![Stmt::Define { name, q: q.clone() }];
        let mut e = e;
        // "we use the variable χ = ..., which has to be below 16".
        let after = self.skip_of(self.opt(e, ","), &["which", "that"]);
        if after > e {
            if let Some(((cmp, _), e2)) = self.cmp(after) {
                stmts.push(Stmt::Cut(crate::ir::Cut::Value { q, cmp }));
                e = e2;
            }
        }
        // "their invariant mass m_bb and their separation ΔR(b1, b2)".
        while let Some(k) = self.eat_any(e, &["and", ","]) {
            match self.labeled(k) {
                Some(((_, q2), e2)) => {
                    stmts.push(Stmt::Define {
                        name: crate::canon::quantity(&q2),
                        q: q2,
                    });
                    e = e2;
                }
                None => break,
            }
        }
        let mut r = Reading::new(stmts, e);
        r.defines = true;
        Some(r)
    }

    /// A process written with arrows, "H → γγ", "Z → μμ", "W(→μν)": named, not selected.
    pub fn process(&self, i: usize) -> Option<Reading> {
        let arrow = (i..(i + 4).min(self.toks.len())).find(|&k| self.w(k) == "→")?;
        let particle = |k: usize| {
            let w = self.w(k);
            !w.is_empty()
                && !crate::lexicon::POS_VERBS.contains(&w)
                && !matches!(
                    w,
                    ">" | "<" | ">=" | "<=" | "gev" | "tev" | "," | ";" | ":" | "and" | "with"
                )
                && (w.len() <= 6 || crate::lexicon::kind_word(w).is_some())
        };
        if !(i..arrow).all(particle) {
            return None;
        }
        let mut e = arrow + 1;
        loop {
            if self.w(e) == "(" {
                let close = (e..self.toks.len()).find(|&k| self.w(k) == ")")?;
                e = close + 1;
            } else if particle(e)
                && self
                    .toks
                    .get(e)
                    .is_some_and(|t| t.num.is_none() || self.glued(e + 1))
            {
                e += 1;
            } else {
                break;
            }
            if matches!(self.w(e), "→" | "+" | "*") {
                e += 1;
            } else if !self.glued(e) || matches!(self.w(e), "," | ")") {
                break;
            }
        }
        let mut r = Reading::new(Vec::new(), e);
        r.defines = true;
        Some(r)
    }
}

/// A name bound to a system ("the tagging jets", "the W lepton"): the statement, the
/// binding later phrases look up, and the focus on the system.
fn named(name: String, sys: Sys, e: usize) -> Reading {
    let mut r = Reading::new(
        vec![Stmt::Name {
            name: name.clone(),
            sys: sys.clone(),
        }],
        e,
    );
    r.names.push((name, Def::S(sys.clone())));
    r.focus = focus_of(&sys);
    r.defines = true;
    r
}

/// The focus after naming a system.
fn focus_of(s: &Sys) -> Option<Focus> {
    let kind = match s {
        Sys::Obj(o) => o.kind,
        Sys::Sum(v) => match v.first()? {
            Sys::Obj(o) => o.kind,
            Sys::Rest(c, _) | Sys::Leg(c, _) => c.kind,
            _ => return None,
        },
        Sys::Cand(c) | Sys::Rest(c, _) | Sys::Leg(c, _) => c.kind,
        _ => return None,
    };
    Some(Focus {
        kind,
        n: None,
        sys: Some(s.clone()),
    })
}
