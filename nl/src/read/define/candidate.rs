//! Candidates in words: "the Z candidate is the SFOS pair closest to the Z mass", "Z1 =
//! SFOS ℓℓ closest to mZ", "the remaining two leptons form Z2", "adding the leading b-jet
//! to the W candidate gives the top candidate"; and the names they bind.

use crate::ir::{Stmt, Sys};
use crate::lexicon::{kind_word, prop_word};
use crate::read::base::{P, R};
use crate::read::ctx::Def;
use crate::read::objects::sum;
use crate::read::Reading;

use super::{focus_of, named};

/// Words before a candidate built in words: "we build", "then the first".
const BUILD_LEAD: &[&str] = &[
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
];

/// Words between a candidate's name and what it is formed from: "is built", "are
/// reconstructed".
const FORMED: &[&str] = &[
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
];

impl P<'_> {
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
        let (said, e) = self.obj(k)?;
        if said != sys {
            return None;
        }
        let name: Vec<&str> = (k..e).map(|m| self.w(m)).collect();
        Some(named(name.join(" "), sys, e))
    }

    /// "NAME (candidate) is (formed|built|made) from SYS", "we build NAME as CAND", "NAME from
    /// SYS" (after "and" in a list of such definitions).
    fn formed_from(&self, i: usize) -> Option<Reading> {
        let j = self.skip_of(i, BUILD_LEAD);
        let (name, k) = self.cand_name(j)?;
        let k = self.skip_of(k, &["candidate", "candidates"]);
        let (alias, k) = self.alias(k);
        let k = self.skip_of(k, FORMED);
        let from = self.is(k, &["from", "of", "by"]);
        let k = if from {
            k + 1
        } else if k > j + 1 {
            k
        } else {
            return None;
        };
        let k = self.skip_of(k, &["the", "combining", "adding"]);
        let (sys, e) = self.formed_of(k)?;
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

    /// "the first Z candidate, Z1, is ...": a second name in apposition at `k`, and where
    /// the definition goes on.
    fn alias(&self, k: usize) -> (Option<String>, usize) {
        if self.w(k) == "," {
            if let Some((a, e)) = self.cand_name(k + 1) {
                if self.w(e) == "," {
                    return (Some(a), e + 1);
                }
            }
        }
        (None, k)
    }

    /// What a candidate is formed of: the pair closest to a mass, or a system. "... from the
    /// three leading jets, and the hadronic W candidate from ...": the list ends where the
    /// next definition starts.
    fn formed_of(&self, k: usize) -> R<Sys> {
        let stop = (k..self.toks.len())
            .find(|&m| self.w(m) == "," && self.w(m + 1) == "and")
            .unwrap_or(self.toks.len());
        let head = P {
            toks: &self.toks[..stop],
            ..*self
        };
        match head.closest_pair(k) {
            Some((c, e)) => Some((Sys::Cand(c), e)),
            None => head.sys(k, true),
        }
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
            return Some(named(name, sys, e));
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
    pub(super) fn cand_name(&self, j: usize) -> R<String> {
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
    pub(super) fn bind(&self, name: String, sys: Sys, e: usize) -> Reading {
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
}
