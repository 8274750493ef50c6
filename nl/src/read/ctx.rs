//! The discourse context: what earlier clauses established, so later ones can refer to it
//! ("such muons", "their invariant mass", "the Z candidate", "the remaining lepton", "HT"
//! as defined, "over the same range").

use std::collections::BTreeSet;

use crate::ir::{Cand, Cmp, Cut, Kind, Note, Quantity, Stmt, Sys};

/// What a name defined in the text stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Def {
    Q(Quantity),
    S(Sys),
}

/// The objects the text last spoke about: "them", "such leptons", "their mass", "the
/// leading one".
#[derive(Debug, Clone, PartialEq)]
pub struct Focus {
    pub kind: Kind,
    /// How many were asked for ("exactly two muons"), if said.
    pub n: Option<usize>,
    /// A specific object or system ("the leading jet", "the Z candidate"), if one was named.
    pub sys: Option<Sys>,
}

/// What earlier clauses established for later ones.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ctx {
    /// Kinds with a selection ("Select muons with ..."); a count with conditions on an
    /// undefined kind defines it, on a defined kind it counts a subset.
    pub defined: BTreeSet<Kind>,
    /// An open list header ("Plot the following:").
    pub list: Option<Note>,
    /// Names the text defined, newest last.
    pub defs: Vec<(String, Def)>,
    pub focus: Option<Focus>,
    /// The last candidate pair built ("the Z pair", "the lepton not in the Z pair").
    pub cand: Option<Cand>,
    /// Windows put on quantities by cuts, for "over the same range".
    pub windows: Vec<(Quantity, (f64, f64))>,
    /// Single objects named recently, newest last ("exactly one electron and exactly one
    /// muon ... the two must have opposite charges").
    pub recent: Vec<Sys>,
    /// The last quantity a clause spoke of, for "keep it below 150 GeV".
    pub last_q: Option<Quantity>,
    /// Every focus so far, for "such taus" after other objects came up.
    pub history: Vec<Focus>,
    /// The transverse mass the cuts used, for a bare "m_T" later.
    pub last_mt: Option<Quantity>,
    /// The conditions objects were last counted with: "jets with pT > 30 GeV are vetoed,
    /// i.e. the event may contain no such jet".
    pub such: Option<(Kind, Vec<crate::ir::Filter>)>,
    /// Every quantity the cuts used, oldest first: "the minimum Δφ above", "the sum of the
    /// two transverse masses".
    pub said: Vec<Quantity>,
    /// The cuts require b-tagged jets: the hadronic W is then built from light jets.
    pub btagged: bool,
}

impl Ctx {
    /// Records what statements establish for later clauses.
    pub fn absorb(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            match s {
                Stmt::Select { kind, .. } => self.define(*kind),
                Stmt::Cut(Cut::Count {
                    target:
                        crate::ir::Target::Objects {
                            kind: Kind::BJet, ..
                        },
                    cmp: crate::ir::CountCmp::AtLeast(n) | crate::ir::CountCmp::Exactly(n),
                }) if *n >= 1 => {
                    self.btagged = true;
                }
                Stmt::Cut(Cut::Count {
                    target: crate::ir::Target::Objects { kind, filters },
                    ..
                }) if !filters.is_empty() => {
                    self.such = Some((*kind, filters.clone()));
                }
                Stmt::Note(n @ (Note::PlotsFollow | Note::FeaturesFollow)) => self.list = Some(*n),
                Stmt::Define { name, q } => {
                    // "the pT balance ..." is later "that balance".
                    if let Some((_, head)) = name.rsplit_once([' ', '_']) {
                        let noun = crate::lexicon::prop_word(head).is_none()
                            && crate::lexicon::kind_word(head).is_none()
                            && !crate::lexicon::quantity_word(head);
                        if noun {
                            self.name(head, Def::Q(q.clone()));
                        }
                    }
                    self.name(name, Def::Q(q.clone()));
                    self.last_q = Some(q.clone());
                }
                Stmt::Name { name, sys } => self.name(name, Def::S(sys.clone())),
                Stmt::Cut(Cut::Value { q, cmp }) => {
                    self.last_q = Some(q.clone());
                    self.said.push(q.clone());
                    // A bare "m_T" later means the transverse mass the cuts used.
                    if let Quantity::Mt(_) = q {
                        self.last_mt = Some(q.clone());
                    }
                    let w = match *cmp {
                        Cmp::Between(a, b) => Some((a, b)),
                        Cmp::Within { center, width } => Some((center - width, center + width)),
                        _ => None,
                    };
                    if let Some(w) = w {
                        self.windows.push((q.clone(), w));
                    }
                }
                _ => {}
            }
        }
    }

    /// Marks a kind as having a selection (a lepton definition defines both flavours).
    pub fn define(&mut self, kind: Kind) {
        if kind == Kind::Lepton {
            self.defined.insert(Kind::Electron);
            self.defined.insert(Kind::Muon);
        } else {
            self.defined.insert(kind);
        }
    }

    /// Whether later conditions on this kind count a subset rather than define it.
    pub fn is_defined(&self, k: Kind) -> bool {
        match k {
            Kind::Lepton => {
                self.defined.contains(&Kind::Electron) || self.defined.contains(&Kind::Muon)
            }
            Kind::BJet | Kind::LightJet => self.defined.contains(&Kind::Jet),
            k => self.defined.contains(&k),
        }
    }

    /// Binds a name (lowercased) to what it stands for; a later binding wins.
    pub fn name(&mut self, name: &str, def: Def) {
        if let Def::S(Sys::Cand(c)) = &def {
            self.cand = Some(*c);
        }
        self.defs.push((name.to_lowercase(), def));
    }

    /// The last focus on objects of a kind.
    pub fn focus_of_kind(&self, kind: Kind) -> Option<&Focus> {
        self.history
            .iter()
            .rev()
            .find(|f| f.kind == kind || f.kind.base() == kind.base() && kind != Kind::BJet)
    }

    /// The last two single objects named, as a pair.
    pub fn recent_pair(&self) -> Option<Sys> {
        let last = self.recent.last()?;
        let other = self.recent.iter().rev().find(|s| *s != last)?;
        Some(Sys::Sum(vec![other.clone(), last.clone()]))
    }

    /// The last single object named before `this`, paired with it: "exactly one electron and
    /// exactly one muon, of opposite charge".
    pub fn recent_pair_with(&self, this: Sys) -> Option<Sys> {
        let other = self.recent.iter().rev().find(|s| **s != this)?;
        Some(Sys::Sum(vec![other.clone(), this]))
    }

    /// What a name stands for, newest binding first.
    pub fn lookup(&self, name: &str) -> Option<&Def> {
        self.defs
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d)
    }
}
