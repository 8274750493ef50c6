//! The canonical cut grammar as a deterministic automaton, for constrained decoding.
//!
//! The language is the one-line canonical form the echo prints (see [`crate::canon`]):
//! object selections, overlap removal, count / value / pair requirements, plots and features.
//! It is written as a regular expression assembled from the IR's own names, so a new kind or
//! property shows up here without a second list, and compiled once into a dense DFA. The
//! decoder only lets a token through when the automaton is still alive after its bytes, and
//! only lets the model stop on an accepting state, so every completed output is a line the
//! phrase grammar reads. A property test samples the automaton and parses what it produces.

use super::numbers::Numbers;
use crate::ir::{Kind, Prop};
use regex_automata::dfa::{dense, Automaton};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};
use std::sync::{Arc, OnceLock};

/// A compiled canonical grammar, optionally held to the numbers of one bullet.
pub struct Grammar {
    dfa: Arc<dense::DFA<Vec<u32>>>,
    numbers: Option<Numbers>,
}

impl std::fmt::Debug for Grammar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Grammar({} bytes of DFA)", self.dfa.memory_usage())
    }
}

/// A position in the grammar: what has been generated so far, as an automaton state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrammarState(StateID);

fn alt<I: IntoIterator<Item = String>>(items: I) -> String {
    let v: Vec<String> = items.into_iter().collect();
    format!("(?:{})", v.join("|"))
}

/// `s` as a literal (regex-syntax's meta characters escaped).
fn lit(s: &str) -> String {
    s.chars()
        .map(|c| {
            if "\\.+*?()|[]{}^$#&-~".contains(c) {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Which canonical statements a grammar admits: all of them, or those one section of a spec
/// holds, so that a model reading a plot bullet cannot answer with a cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statements {
    /// Every statement.
    All,
    /// Object selections, overlap removal and requirements.
    Cuts,
    /// Plots and histogram settings.
    Plots,
    /// Saved features.
    Output,
}

/// The regular expression of one canonical line among `which` statements.
pub fn pattern_of(which: Statements) -> String {
    let num = r"(?:[0-9]{1,4}(?:\.[0-9]{1,4})?)";
    let signed = format!(r"(?:-?{num})");
    // An upper bound has no digit limit, so a range can always be completed in order.
    let upper = r"(?:[0-9]+(?:\.[0-9]{1,4})?)";
    let int = r"(?:[1-9][0-9]?)";
    let gev = r"(?: GeV)?";
    let plural = alt(Kind::OBJECTS.iter().map(|k| lit(k.plural())));
    let singular = alt(Kind::OBJECTS.iter().map(|k| lit(k.singular())));
    let particle = format!(
        r"(?:{}[1-4])",
        alt(Kind::OBJECTS.iter().map(|k| lit(k.symbol())))
    );
    // MET enters a sum once, last ("l1 + MET"); a transverse mass is of particles.
    let visible = format!(r"(?:{particle}(?: \+ {particle}){{0,2}}|Z\((?:ee|mumu|ll)\))");
    let sys = format!(r"(?:{visible}(?: \+ MET)?|MET)");
    let props_gev = alt([Prop::Pt, Prop::Energy, Prop::Mass].map(|p| lit(p.name())));
    let props_plain = alt([Prop::Eta, Prop::AbsEta, Prop::Phi].map(|p| lit(p.name())));
    let q_gev = format!(r"(?:MET|HT|{props_gev}\({sys}\)|MT\({visible}, MET\))");
    let q_plain =
        format!(r"(?:{props_plain}\({sys}\)|(?:dR|dPhi|dEta)\({sys}, {sys}\)|N\({plural}\))");
    let ratio = format!(r"(?:{q_gev} / {q_gev})");
    let cmp_op = r"(?:>|>=|<|<=)";
    let value_cut = alt([
        format!(r"{q_gev} {cmp_op} {num}{gev}"),
        format!(r"{num} < {q_gev} < {upper}{gev}"),
        format!(r"\|{q_gev} - {num}\| < {num}{gev}"),
        format!(r"{q_plain} {cmp_op} {signed}"),
        format!(r"{signed} < {q_plain} < {upper}"),
        format!(r"{ratio} {cmp_op} {num}"),
    ]);
    let filter = alt([
        format!(r"(?:pT|E) (?:>|>=) {num}{gev}"),
        format!(r"\|eta\| (?:<|<=) {num}"),
        format!(r"not {num} < \|eta\| < {upper}"),
    ]);
    let filters = format!(r"{filter}(?:, {filter}){{0,2}}");
    let count = format!(
        r"(?:exactly |>= |<= ){int} (?:{singular}|{plural})(?: with {filters})?|no {plural}"
    );
    let pair = format!(r"(?:OS|SS|SF|SFOS)\({particle}, {particle}\)");
    let q_any = alt([q_gev.clone(), q_plain.clone(), ratio]);
    let cuts = [
        format!(r"{plural}: {filters}"),
        format!(r"remove {plural} within dR < {num} of {plural}"),
        format!(r"require (?:{count}|{value_cut}|{pair})"),
    ];
    let plots = [
        format!(r"plot {q_any}(?: in {signed} to {upper}{gev})?(?:, {int} bins)?(?:, normalised)?"),
        format!(r"each histogram {int} bins"),
        "all histograms normalised".to_owned(),
    ];
    let output = [format!(r"save {q_any}")];
    let stmt = match which {
        Statements::All => alt(cuts.into_iter().chain(plots).chain(output)),
        Statements::Cuts => alt(cuts),
        Statements::Plots => alt(plots),
        Statements::Output => alt(output),
    };
    // After "Canonical:" a model writes its first word with the space before it.
    format!("^ ?{stmt}$")
}

impl Grammar {
    /// The canonical grammar, compiled on first use (a few hundred milliseconds) and shared.
    pub fn canonical() -> &'static Grammar {
        Grammar::of(Statements::All)
    }

    /// The grammar of `which` statements, compiled on first use and shared.
    pub fn of(which: Statements) -> &'static Grammar {
        static G: [OnceLock<Grammar>; 4] = [const { OnceLock::new() }; 4];
        G[which as usize].get_or_init(|| {
            let dfa = dense::Builder::new()
                .configure(
                    dense::Config::new()
                        .match_kind(MatchKind::All)
                        .start_kind(regex_automata::dfa::StartKind::Anchored),
                )
                .build(&pattern_of(which))
                .expect("the canonical grammar is a valid regular expression");
            Grammar {
                dfa: Arc::new(dfa),
                numbers: None,
            }
        })
    }

    /// The same grammar, whose lines may only use `numbers` (the automaton is shared).
    pub fn restricted(&self, numbers: Numbers) -> Grammar {
        Grammar {
            dfa: Arc::clone(&self.dfa),
            numbers: Some(numbers),
        }
    }

    fn numbers_ok(&self, text: &[u8], finished: bool) -> bool {
        self.numbers
            .as_ref()
            .is_none_or(|n| n.admit(text, finished))
    }

    /// The state before any output.
    pub fn start(&self) -> GrammarState {
        let cfg = start::Config::new().anchored(Anchored::Yes);
        GrammarState(
            self.dfa
                .start_state(&cfg)
                .expect("an anchored start state exists"),
        )
    }

    /// The state after `bytes` are appended to `text` (the output so far, which led to
    /// `state`), or `None` if no canonical line starts that way: the automaton died, or a
    /// range can no longer end above its lower bound.
    pub fn advance(&self, state: GrammarState, text: &[u8], bytes: &[u8]) -> Option<GrammarState> {
        let s = self.walk(state, bytes)?;
        let mut next = Vec::with_capacity(text.len() + bytes.len());
        next.extend_from_slice(text);
        next.extend_from_slice(bytes);
        (ranges_ordered(&next, false) && self.numbers_ok(&next, false) && self.completable(&next))
            .then_some(s)
    }

    /// Whether the number being written at the end of `text` can still become an allowed one
    /// that keeps every range increasing: "50 < E < 10" may not go on when 10 is the only
    /// allowed number that starts that way, or decoding would reach a dead end.
    fn completable(&self, text: &[u8]) -> bool {
        let Some(n) = &self.numbers else {
            return true;
        };
        let open = text
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit() || **b == b'.')
            .count();
        if open == 0 {
            return true;
        }
        let (head, tail) = text.split_at(text.len() - open);
        let Ok(tail) = std::str::from_utf8(tail) else {
            return false;
        };
        n.completions(tail).any(|whole| {
            let mut closed = head.to_vec();
            closed.extend_from_slice(whole.as_bytes());
            closed.push(b' ');
            ranges_ordered(&closed, false)
        })
    }

    fn walk(&self, state: GrammarState, bytes: &[u8]) -> Option<GrammarState> {
        let mut s = state.0;
        for &b in bytes {
            s = self.dfa.next_state(s, b);
            if self.dfa.is_dead_state(s) || self.dfa.is_quit_state(s) {
                return None;
            }
        }
        Some(GrammarState(s))
    }

    /// Whether the output `text`, which led to `state`, may end here as a whole line.
    pub fn can_end(&self, state: GrammarState, text: &[u8]) -> bool {
        self.dfa.is_match_state(self.dfa.next_eoi_state(state.0))
            && ranges_ordered(text, true)
            && self.numbers_ok(text, true)
    }

    /// Whether `text` can still be completed to a canonical line.
    pub fn viable(&self, text: &str) -> bool {
        self.advance(self.start(), b"", text.as_bytes()).is_some()
    }

    /// Whether `text` is a whole canonical line.
    pub fn complete(&self, text: &str) -> bool {
        self.advance(self.start(), b"", text.as_bytes())
            .is_some_and(|s| self.can_end(s, text.as_bytes()))
    }
}

/// Whether every range in the output is, or can still become, increasing: `a < x < b` and
/// `in a to b` need `b > a`. A regular language cannot compare numbers, so this is checked
/// beside the automaton. An upper bound still being written (the last word of an unfinished
/// output) only has to be able to exceed `a`: more digits always can, unless a decimal point
/// has fixed its integer part.
fn ranges_ordered(text: &[u8], finished: bool) -> bool {
    let Ok(text) = std::str::from_utf8(text) else {
        return false;
    };
    let words: Vec<&str> = text.split(' ').map(|w| w.trim_end_matches(',')).collect();
    let open_last = !finished && !text.ends_with([' ', ',']);
    let num = |w: &str| w.parse::<f64>().ok().filter(|_| !w.is_empty());
    for i in 0..words.len() {
        let (lower, upper_at) = if words[i] == "in" && words.get(i + 2) == Some(&"to") {
            (words.get(i + 1).and_then(|w| num(w)), i + 3)
        } else if words.get(i + 1) == Some(&"<") && num(words[i]).is_some() {
            match words[i + 2..].iter().position(|w| *w == "<") {
                Some(k) => (num(words[i]), i + 2 + k + 1),
                None => continue,
            }
        } else {
            continue;
        };
        let (Some(lo), Some(up)) = (lower, words.get(upper_at)) else {
            continue;
        };
        if up.is_empty() {
            continue;
        }
        let Some(hi) = num(up) else {
            continue;
        };
        let still_open = open_last && upper_at == words.len() - 1;
        let ok = if !still_open {
            hi > lo
        } else if up.contains('.') {
            let decimals = up.len() - up.find('.').map_or(up.len(), |d| d + 1);
            let most = format!("{up}{}", "9".repeat(4usize.saturating_sub(decimals)));
            most.trim_end_matches('.')
                .parse::<f64>()
                .is_ok_and(|m| m > lo)
        } else {
            true
        };
        if !ok {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{read, Ctx, Section};
    use rand::{RngExt, SeedableRng};

    fn reads(line: &str) -> bool {
        [Section::Cuts, Section::Plots, Section::Output]
            .iter()
            .any(|&s| read(line, s, &mut Ctx::default()).is_ok())
    }

    /// Random walks through the automaton that stop at accepting states: every line the
    /// grammar admits must be one the phrase grammar reads.
    #[test]
    fn every_sampled_line_parses() {
        let g = Grammar::canonical();
        let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
        let mut done = 0;
        while done < 3000 {
            let mut s = g.start();
            let mut text = Vec::new();
            for _ in 0..200 {
                if g.can_end(s, &text) && rng.random::<f64>() < 0.3 {
                    break;
                }
                let next: Vec<u8> = (0..=255u8)
                    .filter(|&b| g.advance(s, &text, &[b]).is_some())
                    .collect();
                if next.is_empty() {
                    break;
                }
                let b = next[rng.random_range(0..next.len())];
                s = g
                    .advance(s, &text, &[b])
                    .expect("a listed byte keeps the walk alive");
                text.push(b);
            }
            assert!(
                g.can_end(s, &text) || text.len() >= 200,
                "the walk reached a dead end at {:?}",
                String::from_utf8_lossy(&text)
            );
            if g.can_end(s, &text) {
                let line = String::from_utf8(text).expect("ASCII");
                assert!(
                    reads(&line),
                    "the grammar admits {line:?}, which does not parse"
                );
                done += 1;
            }
        }
    }

    #[test]
    fn ranges_must_increase() {
        let g = Grammar::canonical();
        assert!(g.complete("require 40 < MT(l1, MET) < 120 GeV"));
        assert!(!g.complete("require 40 < MT(l1, MET) < 12 GeV"));
        assert!(
            g.viable("require 40 < MT(l1, MET) < 12"),
            "more digits can still fix it"
        );
        assert!(!g.viable("require 40 < MT(l1, MET) < 12 "));
        assert!(!g.viable("require 40 < MT(l1, MET) < 39."));
        assert!(g.viable("require 40 < MT(l1, MET) < 40."));
        assert!(!g.complete("plot MET in 100 to 50 GeV"));
        assert!(g.complete("plot eta(j1) in -2.5 to 2.5"));
    }

    #[test]
    fn a_bound_held_to_the_bullets_numbers_must_still_be_able_to_close_the_range() {
        let g = Grammar::canonical().restricted(Numbers::from_bullet("more than 50 GeV"));
        // 10 is allowed, and 100 is not: "< 10" could only end the range below its start.
        assert!(!g.viable("require 50 < E(j1 + j2) < 10"));
        assert!(g.viable("require 5 < E(j1 + j2) < 50"));
        assert!(g.viable("require 5 < E(j1 + j2) < 9"), "9 closes it");
        assert!(
            g.viable("require 50 < E(j1 + j2) < 9"),
            "91.1876 may follow"
        );
        assert!(g.viable("require MET > 5"), "on its way to 50");
    }

    #[test]
    fn common_canonical_lines_are_complete() {
        let g = Grammar::canonical();
        for line in [
            "electrons: pT > 25 GeV, |eta| < 2.5",
            "require exactly 1 lepton",
            "require >= 2 jets with pT > 30 GeV, |eta| < 2.5",
            "require no b-jets",
            "require 40 < MT(l1, MET) < 120 GeV",
            "require dR(j1, j2) < 3",
            "require |m(Z(ll)) - 91.1876| < 10 GeV",
            "require SFOS(l1, l2)",
            "remove jets within dR < 0.4 of leptons",
            "plot m(j1 + j2) in 40 to 120 GeV, 40 bins, normalised",
            "save MT(l1, MET)",
            "each histogram 40 bins",
        ] {
            assert!(g.complete(line), "{line:?} is not in the grammar");
            assert!(reads(line), "{line:?} does not parse");
        }
        assert!(g.viable("require MET >"));
        assert!(!g.viable("require banana"));
        assert!(!g.complete("require MET >"));
    }
}
