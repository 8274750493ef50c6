//! The compositional reader: one item of a spec (a bullet or a sentence) → statements.
//!
//! An item is split into clauses at `;`. Each clause is read left to right as a sequence
//! of phrases (object definitions, counts, vetoes, conditions on objects, cuts on
//! quantities, definitions, candidates, overlap removal, plots, saved features), each built
//! from the shared readers of objects, quantities and comparisons, with the discourse
//! context ([`Ctx`]) resolving "such muons", "their mass", "the leading one", "the Z
//! candidate".
//!
//! **Accountability.** Every number, comparison, unit, object word, quantity word, count,
//! relation, negation and output word in a clause must be used by a phrase; whatever is left
//! over makes the clause an error that marks those words. A clause with no number, no
//! comparison and no cut word is description: echoed, and no cut.

mod attach;
mod base;
mod conds;
mod count;
mod ctx;
mod define;
mod filters;
mod notes;
mod objects;
mod output;
mod quantity;

use std::ops::Range;

pub use base::{MH, MTOP, MW, MZ};
pub use count::retarget;
pub use ctx::{Ctx, Def, Focus};

use crate::ir::{Cmp, CountCmp, Cut, Kind, Note, Quantity, Stmt, Sys, Target};
use crate::lex::{tokenize, Tok};
use crate::lexicon::{is_content, OUTPUT_VERBS};
use base::P;

/// Which part of the spec an item is in; decides what a bare quantity means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `[SELECTION_CUTS]`, `[OBJECTS]` or free prose.
    Cuts,
    /// `[PLOTS_FOR_VALIDATION]`: a bare quantity is a plot.
    Plots,
    /// `[OUTPUT_STRUCTURE]`: a bare quantity is a saved feature.
    Output,
    /// `[DESCRIPTION]`: every line is description.
    Description,
}

/// What a phrase read: its statements, where it ended, and what it tells later phrases.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub stmts: Vec<Stmt>,
    pub end: usize,
    pub focus: Option<Focus>,
    /// Names bound to objects or systems ("Z1", "the W candidate").
    pub names: Vec<(String, Def)>,
    /// A definition: reads even with no cut.
    pub defines: bool,
}

impl Reading {
    /// A reading with no effect on the context.
    pub fn new(stmts: Vec<Stmt>, end: usize) -> Reading {
        Reading {
            stmts,
            end,
            focus: None,
            names: Vec::new(),
            defines: false,
        }
    }
}

/// The words of an item no reading used, as byte ranges of the item's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Leftover {
    pub spans: Vec<Range<usize>>,
}

/// What a clause is read as, by the verbs in it and the section it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Cut,
    Plot,
    Save,
}

/// Reads one item, updating the context. On failure, the words left over.
pub fn read(text: &str, section: Section, ctx: &mut Ctx) -> Result<Vec<Stmt>, Leftover> {
    let toks = tokenize(text);
    if section == Section::Description {
        return Ok(vec![Stmt::Note(Note::Description)]);
    }
    let mut out = Vec::new();
    let mut spans = Vec::new();
    let mut carried: Option<Mode> = None;
    for clause in toks.split(|t| t.text == ";") {
        let clause: Vec<Tok> = clause.iter().filter(|t| t.text != ".").cloned().collect();
        if clause.is_empty() {
            continue;
        }
        // "Output: m_eμ; pT(eμ); MET": a list goes on after a semicolon.
        match read_clause(&clause, text, section, ctx, carried) {
            Ok((stmts, mode)) => {
                carried = (mode != Mode::Cut).then_some(mode);
                out.extend(stmts);
            }
            Err(s) => spans.extend(s),
        }
    }
    if spans.is_empty() {
        Ok(out)
    } else {
        Err(Leftover { spans })
    }
}

/// Reads one clause.
fn read_clause(
    toks: &[Tok],
    text: &str,
    section: Section,
    ctx: &mut Ctx,
    carried: Option<Mode>,
) -> Result<(Vec<Stmt>, Mode), Vec<Range<usize>>> {
    if let Some(stmts) = notes::whole_clause(toks) {
        ctx.absorb(&stmts);
        return Ok((stmts, Mode::Cut));
    }
    let before = ctx.clone();
    let read = read_phrases(toks, text, section, ctx, carried);
    if read.is_err() && (notes::is_description(toks) || notes::is_overview(toks)) {
        // A title or a remark: no number, no comparison, no cut word, and no reading.
        *ctx = before;
        return Ok((vec![Stmt::Note(Note::Description)], Mode::Cut));
    }
    read
}

/// Reads a clause as phrases.
fn read_phrases(
    toks: &[Tok],
    text: &str,
    section: Section,
    ctx: &mut Ctx,
    carried: Option<Mode>,
) -> Result<(Vec<Stmt>, Mode), Vec<Range<usize>>> {
    let mut state = Clause {
        toks,
        used: vec![false; toks.len()],
        out: Vec::new(),
        mode: carried.unwrap_or_else(|| initial_mode(section, ctx)),
        verbs: Vec::new(),
    };
    // "Distributions of m_ee and of the jet multiplicity are shown": a passive output verb
    // sets the clause's kind from the start.
    let passive = toks.iter().find_map(|t| passive_mode(&t.text)).or_else(|| {
        // "should be plotted" (the lexer's "plot" after a form of "be").
        toks.windows(2).find_map(|p| {
            matches!(p[0].text.as_str(), "be" | "is" | "are" | "been")
                .then(|| verb_mode(&p[1].text))
                .flatten()
        })
    });
    if let Some(m) = passive {
        state.mode = m;
    }
    state.rationale();
    state.definitions_first(ctx);
    state.run(ctx);
    state.remarks();
    state.label_before_colon();
    state.restated_prefix(ctx);
    let left: Vec<usize> = (0..toks.len())
        .filter(|&k| !state.used[k] && is_content(toks, k))
        .collect();
    if left.is_empty() && (!state.out.is_empty()) {
        // "..., i.e. at most one such jet is allowed": a cut said twice is one cut.
        let mut out: Vec<Stmt> = Vec::new();
        for s in state.out {
            if !(matches!(s, Stmt::Cut(_)) && out.contains(&s)) {
                out.push(s);
            }
        }
        return Ok((out, state.mode));
    }
    // "We select H → γγ candidates in the CMS style": a process named, nothing selected.
    if left.is_empty() && toks.iter().any(|t| t.text == "→") {
        return Ok((vec![Stmt::Note(Note::Description)], Mode::Cut));
    }
    if left.is_empty() {
        // Nothing but filler and positive verbs: say which words could not be placed.
        let _ = text;
        return Err(toks.iter().map(|t| t.span.clone()).collect());
    }
    Err(left.iter().map(|&k| toks[k].span.clone()).collect())
}

fn initial_mode(section: Section, ctx: &Ctx) -> Mode {
    match (section, ctx.list) {
        (_, Some(Note::FeaturesFollow)) | (Section::Output, _) => Mode::Save,
        (_, Some(Note::PlotsFollow)) | (Section::Plots, _) => Mode::Plot,
        _ => Mode::Cut,
    }
}

/// The state of reading one clause.
struct Clause<'t> {
    toks: &'t [Tok],
    used: Vec<bool>,
    out: Vec<Stmt>,
    mode: Mode,
    /// Output verbs seen, used once a phrase of their kind is read.
    verbs: Vec<(usize, Mode)>,
}

impl Clause<'_> {
    /// Names the clause defines ("..., where HT is the scalar sum of ...") hold for the whole
    /// clause, so they are bound before it is read.
    fn definitions_first(&self, ctx: &mut Ctx) {
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
    fn run(&mut self, ctx: &mut Ctx) {
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
        let readers: [fn(&P, usize) -> Option<Reading>; 17] = [
            |p, i| p.process(i),
            |p, i| p.lepton_collection(i),
            |p, i| p.pair_veto(i),
            |p, i| p.btag_convention(i),
            |p, i| p.value_veto(i),
            |p, i| p.definition(i),
            |p, i| p.compute(i),
            |p, i| p.candidate_def(i),
            |p, i| p.overlap(i),
            |p, i| p.veto_phrase(i),
            |p, i| p.veto_suffix(i),
            |p, i| p.count_phrase(i),
            |p, i| p.every_phrase(i),
            |p, i| p.select_phrase(i),
            |p, i| p.value_phrase(i).map(|(s, e)| Reading::new(s, e)),
            |p, i| p.subject_phrase(i),
            |p, i| p.relation_phrase(i),
        ];
        readers
            .iter()
            .find_map(|f| f(&p, i).filter(|r| !r.stmts.is_empty() || r.defines))
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

    /// A parenthetical remark with no number, comparison or relation ("(W leptonic
    /// candidate)") is a note to the reader.
    fn remarks(&mut self) {
        let mut k = 0;
        while k < self.toks.len() {
            if self.toks[k].text == "(" && !self.used[k] {
                if let Some(len) = self.toks[k + 1..].iter().position(|t| t.text == ")") {
                    let inner = k + 1..k + 1 + len;
                    // (A code the lexer expanded, "eμ" → "( e1 + mu1 )", is not a remark.)
                    let plain = inner.clone().all(|m| {
                        let t = &self.toks[m];
                        t.num.is_none()
                            && !is_hard(&t.text)
                            && t.text != "+"
                            && crate::lexicon::symbol(&t.text).is_none()
                    });
                    if plain && self.toks[k].span.start > 0 {
                        for m in k..=k + 1 + len {
                            self.used[m] = true;
                        }
                    }
                    k += len + 2;
                    continue;
                }
            }
            k += 1;
        }
    }

    /// "Electron veto: no electrons", "Tagging jets in opposite hemispheres: η(j1) · η(j2)
    /// < 0": words before a colon that restate what follows it are a label.
    fn label_before_colon(&mut self) {
        let Some(colon) = self.toks.iter().position(|t| t.text == ":") else {
            return;
        };
        let after_read = (colon + 1..self.toks.len()).any(|k| self.used[k]);
        // "veto: no electrons, no muons" is a label when what follows is all vetoes.
        let vetoes = !self.out.is_empty()
            && self.out.iter().all(|s| {
                matches!(
                    s,
                    Stmt::Cut(Cut::Count {
                        cmp: CountCmp::Exactly(0),
                        ..
                    })
                )
            });
        // "Z veto: |m_ee − 91.1876| > 15 GeV" keeps what is outside the window; "Z veto:
        // 81 < m_ll < 101" names the window thrown away.
        let veto_label = self.toks[..colon].iter().any(|t| t.text == "veto");
        let windows = veto_label
            && self.out.len() == 1
            && matches!(
                &self.out[0],
                Stmt::Cut(Cut::Value {
                    cmp: Cmp::Away { .. }
                        | Cmp::Outside(..)
                        | Cmp::Within { .. }
                        | Cmp::Between(..),
                    ..
                })
            );
        let vetoes = vetoes || windows;
        // "none of the jets may be close to it in azimuth: min Δφ(j, MET) > 0.5": the words
        // before the colon say what the formula after it says.
        let formula = (colon + 1..self.toks.len())
            .any(|k| matches!(self.toks[k].text.as_str(), ">" | "<" | ">=" | "<="));
        // The label is what stands unread before the colon ("..., and none of the jets may
        // be close to it in azimuth: min Δφ(j, MET) > 0.5").
        let start = (0..colon)
            .rev()
            .find(|&k| self.used[k])
            .map_or(0, |k| k + 1);
        let label_plain = self.toks[start..colon].iter().all(|t| {
            t.num.is_none()
                && (!is_hard(&t.text)
                    || (vetoes && t.text.starts_with("veto"))
                    || (formula && matches!(t.text.as_str(), "none" | "no" | "every" | "not")))
        });
        let after_clean =
            (colon + 1..self.toks.len()).all(|k| self.used[k] || !is_content(self.toks, k));
        if after_read && label_plain && after_clean {
            for k in start..=colon {
                self.used[k] = true;
            }
            if windows {
                if let Stmt::Cut(Cut::Value {
                    cmp: c @ (Cmp::Within { .. } | Cmp::Between(..)),
                    ..
                }) = &mut self.out[0]
                {
                    *c = c.negated();
                }
            }
        }
    }
}

impl Clause<'_> {
    /// "To suppress W+jets, ...", "Since no genuine missing energy is expected, ...": a
    /// reason given for a cut, up to the next comma, is not itself a cut.
    fn rationale(&mut self) {
        let starts = |t: &[Tok], k: usize| {
            let w = t[k].text.as_str();
            let next = t.get(k + 1).map_or("", |t| t.text.as_str());
            matches!(w, "since" | "because")
                || (w == "to"
                    && matches!(
                        next,
                        "suppress"
                            | "reject"
                            | "reduce"
                            | "avoid"
                            | "ensure"
                            | "make"
                            | "remove"
                            | "select"
                            | "enrich"
                            | "control"
                            | "veto"
                    ))
                || (w == "in" && next == "order")
                || (w == "as" && matches!(next, "a" | "an" | "the"))
                || (w == "for" && next == "the" && k == 0)
        };
        let mut k = 0;
        while k < self.toks.len() {
            let at_start = k == 0 || self.toks[k - 1].text == ",";
            if at_start && starts(self.toks, k) {
                // "..., to remove low-mass resonances" may close the clause.
                // "For the ttH, H → bb̄ search at high b-tag multiplicity we select ...": the
                // topic runs to the subject of the sentence.
                let we = (self.toks[k].text == "for")
                    .then(|| (k..self.toks.len()).find(|&m| self.toks[m].text == "we"))
                    .flatten();
                let end = we
                    .map(|m| m - 1)
                    .or_else(|| (k..self.toks.len()).find(|&m| self.toks[m].text == ","))
                    .or((k > 0).then_some(self.toks.len()));
                if let Some(end) = end {
                    // Object words here name backgrounds ("to reject W + jets").
                    // "As a central jet veto, ..." names the cut that follows.
                    let label = self.toks[k].text == "as";
                    let plain = self.toks[k..end].iter().all(|t| {
                        let allowed =
                            matches!(t.text.as_str(), "no" | "not") || (label && t.text == "veto");
                        t.num.is_none()
                            && crate::lexicon::word_number(&t.text).is_none()
                            && (!is_hard(&t.text) || allowed)
                    });
                    if plain {
                        for m in k..end.min(self.toks.len() - 1) + 1 {
                            self.used[m] = true;
                        }
                    }
                    k = end;
                }
            }
            k += 1;
        }
    }

    /// "The leading photon and the missing momentum should be well separated in azimuth,
    /// Δφ(γ1, MET) > 1.0": words before a comma, with no number, comparison, relation or
    /// negation, restated by a formula after it that reads.
    fn restated_prefix(&mut self, _ctx: &Ctx) {
        let left = |c: &Clause, r: std::ops::Range<usize>| {
            r.filter(|&k| !c.used[k] && is_content(c.toks, k)).count()
        };
        for cut in (0..self.toks.len()).filter(|&k| self.toks[k].text == ",") {
            if left(self, cut + 1..self.toks.len()) > 0
                || !(cut + 1..self.toks.len()).any(|k| self.used[k])
            {
                continue;
            }
            let start = (0..cut).rev().find(|&k| self.used[k]).map_or(0, |k| k + 1);
            let plain = self.toks[start..cut].iter().all(|t| {
                t.num.is_none()
                    && crate::lexicon::word_number(&t.text).is_none()
                    && !is_hard(&t.text)
                    && !matches!(
                        t.text.as_str(),
                        "gev" | "tev" | "both" | "each" | "all" | "any"
                    )
                    && !OUTPUT_VERBS.contains(&t.text.as_str())
            });
            // The objects it names must be the ones the formula is about: "Muons, MET > 30"
            // is not a restatement.
            let said: Vec<Kind> = self.out.iter().flat_map(Stmt::kinds).collect();
            let named = self.toks[start..cut]
                .iter()
                .filter_map(|t| crate::lexicon::kind_word(&t.text))
                .all(|(k, _)| {
                    said.iter().any(|s| {
                        *s == k
                            || s.base() == k.base()
                            || (k == Kind::Lepton && matches!(s, Kind::Electron | Kind::Muon))
                    })
                });
            if plain && named && left(self, start..cut) > 0 {
                for k in start..=cut {
                    self.used[k] = true;
                }
            }
        }
    }
}

/// Words a remark or a label may not carry: comparisons, counts, relations, negations.
fn is_hard(w: &str) -> bool {
    matches!(
        w,
        ">" | "<"
            | ">="
            | "<="
            | "="
            | "=="
            | "!="
            | "±"
            | "above"
            | "below"
            | "between"
            | "within"
            | "no"
            | "not"
            | "none"
            | "without"
            | "exactly"
            | "os"
            | "ss"
            | "sf"
            | "sfos"
            | "df"
            | "dfos"
            | "veto"
            | "vetoed"
            | "removed"
            | "discarded"
            | "rejected"
            | "or"
            | "every"
            | "btagged"
    )
}

/// The mode of a passive output verb ("shown", "saved").
fn passive_mode(w: &str) -> Option<Mode> {
    match w {
        "shown" | "drawn" | "plotted" | "histogrammed" => Some(Mode::Plot),
        "saved" | "stored" | "written" | "recorded" => Some(Mode::Save),
        _ => None,
    }
}

/// The mode an output verb switches to.
fn verb_mode(w: &str) -> Option<Mode> {
    if !OUTPUT_VERBS.contains(&w) {
        return None;
    }
    Some(match w {
        "plot" | "histogram" | "hist" | "draw" | "drawn" | "shown" | "show" | "fill" | "book"
        | "make" | "produce" => Mode::Plot,
        _ => Mode::Save,
    })
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
