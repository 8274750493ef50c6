//! The parser's footing: a token slice with the discourse context, and the small readers
//! every phrase uses: numbers with units, named masses, ranges and comparisons.
//!
//! Readers take a position and return the value with the position after it, or `None`; they
//! never move past a word they do not understand except the known filler, so whatever a
//! reading spans it has accounted for.

use crate::ir::{Cmp, Kind};
use crate::lex::Tok;
use crate::lexicon::{word_number, FILLER, POS_VERBS};

use super::ctx::Ctx;

/// PDG masses (DESIGN §5), repeated here because the reader resolves "the Z mass" to the
/// number the echo shows.
pub const MZ: f64 = 91.1876;
/// W mass.
pub const MW: f64 = 80.377;
/// Higgs mass.
pub const MH: f64 = 125.25;
/// Top mass.
pub const MTOP: f64 = 172.5;

/// Words that may follow a boson's name where its mass is meant: "the Z boson pole".
const BOSON_WORDS: &[&str] = &["boson", "quark", "mass", "pole", "peak", "resonance"];

/// Words between a quantity and its comparison: "must be", "has to stay", "is required to
/// lie", "of at least".
pub const CMP_LEAD: &[&str] = &[
    "of",
    "to",
    "be",
    "is",
    "are",
    "lie",
    "lies",
    "fall",
    "ranging",
    "falls",
    "must",
    "should",
    "has",
    "have",
    "required",
    "then",
    "also",
    "need",
    "needs",
    "stay",
    "stays",
    "remain",
    "remains",
    "still",
    "further",
    "always",
    "kept",
    "shall",
    "will",
    "can",
    "may",
    "a",
    "value",
    "values",
    "addition",
    "cut",
    "requirement",
];

/// A reading and the position after it.
pub type R<T> = Option<(T, usize)>;

/// The tokens of one clause and what earlier clauses established.
#[derive(Clone, Copy)]
pub struct P<'a> {
    pub toks: &'a [Tok],
    pub ctx: &'a Ctx,
    /// Inside a quantifier ("every jet", "min over the jets"): a bare object word of this
    /// kind means each object in turn, not the leading one.
    pub each: Option<Kind>,
    /// Inside a written-out formula: adjacent factors multiply ("2 pT(μ) MET").
    pub formula: bool,
}

impl<'a> P<'a> {
    /// The word at `i`, or "" past the end.
    pub fn w(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| t.text.as_str())
    }

    /// Whether the word at `i` is one of `ws`.
    pub fn is(&self, i: usize, ws: &[&str]) -> bool {
        ws.contains(&self.w(i))
    }

    /// Whether the token at `i` follows the previous one without a space.
    pub fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.glued)
    }

    /// Whether `i` is past the last token.
    pub fn end(&self, i: usize) -> bool {
        i >= self.toks.len()
    }

    /// Consumes `w` at `i`.
    pub fn eat(&self, i: usize, w: &str) -> Option<usize> {
        (self.w(i) == w).then_some(i + 1)
    }

    /// Consumes one of `ws` at `i`.
    pub fn eat_any(&self, i: usize, ws: &[&str]) -> Option<usize> {
        self.is(i, ws).then_some(i + 1)
    }

    /// Consumes `w` if present.
    pub fn opt(&self, i: usize, w: &str) -> usize {
        if self.w(i) == w {
            i + 1
        } else {
            i
        }
    }

    /// Skips any of `ws`.
    pub fn skip_of(&self, i: usize, ws: &[&str]) -> usize {
        self.skip_of_lists(i, &[ws])
    }

    /// Skips any word of any of `lists`: a lead-in made of a shared list and words of its own.
    pub fn skip_of_lists(&self, mut i: usize, lists: &[&[&str]]) -> usize {
        while lists.iter().any(|ws| self.is(i, ws)) && !self.name_not_article(i) {
            i += 1;
        }
        i
    }

    /// "A < 0.4", "hist A 0..0.4" after "A = ...": the article is the text's name when a
    /// comparison, a number or the end follows it.
    fn name_not_article(&self, i: usize) -> bool {
        self.is(i, &["a", "an"])
            && self.ctx.lookup(self.w(i)).is_some()
            && (self.end(i + 1)
                || self.toks.get(i + 1).is_some_and(|t| t.num.is_some())
                || self.is(
                    i + 1,
                    &[
                        "<", ">", "<=", ">=", "=", ",", ";", "(", "in", "from", "between",
                    ],
                ))
    }

    /// Skips filler words and positive verbs ("the", "must", "be", "selected"), but not a
    /// word the text defined as a name ("A = ...").
    pub fn skip(&self, mut i: usize) -> usize {
        while !self.end(i)
            && (FILLER.contains(&self.w(i)) || POS_VERBS.contains(&self.w(i)))
            && self.ctx.lookup(self.w(i)).is_none()
        {
            i += 1;
        }
        i
    }

    /// The same tokens with a quantifier's kind.
    pub fn with_each(&self, each: Option<Kind>) -> P<'a> {
        P { each, ..*self }
    }

    /// A number, digits or a small number word.
    pub fn number(&self, i: usize) -> R<f64> {
        let t = self.toks.get(i)?;
        let n = t.num.or_else(|| word_number(&t.text))?;
        Some((n, i + 1))
    }

    /// A whole number for counts.
    pub fn int(&self, i: usize) -> R<usize> {
        let (n, j) = self.number(i)?;
        // "3.0" is a measurement, not a count.
        let decimal = self.w(i).contains('.');
        (!decimal && n >= 0.0 && n.fract() == 0.0 && n < 100.0).then_some((n as usize, j))
    }

    /// An energy unit; its scale to GeV.
    pub fn unit(&self, i: usize) -> R<f64> {
        let s = match self.w(i) {
            "gev" => 1.0,
            "tev" => 1000.0,
            "mev" => 0.001,
            _ => return None,
        };
        Some((s, i + 1))
    }

    /// A number and its unit scale, if it has a unit.
    pub fn value_scale(&self, i: usize) -> R<(f64, Option<f64>)> {
        let (n, j) = self.number(i)?;
        // `GeV^{1/2}` after a significance: read, and not an energy unit.
        if self.w(j) == "gev^1" && self.w(j + 1) == "/" && self.w(j + 2) == "2" {
            return Some(((n, None), j + 3));
        }
        match self.unit(j) {
            Some((s, k)) => Some(((n, Some(s)), k)),
            None => Some(((n, None), j)),
        }
    }

    /// A value in GeV (or plain), with whether it carried a unit.
    pub fn value(&self, i: usize) -> R<(f64, bool)> {
        let ((n, s), j) = self.value_scale(i)?;
        Some(((n * s.unwrap_or(1.0), s.is_some()), j))
    }

    /// A value or a named mass ("the Z mass", "m_Z", "mZ"): the PDG values of DESIGN §5.
    pub fn value_or_mass(&self, i: usize) -> R<(f64, bool)> {
        if let Some(v) = self.value(i) {
            return Some(v);
        }
        let j = self.skip_of(self.skip(i), &["nominal", "pdg"]);
        let (m, mut k) = match self.w(j) {
            "m_z" | "mz" => (MZ, j + 1),
            "m_w" | "mw" => (MW, j + 1),
            "m_h" | "mh" => (MH, j + 1),
            "m_top" | "mtop" | "m_t" => (MTOP, j + 1),
            // "within 10 GeV of the Z": a boson named where a mass is due is its mass.
            "z" | "z0" => (MZ, self.skip_of(j + 1, BOSON_WORDS)),
            "higgs" => (MH, self.skip_of(j + 1, BOSON_WORDS)),
            "w" if self.is(j + 1, BOSON_WORDS) => (MW, self.skip_of(j + 1, BOSON_WORDS)),
            "top" if self.is(j + 1, BOSON_WORDS) => (MTOP, self.skip_of(j + 1, BOSON_WORDS)),
            _ => return None,
        };
        // "m_Z = 91.1876 GeV", "the Z boson mass (91.19 GeV)", "the Z mass, m_Z = 91.1876
        // GeV,": an explicit value wins.
        if self.w(k) == ","
            && self.is(
                k + 1,
                &["m_z", "mz", "m_w", "mw", "m_h", "mh", "m_top", "mtop"],
            )
            && self.w(k + 2) == "="
        {
            k += 2;
        }
        if self.is(k, &["=", "("]) {
            if let Some(((v, _), e)) = self.value(k + 1) {
                k = if self.w(k) == "(" {
                    self.eat(e, ")")?
                } else {
                    e
                };
                return Some(((v, true), k));
            }
        }
        k = self.opt(k, "gev");
        Some(((m, true), k))
    }

    /// `a and b`, `a to b`, `a - b`, `a .. b`, `[a, b]`, `(a, b)`, `from a to b`; a unit may
    /// follow either number (a unit after the second covers both).
    pub fn range(&self, i: usize) -> R<(f64, f64, bool)> {
        let open = self.eat_any(i, &["[", "("]);
        let mut j = open.unwrap_or(i);
        j = self.opt(j, "from");
        let ((a, ua), k) = self.value_scale(j)?;
        // "a and b" only after "between", "a, b" only in brackets.
        let between = i > 0 && self.is(i - 1, &["between", "outside"]);
        if (self.w(k) == "and" && !between) || (self.w(k) == "," && open.is_none()) {
            return None;
        }
        let k = self.eat_any(k, &["and", "to", "-", ",", "..", "...", "–"])?;
        let ((b, mut ub), mut k) = self.value_scale(k)?;
        if open.is_some() {
            k = self.eat_any(k, &["]", ")"])?;
        }
        if ub.is_none() {
            if let Some((s, e)) = self.unit(k) {
                ub = Some(s);
                k = e;
            }
        }
        let (a, b) = (a * ua.or(ub).unwrap_or(1.0), b * ub.unwrap_or(1.0));
        (a < b).then_some(((a, b, ua.is_some() || ub.is_some()), k))
    }

    /// A comparison after a quantity: `> 30 GeV`, `above 30`, `between 40 and 120`, `from 40
    /// to 120`, `within
    /// 10 of the Z mass`, `in [60, 100]`, `outside 1.37 and 1.52`, `of at least 20 GeV`.
    /// Returns the comparison and whether a unit was written.
    pub fn cmp(&self, i: usize) -> R<(Cmp, bool)> {
        let i = self.skip_of(i, CMP_LEAD);
        let op = self.w(i);
        let gt = |j| self.value(j).map(|((v, u), k)| ((Cmp::Gt(v), u), k));
        if let Some(r) = self.near(i) {
            return Some(r);
        }
        match op {
            ">" | "above" | "exceeding" | "exceeds" | "exceed" | "over" | "beyond" => gt(i + 1),
            "<" | "below" | "under" => self.value(i + 1).map(|((v, u), k)| ((Cmp::Lt(v), u), k)),
            ">=" => self.value(i + 1).map(|((v, u), k)| ((Cmp::Ge(v), u), k)),
            "<=" => self.value(i + 1).map(|((v, u), k)| ((Cmp::Le(v), u), k)),
            "!=" => self.value(i + 1).map(|((v, u), k)| ((Cmp::Ne(v), u), k)),
            "=" | "==" | "equals" | "equal" => self.equal(i + 1),
            "between" | "in" | "within" | "inside" => self.window(i + 1, op),
            // "m_jj from 100 to 150 GeV".
            "from" => {
                let ((a, b, u), k) = self.range(i)?;
                Some(((Cmp::Between(a, b), u), k))
            }
            "outside" | "notin" => {
                let ((a, b, u), k) = self.named_range(i + 1)?;
                Some(((Cmp::Outside(a, b), u), k))
            }
            "not" => {
                let j = self.eat_any(i + 1, &["in", "between", "within"])?;
                let j = self.skip_of(j, &["the", "range", "window", "interval"]);
                let ((a, b, u), k) = self.range(j)?;
                Some(((Cmp::Outside(a, b), u), k))
            }
            "positive" => Some(((Cmp::Gt(0.0), false), i + 1)),
            "negative" => Some(((Cmp::Lt(0.0), false), i + 1)),
            _ => self.or_more(i),
        }
    }

    /// "80 GeV or more", "2.5 or less": the bound, then which side of it.
    fn or_more(&self, i: usize) -> R<(Cmp, bool)> {
        let ((v, u), k) = self.value(i)?;
        // (The lexer writes "or more" and "or less" as one word.)
        let (k, w) = match self.w(k) {
            "ormore" => (k, "more"),
            "orfewer" => (k, "less"),
            _ => {
                let k = self.eat(k, "or")?;
                (k, self.w(k))
            }
        };
        match w {
            "more" | "above" | "higher" | "greater" | "larger" => Some(((Cmp::Ge(v), u), k + 1)),
            "less" | "below" | "lower" | "smaller" => Some(((Cmp::Le(v), u), k + 1)),
            _ => None,
        }
    }

    /// A window around a mass said in words, or its outside: "close to the Z mass, within 5
    /// GeV", "near m_Z (less than 10 GeV away)", "less than 5 GeV away from the Z", "closer
    /// than 10 GeV to the Z mass", "more than 15 GeV away from the Z mass".
    fn near(&self, i: usize) -> R<(Cmp, bool)> {
        let within = |center: f64, j: usize| {
            let j = self.skip_of(j, &[",", "(", "i.e.", "ie", "that", "is"]);
            let j = self.eat_any(j, &["within", "<", "<=", "by"])?;
            let ((width, u), k) = self.value(j)?;
            let k = self.opt(k, "away");
            let k = if self.w(j - 1) == "(" || self.is(k, &[")"]) {
                self.opt(k, ")")
            } else {
                k
            };
            Some(((Cmp::Within { center, width }, u), k))
        };
        match self.w(i) {
            "close" | "near" | "around" | "closest" => {
                let j = self.skip_of(i + 1, &["to", "the"]);
                let ((center, _), k) = self.value_or_mass(j)?;
                within(center, k)
            }
            "closer" => {
                let j = self.eat(i + 1, "than")?;
                let ((width, u), k) = self.value(j)?;
                let k = self.eat_any(k, &["to", "from", "of"])?;
                let ((center, _), e) = self.value_or_mass(k)?;
                Some(((Cmp::Within { center, width }, u), e))
            }
            // "less than 5 GeV away from the Z mass", "more than 15 GeV away from it".
            op @ ("<" | "below" | "under" | "within" | ">" | "above") => {
                let ((width, u), k) = self.value(i + 1)?;
                let k = self.eat(k, "away")?;
                let k = self.skip_of(k, &["from", "of"]);
                let ((center, _), e) = self.value_or_mass(k)?;
                let cmp = if matches!(op, ">" | "above") {
                    Cmp::Away { center, width }
                } else {
                    Cmp::Within { center, width }
                };
                Some(((cmp, u), e))
            }
            _ => None,
        }
    }

    /// After `=`: a value, or `M ± X` as a window.
    fn equal(&self, i: usize) -> R<(Cmp, bool)> {
        let i = self.opt(i, "to");
        let ((v, u), j) = self.value_or_mass(i)?;
        if self.w(j) == "±" {
            let ((w, u2), k) = self.value(j + 1)?;
            return Some((
                (
                    Cmp::Within {
                        center: v,
                        width: w,
                    },
                    u || u2,
                ),
                k,
            ));
        }
        Some(((Cmp::Eq(v), u), j))
    }

    /// A range, perhaps named first: "the Z window (76–106 GeV)", "the range 60 to 120".
    fn named_range(&self, i: usize) -> R<(f64, f64, bool)> {
        let words = [
            "of", "the", "range", "window", "interval", "between", "mass", "z", "peak", "region",
        ];
        let j = self.skip_of(i, &words);
        if self.w(j) == "(" && j > i {
            let (r, k) = self.range(j + 1)?;
            return Some((r, self.eat(k, ")")?));
        }
        self.range(j)
    }

    /// After "between", "in", "within": a range, or "within X of M".
    fn window(&self, i: usize, op: &str) -> R<(Cmp, bool)> {
        let j = self.skip_of(i, &["the", "range", "window", "interval", "mass"]);
        if let Some(((a, b, u), k)) = self.range(j) {
            return Some(((Cmp::Between(a, b), u), k));
        }
        if op != "within" {
            return None;
        }
        let ((width, u), k) = self.value(i)?;
        let k = self.eat_any(k, &["of", "around", "from"])?;
        let ((center, u2), k) = self.value_or_mass(k)?;
        Some(((Cmp::Within { center, width }, u || u2), k))
    }
}
