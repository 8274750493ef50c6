//! Object removal said as a removal: "muons softer than 10 GeV are ignored", "jets with
//! |η| > 4.5 are discarded", "drop electrons below 15 GeV". The objects that fail an
//! acceptance condition leave the collection; the events stay.

use crate::ir::{Cmp, Filter, Kind, Prop, Quantity, Stmt, Sys};
use crate::read::base::P;
use crate::read::ctx::Focus;
use crate::read::Reading;

use super::retarget;

/// Verbs that lead an object removal: "ignore muons below 10 GeV".
const LEADING: &[&str] = &[
    "ignore",
    "discard",
    "remove",
    "drop",
    "reject",
    "exclude",
    "disregard",
    "neglect",
    "skip",
];

/// Verbs that close one: "muons below 10 GeV are ignored". "Vetoed" is absent: a veto
/// throws the event away.
const TRAILING: &[&str] = &[
    "ignored",
    "discarded",
    "removed",
    "dropped",
    "rejected",
    "excluded",
    "disregarded",
    "neglected",
    "skipped",
];

impl P<'_> {
    /// An object removal: the objects on the wrong side of an acceptance bound (too soft,
    /// too forward) are removed from their collection, which keeps the others. A removal of
    /// hard or central objects ("jets with pT > 30 GeV are rejected") is a veto of the
    /// event, and is left to [`P::veto_phrase`].
    pub fn removal_phrase(&self, i: usize) -> Option<Reading> {
        if (0..i).any(|m| self.is(m, &["event", "events"])) {
            return None;
        }
        let lead = self.eat_any(i, LEADING);
        let k = self.skip_of(lead.unwrap_or(i), &["any", "all", "the"]);
        let (kinds, e) = self.kinds(k)?;
        if kinds.kinds.contains(&Kind::Met) {
            return None;
        }
        let base = kinds.kinds[0];
        let (filters, e) = self.filters(e, base)?;
        let [filter] = filters.as_slice() else {
            return None;
        };
        if !outside_acceptance(filter, base) {
            return None;
        }
        let end = match lead {
            Some(_) => e,
            None => {
                let t = self.skip_of(e, &["are", "is", "be", "will", "get", "gets", "must"]);
                self.eat_any(t, TRAILING)?
            }
        };
        if lead.is_some() && !self.closes(end) {
            return None;
        }
        let kept = Filter {
            q: filter.q.clone(),
            cmp: filter.cmp.negated(),
        };
        let stmts = kinds
            .kinds
            .iter()
            .map(|k| Stmt::Select {
                kind: *k,
                filters: vec![retarget(&kept, *k)],
            })
            .collect();
        let mut r = Reading::new(stmts, end);
        r.focus = Some(Focus {
            kind: base,
            n: None,
            sys: None,
        });
        Some(r)
    }

    /// Whether a phrase ending at `e` ends its clause or sentence part.
    fn closes(&self, e: usize) -> bool {
        self.end(e) || self.is(e, &[",", ";", ".", "and"])
    }
}

/// Whether a condition picks objects outside the acceptance: softer than a threshold, or
/// beyond an |η| bound.
fn outside_acceptance(f: &Filter, kind: Kind) -> bool {
    let Quantity::Prop(p, Sys::Each(k)) = &f.q else {
        return false;
    };
    if *k != kind {
        return false;
    }
    matches!(
        (p, f.cmp),
        (Prop::Pt | Prop::Energy, Cmp::Lt(_) | Cmp::Le(_))
            | (Prop::AbsEta, Cmp::Gt(_) | Cmp::Ge(_))
    )
}

#[cfg(test)]
mod tests {
    use crate::understand;

    /// The echo of a cuts section with the bullet and a jet count after it.
    fn echo(bullet: &str) -> String {
        let text = format!("Cuts:\n- {bullet}\n- at least one jet\n");
        match understand(&text) {
            Ok(u) => u.echo_text(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn soft_objects_removed_keep_the_hard_ones() {
        for b in [
            "muons softer than 10 GeV are ignored",
            "muons with pT < 10 GeV are removed",
            "muons below 10 GeV are discarded",
            "ignore muons with pT below 10 GeV",
            "muons with pT under 10 GeV are not considered",
        ] {
            let e = echo(b);
            assert!(e.contains("muons: pT >= 10 GeV"), "{b}: {e}");
            assert!(!e.contains("require no"), "{b}: {e}");
        }
        let e = echo("jets with |eta| > 4.5 are thrown away");
        assert!(e.contains("jets: |eta| <= 4.5"), "{e}");
    }

    #[test]
    fn events_with_objects_removed_is_still_a_veto() {
        for b in [
            "events with muons softer than 10 GeV are rejected",
            "jets with pT > 30 GeV are vetoed",
            "throw away events with taus",
            "ignore events with a tau",
        ] {
            let e = echo(b);
            assert!(e.contains("require no"), "{b}: {e}");
        }
    }

    #[test]
    fn ignoring_kinds_without_a_condition_is_not_read() {
        let e = echo("ignore taus");
        assert!(e.contains("cannot read"), "{e}");
    }
}
