//! Reading one clause: phrases tried left to right at each unused word, the first that
//! reads kept, its words marked used and the context updated.

mod asides;

use crate::ir::{CountCmp, Cut, Kind, Quantity, Stmt, Sys, Target};
use crate::lex::Tok;

use super::base::P;
use super::ctx::{Ctx, Def, Focus};
use super::{verb_mode, Mode, Reading};

/// The state of reading one clause.
pub(super) struct Clause<'t> {
    /// The clause's tokens.
    pub(super) toks: &'t [Tok],
    /// Which tokens a reading used; whatever content is left unused is an error.
    pub(super) used: Vec<bool>,
    /// The statements read so far, in order.
    pub(super) out: Vec<Stmt>,
    /// What a bare quantity means here: a cut, a plot or a saved feature.
    pub(super) mode: Mode,
    /// Output verbs seen, used once a phrase of their kind is read.
    pub(super) verbs: Vec<(usize, Mode)>,
}

impl Clause<'_> {
    /// Names the clause defines ("..., where HT is the scalar sum of ...") hold for the whole
    /// clause, so they are bound before it is read.
    pub(super) fn definitions_first(&self, ctx: &mut Ctx) {
        for i in 0..self.toks.len() {
            if !matches!(
                self.toks[i].text.as_str(),
                "where" | "with" | "define" | "=" | "denotes"
            ) {
                continue;
            }
            let start = if self.toks[i].text == "=" {
                i.saturating_sub(1)
            } else {
                i
            };
            let p = P {
                toks: self.toks,
                ctx,
                each: None,
                formula: false,
            };
            if let Some(r) = p.definition(start) {
                for (name, def) in r.names {
                    ctx.name(&name, def);
                }
                for s in &r.stmts {
                    if let Stmt::Define { name, q } = s {
                        ctx.name(name, Def::Q(q.clone()));
                    }
                }
            }
        }
    }

    /// Reads phrases left to right.
    pub(super) fn run(&mut self, ctx: &mut Ctx) {
        let mut i = self.next_unused(0);
        while i < self.toks.len() {
            let w = self.toks[i].text.as_str();
            // "Keep, per event, the transverse mass, ...": kept per event is saved.
            if matches!(w, "keep" | "give" | "list")
                && self.toks.get(i + 1).is_some_and(|t| t.text == ",")
                && self.toks.get(i + 2).is_some_and(|t| t.text == "event")
            {
                self.mode = Mode::Save;
                self.verbs.push((i, Mode::Save));
                i += 3;
                continue;
            }
            // "out: m_4ℓ, ...".
            if w == "out" && self.toks.get(i + 1).is_some_and(|t| t.text == ":") {
                self.mode = Mode::Save;
                self.verbs.push((i, Mode::Save));
                i += 1;
                continue;
            }
            if let Some(m) = verb_mode(w) {
                let p = P {
                    toks: self.toks,
                    ctx,
                    each: None,
                    formula: false,
                };
                // "Plot m_jj" switches to plots; "save" in "saved as png" does not stand alone.
                if m != self.mode || !p.w(i + 1).is_empty() {
                    self.mode = m;
                    self.verbs.push((i, m));
                    i += 1;
                    continue;
                }
            }
            match self.phrase(i, ctx) {
                Some(r) if r.end > i => self.commit(i, r, ctx),
                _ => i += 1,
            }
            i = self.next_unused(i);
        }
    }

    fn next_unused(&self, i: usize) -> usize {
        let mut j = i;
        while j < self.used.len() && self.used[j] {
            j += 1;
        }
        j
    }

    /// The first phrase that reads at `i`.
    fn phrase(&self, i: usize, ctx: &Ctx) -> Option<Reading> {
        let p = P {
            toks: self.toks,
            ctx,
            each: None,
            formula: false,
        };
        // A definition in a list of outputs is also one of the outputs.
        let output = |r: Reading, f: fn(Quantity) -> Stmt| {
            let mut r = r;
            let extra: Vec<Stmt> = r
                .stmts
                .iter()
                .filter_map(|s| match s {
                    Stmt::Define { q, .. } => Some(f(q.clone())),
                    _ => None,
                })
                .collect();
            r.stmts.extend(extra);
            r
        };
        // ("with HT the scalar sum of ..." explains a name; it is not another output.)
        let explains = p.is(i, &["with", "where", ",", "define"]);
        match self.mode {
            Mode::Plot if explains => return p.definition(i).or_else(|| p.plots(i)),
            Mode::Save if explains => return p.definition(i).or_else(|| p.features(i)),
            Mode::Plot => {
                return p
                    .definition(i)
                    .map(|r| output(r, |q| Stmt::Plot(crate::ir::Plot::of(q))))
                    .or_else(|| p.plots(i))
            }
            Mode::Save => {
                return p
                    .definition(i)
                    .map(|r| output(r, Stmt::Feature))
                    .or_else(|| p.features(i))
            }
            Mode::Cut => {}
        }
        let readers: [fn(&P, usize) -> Option<Reading>; 20] = [
            |p, i| p.process(i),
            |p, i| p.lepton_collection(i),
            |p, i| p.pair_veto(i),
            |p, i| p.btag_convention(i),
            |p, i| p.value_veto(i),
            |p, i| p.definition(i),
            |p, i| p.compute(i),
            |p, i| p.candidate_def(i),
            |p, i| p.overlap(i),
            |p, i| p.removal_phrase(i),
            |p, i| p.veto_phrase(i),
            |p, i| p.veto_suffix(i),
            |p, i| p.count_phrase(i),
            |p, i| p.every_phrase(i),
            |p, i| p.select_phrase(i),
            |p, i| p.for_subject(i),
            |p, i| p.value_phrase(i).map(|(s, e)| Reading::new(s, e)),
            |p, i| p.same_object(i),
            |p, i| p.subject_phrase(i),
            |p, i| p.relation_phrase(i),
        ];
        readers.iter().find_map(|f| {
            f(&p, i)
                .filter(|r| (!r.stmts.is_empty() || r.defines) && !self.vetoes_selected(i, r, ctx))
        })
    }

    /// "no additional leptons above 10 GeV" after leptons were selected: the selected ones
    /// would count among them and the analysis would keep no event. The reader cannot count
    /// objects outside the selection, so such a veto is left unread rather than misread.
    fn vetoes_selected(&self, i: usize, r: &Reading, ctx: &Ctx) -> bool {
        // ("no additional", "no extra", "no further", "no other" are folded into one "no"
        // that spans them.)
        let extra = (i..r.end.min(self.toks.len())).any(|m| {
            let t = &self.toks[m];
            matches!(
                t.text.as_str(),
                "additional" | "extra" | "other" | "further"
            ) || (t.text == "no" && t.span.len() > "no".len())
        });
        extra
            && r.stmts.iter().any(|s| {
                matches!(s, Stmt::Cut(Cut::Count {
                    target: Target::Objects { kind, .. },
                    cmp: CountCmp::Exactly(0),
                }) if ctx.is_defined(*kind))
            })
    }

    /// Records a reading: its words are used, its statements kept, the context updated.
    fn commit(&mut self, start: usize, r: Reading, ctx: &mut Ctx) {
        for k in start..r.end.min(self.used.len()) {
            self.used[k] = true;
        }
        for (k, m) in &self.verbs {
            if *m == self.mode {
                self.used[*k] = true;
            }
        }
        for (name, def) in r.names {
            ctx.name(&name, def);
        }
        ctx.absorb(&r.stmts);
        let focus = r.focus.or_else(|| last_object(&r.stmts));
        if let Some(f) = focus {
            if let Some(s @ Sys::Obj(_)) = &f.sys {
                ctx.recent.push(s.clone());
            }
            if let (None, Some(1)) = (&f.sys, f.n) {
                ctx.recent.push(Sys::Obj(crate::ir::ObjRef {
                    kind: f.kind,
                    index: 0,
                }));
            }
            ctx.history.push(f.clone());
            ctx.focus = Some(f);
        }
        self.out.extend(r.stmts);
    }
}

/// The object the last cut was about, as the new focus ("the leading jet pT > 100 GeV with
/// |η| < 2.4").
fn last_object(stmts: &[Stmt]) -> Option<Focus> {
    stmts.iter().rev().find_map(|s| match s {
        Stmt::Cut(Cut::Value {
            q: Quantity::Prop(_, s @ Sys::Obj(o)),
            ..
        }) if o.kind != Kind::Met => Some(Focus {
            kind: o.kind,
            n: None,
            sys: Some(s.clone()),
        }),
        Stmt::Cut(Cut::Count {
            target: Target::Objects { kind, .. },
            cmp,
        }) => Some(Focus {
            kind: *kind,
            n: match cmp {
                CountCmp::Exactly(n) | CountCmp::AtLeast(n) => Some(*n),
                CountCmp::AtMost(_) => None,
            },
            sys: None,
        }),
        _ => None,
    })
}
