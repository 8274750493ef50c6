//! The numbers a model's reading may use: those the bullet states. A small model that is
//! free to write any threshold invents them ("flux capacitor" became a dijet-mass window of
//! 200 to 2000 GeV); held to the bullet's numbers, it can only rearrange what was written.

/// Numbers a reading may contain besides the bullet's own: small integers (counts, bin
/// numbers and indices are often words in a bullet, "two jets") and the masses a window is
/// written around ("the Z window" is |m − 91.1876| < …): the reader's PDG values, and the
/// rounded ones bullets write.
const SMALL_INTEGERS: u32 = 10;
const ROUNDED_MASSES: [f64; 5] = [91.19, 91.2, 80.4, 125.0, 173.0];

/// The numbers one bullet allows, as the canonical line would write them.
#[derive(Debug, Clone, PartialEq)]
pub struct Numbers {
    allowed: Vec<String>,
}

impl Numbers {
    /// The numbers written in `bullet` (and, when it speaks in TeV, the same in GeV), with the
    /// small integers and the reference masses.
    pub fn from_bullet(bullet: &str) -> Self {
        let mut allowed: Vec<String> = (0..=SMALL_INTEGERS).map(|i| i.to_string()).collect();
        let pdg = [
            crate::read::MZ,
            crate::read::MW,
            crate::read::MH,
            crate::read::MTOP,
        ];
        allowed.extend(pdg.iter().chain(&ROUNDED_MASSES).map(|m| canonical(*m)));
        allowed.extend(written(bullet).into_iter().map(canonical));
        allowed.sort();
        allowed.dedup();
        Numbers { allowed }
    }

    /// The allowed numbers that a number being written as `prefix` may become.
    pub fn completions<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.allowed
            .iter()
            .filter(move |a| a.starts_with(prefix))
            .map(String::as_str)
    }

    /// Whether every number in `text` is allowed; with `finished` false, the last word may
    /// still be on its way to one (a prefix of an allowed number).
    pub fn admit(&self, text: &[u8], finished: bool) -> bool {
        let Ok(text) = std::str::from_utf8(text) else {
            return false;
        };
        let open_last = !finished && !text.ends_with([' ', ',', '|', ')']);
        let words: Vec<&str> = text.split([' ', ',']).collect();
        words.iter().enumerate().all(|(i, raw)| {
            let w = raw.trim_matches(|c| c == '|' || c == '-');
            let numeric = !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            if !numeric {
                return true;
            }
            if open_last && i == words.len() - 1 {
                return self.allowed.iter().any(|a| a.starts_with(w));
            }
            w.parse::<f64>()
                .is_ok_and(|v| self.allowed.contains(&canonical(v)))
        })
    }
}

/// The numbers written in digits in `bullet`, and when it speaks in TeV the same in GeV.
pub(crate) fn written(bullet: &str) -> Vec<f64> {
    let tev = bullet.contains("TeV");
    bullet
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|w| w.trim_matches('.').parse::<f64>().ok())
        .flat_map(|v| if tev { vec![v, v * 1000.0] } else { vec![v] })
        .collect()
}

/// `v` as the canonical line writes it: no trailing zeros, at most four decimals.
fn canonical(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_may_use_the_bullets_numbers_and_no_others() {
        let n = Numbers::from_bullet("two jets harder than 30.0 GeV, |η| < 2.5");
        assert!(n.admit(b"require >= 2 jets with pT > 30 GeV, |eta| < 2.5", true));
        assert!(!n.admit(b"require >= 2 jets with pT > 35 GeV", true));
        assert!(n.admit(b"require 2", false), "a count being written");
        assert!(n.admit(b"jets: |eta| < 2.", false), "on its way to 2.5");
        assert!(!n.admit(b"jets: |eta| < 2.4", false));
        assert!(!n.admit(b"require 200 < m(j1 + j2) < 2000 GeV", true));
    }

    #[test]
    fn tev_masses_and_signs() {
        let n = Numbers::from_bullet("a dijet mass above 1.2 TeV near the Z, 10 wide, eta > -2.5");
        assert!(n.admit(b"require m(j1 + j2) > 1200 GeV", true));
        assert!(n.admit(b"require |m(j1 + j2) - 91.19| < 10 GeV", true));
        assert!(n.admit(b"require eta(j1) > -2.5", true));
        assert!(!n.admit(b"require eta(j1) > -2.4", true));
    }
}
