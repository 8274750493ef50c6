//! Conditions whose object is said elsewhere in the clause: after the quantity ("pT/m > 0.3
//! for the leading photon", "exp(|Δη|) > 2 for the two leading jets"), or before it, in the
//! cut just read ("leading jet pT > 200 GeV with |η| < 2.0").

use crate::ir::{Cut, Quantity, Stmt, Sys};
use crate::lexicon::prop_word;
use crate::read::base::P;
use crate::read::filters::eta_bound;
use crate::read::Reading;

impl P<'_> {
    /// "Q cmp for SYS": the quantity's bare properties are the system's.
    pub fn for_subject(&self, i: usize) -> Option<Reading> {
        let f = (i + 1..self.toks.len()).find(|&k| self.w(k) == "for")?;
        let (s, end) = self.sys(self.skip_of(f + 1, &["the"]), false)?;
        if s == Sys::Obj(crate::ir::ObjRef::MET) {
            return None;
        }
        let (q, k) = self.expr(i, Some(&s))?;
        let ((cmp, unit), e) = self.cmp(k)?;
        if e != f || (unit && !q.has_gev()) || !about(&q, &s) {
            return None;
        }
        let q = over_leading(q, &s)?;
        let q = eta_bound(&q, cmp);
        Some(Reading::new(vec![Stmt::Cut(Cut::Value { q, cmp })], end))
    }

    /// ", |η| < 2.0" or "with |η| < 2.0" right after a cut on one ranked object: a bare
    /// property there is the same object's.
    pub fn same_object(&self, i: usize) -> Option<Reading> {
        let j = self.skip_of(i, &[",", "with", "and", "its", "has", "a"]);
        let joined = j > i || (i > 0 && self.is(i - 1, &[",", "with", "and"]));
        let starts = prop_word(self.w(j)).is_some()
            || (self.w(j) == "|" && prop_word(self.w(j + 1)).is_some());
        if !joined || !starts || i == 0 {
            return None;
        }
        let s = match self.ctx.focus.as_ref()?.sys.as_ref()? {
            s @ Sys::Obj(o) if o.kind != crate::ir::Kind::Met => s.clone(),
            _ => return None,
        };
        let (q, k) = self.expr(j, Some(&s))?;
        let ((cmp, unit), e) = self.cmp(k)?;
        if (unit && !q.has_gev()) || matches!(q, Quantity::Met) {
            return None;
        }
        let q = eta_bound(&q, cmp);
        Some(Reading::new(vec![Stmt::Cut(Cut::Value { q, cmp })], e))
    }
}

/// "min Δφ(j, MET) > 0.4 for the four leading jets": a min, max or sum over a kind, said
/// for its leading objects, runs over them; said for anything else it cannot be read.
fn over_leading(q: Quantity, s: &Sys) -> Option<Quantity> {
    let Quantity::Reduce {
        reduce,
        kind,
        first: None,
        of,
    } = q
    else {
        return Some(q);
    };
    let n = (1..=8).find(|&n| *s == crate::read::objects::first_n(kind, n))?;
    Some(Quantity::Reduce {
        reduce,
        kind,
        first: Some(n),
        of,
    })
}

/// Whether a quantity is about the kinds of objects of `s` (and so read with it).
fn about(q: &Quantity, s: &Sys) -> bool {
    let (mut qk, mut sk) = (Vec::new(), Vec::new());
    q.kinds(&mut qk);
    s.kinds(&mut sk);
    sk.iter().any(|k| qk.contains(k))
}
