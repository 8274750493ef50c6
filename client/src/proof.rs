//! How an embedded backend proves it is the user's own before the client sends it the local
//! token: the client sends a fresh random nonce, and the backend answers with an HMAC-SHA256,
//! keyed with the local token, of the nonce, the port it listens on and its pid.
//!
//! Why this and not the alternatives: a Unix socket in the 0700 home would be as strong, but
//! the HTTP client speaks TCP only; checking that the recorded pid owns the port needs
//! `/proc` parsing that differs by platform. The challenge needs nothing but the secret both
//! sides already hold, reveals nothing about it, and binds the answer to the port and the
//! process the client expects, so a program that took the port after the backend exited, or
//! one relaying to a backend elsewhere, cannot answer it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The route that answers the challenge (`?nonce=…`), served by embedded backends only.
pub const ROUTE: &str = "/v1/local/proof";

fn mac(key: &str, nonce: &str, port: u16, pid: u32) -> Hmac<Sha256> {
    // An HMAC takes a key of any length, so this cannot fail.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    m.update(format!("collm embedded backend\n{nonce}\n{port}\n{pid}").as_bytes());
    m
}

/// The backend's answer, hex.
pub fn answer(key: &str, nonce: &str, port: u16, pid: u32) -> String {
    hex::encode(mac(key, nonce, port, pid).finalize().into_bytes())
}

/// Whether `answer_hex` is the right answer (compared in constant time).
pub fn holds(key: &str, nonce: &str, port: u16, pid: u32, answer_hex: &str) -> bool {
    hex::decode(answer_hex).is_ok_and(|raw| mac(key, nonce, port, pid).verify_slice(&raw).is_ok())
}

/// A fresh nonce: 128 random bits, hex.
pub fn nonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Whether a nonce is one a client could have made (hex, 16 to 128 characters), so the
/// route answers nothing else.
pub fn valid_nonce(n: &str) -> bool {
    (16..=128).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_key_nonce_port_and_pid_hold() {
        let a = answer("collm_secret", "00ff00ff00ff00ff", 4242, 77);
        assert!(holds("collm_secret", "00ff00ff00ff00ff", 4242, 77, &a));
        assert!(!holds("collm_other", "00ff00ff00ff00ff", 4242, 77, &a));
        assert!(!holds("collm_secret", "00ff00ff00ff00fe", 4242, 77, &a));
        assert!(!holds("collm_secret", "00ff00ff00ff00ff", 4243, 77, &a));
        assert!(!holds("collm_secret", "00ff00ff00ff00ff", 4242, 78, &a));
        assert!(!holds("collm_secret", "00ff00ff00ff00ff", 4242, 77, "zz"));
        assert_ne!(nonce(), nonce());
        assert!(valid_nonce(&nonce()));
        assert!(!valid_nonce("short") && !valid_nonce(&"g".repeat(32)));
    }
}
