//! Text helpers shared by the renderers: JSON string literals, HTML escaping, CSV quoting
//! and LaTeX-like labels.

/// A JSON string literal for `s` (quotes, backslashes and control characters escaped).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Quotes a CSV field when it contains a separator, quote or line break (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Vertical placement of a piece of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// On the baseline.
    Normal,
    /// Lowered and smaller (`_`).
    Sub,
    /// Raised and smaller (`^`).
    Sup,
}

/// Splits a LaTeX-like label (`m_{\mu\mu} [GeV]`, `p_T^{\ell}`, `E_T^{miss}`) into runs of
/// Unicode text with their vertical placement, so plots can draw real sub- and superscripts
/// with any TrueType font. `$` signs and grouping braces are dropped; unknown commands keep
/// their name.
pub fn latex_segments(label: &str) -> Vec<(String, Script)> {
    let mut out: Vec<(String, Script)> = Vec::new();
    let chars: Vec<char> = label.chars().collect();
    let mut i = 0;
    let push = |text: &str, script: Script, out: &mut Vec<(String, Script)>| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some((t, s)) if *s == script => t.push_str(text),
            _ => out.push((text.to_owned(), script)),
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '_' | '^' => {
                let script = if c == '_' { Script::Sub } else { Script::Sup };
                i += 1;
                let (arg, next) = script_argument(&chars, i);
                push(&convert_plain(&arg), script, &mut out);
                i = next;
            }
            '\\' => {
                let (text, next) = command(&chars, i);
                push(&text, Script::Normal, &mut out);
                i = next;
            }
            '$' | '{' | '}' => i += 1,
            c => {
                push(&c.to_string(), Script::Normal, &mut out);
                i += 1;
            }
        }
    }
    out
}

/// The argument of `_`/`^`: a braced group (may contain commands) or one character/command.
fn script_argument(chars: &[char], i: usize) -> (String, usize) {
    match chars.get(i) {
        Some('{') => {
            let mut depth = 0;
            let mut j = i;
            while j < chars.len() {
                match chars[j] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            return (chars[i + 1..j].iter().collect(), j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            (chars[i + 1..].iter().collect(), chars.len())
        }
        Some('\\') => {
            let (_, next) = command(chars, i);
            (chars[i..next].iter().collect(), next)
        }
        Some(c) => (c.to_string(), i + 1),
        None => (String::new(), i),
    }
}

/// Converts a script argument (no nested scripts expected) to plain Unicode.
fn convert_plain(s: &str) -> String {
    latex_segments(s)
        .into_iter()
        .map(|(t, _)| t)
        .collect::<Vec<_>>()
        .join("")
}

/// Reads `\name` (or `\` + one symbol) at `i`; returns its Unicode text and the next index.
fn command(chars: &[char], i: usize) -> (String, usize) {
    let mut j = i + 1;
    while j < chars.len() && chars[j].is_ascii_alphabetic() {
        j += 1;
    }
    if j == i + 1 {
        // `\,` `\ ` `\%` `\{` and friends: a single escaped symbol.
        return match chars.get(i + 1) {
            Some(',') | Some(' ') | Some(';') => (" ".to_owned(), i + 2),
            Some(c) => (c.to_string(), i + 2),
            None => (String::new(), i + 1),
        };
    }
    let name: String = chars[i + 1..j].iter().collect();
    let text = match name.as_str() {
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "Gamma" => "Γ",
        "delta" => "δ",
        "Delta" => "Δ",
        "epsilon" | "varepsilon" => "ε",
        "eta" => "η",
        "theta" => "θ",
        "lambda" => "λ",
        "mu" => "μ",
        "nu" => "ν",
        "pi" => "π",
        "rho" => "ρ",
        "sigma" => "σ",
        "Sigma" => "Σ",
        "tau" => "τ",
        "phi" | "varphi" => "φ",
        "Phi" => "Φ",
        "chi" => "χ",
        "psi" => "ψ",
        "omega" => "ω",
        "Omega" => "Ω",
        "ell" => "ℓ",
        "to" | "rightarrow" => "→",
        "leftarrow" => "←",
        "pm" => "±",
        "mp" => "∓",
        "times" => "×",
        "cdot" => "·",
        "infty" => "∞",
        "geq" | "ge" => "≥",
        "leq" | "le" => "≤",
        "neq" | "ne" => "≠",
        "approx" => "≈",
        "sim" => "∼",
        "sqrt" => "√",
        "prime" => "′",
        "bar" | "overline" | "mathrm" | "text" | "rm" | "mathit" | "it" | "textrm" | "mathbf"
        | "left" | "right" => "",
        other => other,
    };
    (text.to_owned(), j)
}

/// A LaTeX-like label as one Unicode string for plain-text places (legends, CSV, titles
/// without layout): sub/superscripts use Unicode script characters when every character has
/// one, otherwise they are written inline after `_`/`^`.
pub fn latex_to_unicode(label: &str) -> String {
    let mut out = String::new();
    for (text, script) in latex_segments(label) {
        match script {
            Script::Normal => out.push_str(&text),
            Script::Sub => match text.chars().map(subscript).collect::<Option<String>>() {
                Some(s) => out.push_str(&s),
                None => {
                    out.push('_');
                    out.push_str(&text);
                }
            },
            Script::Sup => match text.chars().map(superscript).collect::<Option<String>>() {
                Some(s) => out.push_str(&s),
                None => {
                    out.push('^');
                    out.push_str(&text);
                }
            },
        }
    }
    out
}

fn subscript(c: char) -> Option<char> {
    const FROM: &str = "0123456789+-=()aehijklmnoprstuvx";
    const TO: &str = "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ";
    FROM.chars()
        .position(|f| f == c)
        .and_then(|i| TO.chars().nth(i))
}

fn superscript(c: char) -> Option<char> {
    const FROM: &str = "0123456789+-=()in";
    const TO: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ";
    FROM.chars()
        .position(|f| f == c)
        .and_then(|i| TO.chars().nth(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_what_json_requires() {
        assert_eq!(json_string("plain"), "\"plain\"");
        assert_eq!(json_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
        assert_eq!(
            json_string("<td class=\"x\">μ</td>"),
            "\"<td class=\\\"x\\\">μ</td>\""
        );
    }

    #[test]
    fn latex_labels() {
        assert_eq!(
            latex_segments(r"m_{\mu\mu} [GeV]"),
            vec![
                ("m".to_owned(), Script::Normal),
                ("μμ".to_owned(), Script::Sub),
                (" [GeV]".to_owned(), Script::Normal)
            ]
        );
        assert_eq!(latex_to_unicode(r"m_{\mu\mu} [GeV]"), "m_μμ [GeV]");
        assert_eq!(latex_to_unicode(r"$p_{T}^{2}$"), "p_T²");
        assert_eq!(
            latex_to_unicode(r"\Delta\phi(\ell, E_T^{miss})"),
            "Δφ(ℓ, E_T^miss)"
        );
        assert_eq!(latex_to_unicode("m_{12}"), "m₁₂");
        assert_eq!(latex_to_unicode(r"100\% \to x"), "100% → x");
    }

    #[test]
    fn csv_and_html_escaping() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("MET > 30"), "MET > 30");
        assert_eq!(html_escape("<b>&"), "&lt;b&gt;&amp;");
    }
}
