//! B-tags said of jets: "(btag ≥ 1)" restating the default, "at least two of them must be
//! b-tagged", "b-jets are the jets with btag ≥ 1". Jets counted with only a tag are b-jets or
//! light jets.

use crate::ir::{Cmp, Cut, Filter, Kind, Prop, Stmt, Target};
use crate::read::base::{P, R};
use crate::read::Reading;

impl P<'_> {
    /// "(btag ≥ 1)" after a b-jet count restates the default working point.
    pub(super) fn btag_default_at(&self, i: usize, kind: Kind) -> usize {
        let ok = kind == Kind::BJet
            && self.w(i) == "("
            && self.w(i + 1) == "btag"
            && self.is(i + 2, &[">=", "="])
            && self.w(i + 3) == "1"
            && self.w(i + 4) == ")";
        if ok {
            i + 5
        } else {
            i
        }
    }

    /// "at least six jets, with at least two carrying a b-tag": a tagged subset of what was
    /// just counted.
    pub fn tagged_subcount(&self, j: usize, kind: Kind) -> Option<(Vec<Stmt>, usize)> {
        if kind.base() != Kind::Jet {
            return None;
        }
        let kind = Kind::Jet;
        let (cmp, k) = self.count_cmp(j)?;
        let k = self.skip_of(k, &["of", "them", "these", "those"]);
        let (fs, e) = self.tag_predicate(k, kind)?;
        let (tagged, fs) = tag_kind(kind, fs);
        let e = self.btag_default_at(e, Kind::BJet);
        Some((
            vec![Stmt::Cut(Cut::Count {
                target: Target::Objects {
                    kind: tagged,
                    filters: fs,
                },
                cmp,
            })],
            e,
        ))
    }

    /// "b-tagged", "be b-tagged", "carry a b-tag", "are light".
    pub(super) fn tag_predicate(&self, i: usize, kind: Kind) -> R<Vec<Filter>> {
        if kind.base() != Kind::Jet {
            return None;
        }
        let j = self.skip_of(
            self.skip(i),
            &[
                "be",
                "is",
                "are",
                "carry",
                "carries",
                "carrying",
                "a",
                "have",
                "has",
                "having",
                "identified",
                "as",
                "tagged",
                "must",
                "may",
            ],
        );
        let (cmp, e) = match self.w(j) {
            "btagged" | "btag" | "btags" => (Cmp::Ge(1.0), j + 1),
            "b" if self.is(j + 1, &["jet", "jets", "tag", "tagged"]) => (Cmp::Ge(1.0), j + 2),
            // "at least two are light (untagged) jets".
            "light" | "untagged" => match self.kind(j) {
                Some(((Kind::LightJet, _), e)) => (Cmp::Lt(1.0), e),
                _ => (Cmp::Lt(1.0), j + 1),
            },
            "not" if self.w(j + 1) == "btagged" => (Cmp::Lt(1.0), j + 2),
            _ => return None,
        };
        Some((vec![Filter::prop(Kind::Jet, Prop::Btag, cmp)], e))
    }

    /// "b-jets are the jets with btag ≥ 1", "count those with btag ≥ 1 as b-jets", "light
    /// jets those with btag < 1": the b-tag convention restated. Any other working point is
    /// not this convention and stays unread.
    pub fn btag_convention(&self, i: usize) -> Option<Reading> {
        const FILL: &[&str] = &[
            "are",
            "is",
            "the",
            "those",
            "ones",
            "with",
            "count",
            "counted",
            "as",
            "call",
            "called",
            "we",
            "define",
            "defined",
            "treat",
            "treated",
            "considered",
            "taken",
            "a",
            "an",
            "that",
            "which",
            "have",
            "has",
            "all",
            "selected",
            "jets",
            "jet",
            "and",
        ];
        let mut tagged = None;
        let mut cmp = None;
        let mut j = i;
        while !self.end(j) && !self.is(j, &[",", ";"]) {
            if self.w(j) == "btag" {
                let ((c, _), e) = self.cmp(j + 1)?;
                cmp = Some(c);
                j = e;
                continue;
            }
            match self.kind(j) {
                Some(((k @ (Kind::BJet | Kind::LightJet), _), e))
                    if tagged.is_none_or(|t| t == k) =>
                {
                    tagged = Some(k);
                    j = e;
                    continue;
                }
                _ => {}
            }
            if !self.is(j, FILL) {
                break;
            }
            j += 1;
        }
        let said = match (tagged?, cmp?) {
            (Kind::BJet, Cmp::Ge(x)) | (Kind::LightJet, Cmp::Lt(x)) => x == 1.0,
            (Kind::BJet, Cmp::Gt(x)) | (Kind::LightJet, Cmp::Le(x)) => x == 0.0 || x == 0.5,
            _ => false,
        };
        said.then(|| Reading::new(vec![Stmt::Note(crate::ir::Note::Description)], j))
    }
}

/// Jets counted with only a b-tag condition are b-jets (or light jets).
pub(super) fn tag_kind(kind: Kind, filters: Vec<Filter>) -> (Kind, Vec<Filter>) {
    if kind == Kind::Jet && filters.len() == 1 && filters[0].as_prop() == Some(Prop::Btag) {
        match filters[0].cmp {
            Cmp::Ge(1.0) => return (Kind::BJet, Vec::new()),
            Cmp::Lt(1.0) => return (Kind::LightJet, Vec::new()),
            _ => {}
        }
    }
    (kind, filters)
}
