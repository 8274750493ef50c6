//! Clauses that say what the analysis is rather than what it cuts: titles, headings,
//! process lines ("p p > W+ W-"), overviews, restatements of the lepton convention, and
//! descriptions (no number, no comparison, no cut word).

use crate::lex::Tok;
use crate::lexicon::{is_cut_word, COMPARISON_WORDS};

/// "Same-sign dilepton selection", "Mono-photon search": a title ends in a word naming the
/// analysis and has no number, comparison or verb.
pub(super) fn is_title(toks: &[Tok]) -> bool {
    let last = toks.last().map_or("", |t| t.text.as_str());
    let noun = matches!(
        last,
        "selection"
            | "analysis"
            | "search"
            | "channel"
            | "sample"
            | "study"
            | "region"
            | "measurement"
            | "topology"
            | "version"
            | "selections"
            | "searches"
    );
    noun && toks.len() <= 8
        && toks.iter().all(|t| {
            t.num.is_none()
                && !matches!(
                    t.text.as_str(),
                    ">" | "<"
                        | ">="
                        | "<="
                        | "="
                        | "=="
                        | "between"
                        | "above"
                        | "below"
                        | "no"
                        | "not"
                        | "without"
                        | "exactly"
                )
                && !crate::lexicon::POS_VERBS.contains(&t.text.as_str())
                && !crate::lexicon::NEG_VERBS.contains(&t.text.as_str())
        })
}

/// "No MET requirement is applied in this channel", "no lepton requirement is applied": a
/// cut the analysis says it does not make, so there is nothing to run.
pub(super) fn no_requirement(words: &[&str]) -> bool {
    const REST: &[&str] = &[
        "is",
        "are",
        "applied",
        "made",
        "imposed",
        "placed",
        "used",
        "in",
        "this",
        "channel",
        "analysis",
        "selection",
        "region",
        "here",
        "on",
        "the",
        "at",
        "all",
        "any",
        "further",
        "explicit",
        "additional",
        "cut",
        "cuts",
        "requirement",
        "requirements",
        "selection",
    ];
    let Some(at) = words
        .iter()
        .position(|w| matches!(*w, "requirement" | "requirements" | "cut" | "cuts"))
    else {
        return false;
    };
    words.first() == Some(&"no")
        && (1..at).all(|k| {
            crate::lexicon::kind_word(words[k]).is_some()
                || matches!(
                    words[k],
                    "additional" | "explicit" | "further" | "on" | "the" | "ht" | "mt"
                )
        })
        && at > 1
        && words[at + 1..].iter().all(|w| REST.contains(w))
}

/// "We select events with two well separated forward jets and little additional hadronic
/// activity": an overview in qualitative words, no digit, comparison or unit; the
/// sentences after it give the cuts.
pub fn is_overview(toks: &[Tok]) -> bool {
    const INTENT: &[&str] = &[
        "select", "look", "want", "target", "study", "search", "seek", "aim", "keep",
    ];
    const VAGUE: &[&str] = &[
        "well",
        "little",
        "clean",
        "large",
        "significant",
        "high",
        "low",
        "hard",
        "energetic",
        "additional",
        "good",
        "sizeable",
        "moderate",
        "much",
        "few",
        "typical",
        "characteristic",
    ];
    let intent = toks.first().is_some_and(|t| t.text == "we")
        && toks
            .get(1)
            .is_some_and(|t| INTENT.contains(&t.text.as_str()));
    let measured = toks.iter().any(|t| {
        t.num.is_some()
            || matches!(
                t.text.as_str(),
                ">" | "<" | ">=" | "<=" | "=" | "gev" | "tev" | "|"
            )
    });
    intent && !measured && toks.iter().any(|t| VAGUE.contains(&t.text.as_str()))
}

/// "Cuts:", "Object definitions:", "Event selection:": a heading.
pub(super) fn is_heading(words: &[&str]) -> bool {
    const HEAD: &[&str] = &[
        "cuts",
        "cut",
        "selection",
        "selections",
        "objects",
        "object",
        "definitions",
        "definition",
        "event",
        "events",
        "requirements",
        "preselection",
        "baseline",
        "signal",
        "region",
        "control",
        "kinematic",
        "kinematics",
        "the",
        "and",
        "analysis",
        "level",
        "step",
        "steps",
        "topology",
        "final",
        "state",
        "candidates",
        "reconstruction",
    ];
    words.last() == Some(&":")
        && words.len() > 1
        && words[..words.len() - 1].iter().all(|w| HEAD.contains(w))
}

/// "Leptons = the selected electrons and muons": the convention, restated.
pub(super) fn restates_leptons(words: &[&str]) -> bool {
    let rest: Vec<&&str> = words
        .iter()
        .filter(|w| {
            !matches!(
                **w,
                "the"
                    | "selected"
                    | "are"
                    | "="
                    | "and"
                    | "or"
                    | "both"
                    | "all"
                    | "means"
                    | "mean"
                    | ","
                    | "("
                    | ")"
                    | ":"
                    | "/"
            )
        })
        .collect();
    let kinds: Vec<&str> = rest.iter().map(|w| **w).collect();
    kinds
        .first()
        .is_some_and(|w| matches!(*w, "leptons" | "lepton" | "l"))
        && kinds.len() == 3
        && kinds[1..]
            .iter()
            .all(|w| matches!(*w, "electrons" | "muons" | "electron" | "muon" | "e"))
        && (words.contains(&"=") || words.contains(&"are") || words.contains(&"means"))
}

/// "p p > W+ W-", "pp → tt̄": a process written with particle names around ">".
pub(super) fn is_process(words: &[&str]) -> bool {
    let particles = |w: &str| {
        matches!(
            w,
            "p" | "pp"
                | "p~"
                | "e+"
                | "e-"
                | "z"
                | "w"
                | "w+"
                | "w-"
                | "h"
                | "t"
                | "t~"
                | "tt"
                | "j"
                | "jj"
                | "a"
                | "photon"
                | "muon"
                | "l"
                | "l+"
                | "l-"
                | "vl"
                | "nu"
                | "mu"
                | "ta"
                | "b"
                | "b~"
                | "x"
                | "process"
                | "physics"
                | "generate"
                | "+"
                | "-"
                | "~"
                | ","
                | ">"
                | "→"
                | ":"
                | "("
                | ")"
                | "/"
                | "0"
                | "1"
                | "2"
                | "3"
                | "electron"
                | "tau"
                | "jet"
                | "jets"
                | "ll"
                | "vv"
                | "zz"
                | "ww"
                | "wz"
        ) || w.chars().all(|c| c.is_alphanumeric() || "+-~".contains(c)) && w.len() <= 4
    };
    let has_arrow = words.contains(&"→") || words.windows(2).any(|p| p[0] == "p" && p[1] == ">");
    let starts = matches!(
        words.first(),
        Some(&"p") | Some(&"pp") | Some(&"process") | Some(&"physics") | Some(&"generate")
    );
    has_arrow && starts && words.iter().all(|w| particles(w))
}

/// No number, no comparison and no cut word: a title or a remark.
pub fn is_description(toks: &[Tok]) -> bool {
    toks.iter().all(|t| {
        let w = t.text.as_str();
        t.num.is_none()
            && !COMPARISON_WORDS.contains(&w)
            && !matches!(w, "exceed" | "exceeds" | "exceeding")
            && !is_cut_word(w)
    })
}
