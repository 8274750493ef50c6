//! Folding of compound spellings into plain tokens: `m_jj`, `mμμ`, `pT^{j1}`, `Nb`, `njets`,
//! `|Δη_jj|` and object symbols (`μ_1`).

use std::ops::Range;

use crate::ir::Kind;
use crate::token::{emit, synonym, Tok};

use super::symbol;

/// Folds one raw word into tokens: synonyms, subscripted quantities (`m_jj`, `pT^{j1}`),
/// glued compounds (`mjj`, `ptll`, `Nb`, `njets`) and object symbols (`mu_1`).
pub fn fold_word(w: &str, glued: bool, span: Range<usize>, out: &mut Vec<Tok>) {
    if let Some(to) = synonym(w) {
        return emit(to, glued, &span, out);
    }
    if let Some((k, n)) = symbol(&w.replace('_', "")) {
        if !w.contains('^') {
            let s = format!("{}{}", k.symbol(), n + 1);
            return emit(&s, glued, &span, out);
        }
    }
    if w.contains('_') || w.contains('^') {
        if let Some(text) = subscripted(w) {
            return emit(&text, glued, &span, out);
        }
    } else if let Some(text) = compound(w).or_else(|| standalone(w)) {
        return emit(&text, glued, &span, out);
    }
    emit(w, glued, &span, out);
}

/// Heads a subscript can follow, and how their codes join: a sum for masses and momenta, a
/// pair for separations, a kind for counts.
fn head(w: &str) -> Option<(&'static str, Join)> {
    Some(match w {
        "m" | "mass" | "minv" | "invmass" => ("m", Join::Sum),
        "pt" | "p_t" => ("pt", Join::Sum),
        "e" => ("e", Join::Sum),
        "eta" => ("eta", Join::Sum),
        "phi" => ("phi", Join::Sum),
        "y" => ("y", Join::Sum),
        "mt" | "m_t" => ("mt", Join::Sum),
        "dr" | "deltar" | "delta_r" => ("dr", Join::Pair),
        "dphi" | "deltaphi" | "delta_phi" => ("dphi", Join::Pair),
        "deta" | "deltaeta" | "delta_eta" => ("deta", Join::Pair),
        "n" | "num" | "nb" | "njet" | "njets" => ("number", Join::Kind),
        "ht" | "h_t" => ("ht", Join::Sum),
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Join {
    Sum,
    Pair,
    Kind,
}

/// `m_jj`, `m_{ll}`, `pT^{j1}`, `p_T^{lead}`, `Δφ_jj`, `N_jets`, `E_T^miss` (already a
/// synonym), `m_T^W`.
fn subscripted(w: &str) -> Option<String> {
    // `MT_b,min`, `m_eff,incl`: a name of the text's own.
    if w.rsplit_once(',')
        .is_some_and(|(_, tail)| tail.len() >= 3 && tail.chars().all(char::is_alphabetic))
    {
        return None;
    }
    let (base, rest) = w.split_once(['_', '^'])?;
    // Two-letter heads written with a subscript letter: p_T, m_T, H_T, E_T.
    let (base, rest) = match (base, rest.split_once(['_', '^'])) {
        ("p", _) if rest == "t" => return Some("pt".to_owned()),
        ("p" | "e", Some(("t", r))) => ("pt", r),
        ("m", Some(("t", r))) => ("mt", r),
        ("h", Some(("t", r))) => ("ht", r),
        ("p", _) if rest.starts_with('t') && rest.len() > 1 => ("pt", &rest[1..]),
        (b, _) => (b, rest),
    };
    let base = synonym(base).unwrap_or(base);
    let (h, join) = head(base)?;
    let code = rest
        .trim_start_matches(['_', '^'])
        .replace(['_', '^', ','], "");
    if matches!(code.as_str(), "min" | "max") {
        return Some(format!("{code} {h}"));
    }
    // `m_T^W`: the W's transverse mass, the one the cuts used (the reader resolves a bare
    // `mt`).
    if h == "mt" && code == "w" {
        return Some("mt".to_owned());
    }
    if h == "mt" && matches!(code.as_str(), "lep" | "l") {
        return Some("mt ( l1 )".to_owned());
    }
    let sys = system_code(&code, join)?;
    Some(format!("{h} ( {sys} )"))
}

/// Glued compounds: `mjj`, `mll`, `mμμ` (`mmumu`), `ptll`, `drjj`, `detajj`, `njets`, `Nb`,
/// `m4l`.
fn compound(w: &str) -> Option<String> {
    // `pT1`, `η2`: a property of the leading (second, ...) object of what the text is about.
    for (prefix, h) in [("pt", "pt"), ("eta", "eta"), ("phi", "phi")] {
        if let Some(n) = w.strip_prefix(prefix).and_then(|d| d.parse::<usize>().ok()) {
            let rank = match n {
                1 => "leading",
                2 => "second",
                3 => "third",
                4 => "fourth",
                _ => return None,
            };
            return Some(format!("{h} ( {rank} )"));
        }
    }
    for (prefix, h, join) in [
        ("dphi", "dphi", Join::Pair),
        ("deta", "deta", Join::Pair),
        ("dr", "dr", Join::Pair),
        ("pt", "pt", Join::Sum),
        ("eta", "eta", Join::Sum),
        ("phi", "phi", Join::Sum),
        ("mt", "mt", Join::Sum),
        ("m", "m", Join::Sum),
        ("n", "number", Join::Kind),
    ] {
        if let Some(code) = w.strip_prefix(prefix) {
            if code.is_empty() || (prefix == "m" && code == "t") {
                continue;
            }
            // Only codes made of the common object symbols, two or more of them except for
            // counts: "met", "mass", "me", "number" stay words.
            let parts = symbols(
                code.strip_suffix('s')
                    .filter(|_| join == Join::Kind)
                    .unwrap_or(code),
            );
            // Counts take any one symbol (`njet`, `nlep`); `ptj1` names one ranked object.
            let plain = parts.as_ref().is_some_and(|p| {
                join == Join::Kind
                    || (p
                        .iter()
                        .all(|(s, _, _)| !matches!(*s, "a" | "g" | "y" | "lep" | "jet" | "btag"))
                        && (p.len() >= 2
                            || matches!(p.as_slice(), [(_, _, Some(_))])
                            || code.starts_with(|c: char| c.is_ascii_digit())))
            });
            if !plain {
                continue;
            }
            if let Some(sys) = system_code(code, join) {
                return Some(format!("{h} ( {sys} )"));
            }
        }
    }
    None
}

/// A counted code inside parentheses, `2e2mu` or `4l`, as a parenthesised sum.
pub(crate) fn counted_code(w: &str) -> Option<String> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("( {} )", system_code(w, Join::Sum)?))
}

/// A code written on its own: `γγ`, `μμ`, `eμ`, `ℓℓ`, `jj`, `ττ`, `j1j2`, `τ1τ2`, `2e2μ`, as a
/// parenthesised sum (`( mu1 + mu2 )`).
fn standalone(w: &str) -> Option<String> {
    if matches!(
        w,
        "be" | "bell" | "ell" | "ebb" | "bee" | "lee" | "jell" | "belle" | "el" | "bel"
    ) {
        return None;
    }
    let parts = symbols(w)?;
    let digits = w.chars().any(|c| c.is_ascii_digit());
    let common = parts.iter().all(|(s, _, _)| {
        matches!(
            *s,
            "mu" | "muon" | "gamma" | "photon" | "tau" | "ph" | "j" | "l" | "e" | "b"
        )
    });
    if !common || (parts.len() < 2 && !digits) {
        return None;
    }
    let sys = system_code(w, Join::Sum)?;
    Some(format!("( {sys} )"))
}

/// Object symbols a subscript code is made of, longest first.
const CODE_SYMBOLS: &[(&str, Kind)] = &[
    ("muon", Kind::Muon),
    ("mu", Kind::Muon),
    ("photon", Kind::Photon),
    ("gamma", Kind::Photon),
    ("tau", Kind::Tau),
    ("lep", Kind::Lepton),
    ("jet", Kind::Jet),
    ("bjet", Kind::BJet),
    ("btag", Kind::BJet),
    ("ph", Kind::Photon),
    ("j", Kind::Jet),
    ("l", Kind::Lepton),
    ("e", Kind::Electron),
    ("b", Kind::BJet),
    ("y", Kind::Photon),
];

/// A subscript naming objects: `jj` → `j1 + j2`, `emu` → `e1 + mu1`, `4l` → `l1 + … + l4`,
/// `j1` → `j1`, `lead` → `leading`; for counts, `jets` → `jets`. `None` when it is not one.
fn system_code(code: &str, join: Join) -> Option<String> {
    // A plural ending only on whole words ("jets", "leptons"), not on symbols.
    let code = match code.strip_suffix('s') {
        Some(c)
            if [
                "jet", "lepton", "lep", "muon", "electron", "photon", "tau", "bjet", "btag", "ele",
                "el", "mu", "e", "j", "b", "l",
            ]
            .contains(&c) =>
        {
            c
        }
        _ => code,
    };
    if code.is_empty() {
        return None;
    }
    if join == Join::Kind {
        let (_, kind, _) = symbols(code)?.into_iter().next()?;
        return (symbols(code)?.len() == 1).then(|| kind.plural().replace("b-jets", "b jets"));
    }
    if matches!(code, "lead" | "leading" | "1") {
        return Some("leading".to_owned());
    }
    if matches!(code, "sublead" | "subleading" | "2") {
        return Some("subleading".to_owned());
    }
    let parts = counted_symbols(code)?;
    // `η_j`, `pT_ℓ`: one object named generically, not the leading one.
    if let [(1, kind, None)] = parts.as_slice() {
        if join == Join::Sum {
            return Some(kind.singular().replace("b-jet", "b jet"));
        }
    }
    let mut names = Vec::new();
    let mut seen: Vec<(Kind, usize)> = Vec::new();
    for (n, kind, index) in parts {
        for _ in 0..n {
            let i = match index {
                Some(i) => i,
                None => seen.iter().filter(|(k, _)| *k == kind).count(),
            };
            seen.push((kind, i));
            names.push(format!("{}{}", kind.symbol(), i + 1));
        }
    }
    if names.len() > 8 || (join == Join::Pair && names.len() != 2 && names.len() != 1) {
        return None;
    }
    let sep = if join == Join::Pair { " , " } else { " + " };
    Some(names.join(sep))
}

/// Splits a code into object symbols with a count before each: `2e2mu`, `4l`, `jj`.
fn counted_symbols(mut code: &str) -> Option<Vec<(usize, Kind, Option<usize>)>> {
    let mut out = Vec::new();
    while !code.is_empty() {
        let digits = code.chars().take_while(char::is_ascii_digit).count();
        let n = if digits > 0 {
            code[..digits].parse().ok()?
        } else {
            1
        };
        code = &code[digits..];
        let (s, k) = CODE_SYMBOLS.iter().find(|(s, _)| code.starts_with(s))?;
        code = &code[s.len()..];
        let idx = code.chars().take_while(char::is_ascii_digit).count();
        let index = if idx > 0 && digits == 0 {
            let i: usize = code[..idx].parse().ok()?;
            code = &code[idx..];
            Some(i.checked_sub(1)?)
        } else {
            None
        };
        out.push((n, *k, index));
    }
    (!out.is_empty()).then_some(out)
}

/// Splits a code into object symbols, each with an optional explicit index.
fn symbols(mut code: &str) -> Option<Vec<(&'static str, Kind, Option<usize>)>> {
    let mut out = Vec::new();
    while !code.is_empty() {
        let (s, k) = CODE_SYMBOLS.iter().find(|(s, _)| code.starts_with(s))?;
        code = &code[s.len()..];
        let digits = code.chars().take_while(char::is_ascii_digit).count();
        let index = if digits > 0 {
            let n: usize = code[..digits].parse().ok()?;
            code = &code[digits..];
            Some(n.checked_sub(1)?)
        } else {
            None
        };
        out.push((*s, *k, index));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::lex::tokenize;

    fn words(s: &str) -> String {
        tokenize(s)
            .into_iter()
            .map(|t| t.text)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn compounds_and_subscripts() {
        assert_eq!(words("m_jj"), "m ( j1 + j2 )");
        assert_eq!(words("mjj"), "m ( j1 + j2 )");
        assert_eq!(words("m_{\\mu\\mu}"), "m ( mu1 + mu2 )");
        assert_eq!(words("mμμ"), "m ( mu1 + mu2 )");
        assert_eq!(words("m(ℓℓ)"), "m ( ( l1 + l2 ) )");
        assert_eq!(words("m_4l"), "m ( l1 + l2 + l3 + l4 )");
        assert_eq!(words("|Δη_jj|"), "| deta ( j1 , j2 ) |");
        assert_eq!(words("Nj"), "number ( jets )");
        assert_eq!(words("N_b"), "number ( b jets )");
        assert_eq!(words("p_T^{j1}"), "pt ( j1 )");
        assert_eq!(words("pT_lead"), "pt ( leading )");
        assert_eq!(words("m_{e\\mu}"), "m ( e1 + mu1 )");
        assert_eq!(words("μ_1"), "mu1");
        assert_eq!(words("met"), "met");
        assert_eq!(words("mass"), "mass");
        assert_eq!(words("mT"), "mt");
    }
}
