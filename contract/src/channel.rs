//! The ten ColliderML physics channels, named exactly as the simulation contract spells them.

use std::fmt;
use std::str::FromStr;

/// A physics channel of the ColliderML contract (`POST /v1/simulate`'s `channel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// tt̄ with up to 2 extra jets.
    Ttbar,
    /// H(125) → SS, m_S = 55 GeV, cτ = 100 mm, S → bb̄ (displaced b-jets).
    HiggsPortal,
    /// Drell–Yan Z/γ* → μμ with up to 2 jets.
    Zmumu,
    /// Drell–Yan Z/γ* → ee with up to 2 jets.
    Zee,
    /// Prompt γγ with up to 2 jets, plus an enhanced H → γγ component.
    Diphoton,
    /// QCD 2–4 jets.
    Jets,
    /// χ̃⁰₁ pairs, χ̃⁰₁ → G̃γ with cτ = 100 mm.
    SusyGmsb,
    /// Dark-QCD semi-visible jets.
    HiddenValley,
    /// Sequential Z′ (3 TeV, Γ = 30 GeV) → ee / μμ.
    Zprime,
    /// μ⁻ particle gun, pT uniform in 1–100 GeV, |η| < 3.
    SingleMuon,
}

impl Channel {
    /// Every channel in the contract's table order.
    pub const ALL: [Channel; 10] = [
        Channel::Ttbar,
        Channel::HiggsPortal,
        Channel::Zmumu,
        Channel::Zee,
        Channel::Diphoton,
        Channel::Jets,
        Channel::SusyGmsb,
        Channel::HiddenValley,
        Channel::Zprime,
        Channel::SingleMuon,
    ];

    /// The contract's name (`ttbar`, `higgs_portal`, ...), also used in file names.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Ttbar => "ttbar",
            Channel::HiggsPortal => "higgs_portal",
            Channel::Zmumu => "zmumu",
            Channel::Zee => "zee",
            Channel::Diphoton => "diphoton",
            Channel::Jets => "jets",
            Channel::SusyGmsb => "susy_gmsb",
            Channel::HiddenValley => "hidden_valley",
            Channel::Zprime => "zprime",
            Channel::SingleMuon => "single_muon",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Lets command lines list, check and complete the ten names (`--channel` in `collm generate`
/// and `%simulate`).
#[cfg(feature = "clap")]
impl clap::ValueEnum for Channel {
    fn value_variants<'a>() -> &'a [Self] {
        &Channel::ALL
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

/// A channel name that is not one of the ten; carries the offending text for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownChannel(pub String);

impl fmt::Display for UnknownChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Channel::ALL.iter().map(|c| c.name()).collect();
        write!(
            f,
            "unknown channel `{}` (expected one of: {})",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownChannel {}

impl FromStr for Channel {
    type Err = UnknownChannel;
    fn from_str(s: &str) -> Result<Channel, UnknownChannel> {
        let t = s.trim();
        Channel::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| UnknownChannel(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(c.name().parse::<Channel>(), Ok(c));
        }
        let err = "top".parse::<Channel>().unwrap_err().to_string();
        assert!(
            err.contains("`top`") && err.contains("single_muon"),
            "{err}"
        );
    }
}
