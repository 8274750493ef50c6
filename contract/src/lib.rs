//! Types and rules of the ColliderML contract: channels, limits, the price formula and the
//! JSON bodies of the users, credits and simulation routes.
//!
//! One crate that the client, the backend and the generator all depend on, so that the wire
//! names, the simulation and the price cannot drift apart, and so that the HTTP client needs
//! neither the generator nor the analysis library.

use serde::{Deserialize, Serialize};

mod channel;

pub use channel::{Channel, UnknownChannel};

/// Simulation seconds per event at no pileup.
pub fn base_seconds(channel: Channel) -> f64 {
    match channel {
        Channel::Ttbar => 90.0,
        Channel::HiggsPortal | Channel::SusyGmsb | Channel::HiddenValley | Channel::Zprime => 60.0,
        Channel::Jets => 45.0,
        Channel::Zmumu | Channel::Zee | Channel::Diphoton => 30.0,
        Channel::SingleMuon => 5.0,
    }
}

/// Fixed seconds per job (set-up of the heavier generators).
pub fn overhead_seconds(channel: Channel) -> f64 {
    match channel {
        Channel::Ttbar | Channel::SusyGmsb | Channel::Zprime | Channel::HiddenValley => 300.0,
        _ => 0.0,
    }
}

/// A channel on the wire: its contract name.
mod channel_name {
    use super::Channel;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(c: &Channel, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(c.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Channel, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// A request id as it may be used in a URL path or a folder name: 1 to 64 ASCII letters,
/// digits, `_` or `-`. Ids come from the server (`%simulate status last`), so a client checks
/// them before an id like `../..` or `/etc` can reach a path or a URL.
pub fn valid_request_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Events per request.
pub const EVENTS: std::ops::RangeInclusive<u32> = 1..=100_000;
/// Mean pileup per request.
pub const PILEUP: std::ops::RangeInclusive<u32> = 0..=200;
/// Credits a new user starts with.
pub const SIGNUP_CREDITS: f64 = 10.0;

/// The quote for a request, exactly as the service computes it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Node-hours, rounded to 3 decimals; also the price in credits.
    pub estimated_node_hours: f64,
    /// Seconds until the outputs are expected.
    pub estimated_completion_seconds: u64,
}

/// `round((overhead + base × events × (1 + pileup/50)) / 3600, 3)` node-hours (= credits), and
/// `int(hours·3600) + (300 if that is < 1500 else 1800)` seconds.
pub fn estimate(channel: Channel, events: u32, pileup: u32) -> Estimate {
    let seconds = overhead_seconds(channel)
        + base_seconds(channel) * f64::from(events) * (1.0 + f64::from(pileup) / 50.0);
    let hours = round3(seconds / 3600.0);
    let busy = (hours * 3600.0) as u64;
    Estimate {
        estimated_node_hours: hours,
        estimated_completion_seconds: busy + if busy < 1500 { 300 } else { 1800 },
    }
}

/// Rounds to 3 decimals, half away from zero (Python's `round` on these values agrees:
/// none of the contract's quotes lands on an exact binary tie).
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Body of `POST /v1/simulate` and `POST /v1/estimate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulateBody {
    #[serde(with = "channel_name")]
    pub channel: Channel,
    pub events: u32,
    #[serde(default)]
    pub pileup: u32,
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn default_seed() -> u64 {
    42
}

impl SimulateBody {
    /// The contract's limits, as `(field, problem)` for a 422 or a usage error.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if !EVENTS.contains(&self.events) {
            return Err(("events", format!("must be 1–100000, got {}", self.events)));
        }
        if !PILEUP.contains(&self.pileup) {
            return Err(("pileup", format!("must be 0–200, got {}", self.pileup)));
        }
        Ok(())
    }
}

/// Reply of `POST /v1/simulate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulateReply {
    pub request_id: String,
    pub state: String,
    pub estimated_node_hours: f64,
    pub estimated_completion_seconds: u64,
    pub credits_charged: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_hf_repo: Option<String>,
    #[serde(default)]
    pub cached: bool,
}

/// `GET /v1/requests/{id}`; the key is `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestInfo {
    pub id: String,
    pub hf_username: String,
    pub channel: String,
    pub events: u32,
    pub pileup: u32,
    pub seed: u64,
    pub state: String,
    pub estimated_node_hours: f64,
    #[serde(default)]
    pub actual_node_hours: Option<f64>,
    pub credits_charged: f64,
    #[serde(default)]
    pub output_hf_repo: Option<String>,
    #[serde(default)]
    pub error_message: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Events generated so far while the job runs (a local-backend extension; the public
    /// service does not report progress).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_done: Option<u64>,
}

impl RequestInfo {
    /// `completed`, `failed` and `cancelled` do not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(self.state.as_str(), "completed" | "failed" | "cancelled")
    }
}

/// `GET /v1/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub hf_username: String,
    #[serde(default)]
    pub email: Option<String>,
    pub credits: f64,
    pub created_at: String,
    pub last_seen_at: String,
}

/// One ledger entry of `GET /v1/me/transactions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    pub id: i64,
    pub delta: f64,
    pub reason: String,
    #[serde(default)]
    pub metadata: Option<serde_json::Value>,
    pub created_at: String,
}

/// One output file of a request (local+ `GET /v1/requests/{id}/files`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileInfo {
    pub name: String,
    pub bytes: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_price_examples() {
        assert_eq!(estimate(Channel::Ttbar, 10, 0).estimated_node_hours, 0.333);
        assert_eq!(
            estimate(Channel::Ttbar, 1000, 200).estimated_node_hours,
            125.083
        );
        assert_eq!(estimate(Channel::Zmumu, 100, 0).estimated_node_hours, 0.833);
        // 0.833 h = 2998 s of work (int), >= 1500 -> + 1800.
        assert_eq!(
            estimate(Channel::Zmumu, 100, 0).estimated_completion_seconds,
            2998 + 1800
        );
        // ttbar 10 at pu0: 0.333 h = 1198 s, < 1500 -> + 300.
        assert_eq!(
            estimate(Channel::Ttbar, 10, 0).estimated_completion_seconds,
            1198 + 300
        );
    }

    #[test]
    fn channels_round_trip_and_unknown_is_named() {
        for c in Channel::ALL {
            assert_eq!(c.name().parse::<Channel>(), Ok(c));
            let body = SimulateBody {
                channel: c,
                events: 1,
                pileup: 0,
                seed: 42,
            };
            let json = serde_json::to_value(&body).expect("json");
            assert_eq!(json["channel"], c.name());
            assert_eq!(
                serde_json::from_value::<SimulateBody>(json).expect("back"),
                body
            );
        }
        let e = serde_json::from_str::<SimulateBody>(r#"{"channel":"ww","events":1}"#)
            .expect_err("unknown")
            .to_string();
        assert!(e.contains("`ww`") && e.contains("single_muon"), "{e}");
    }

    #[test]
    fn body_defaults_and_limits() {
        let b: SimulateBody =
            serde_json::from_str(r#"{"channel":"zmumu","events":5}"#).expect("body");
        assert_eq!((b.pileup, b.seed), (0, 42));
        assert!(b.check().is_ok());
        let bad = SimulateBody {
            events: 0,
            ..b.clone()
        };
        assert_eq!(bad.check().expect_err("0 events").0, "events");
        let bad = SimulateBody { pileup: 201, ..b };
        assert_eq!(bad.check().expect_err("pileup").0, "pileup");
    }
}
