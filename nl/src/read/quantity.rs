//! Quantities: arithmetic over event numbers, written as symbols (`pT(j1)/m_jj`,
//! `MET/√HT`, `exp(|Δη_jj|)`) or in words ("the invariant mass of the two leading jets",
//! "the ratio of the leading jet pT to the MET", "the minimum Δφ between any jet and the
//! MET", "the maximum of |η| over the three leading jets").
//!
//! A bare property word ("pT", "|η|") is about the phrase's subject when there is one: the
//! object a condition is attached to, or each object of a quantifier.

use crate::ir::{Delta, Filter, Func, Kind, ObjRef, Op, Prop, Quantity, Reduce, Sys};
use crate::lexicon::{func_word, prop_word};

use super::base::{P, R};
use super::ctx::Def;
use super::objects::{first_n, sum};

impl P<'_> {
    /// A quantity expression: terms joined by `+` and `-`.
    pub fn expr(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        let (mut q, mut j) = self.term(i, subj)?;
        loop {
            let op = match self.w(j) {
                "+" | "plus" => Op::Add,
                "-" | "minus" => Op::Sub,
                _ => break,
            };
            match self.term(j + 1, subj) {
                Some((t, e)) => {
                    q = Quantity::Bin(op, Box::new(q), Box::new(t));
                    j = e;
                }
                None => break,
            }
        }
        Some((q, j))
    }

    /// Factors joined by `*` and `/` (and, in a written-out formula, by being adjacent).
    fn term(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        let (mut q, mut j) = self.factor(i, subj)?;
        loop {
            let (op, k) = match self.w(j) {
                "*" | "times" | "x" => (Op::Mul, j + 1),
                "/" => (Op::Div, j + 1),
                "over" if self.number(j + 1).is_none() => (Op::Div, j + 1),
                _ if self.formula
                    && !self.end(j)
                    && !self.is(j, &[")", ",", "|", "]", "+", "-", "=", ">", "<", "and"]) =>
                {
                    (Op::Mul, j)
                }
                _ => break,
            };
            match self.factor(k, subj) {
                Some((t, e)) => {
                    q = Quantity::Bin(op, Box::new(q), Box::new(t));
                    j = e;
                }
                None => break,
            }
        }
        Some((q, j))
    }

    /// A power: `x^2`.
    fn factor(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        let (q, j) = self.unary(i, subj)?;
        if self.w(j) == "^" {
            if let Some((n, e)) = self.number(j + 1) {
                return Some((
                    Quantity::Bin(Op::Pow, Box::new(q), Box::new(Quantity::Num(n))),
                    e,
                ));
            }
        }
        Some((q, j))
    }

    fn unary(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        if self.w(i) == "-" {
            let (q, j) = self.factor(i + 1, subj)?;
            return Some((
                Quantity::Bin(Op::Sub, Box::new(Quantity::Num(0.0)), Box::new(q)),
                j,
            ));
        }
        self.atom(i, subj)
    }

    /// One operand; "m_eff = H_T + E_T^miss" written where a quantity is expected restates
    /// it.
    pub fn atom(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        let (q, e) = self.atom_only(i, subj)?;
        if self.w(e) == "=" && !self.formula {
            if let Some((q2, e2)) = (P {
                formula: true,
                ..*self
            })
            .expr(e + 1, subj)
            {
                if q2 == q {
                    return Some((q, e2));
                }
            }
        }
        Some((q, e))
    }

    fn atom_only(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        if let Some(t) = self.toks.get(i) {
            if let Some(n) = t.num {
                let j = self.unit(i + 1).map_or(i + 1, |(_, e)| e);
                return Some((Quantity::Num(n), j));
            }
        }
        if let Some(d) = self.defined_q(i) {
            return Some(d);
        }
        let j = self.skip_of(
            i,
            &[
                "the", "a", "an", "that", "this", "absolute", "visible", "total", "combined",
            ],
        );
        if let Some(d) = self.defined_q(j) {
            return Some(d);
        }
        // "m_vis(τ1τ2)", "m_{T2}(...)": a mass under a name of its own.
        let w = self.w(j);
        if (w.starts_with("m_") || w.starts_with("mass_"))
            && self.w(j + 1) == "("
            && self.glued(j + 1)
        {
            if let Some((s, e)) = self.of_sys(j + 1) {
                return Some((Quantity::Prop(Prop::Mass, s), e));
            }
        }
        let w = self.w(j);
        match w {
            "(" => {
                // "(pT(j1) − pT(j2))"; "(e1 + mu1) mass" is a system's property.
                if let Some((q, e)) = self.expr(j + 1, subj) {
                    if let Some(e) = self.eat(e, ")") {
                        return Some((q, e));
                    }
                }
            }
            "|" => return self.abs(j + 1, subj),
            "it" => {
                if let Some(q) = &self.ctx.last_q {
                    return Some((q.clone(), j + 1));
                }
            }
            "its" | "his" | "her" => return self.possessive(j + 1, true),
            "their" => return self.possessive(j + 1, false),
            _ => {}
        }
        if let Some(r) = self.special(j, subj) {
            return Some(r);
        }
        if let Some(r) = self.prop_of(j, subj) {
            return Some(r);
        }
        self.sys_prop(j)
    }

    /// Named quantities the text defined: "m_eff", "A", "the balance", "H_T^all".
    fn defined_q(&self, j: usize) -> R<Quantity> {
        // "the pT asymmetry" finds "asymmetry": a word or two may qualify the name.
        for skip in 0..=2 {
            let qualifier = |m: usize| {
                let w = self.w(m);
                prop_word(w).is_some()
                    || (!crate::lexicon::FILLER.contains(&w)
                        && !crate::lexicon::POS_VERBS.contains(&w)
                        && !crate::lexicon::is_content(self.toks, m)
                        && w.chars().all(char::is_alphabetic))
            };
            if skip > 0 && (self.kind(j).is_some() || !qualifier(j + skip - 1)) {
                break;
            }
            for (len, name) in self.name_at(j + skip) {
                // `mt(e, MET)` is the function, whatever "m_T" was named.
                if self.w(j + skip + len) == "(" && self.glued(j + skip + len) {
                    continue;
                }
                if let Some(Def::Q(q)) = self.ctx.lookup(&name) {
                    return Some((q.clone(), j + skip + len));
                }
            }
        }
        None
    }

    /// Quantity words: MET, HT, m_eff, counts, MT, ΔR/Δφ/Δη, functions, ratios, sums,
    /// minima and maxima.
    fn special(&self, j: usize, subj: Option<&Sys>) -> R<Quantity> {
        let w = self.w(j);
        if let Some(f) = func_word(w) {
            if let Some(r) = self.func(j + 1, f, subj) {
                return Some(r);
            }
        }
        match w {
            "m_z" | "mz" | "m_z1" | "m_z2" | "m_z0" | "m_w" | "m_top" | "m_h" => self.cand_mass(j),
            "met" if prop_word(self.w(j + 1)).is_none() => {
                Some((Quantity::Met, self.skip_of(j + 1, &["value"])))
            }
            "ht" => Some((Quantity::Ht, self.of_selected_jets(j + 1))),
            "meff" => Some((
                Quantity::Bin(Op::Add, Box::new(Quantity::Ht), Box::new(Quantity::Met)),
                j + 1,
            )),
            "number" | "multiplicity" | "multiplicities" | "#" | "n" => self.count(j + 1),
            "mt" => self.mt(j + 1),
            "dr" | "dphi" | "deta" => self.delta(j, subj),
            "smallest" | "minimum" | "min" | "lowest" | "smaller" => self
                .reduce(j + 1, Reduce::Min, subj)
                .or_else(|| self.said_before(j)),
            "largest" | "maximum" | "max" | "biggest" | "larger" => self
                .reduce(j + 1, Reduce::Max, subj)
                .or_else(|| self.said_before(j)),
            "sum" if self.sum_of_mts(j + 2).is_some() || self.said_before(j).is_some() => {
                self.sum_of_mts(j + 2).or_else(|| self.said_before(j))
            }
            "sum" | "scalar" | "σ" => {
                let a = self.scalar_sum(j);
                let b = (w == "sum")
                    .then(|| self.binary_words(j + 1, Op::Add, subj))
                    .flatten();
                match (a, b) {
                    (Some(a), Some(b)) => Some(if b.1 > a.1 { b } else { a }),
                    (a, b) => a.or(b),
                }
            }
            "ratio" => self.ratio(j + 1, subj),
            "product" => self.binary_words(j + 1, Op::Mul, subj),
            "difference" => self.binary_words(j + 1, Op::Sub, subj),
            _ => {
                // "jet multiplicity", "b-jet multiplicity".
                let ((kind, _), e) = self.kind(j)?;
                let e = self.eat_any(e, &["multiplicity", "multiplicities", "count"])?;
                Some((Quantity::Count(kind, Vec::new()), e))
            }
        }
    }

    /// "the transverse masses of the electron and of the muon, each computed with the MET":
    /// one transverse mass per object, summed.
    fn sum_of_mts(&self, i: usize) -> R<Quantity> {
        let k = self.eat(self.skip_of(i, &["the", "two"]), "mts")?;
        let k = self.eat(k, "of")?;
        // ("each computed with the MET" is not a quantifier.)
        let p = P {
            each: None,
            ..*self
        };
        let (a, k) = p.obj(k)?;
        let k = self.skip_of(self.eat(k, "and")?, &["of"]);
        let (b, mut e) = p.obj(k)?;
        let t = self.skip_of(
            e,
            &[
                ",", "each", "computed", "built", "formed", "with", "and", "the",
            ],
        );
        if self.w(t) == "met" && t > e + 1 {
            // The apposition closes with its comma.
            e = if self.w(e) == "," {
                self.opt(t + 1, ",")
            } else {
                t + 1
            };
        }
        let mt = |s: Sys| Quantity::Mt(s);
        Some((Quantity::Bin(Op::Add, Box::new(mt(a)), Box::new(mt(b))), e))
    }

    /// "the minimum Δφ above", "the sum of the two transverse masses": a quantity the cuts
    /// used, described by its shape. The newest that fits.
    fn said_before(&self, j: usize) -> R<Quantity> {
        let mut k = j;
        let mut tests: Vec<fn(&Quantity) -> bool> = Vec::new();
        let mut two_mts = false;
        loop {
            match self.w(k) {
                "the" | "of" | "value" => {}
                "sum" => tests.push(|q| matches!(q, Quantity::Bin(Op::Add, ..))),
                "min" | "minimum" => tests.push(|q| {
                    matches!(
                        q,
                        Quantity::Reduce {
                            reduce: Reduce::Min,
                            ..
                        } | Quantity::Func(Func::Min, _)
                    )
                }),
                "max" | "maximum" => tests.push(|q| {
                    matches!(
                        q,
                        Quantity::Reduce {
                            reduce: Reduce::Max,
                            ..
                        } | Quantity::Func(Func::Max, _)
                    )
                }),
                "dphi" => tests.push(|q| q.has_delta(Delta::Phi)),
                "dr" => tests.push(|q| q.has_delta(Delta::R)),
                "deta" => tests.push(|q| q.has_delta(Delta::Eta)),
                "two" if self.w(k + 1) == "mts" => {
                    two_mts = true;
                    k += 1;
                    tests.push(|q| matches!(q, Quantity::Bin(_, a, b) if matches!(**a, Quantity::Mt(_)) && matches!(**b, Quantity::Mt(_))));
                }
                _ => break,
            }
            k += 1;
        }
        let k = if two_mts {
            k
        } else {
            self.eat_any(k, &["above", "before", "earlier"])?
        };
        if tests.is_empty() {
            return None;
        }
        let q = self
            .ctx
            .said
            .iter()
            .rev()
            .find(|q| tests.iter().all(|t| t(q)))?;
        Some((q.clone(), k))
    }

    /// `m_Z`, `m_Z1`, `m_W` where a quantity is expected: the mass of the candidate of that
    /// name (the Z candidate by default); as a number, the reader takes the PDG mass instead.
    fn cand_mass(&self, j: usize) -> R<Quantity> {
        let name = match self.w(j) {
            "m_z" | "mz" | "m_z0" => "z",
            "m_z1" => "z1",
            "m_z2" => "z2",
            "m_w" => "w",
            "m_top" => "top",
            _ => "h",
        };
        let sys = match self.ctx.lookup(name) {
            Some(Def::S(s)) => s.clone(),
            _ if name == "z" || name == "z1" => Sys::Cand(
                self.ctx
                    .cand
                    .unwrap_or(super::objects::z_cand(Kind::Lepton)),
            ),
            _ => return None,
        };
        Some((Quantity::Prop(Prop::Mass, sys), j + 1))
    }

    /// "of the selected jets" after HT.
    fn of_selected_jets(&self, i: usize) -> usize {
        let j = self.skip_of(i, &["of", "the", "selected", "all"]);
        if self.is(j, &["jets"]) && j > i {
            j + 1
        } else {
            i
        }
    }

    /// A function applied to arguments: `sqrt(HT)`, `√HT`, `min(a, b)`, "the natural
    /// logarithm of m_eff".
    fn func(&self, i: usize, f: Func, subj: Option<&Sys>) -> R<Quantity> {
        let inner = P {
            formula: self.formula || self.w(i) == "(",
            ..*self
        };
        if self.w(i) == "(" && self.glued(i) || self.w(i) == "(" && f.arity() == 1 {
            let (a, mut j) = inner.expr(i + 1, subj)?;
            let mut args = vec![a];
            while self.w(j) == "," {
                let (b, e) = inner.expr(j + 1, subj)?;
                args.push(b);
                j = e;
            }
            let j = self.eat(j, ")")?;
            // min(a, b, c) = min(a, min(b, c)).
            if f.arity() == 2 && args.len() > 2 {
                let mut it = args.into_iter().rev();
                let last = it.next()?;
                let q = it.fold(last, |acc, a| Quantity::Func(f, vec![a, acc]));
                return Some((q, j));
            }
            return (args.len() == f.arity()).then_some((Quantity::Func(f, args), j));
        }
        if f.arity() != 1 {
            return None;
        }
        let j = self.opt(i, "of");
        let (a, e) = self.factor(j, subj)?;
        Some((Quantity::Func(f, vec![a]), e))
    }

    /// After `|`: `|η|` of something, `|Δη_jj|`, `|m - 91.19|`.
    fn abs(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        // "|Δη| between the two electrons".
        if self.is(i, &["dr", "dphi", "deta"]) && self.w(i + 1) == "|" {
            let d = match self.w(i) {
                "dr" => Delta::R,
                "dphi" => Delta::Phi,
                _ => Delta::Eta,
            };
            let (a, b, e) = self.pair_args(i + 2, subj)?;
            return Some((Quantity::Delta(d, a, b), e));
        }
        // "|pz| of the leading jet", "|η|(j1)".
        if let Some(p) = prop_word(self.w(i)).filter(|_| self.w(i + 1) == "|") {
            if let Some((s, e)) = self.of_sys(i + 2) {
                let q = match p {
                    Prop::Eta => Quantity::Prop(Prop::AbsEta, s),
                    p => Quantity::Func(Func::Abs, vec![Quantity::Prop(p, s)]),
                };
                return Some((q, e));
            }
        }
        let (q, j) = self.expr(i, subj).or_else(|| {
            // "|η|" alone is about the subject.
            let p = prop_word(self.w(i))?;
            let s = subj?.clone();
            Some((Quantity::Prop(p, s), i + 1))
        })?;
        let j = self.eat(j, "|")?;
        let q = match q {
            Quantity::Prop(Prop::Eta, s) => Quantity::Prop(Prop::AbsEta, s),
            d @ Quantity::Delta(..) => d,
            q => Quantity::Func(Func::Abs, vec![q]),
        };
        // "|η| of the leading jet", "|η|(j1)".
        if let Quantity::Prop(Prop::AbsEta, _) = &q {
            if let Some((s, e)) = self.of_sys(j) {
                return Some((Quantity::Prop(Prop::AbsEta, s), e));
            }
        }
        Some((q, j))
    }

    /// "its pT", "their invariant mass": a property of the focus.
    fn possessive(&self, i: usize, single: bool) -> R<Quantity> {
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
    fn of_sys(&self, i: usize) -> R<Sys> {
        if self.w(i) == "(" && self.glued(i) {
            let (s, e) = self.sys(i + 1, true)?;
            return Some((s, self.eat(e, ")")?));
        }
        if self.w(i) == "of" {
            return self.sys(i + 1, true);
        }
        None
    }

    /// "pT of the leading jet", `pT(j1)`, "the invariant mass of the two leading jets",
    /// "pT" of the subject.
    fn prop_of(&self, j: usize, subj: Option<&Sys>) -> R<Quantity> {
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
            // "the pT of both muons" is each muon's pT, a list of two (read by the output
            // and condition readers), not the pT of their sum.
            let each = self.w(k) == "of"
                && self.is(self.skip_of(k + 1, &["the"]), &["both", "each", "all"]);
            if each && p != Prop::Mass {
                return None;
            }
            // "the invariant mass of the leading photon with the two leading jets".
            if p == Prop::Mass && self.w(k) == "of" && self.w(e) == "with" {
                if let Some((s2, e2)) = self.sys(self.skip_of(e + 1, &["the"]), true) {
                    return Some((Quantity::Prop(p, super::objects::sum(vec![s, s2])), e2));
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
            return Some((Quantity::Prop(p, s), e));
        }
        // "pT, |η| and φ of the leading jet" are handled by the list readers; here the
        // property stands alone and is about the subject, or a bare mass is the mass of the
        // objects the text is speaking of ("the visible mass").
        let s = match subj {
            Some(s) => s.clone(),
            None if p == Prop::Mass => self.focus_pair()?,
            None => return None,
        };
        Some((Quantity::Prop(p, s), k))
    }

    /// Whether tokens `i..e` all come from one word of the text (`m_jj` → `m ( j1 + j2 )`).
    pub(super) fn one_word_at(&self, i: usize, e: usize) -> bool {
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
        super::objects::sum(out)
    }

    /// "the leading jet pT", "the dimuon mass", "the Z candidate mass", "MET φ".
    fn sys_prop(&self, j: usize) -> R<Quantity> {
        let (s, e) = self.sys(j, false)?;
        let e = self.skip_of(e, &["'s", "s"]);
        let p = prop_word(self.w(e))?;
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
    fn count(&self, i: usize) -> R<Quantity> {
        let paren = self.w(i) == "(";
        let j = self.skip_of(i, &["(", "of", "the", "selected", "reconstructed"]);
        let ((kind, _), mut e) = self.kind(j)?;
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
    fn mt(&self, i: usize) -> R<Quantity> {
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
    fn delta(&self, j: usize, subj: Option<&Sys>) -> R<Quantity> {
        let d = match self.w(j) {
            "dr" => Delta::R,
            "dphi" => Delta::Phi,
            _ => Delta::Eta,
        };
        let (a, b, e) = self.pair_args(j + 1, subj)?;
        Some((Quantity::Delta(d, a, b), e))
    }

    /// Two systems for a separation.
    pub fn pair_args(&self, i: usize, subj: Option<&Sys>) -> Option<(Sys, Sys, usize)> {
        let each = self.each_word(i);
        let p = if each.is_some() {
            self.with_each(each)
        } else {
            *self
        };
        if self.w(i) == "(" {
            let (a, e) = p.sys_each(i + 1)?;
            if self.w(e) == "," {
                let (b, e) = p.sys_each(p.skip_of(e + 1, &["any", "each", "every", "all"]))?;
                return Some((a, b, self.eat(e, ")")?));
            }
            let e = self.eat(e, ")")?;
            let (a, b) = split_pair(a)?;
            return Some((a, b, e));
        }
        if let Some(k) = self.eat_any(i, &["between", "of", "to", "from", "with"]) {
            let k = self.skip_of(k, &["any", "each", "every", "all", "the"]);
            let each = self.each_word(k).or(each);
            let p = self.with_each(each.or(self.each));
            if let Some((a, e)) = p.sys_each(k) {
                // "Δφ between the two leptons, the MET, ...": a plural group is the pair
                // itself; "between the ee system and the leading jet" names two systems.
                let group = split_pair(a.clone()).is_some()
                    && !(k..e).any(|m| {
                        self.is(
                            m,
                            &[
                                "system",
                                "pair",
                                "candidate",
                                "boson",
                                "leptonic",
                                "hadronic",
                                "dijet",
                                "dilepton",
                                "diphoton",
                                "dimuon",
                                "dielectron",
                                "(",
                            ],
                        )
                    });
                let sep: &[&str] = if group {
                    &[]
                } else {
                    &["and", ",", "with", "to", "from"]
                };
                if let Some(k2) = self.eat_any(e, sep) {
                    let k2 = self.skip_of(k2, &["any", "each", "every", "all", "of"]);
                    let p2 = self.with_each(self.each_word(k2).or(p.each));
                    if let Some((b, e2)) = p2.sys_each(k2) {
                        return Some((a, b, e2));
                    }
                }
                if let Some(s) = subj {
                    return Some((s.clone(), a, e));
                }
                if let Some((x, y)) = split_pair(a) {
                    return Some((x, y, e));
                }
            }
        }
        // "ΔR" alone after "separated by": between the two members of the subject, or of the
        // pair the text is speaking of.
        let s = match subj {
            Some(s) => s.clone(),
            None => self.focus_pair()?,
        };
        let (a, b) = split_pair(s)?;
        Some((a, b, i))
    }

    /// The pair the text is speaking of: "the two leading jets", "the electron and the muon".
    pub fn focus_pair(&self) -> Option<Sys> {
        let f = self.ctx.focus.as_ref()?;
        if let Some(s) = &f.sys {
            if split_pair(s.clone()).is_some() {
                return Some(s.clone());
            }
        }
        if f.n == Some(2) {
            return Some(first_n(f.kind, 2));
        }
        self.ctx.recent_pair()
    }

    /// "any selected jet", "every jet", "the jets" inside a quantifier: the kind they range
    /// over.
    fn each_word(&self, i: usize) -> Option<Kind> {
        let j = self.skip_of(i, &["between", "of", "to", "from", "with", "("]);
        if !self.is(j, &["any", "each", "every", "all"]) {
            return None;
        }
        let k = self.skip_of(j + 1, &["of", "the", "selected", "other"]);
        let ((kind, _), _) = self.kind(k)?;
        (kind != Kind::Met).then_some(kind)
    }

    /// A system where the quantifier's kind (plural or singular) means each object.
    fn sys_each(&self, i: usize) -> R<Sys> {
        if let Some(each) = self.each {
            let j = self.skip_of(i, &["the", "selected", "of"]);
            if let Some(((kind, _), e)) = self.kind(j) {
                if kind == each || kind.base() == each {
                    return Some((Sys::Each(kind), e));
                }
            }
        }
        self.sys(i, false)
    }

    /// After "minimum"/"maximum": a reduction over objects ("the minimum Δφ between any jet
    /// and the MET", "the maximum of |η| over the three leading jets", "min Δφ(j, MET)",
    /// "the smaller of its two ΔR with the leptons"), or `min(a, b)`.
    fn reduce(&self, i: usize, r: Reduce, subj: Option<&Sys>) -> R<Quantity> {
        let f = if r == Reduce::Min {
            Func::Min
        } else {
            Func::Max
        };
        if self.w(i) == "(" {
            if let Some(x) = self.func(i, f, subj) {
                return Some(x);
            }
        }
        let j = self.skip_of(i, &["of", "the", "value", "two", "its"]);
        // "the smaller of its two ΔR with the leptons": the focus is one end of each ΔR.
        let its = (i..j)
            .any(|m| self.w(m) == "its")
            .then(|| self.ctx.focus.as_ref().and_then(|f| f.sys.clone()))
            .flatten();
        let subj = its.as_ref().or(subj);
        // "over the three leading jets" after the quantity decides the objects.
        for kind in [
            Kind::Jet,
            Kind::Lepton,
            Kind::Photon,
            Kind::Electron,
            Kind::Muon,
            Kind::Tau,
            Kind::BJet,
        ] {
            let p = self.with_each(Some(kind));
            let each = Sys::Each(kind);
            let first = if its.is_some() {
                p.expr(j, subj)
            } else {
                p.expr(j, Some(&each))
            };
            let Some((q, e)) = first.or_else(|| p.expr(j, subj)) else {
                continue;
            };
            let (first, e) = match self.over(e, kind) {
                Some(x) => x,
                None if mentions_each(&q, kind) => (None, e),
                None => continue,
            };
            if !mentions_each(&q, kind) {
                continue;
            }
            return Some((
                Quantity::Reduce {
                    reduce: r,
                    kind,
                    first,
                    of: Box::new(q),
                },
                e,
            ));
        }
        // "the smaller of X and Y".
        let (a, e) = self.expr(j, subj)?;
        let e = self.eat_any(e, &["and", ","])?;
        let (b, e) = self.expr(e, subj)?;
        Some((Quantity::Func(f, vec![a, b]), e))
    }

    /// "over the three leading jets", "over all of them", "taken over all jets": which
    /// objects a reduction ranges over (`None` = all of them).
    pub fn over(&self, i: usize, kind: Kind) -> R<Option<usize>> {
        let j = self.skip_of(i, &[",", "taken", "computed"]);
        let j = self.eat_any(j, &["over", "among", "for", "of", "in", "with"])?;
        let j = self.skip_of(j, &["all", "of", "the", "any", "every", "each", "selected"]);
        if self.is(j, &["them", "these", "those"]) {
            return Some((None, j + 1));
        }
        if let Some((n, e)) = self.int(j) {
            let e = self.skip_of(e, &["leading", "hardest", "selected"]);
            let ((k, _), e) = self.kind(e)?;
            return (k == kind).then_some((Some(n), e));
        }
        let j = self.skip_of(j, &["leading", "selected"]);
        let ((k, _), e) = self.kind(j)?;
        (k == kind).then_some((None, e))
    }

    /// "the scalar sum of the pT of the selected jets (and of both leptons)", "Σ pT of the
    /// jets", "the sum of X and Y".
    fn scalar_sum(&self, j: usize) -> R<Quantity> {
        let mut k = self.skip_of(
            j,
            &[
                "scalar",
                "sum",
                "σ",
                "of",
                "the",
                "pt",
                "transverse",
                "momenta",
                "momentum",
            ],
        );
        let mut parts: Vec<Quantity> = Vec::new();
        loop {
            let kk = self.skip_of(
                k,
                &[
                    "of",
                    "the",
                    "pt",
                    "all",
                    "scalar",
                    "sum",
                    "transverse",
                    "momenta",
                    "momentum",
                    "selected",
                ],
            );
            // "the selected jets", "the jet pT": the collection.
            let mut collection = self.kind(kk).filter(|((_, p), e)| {
                *p == Some(true) || self.is(*e, &["pt", "momenta", "momentum"])
            });
            // "the scalar sum of their transverse momenta", after "jets with ...".
            if let (None, "their", Some(f)) = (&collection, self.w(kk), &self.ctx.focus) {
                if f.sys.is_none() && f.n.is_none_or(|n| n > 1) {
                    collection = Some(((f.kind, Some(true)), self.skip_of(kk + 1, &["pt"])));
                }
            }
            let (q, e) = if let Some(((kind, _), e)) = collection {
                let q = if kind == Kind::Jet {
                    Quantity::Ht
                } else {
                    pt_sum(Sys::All(kind))
                };
                (q, self.skip_of(e, &["pt"]))
            } else if let Some((s, e)) = self.sys(kk, false) {
                (pt_sum(s), e)
            } else {
                break;
            };
            parts.push(q);
            k = e;
            let after = |n: usize| {
                self.skip_of(
                    n,
                    &[
                        "of", "the", "both", "all", "scalar", "pt", "sum", "selected",
                    ],
                )
            };
            match self.eat_any(k, &["and", ",", "+", "plus"]) {
                Some(n) if self.kind(after(n)).is_some() || self.sys(after(n), false).is_some() => {
                    k = n
                }
                _ => break,
            }
        }
        if parts.is_empty() || k <= j + 1 {
            return self
                .binary_words(self.skip_of(j + 1, &["of"]), Op::Add, None)
                .filter(|_| self.w(j) == "sum");
        }
        let mut it = parts.into_iter();
        let first = it.next()?;
        Some((
            it.fold(first, |a, b| {
                Quantity::Bin(Op::Add, Box::new(a), Box::new(b))
            }),
            k,
        ))
    }

    /// "the ratio of X to Y", "the ratio X/Y".
    fn ratio(&self, i: usize, subj: Option<&Sys>) -> R<Quantity> {
        // "the ratio of the subleading to the leading electron pT".
        if let Some(j) = self.eat(i, "of") {
            let j2 = self.opt(j, "the");
            if let Some(index) = crate::lexicon::ordinal(self.w(j2)) {
                let k = self.opt(j2 + 1, "one");
                if let Some(k) = self.eat(k, "to") {
                    if let Some((Quantity::Prop(p, Sys::Obj(o)), e)) = self.expr(k, subj) {
                        let a = Quantity::Prop(
                            p,
                            Sys::Obj(ObjRef {
                                kind: o.kind,
                                index,
                            }),
                        );
                        let b = Quantity::Prop(p, Sys::Obj(o));
                        return Some((Quantity::Bin(Op::Div, Box::new(a), Box::new(b)), e));
                    }
                }
            }
        }
        if let Some(j) = self.eat_any(i, &["of", "between"]) {
            let (a, e) = self.expr(j, subj)?;
            let e = self.eat_any(e, &["to", "and", "over", "/"])?;
            let (b, e) = self.expr(e, subj)?;
            return Some((Quantity::Bin(Op::Div, Box::new(a), Box::new(b)), e));
        }
        let (q, e) = self.expr(i, subj)?;
        matches!(q, Quantity::Bin(Op::Div, ..)).then_some((q, e))
    }

    /// "of the pT of the two-b-jet system to its mass": a ratio in words, "its" being the
    /// first quantity's system.
    pub(super) fn expr_words_ratio(&self, i: usize) -> R<Quantity> {
        let j = self.eat(i, "of")?;
        let (a, k) = self.expr(j, None)?;
        let k = self.eat(k, "to")?;
        let (b, e) = match (&a, self.w(k)) {
            (Quantity::Prop(_, s), "its") => {
                (Quantity::Prop(prop_word(self.w(k + 1))?, s.clone()), k + 2)
            }
            _ => self.expr(k, None)?,
        };
        Some((Quantity::Bin(Op::Div, Box::new(a), Box::new(b)), e))
    }

    /// "the product of X and Y", "the difference between X and Y", "the sum of X and Y".
    fn binary_words(&self, i: usize, op: Op, subj: Option<&Sys>) -> R<Quantity> {
        let j = self.skip_of(i, &["of", "between"]);
        let (a, e) = self.expr(j, subj)?;
        let e = self.eat_any(e, &["and", ","])?;
        let (b, e) = self.expr(self.skip_of(e, &["of"]), subj)?;
        Some((Quantity::Bin(op, Box::new(a), Box::new(b)), e))
    }
}

/// The scalar pT sum of a system's parts.
fn pt_sum(s: Sys) -> Quantity {
    match s {
        Sys::All(kind) => Quantity::Reduce {
            reduce: Reduce::Sum,
            kind,
            first: None,
            of: Box::new(Quantity::Prop(Prop::Pt, Sys::Each(kind))),
        },
        Sys::Sum(v) => {
            let mut it = v.into_iter().map(pt_sum);
            let first = it.next().unwrap_or(Quantity::Num(0.0));
            it.fold(first, |a, b| {
                Quantity::Bin(Op::Add, Box::new(a), Box::new(b))
            })
        }
        s => Quantity::Prop(Prop::Pt, s),
    }
}

/// A two-object system as its two members.
pub fn split_pair(s: Sys) -> Option<(Sys, Sys)> {
    match s {
        Sys::Sum(v) if v.len() == 2 => {
            let mut it = v.into_iter();
            Some((it.next()?, it.next()?))
        }
        Sys::Cand(c) => Some((Sys::Leg(c, 0), Sys::Leg(c, 1))),
        _ => None,
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

/// Whether a quantity speaks of each object of a kind.
pub fn mentions_each(q: &Quantity, kind: Kind) -> bool {
    let sys = |s: &Sys| match s {
        Sys::Each(k) => *k == kind || k.base() == kind,
        Sys::Sum(v) => v.iter().any(|p| matches!(p, Sys::Each(k) if *k == kind)),
        _ => false,
    };
    match q {
        Quantity::Prop(_, s) | Quantity::Mt(s) => sys(s),
        Quantity::Delta(_, a, b) => sys(a) || sys(b),
        Quantity::Bin(_, a, b) => mentions_each(a, kind) || mentions_each(b, kind),
        Quantity::Func(_, v) => v.iter().any(|a| mentions_each(a, kind)),
        _ => false,
    }
}
