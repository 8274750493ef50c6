//! The conventions a reading relied on, stated in the echo: where a phrase could mean two
//! physically different things, the reader takes the one in DESIGN §5 and says which.

use crate::ir::{Cmp, CountCmp, Cut, Kind, ObjRef, Prop, Quantity, Stmt, Sys, Target};

/// The conventions behind one item's reading, in words, for the echo.
pub fn applied(text: &str, stmts: &[Stmt]) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    let says = |w: &str| lower.contains(w);
    let mut kinds = Vec::new();
    for s in stmts {
        kinds.extend(s.kinds());
    }
    let has = |k: Kind| kinds.contains(&k);
    let mut out = Vec::new();
    if has(Kind::Lepton) && (says("lep") || says("ℓ") || says("\\ell")) {
        out.push("leptons are electrons and muons; taus only when named");
    }
    let ranked = stmts.iter().any(|s| {
        objects_of(s)
            .iter()
            .any(|o| o.kind != Kind::Met && o.index <= 3)
    });
    if ranked
        && [
            "leading",
            "first",
            "second",
            "subleading",
            "third",
            "fourth",
        ]
        .iter()
        .any(|w| says(w))
    {
        out.push("ranks are by pT among the selected objects, after overlap removal");
    }
    if has(Kind::BJet) && (says("b-") || says("btag") || says("b jet") || says("nb")) {
        out.push("a b-jet is a selected jet with btag >= 1");
    }
    if says("significance") && any_quantity(stmts, &|q| matches!(q, Quantity::Met)) {
        out.push("the MET significance is MET / sqrt(HT), HT of the selected jets");
    }
    if has(Kind::LightJet) {
        out.push("a light jet is a selected jet with btag < 1");
    }
    let lep_met = stmts.iter().any(|s| quantities(s).iter().any(|q| deep(q, &|x| matches!(x, Quantity::Prop(_, Sys::Sum(v)) | Quantity::Delta(_, Sys::Sum(v), _) | Quantity::Delta(_, _, Sys::Sum(v)) if v.contains(&Sys::Obj(ObjRef::MET))))));
    if lep_met && (says("leptonic w") || says("w leptonic") || says("w_lep")) {
        out.push("the leptonic W is the leading lepton plus the MET");
    }
    if says("hadronic w") || says("w hadronic") || says("w_had") {
        out.push("the hadronic W is the two leading jets (light jets once b-tags are required)");
    }
    let any_q = |test: &dyn Fn(&Quantity) -> bool| any_quantity(stmts, test);
    let candidate = any_q(&|q| {
        matches!(
            q,
            Quantity::Prop(_, Sys::Cand(_) | Sys::Leg(..) | Sys::Rest(..))
        )
    }) || stmts.iter().any(|s| {
        matches!(
            s,
            Stmt::Name {
                sys: Sys::Cand(_),
                ..
            }
        )
    });
    if candidate && (says(" z ") || says("z candidate") || says("z1") || says("closest")) {
        out.push("a Z candidate is the same-flavour opposite-sign pair closest to 91.1876 GeV");
    }
    if stmts.iter().any(|s| {
        matches!(
            s,
            Stmt::Cut(Cut::Value {
                cmp: Cmp::Between(..),
                ..
            })
        )
    }) && says("between")
    {
        out.push("\"between a and b\" is a < x < b");
    }
    out.extend(notation(&lower, stmts));
    out
}

/// The conventions behind notation: what HT, a bare η and an object's ET were taken to mean.
fn notation(lower: &str, stmts: &[Stmt]) -> Vec<&'static str> {
    let any_q = |test: &dyn Fn(&Quantity) -> bool| any_quantity(stmts, test);
    let mut out = Vec::new();
    if lower.contains("ht") && any_q(&|q| matches!(q, Quantity::Ht)) {
        out.push("HT is the scalar pT sum of the selected jets");
    }
    if bare_eta(lower) && any_q(&|q| matches!(q, Quantity::Prop(Prop::AbsEta, _))) {
        out.push("a bound on η without bars is read as a bound on |η|");
    }
    if object_et(lower) && any_q(&|q| matches!(q, Quantity::Prop(Prop::Pt, _))) {
        out.push("an object's ET (transverse energy) is read as its pT");
    }
    let ranged = [CountCmp::AtLeast(0), CountCmp::AtMost(0)]
        .iter()
        .all(|side| {
            stmts.iter().any(|s| {
                matches!(s, Stmt::Cut(Cut::Count { cmp, .. })
                if std::mem::discriminant(cmp) == std::mem::discriminant(side))
            })
        });
    let said = |w: &str| lower.contains(w);
    if ranged && (said("[") || said("between") || said(" in ")) {
        out.push("a range of counts includes its ends, unless written open: (2, 4) is 3");
    }
    out
}

/// Whether any statement reads a quantity (object conditions included) that passes `test`,
/// at any depth.
fn any_quantity(stmts: &[Stmt], test: &dyn Fn(&Quantity) -> bool) -> bool {
    stmts
        .iter()
        .any(|s| quantities(s).iter().any(|q| deep(q, test)))
}

/// Whether the text bounds an object's transverse energy ("photons with ET > 40 GeV",
/// "E_T", "transverse energy"), as opposed to the missing transverse energy.
fn object_et(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '^'))
        .filter(|w| !w.is_empty())
        .collect();
    let missing = |i: usize| {
        (i > 0 && words[i - 1] == "missing")
            || words.get(i + 1).is_some_and(|w| w.starts_with("miss"))
    };
    let named = (0..words.len()).any(|i| matches!(words[i], "et" | "e_t") && !missing(i));
    let worded = (1..words.len())
        .any(|i| words[i - 1] == "transverse" && words[i] == "energy" && !missing(i - 1));
    named || worded
}

/// Whether the text bounds η without absolute-value bars ("η < 2.5").
fn bare_eta(lower: &str) -> bool {
    ["η <", "η<", "eta <", "eta<", "η below", "eta below"]
        .iter()
        .any(|p| {
            lower
                .match_indices(p)
                .any(|(i, _)| !lower[..i].ends_with('|'))
        })
}

/// The quantities a statement reads, object conditions included.
fn quantities(s: &Stmt) -> Vec<&Quantity> {
    match s {
        Stmt::Select { filters, .. }
        | Stmt::Cut(Cut::Count {
            target: Target::Objects { filters, .. },
            ..
        }) => filters.iter().map(|f| &f.q).collect(),
        Stmt::Cut(Cut::Value { q, .. }) | Stmt::Feature(q) | Stmt::Define { q, .. } => vec![q],
        Stmt::Cut(Cut::Every { filter, .. }) => vec![&filter.q],
        Stmt::Plot(p) => vec![&p.q],
        _ => Vec::new(),
    }
}

/// Whether `test` holds for the quantity or any part of it.
fn deep(q: &Quantity, test: &dyn Fn(&Quantity) -> bool) -> bool {
    test(q)
        || match q {
            Quantity::Bin(_, a, b) => deep(a, test) || deep(b, test),
            Quantity::Func(_, v) => v.iter().any(|x| deep(x, test)),
            Quantity::Reduce { of, .. } => deep(of, test),
            Quantity::Count(_, fs) => fs.iter().any(|f| deep(&f.q, test)),
            _ => false,
        }
}

/// The single objects a statement names.
fn objects_of(s: &Stmt) -> Vec<ObjRef> {
    let mut out = Vec::new();
    let mut sys = |x: &Sys| out.extend(x.objects());
    match s {
        Stmt::Cut(Cut::Value { q, .. }) | Stmt::Feature(q) | Stmt::Define { q, .. } => {
            systems(q, &mut sys)
        }
        Stmt::Plot(p) => systems(&p.q, &mut sys),
        Stmt::Cut(Cut::Pair { a, b, .. }) => {
            sys(a);
            sys(b);
        }
        Stmt::Name { sys: x, .. } => sys(x),
        _ => {}
    }
    out
}

/// Every system a quantity reads.
fn systems(q: &Quantity, f: &mut impl FnMut(&Sys)) {
    match q {
        Quantity::Prop(_, s) | Quantity::Mt(s) => f(s),
        Quantity::Delta(_, a, b) => {
            f(a);
            f(b);
        }
        Quantity::Bin(_, a, b) => {
            systems(a, f);
            systems(b, f);
        }
        Quantity::Func(_, v) => v.iter().for_each(|x| systems(x, f)),
        Quantity::Reduce { of, .. } => systems(of, f),
        Quantity::Count(_, fs) => fs.iter().for_each(|x| systems(&x.q, f)),
        Quantity::Num(_) | Quantity::Met | Quantity::Ht => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{read, Ctx, Section};

    fn conventions(text: &str) -> Vec<&'static str> {
        let stmts = read(text, Section::Cuts, &mut Ctx::default()).expect("reads");
        applied(text, &stmts)
    }

    #[test]
    fn ambiguous_phrases_state_their_convention() {
        assert!(conventions("Require exactly one lepton with pT > 25 GeV")
            .contains(&"leptons are electrons and muons; taus only when named"));
        assert!(conventions("jets with pT > 30 GeV and η < 2.5")
            .contains(&"a bound on η without bars is read as a bound on |η|"));
        assert!(conventions("the leading jet must have pT > 100 GeV")
            .contains(&"ranks are by pT among the selected objects, after overlap removal"));
        assert!(conventions("require 60 < m_jj < 100 GeV").is_empty());
        assert!(conventions("jets with pT > 30 GeV and |η| < 2.5").is_empty());
        let et = "an object's ET (transverse energy) is read as its pT";
        assert!(conventions("photons with ET > 40 GeV and |η| < 2.37").contains(&et));
        assert!(conventions("jets with E_T > 30 GeV").contains(&et));
        assert!(!conventions("require E_T^miss > 30 GeV and jets with pT > 30 GeV").contains(&et));
        assert!(
            !conventions("require missing ET > 30 GeV and jets with pT > 30 GeV").contains(&et)
        );
    }
}
