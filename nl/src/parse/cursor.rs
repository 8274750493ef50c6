//! A backtracking cursor over tokens, and the small shared readers (numbers with units, known
//! masses, comparisons) every statement uses.

use crate::ir::Cmp;
use crate::lex::Tok;

/// Position in a token list; cheap to copy, so alternatives are tried by saving and restoring.
#[derive(Clone, Copy)]
pub struct Cursor<'a> {
    toks: &'a [Tok],
    pub pos: usize,
    /// Whether a value read so far carried an energy unit, so a unit on a dimensionless
    /// quantity ("dR < 0.4 GeV") can be refused instead of ignored.
    pub unit: bool,
}

impl<'a> Cursor<'a> {
    pub fn new(toks: &'a [Tok]) -> Cursor<'a> {
        Cursor {
            toks,
            pos: 0,
            unit: false,
        }
    }

    pub fn done(&self) -> bool {
        self.pos >= self.toks.len()
    }

    pub fn peek(&self) -> Option<&'a str> {
        self.toks.get(self.pos).map(|t| t.text.as_str())
    }

    pub fn peek_at(&self, k: usize) -> Option<&'a str> {
        self.toks.get(self.pos + k).map(|t| t.text.as_str())
    }

    pub fn peek_glued(&self) -> bool {
        self.toks.get(self.pos).is_some_and(|t| t.glued)
    }

    pub fn next_word(&mut self) -> Option<&'a str> {
        let w = self.peek()?;
        self.pos += 1;
        Some(w)
    }

    pub fn eat(&mut self, w: &str) -> bool {
        if self.peek() == Some(w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn eat_any(&mut self, ws: &[&str]) -> Option<&'a str> {
        let w = self.peek()?;
        if ws.contains(&w) {
            self.pos += 1;
            Some(w)
        } else {
            None
        }
    }

    /// Skips any of `ws`; returns whether one was skipped.
    pub fn skip(&mut self, ws: &[&str]) -> bool {
        let start = self.pos;
        while self.eat_any(ws).is_some() {}
        self.pos > start
    }

    pub fn number(&mut self) -> Option<f64> {
        let t = self.toks.get(self.pos)?;
        let n = t.num.or_else(|| word_number(&t.text))?;
        self.pos += 1;
        Some(n)
    }

    /// A number with an optional unit (GeV, TeV, MeV), in GeV.
    pub fn value(&mut self) -> Option<f64> {
        self.value_scale().map(|(n, s)| n * s.unwrap_or(1.0))
    }

    /// A number and the scale to GeV of its unit, if it has one.
    fn value_scale(&mut self) -> Option<(f64, Option<f64>)> {
        let n = self.number()?;
        let scale = self.eat_any(&["gev", "tev", "mev"]).map(|u| match u {
            "tev" => 1000.0,
            "mev" => 0.001,
            _ => 1.0,
        });
        self.unit |= scale.is_some();
        Some((n, scale))
    }

    /// A value or a named mass ("the Z mass", "m_Z", "mZ"): the PDG values of DESIGN §5.
    pub fn value_or_mass(&mut self) -> Option<f64> {
        if let Some(v) = self.value() {
            return Some(v);
        }
        let save = *self;
        self.skip(&["nominal", "pdg"]);
        let m = match self.next_word()? {
            "m_z" | "mz" => Some(MZ),
            "m_w" | "mw" => Some(MW),
            "m_h" | "mh" => Some(MH),
            "m_t" | "m_top" | "mtop" => Some(MTOP),
            "z" => self.boson_mass(MZ),
            "w" => self.boson_mass(MW),
            "higgs" | "h" => self.boson_mass(MH),
            "top" => self.boson_mass(MTOP),
            _ => None,
        };
        if m.is_none() {
            *self = save;
        }
        m
    }

    fn boson_mass(&mut self, m: f64) -> Option<f64> {
        self.skip(&["boson", "quark", "pole"]);
        self.eat_any(&["m", "mass"]).map(|_| m)
    }

    /// A comparison after a quantity: `> 30 GeV`, `above 30`, `between 40 and 120`, `within
    /// 10 of the Z mass`, `in 60 to 100`, `outside 1.37 and 1.52`.
    pub fn cmp(&mut self) -> Option<Cmp> {
        let save = *self;
        let r = self.cmp_inner();
        if r.is_none() {
            *self = save;
        }
        r
    }

    fn cmp_inner(&mut self) -> Option<Cmp> {
        let w = self.next_word()?;
        Some(match w {
            ">" | "above" | "exceeding" | "exceeds" | "exceed" | "over" => Cmp::Gt(self.value()?),
            "<" | "below" | "under" => Cmp::Lt(self.value()?),
            ">=" => Cmp::Ge(self.value()?),
            "<=" => Cmp::Le(self.value()?),
            "negative" => Cmp::Lt(0.0),
            "positive" => Cmp::Gt(0.0),
            "=" | "==" | "equal" | "equals" | "exactly" => {
                self.eat("to");
                Cmp::Eq(self.value()?)
            }
            "between" => {
                let (a, b) = self.range()?;
                Cmp::Between(a, b)
            }
            "in" | "inside" => {
                self.skip(&["range", "window", "interval"]);
                let (a, b) = self.range()?;
                Cmp::Between(a, b)
            }
            "outside" | "not" => {
                self.skip(&["between", "in", "range", "window", "of", "interval"]);
                let (a, b) = self.range()?;
                Cmp::Outside(a, b)
            }
            "within" => {
                let width = self.value()?;
                self.eat_any(&["of", "around", "from"])?;
                let center = self.value_or_mass()?;
                Cmp::Within { center, width }
            }
            _ => return None,
        })
    }

    /// A unit on its own, after a bracketed range (`[81, 101] GeV`).
    fn value_scale_unit(&mut self) -> Option<f64> {
        let u = self.eat_any(&["gev", "tev", "mev"])?;
        self.unit = true;
        Some(match u {
            "tev" => 1000.0,
            "mev" => 0.001,
            _ => 1.0,
        })
    }

    /// `a and b`, `a to b`, `a - b`, `[a, b]`, `(a, b)`; units may follow either number.
    pub fn range(&mut self) -> Option<(f64, f64)> {
        let bracket = self.eat_any(&["[", "("]).is_some();
        self.eat("from");
        let (a, ua) = self.value_scale()?;
        self.eat_any(&["and", "to", "-", ","])?;
        let (b, mut ub) = self.value_scale()?;
        if bracket {
            self.eat_any(&["]", ")"])?;
        }
        if ub.is_none() {
            ub = self.value_scale_unit();
        }
        // "between 0.07 and 0.11 TeV": a unit after the second number covers both.
        let (a, b) = (a * ua.or(ub).unwrap_or(1.0), b * ub.unwrap_or(1.0));
        (a < b).then_some((a, b))
    }
}

/// PDG masses (DESIGN §5), repeated here because the grammar resolves "the Z mass" to a number
/// that the echo shows.
pub const MZ: f64 = 91.1876;
/// W mass.
pub const MW: f64 = 80.377;
/// Higgs mass.
pub const MH: f64 = 125.25;
/// Top mass.
pub const MTOP: f64 = 172.5;

/// Spelled-out small numbers ("exactly two jets").
pub fn word_number(w: &str) -> Option<f64> {
    Some(match w {
        "zero" => 0.0,
        "one" | "single" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        _ => return None,
    })
}
