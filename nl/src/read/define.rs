//! Definitions and candidates: "A = (pT(j1) − pT(j2))/(pT(j1) + pT(j2))", "we define m_eff
//! as HT + MET", "where HT is the scalar pT sum of those jets", "the Z candidate is the SFOS
//! pair closest to the Z mass", "Z1 = SFOS ℓℓ closest to mZ", "ℓ_W = the ℓ not in the Z
//! pair", "the remaining two leptons form Z2", "adding the leading b-jet to the W candidate
//! gives the top candidate"; and overlap removal ("discard jets within ΔR < 0.4 of any
//! selected electron").

use crate::ir::{Kind, Quantity, Stmt, Sys};
use crate::lexicon::{kind_word, prop_word, quantity_word};

use super::base::{P, R};
use super::ctx::{Def, Focus};
use super::objects::sum;
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
        let mut j = self.skip_of(
            i,
            &[
                ",", "we", "define", "let", "where", "with", "and", "then", "the",
            ],
        );
        let defining = j > i && self.is_any_before(i, j, &["define", "where", "let", "with"])
            || (self.w(i) == "and" && (0..i).any(|k| self.w(k) == "where"));
        // "Visible mass m_vis = m(μ, τ)": words naming the quantity before its symbol.
        if let Some(eq) = (j + 1..(j + 4).min(self.toks.len())).find(|&k| self.w(k) == "=") {
            let label = (j..eq - 1).all(|k| {
                !self.is(k, &[",", ";", "(", ")"])
                    && self.toks.get(k).is_some_and(|t| t.num.is_none())
            });
            let whole = self.def_name(j).is_some_and(|(_, e)| e == eq);
            if label && !whole && eq > j + 1 && self.def_name(eq - 1).is_some_and(|(_, e)| e == eq)
            {
                j = eq - 1;
            }
        }
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
        let mut r = match def {
            Defined::Q(q) => {
                let mut stmts = vec![Stmt::Define {
                    name: name.clone(),
                    q: q.clone(),
                }];
                let mut end = e;
                // "m_vis = m(τ1,τ2) ∈ [40,150]", "m_eff = HT + MET > 800", "z_3 = ...,
                // below 0.7".
                let after = self.skip_of(self.opt(e, ","), &["which", "that"]);
                if let Some(((cmp, _), e2)) = self.cmp(after) {
                    stmts.push(Stmt::Cut(crate::ir::Cut::Value { q, cmp }));
                    end = e2;
                }
                Reading::new(stmts, end)
            }
            Defined::S(s) => {
                let mut r = Reading::new(
                    vec![Stmt::Name {
                        name: name.clone(),
                        sys: s.clone(),
                    }],
                    e,
                );
                r.names.push((name.clone(), Def::S(s.clone())));
                r.focus = focus_of(&s);
                r
            }
        };
        r.defines = true;
        Some(r)
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
                        && !crate::lexicon::OUTPUT_VERBS.contains(w)
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

    /// Candidates in words: "the Z candidate is the SFOS pair ...", "we build the Z
    /// candidate as the ...", "the two leading jets form the hadronic W", "the W candidate is
    /// formed from the two leading light jets", "adding the leading b-jet to the W candidate
    /// gives the top candidate".
    pub fn candidate_def(&self, i: usize) -> Option<Reading> {
        if let Some(r) = self.formed_from(i) {
            return Some(r);
        }
        if let Some(r) = self.assigned(i) {
            return Some(r);
        }
        if let Some(r) = self.forms(i) {
            return Some(r);
        }
        if let Some(r) = self.is_the(i) {
            return Some(r);
        }
        self.adding(i)
    }

    /// "The lepton not in the Z candidate is the W lepton": an object given a name, which
    /// later text uses.
    fn is_the(&self, i: usize) -> Option<Reading> {
        let (sys, k) = self.obj(self.skip_of(i, &["the"]))?;
        if !matches!(sys, Sys::Rest(..) | Sys::Leg(..)) {
            return None;
        }
        let k = self.eat(self.eat_any(k, &["is", "are"])?, "the")?;
        let (named, e) = self.obj(k)?;
        if named != sys {
            return None;
        }
        let name: Vec<&str> = (k..e).map(|m| self.w(m)).collect();
        let name = name.join(" ");
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
        Some(r)
    }

    /// "NAME (candidate) is (formed|built|made) from SYS", "we build NAME as CAND", "NAME from
    /// SYS" (after "and" in a list of such definitions).
    fn formed_from(&self, i: usize) -> Option<Reading> {
        let j = self.skip_of(
            i,
            &[
                "we",
                "build",
                "construct",
                "form",
                "then",
                "and",
                "the",
                "among",
                "them",
                "first",
                "second",
                "leading",
            ],
        );
        let (name, k) = self.cand_name(j)?;
        let mut k = self.skip_of(k, &["candidate", "candidates"]);
        // "the first Z candidate, Z1, is ...": a second name in apposition.
        let mut alias = None;
        if self.w(k) == "," {
            if let Some((a, e)) = self.cand_name(k + 1) {
                if self.w(e) == "," {
                    alias = Some(a);
                    k = e + 1;
                }
            }
        }
        let k = self.skip_of(
            k,
            &[
                "candidate",
                "candidates",
                "is",
                "are",
                "as",
                "formed",
                "built",
                "made",
                "constructed",
                "reconstructed",
                "taken",
                "defined",
                "the",
            ],
        );
        let from = self.is(k, &["from", "of", "by"]);
        let k = if from {
            k + 1
        } else if k > j + 1 {
            k
        } else {
            return None;
        };
        let k = self.skip_of(k, &["the", "combining", "adding"]);
        // "... from the three leading jets, and the hadronic W candidate from ...": the list
        // ends where the next definition starts.
        let stop = (k..self.toks.len())
            .find(|&m| self.w(m) == "," && self.w(m + 1) == "and")
            .unwrap_or(self.toks.len());
        let head = P {
            toks: &self.toks[..stop],
            ..*self
        };
        let (sys, e) = match head.closest_pair(k) {
            Some((c, e)) => (Sys::Cand(c), e),
            None => head.sys(k, true)?,
        };
        // "the Z candidate is the W lepton" is not a definition of the Z.
        if !from && matches!(sys, Sys::Obj(_) | Sys::Rest(..) | Sys::Leg(..)) {
            return None;
        }
        let mut r = self.bind(name, sys.clone(), e);
        if let Some(a) = alias {
            r.names.push((a.clone(), Def::S(sys.clone())));
            r.stmts.push(Stmt::Name { name: a, sys });
        }
        Some(r)
    }

    /// "The remaining lepton ... is assigned to the W decay": an object given a role.
    fn assigned(&self, i: usize) -> Option<Reading> {
        let (sys, k) = self.sys(self.skip_of(i, &["the"]), false)?;
        let k = self.skip_of(k, &[","]);
        let k = self.skip_of(k, &["is", "are"]);
        let k = self.eat_any(
            k,
            &[
                "assigned",
                "attributed",
                "associated",
                "taken",
                "called",
                "identified",
                "used",
                "chosen",
                "labelled",
                "referred",
            ],
        )?;
        let k = self.skip_of(k, &["to", "as", "with", "the"]);
        // "The two leading jets are taken as the tagging jets": a group named.
        if let Some((name, e)) = self.group_name(k) {
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
            return Some(r);
        }
        let (name, e) = self.cand_name(k)?;
        let e = self.skip_of(e, &["decay", "candidate", "boson", "lepton", "side"]);
        Some(self.bind(name, sys, e))
    }

    /// "tagging jets", "signal leptons": a word of the text's own before a plural kind word,
    /// which names a group as a whole (the kind word alone keeps its meaning).
    fn group_name(&self, k: usize) -> R<String> {
        let w = self.w(k);
        let own = !w.is_empty()
            && w.chars().all(char::is_alphabetic)
            && kind_word(w).is_none()
            && crate::lexicon::ordinal(w).is_none()
            && !crate::lexicon::FILLER.contains(&w)
            && prop_word(w).is_none();
        let plural = kind_word(self.w(k + 1)).is_some_and(|(_, p)| p == Some(true));
        (own && plural).then(|| (format!("{} {}", w, self.w(k + 1)), k + 2))
    }

    /// "SYS form(s) NAME": "the remaining two leptons form Z2".
    fn forms(&self, i: usize) -> Option<Reading> {
        let (sys, k) = self.sys(self.skip_of(i, &["the"]), true)?;
        let k = self.eat_any(
            k,
            &[
                "form",
                "forms",
                "make",
                "makes",
                "give",
                "gives",
                "constitute",
                "define",
                "defines",
            ],
        )?;
        let k = self.skip_of(k, &["the", "a", "an"]);
        let (name, e) = self.cand_name(k)?;
        let e = self.skip_of(e, &["candidate", "system", "boson"]);
        Some(self.bind(name, sys, e))
    }

    /// "adding X to Y gives NAME".
    fn adding(&self, i: usize) -> Option<Reading> {
        let j = self.eat_any(i, &["adding", "add", "combining"])?;
        let (a, k) = self.sys(j, false)?;
        let k = self.eat_any(k, &["to", "with"])?;
        let (b, k) = self.sys(k, false)?;
        let k = self.skip_of(
            k,
            &[
                "gives", "give", "yields", "forms", "makes", "the", "a", "an",
            ],
        );
        let (name, e) = self.cand_name(k)?;
        let e = self.skip_of(e, &["candidate", "system"]);
        Some(self.bind(name, sum(vec![b, a]), e))
    }

    /// A candidate's name: "Z", "Z1", "hadronic W", "top", "diphoton", "hadronic top".
    fn cand_name(&self, j: usize) -> R<String> {
        let mut k = j;
        let mut words = Vec::new();
        while words.len() < 3 {
            let w = self.w(k);
            let known = matches!(
                w,
                "z" | "z1"
                    | "z2"
                    | "w"
                    | "top"
                    | "t"
                    | "higgs"
                    | "h"
                    | "diphoton"
                    | "dijet"
                    | "dilepton"
                    | "hadronic"
                    | "leptonic"
                    | "visible"
            );
            if !known {
                break;
            }
            words.push(w);
            k += 1;
        }
        if words.is_empty()
            || matches!(
                words.last(),
                Some(&"hadronic") | Some(&"leptonic") | Some(&"visible")
            )
        {
            return None;
        }
        if !self.is(
            k,
            &[
                "candidate",
                "candidates",
                "is",
                "are",
                "from",
                "system",
                "as",
                "boson",
                ",",
                ":",
                "=",
                ".",
                "",
                "decay",
                "lepton",
                "side",
            ],
        ) && !self.end(k)
        {
            return None;
        }
        Some((words.join(" "), k))
    }

    /// Binds a candidate name (and its last word alone: "the hadronic W" is also "the W").
    /// "... must exist" makes the candidate a requirement.
    fn bind(&self, name: String, sys: Sys, e: usize) -> Reading {
        let mut stmts = vec![Stmt::Name {
            name: name.clone(),
            sys: sys.clone(),
        }];
        let mut e = e;
        if let Sys::Cand(c) = &sys {
            let k = self.skip_of(e, &["must", "should", "is", "be", "required", "to", "has"]);
            if self.is(k, &["exist", "exists", "present", "found"]) && k > e {
                let rel = c.rel.unwrap_or(crate::ir::PairRel::Os);
                stmts.push(Stmt::Cut(crate::ir::Cut::Count {
                    target: crate::ir::Target::Pairs { kind: c.kind, rel },
                    cmp: crate::ir::CountCmp::AtLeast(1),
                }));
                e = k + 1;
            }
        }
        let mut r = Reading::new(stmts, e);
        if let Some(last) = name.rsplit(' ').next().filter(|l| *l != name) {
            r.names.push((last.to_owned(), Def::S(sys.clone())));
        }
        r.names.push((name, Def::S(sys.clone())));
        r.focus = focus_of(&sys);
        r.defines = true;
        r
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

    /// Overlap removal: "remove jets within ΔR < 0.4 of electrons", "jets within ΔR < 0.4
    /// of a selected lepton are discarded", "drop j w/ ΔR(j,γ)<0.4", "jets are kept only if
    /// they lie farther than ΔR = 0.4 from every selected photon", "after discarding those
    /// within ΔR < 0.5 of either muon", "Jets overlapping with photons (ΔR < 0.4) are
    /// removed".
    pub fn overlap(&self, i: usize) -> Option<Reading> {
        let mut kinds: Vec<(Kind, Option<usize>)> = Vec::new();
        let mut dr = None;
        let mut verb = false;
        let mut keep = false;
        let mut j = i;
        while !self.end(j) {
            let w = self.w(j);
            if let Some((k, e)) = self.overlap_object(j) {
                kinds.push(k);
                j = e;
                continue;
            }
            match w {
                "dr" => {
                    let mut k = j + 1;
                    // "ΔR(j, γ) < 0.4" names both kinds.
                    if self.w(k) == "(" {
                        let (a, e) = self.overlap_object(k + 1)?;
                        let e = self.eat(e, ",")?;
                        let (b, e) = self.overlap_object(e)?;
                        k = self.eat(e, ")")?;
                        kinds = vec![a, b];
                    }
                    let (d, e) = self.overlap_radius(k)?;
                    dr = Some(d);
                    j = e;
                    continue;
                }
                "remove" | "removed" | "removing" | "discard" | "discarded" | "discarding"
                | "drop" | "dropped" | "dropping" | "clean" | "cleaned" | "overlap"
                | "overlapping" | "removal" | "reject" | "rejected" | "exclude" | "excluded" => {
                    verb = true
                }
                "kept" | "keep" | "retained" | "retain" | "farther" | "further" => keep = true,
                "within" | "of" | "with" | "w/" | "close" | "closer" | "than" | "near" | "if"
                | "they" | "lie" | "lies" | "from" | "that" | "which" | "to" | "against" | "<"
                | "any" | "a" | "an" | "the" | "are" | "is" | "be" | "all" | "after" | "only"
                | "either" | "every" | "each" | "selected" | ":" | "(" | ")" | "=" | "and"
                | "jet" | "must" | "also" | "by" | "then" | "for" | "in" | "lying" | "located"
                | "found" | "falling" | "at" | "distance" | "ones" => {}
                _ => break,
            }
            j += 1;
        }
        let dr = dr?;
        // "... is removed before anything else is done with the taus".
        if self.is(j, &["before", "first"]) {
            let k = self.skip_of(
                j,
                &[
                    "before", "first", "anything", "else", "is", "done", "with", "the", "any",
                    "other", "step",
                ],
            );
            let removed = kinds.first().map(|(k, _)| *k);
            match self.kind(k) {
                Some(((kd, _), e)) if Some(kd) == removed => j = e,
                _ if self.end(k) && k > j + 1 => j = k,
                _ => {}
            }
        }
        // "Jets ... are kept only if they lie farther than ΔR = 0.4 from every photon": the
        // removed kind was named before.
        if kinds.len() == 1 && keep {
            if let Some(f) = self.ctx.focus.as_ref() {
                kinds.insert(0, (f.kind, None));
            }
        }
        if !(verb || keep) || kinds.len() != 2 {
            return None;
        }
        let (remove, _) = kinds[0];
        let (near, first) = kinds[1];
        if remove == Kind::Met || near == Kind::Met {
            return None;
        }
        let mut r = Reading::new(
            vec![Stmt::Overlap {
                remove,
                near,
                first,
                dr,
            }],
            j,
        );
        r.focus = Some(Focus {
            kind: remove,
            n: None,
            sys: None,
        });
        Some(r)
    }

    /// An object in an overlap phrase: a kind, "those" (the focus), "the leading lepton",
    /// or the `(j, γ)` of `ΔR(j, γ)`.
    fn overlap_object(&self, j: usize) -> R<(Kind, Option<usize>)> {
        if self.is(j, &["those", "them", "they"]) {
            return Some(((self.ctx.focus.as_ref()?.kind, None), j + 1));
        }
        // "a selected electron or muon": leptons.
        if let Some((ks, e)) = self.kinds(j) {
            if ks.kinds == [Kind::Lepton] && e > j + 1 {
                return Some(((Kind::Lepton, None), e));
            }
        }
        if let Some(index) = crate::lexicon::ordinal(self.w(j)) {
            if index == 0 {
                let ((kind, _), e) = self.kind(j + 1)?;
                return Some(((kind, Some(1)), e));
            }
            return None;
        }
        if let Some((k, 0)) = crate::lexicon::symbol(self.w(j)) {
            return Some(((k, None), j + 1));
        }
        let ((kind, _), e) = self.kind(j)?;
        Some(((kind, None), e))
    }

    /// After "ΔR": "< 0.4", "= 0.4", "of 0.4".
    fn overlap_radius(&self, j: usize) -> R<f64> {
        // The comparison is written: "ΔR < 0.4", "ΔR = 0.4", "a ΔR of 0.4".
        if !self.is(j, &["<", "=", "of", "<=", ">", ">="]) {
            return None;
        }
        let k = self.skip_of(j, &["<", "=", "of", "<=", ">", ">="]);
        let ((v, unit), e) = self.value(k)?;
        (!unit && v > 0.0).then_some((v, e))
    }
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
