//! Jupyter wire format: multipart framing and HMAC-SHA256 signing, in a crate of its own so
//! that the decoder, which reads bytes from any local process, can be fuzzed without the
//! engine.
//!
//! The typed message contents come from `jupyter-protocol`; this crate only
//! turns ZeroMQ frames into a [`Message`] and back. Contents stay
//! `serde_json::Value` here so that a malformed or unknown message can still be
//! answered with a clear error instead of being dropped as unparseable.

use bytes::Bytes;
use hmac::{Hmac, Mac};
use jupyter_protocol::Header;
use serde_json::{json, Value};
use sha2::Sha256;
use zeromq::ZmqMessage;

/// The delimiter frame between routing identities and the signed parts.
const DELIMITER: &[u8] = b"<IDS|MSG>";

/// Why an incoming multipart message was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum WireError {
    /// The `<IDS|MSG>` delimiter frame is missing.
    #[error("no <IDS|MSG> delimiter frame")]
    NoDelimiter,
    /// Fewer than the five signed frames follow the delimiter.
    #[error("expected 5 frames after the delimiter, got {0}")]
    TooFewFrames(usize),
    /// The HMAC signature does not match the key.
    #[error("bad HMAC signature")]
    BadSignature,
    /// A JSON part failed to parse.
    #[error("frame `{part}` is not valid JSON: {reason}")]
    BadJson {
        /// Which part (header, parent_header, metadata, content).
        part: &'static str,
        /// The parser's message.
        reason: String,
    },
}

/// One Jupyter message as it travels on a socket.
#[derive(Debug, Clone)]
pub struct Message {
    /// ZeroMQ routing identities (ROUTER sockets), or the topic (iopub).
    pub identities: Vec<Bytes>,
    /// The message header.
    pub header: Header,
    /// The header of the request this message answers, if any.
    pub parent_header: Option<Header>,
    /// Free-form metadata.
    pub metadata: Value,
    /// The message content.
    pub content: Value,
    /// Binary buffers (widgets use these).
    pub buffers: Vec<Bytes>,
}

impl Message {
    /// The message type, e.g. `execute_request`.
    pub fn msg_type(&self) -> &str {
        &self.header.msg_type
    }

    /// Builds a message of `msg_type` that answers `parent` (same session,
    /// same routing identities), as the protocol requires for replies and for
    /// outputs on iopub.
    pub fn reply_to(parent: &Message, msg_type: &str, content: Value) -> Message {
        Message {
            identities: parent.identities.clone(),
            header: new_header(msg_type, &parent.header.session),
            parent_header: Some(parent.header.clone()),
            metadata: json!({}),
            content,
            buffers: Vec::new(),
        }
    }

    /// Builds a message with no parent (for example the iopub welcome or
    /// `status: starting`).
    pub fn orphan(msg_type: &str, session: &str, content: Value) -> Message {
        Message {
            identities: Vec::new(),
            header: new_header(msg_type, session),
            parent_header: None,
            metadata: json!({}),
            content,
            buffers: Vec::new(),
        }
    }
}

/// A fresh header in protocol version 5.3.
pub fn new_header(msg_type: &str, session: &str) -> Header {
    Header {
        msg_id: uuid::Uuid::new_v4().to_string(),
        username: "collm".to_string(),
        session: session.to_string(),
        date: chrono::Utc::now(),
        msg_type: msg_type.to_string(),
        version: "5.3".to_string(),
    }
}

/// Signs and verifies messages with the connection file's key.
#[derive(Clone)]
pub struct Signer {
    key: Option<Hmac<Sha256>>,
}

impl Signer {
    /// An empty key disables signing, as the protocol specifies.
    pub fn new(key: &str) -> Signer {
        let key = if key.is_empty() {
            None
        } else {
            Hmac::<Sha256>::new_from_slice(key.as_bytes()).ok()
        };
        Signer { key }
    }

    fn mac(&self, parts: &[&[u8]]) -> Option<Hmac<Sha256>> {
        let mut mac = self.key.clone()?;
        for part in parts {
            mac.update(part);
        }
        Some(mac)
    }

    /// Hex signature of the four signed parts.
    pub fn sign(&self, parts: &[&[u8]]) -> String {
        self.mac(parts)
            .map(|mac| hex::encode(mac.finalize().into_bytes()))
            .unwrap_or_default()
    }

    /// Constant-time check of a hex signature.
    pub fn verify(&self, signature: &[u8], parts: &[&[u8]]) -> bool {
        match self.mac(parts) {
            None => true,
            Some(mac) => match hex::decode(signature) {
                Ok(raw) => mac.verify_slice(&raw).is_ok(),
                Err(_) => false,
            },
        }
    }

    /// Splits, verifies and parses a multipart message.
    pub fn decode(&self, frames: Vec<Bytes>) -> Result<Message, WireError> {
        let split = frames
            .iter()
            .position(|f| f.as_ref() == DELIMITER)
            .ok_or(WireError::NoDelimiter)?;
        let signed = &frames[split + 1..];
        if signed.len() < 5 {
            return Err(WireError::TooFewFrames(signed.len()));
        }
        let parts: [&[u8]; 4] = [&signed[1], &signed[2], &signed[3], &signed[4]];
        if !self.verify(&signed[0], &parts) {
            return Err(WireError::BadSignature);
        }
        let header: Header = parse_part("header", &signed[1])?;
        let parent: Value = parse_part("parent_header", &signed[2])?;
        let parent_header = match parent {
            Value::Object(ref m) if m.is_empty() => None,
            Value::Null => None,
            other => serde_json::from_value(other).ok(),
        };
        Ok(Message {
            identities: frames[..split].to_vec(),
            header,
            parent_header,
            metadata: parse_part("metadata", &signed[3])?,
            content: parse_part("content", &signed[4])?,
            buffers: signed[5..].to_vec(),
        })
    }

    /// Serialises and signs a message into frames.
    pub fn encode(&self, msg: &Message) -> ZmqMessage {
        let header = to_bytes(&serde_json::to_value(&msg.header).unwrap_or(Value::Null));
        let parent = match &msg.parent_header {
            Some(h) => to_bytes(&serde_json::to_value(h).unwrap_or(Value::Null)),
            None => b"{}".to_vec(),
        };
        let metadata = to_bytes(&msg.metadata);
        let content = to_bytes(&msg.content);
        let signature = self.sign(&[&header, &parent, &metadata, &content]);
        let mut frames: Vec<Bytes> = msg.identities.clone();
        frames.push(Bytes::from_static(DELIMITER));
        frames.push(Bytes::from(signature));
        frames.push(Bytes::from(header));
        frames.push(Bytes::from(parent));
        frames.push(Bytes::from(metadata));
        frames.push(Bytes::from(content));
        frames.extend(msg.buffers.iter().cloned());
        // Never empty: the delimiter is always present.
        ZmqMessage::try_from(frames).unwrap_or_else(|_| ZmqMessage::from(Vec::<u8>::new()))
    }
}

fn to_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

fn parse_part<T: serde::de::DeserializeOwned>(
    part: &'static str,
    bytes: &[u8],
) -> Result<T, WireError> {
    serde_json::from_slice(bytes).map_err(|e| WireError::BadJson {
        part,
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames_for(signer: &Signer, msg: &Message) -> Vec<Bytes> {
        signer.encode(msg).into_vec()
    }

    fn sample() -> Message {
        let mut m = Message::orphan("execute_request", "s1", json!({"code": "1+1"}));
        m.identities = vec![Bytes::from_static(b"client-id")];
        m
    }

    #[test]
    fn round_trip_keeps_identities_and_content() {
        let signer = Signer::new("secret");
        let decoded = signer.decode(frames_for(&signer, &sample())).unwrap();
        assert_eq!(decoded.identities, vec![Bytes::from_static(b"client-id")]);
        assert_eq!(decoded.content["code"], "1+1");
        assert_eq!(decoded.msg_type(), "execute_request");
        assert!(decoded.parent_header.is_none());
    }

    /// Found by fuzzing: without correctly rounded parsing, 5.555555777777777e53 read back as
    /// 5.5555557777777765e53, so a message re-sent by the kernel changed its numbers.
    #[test]
    fn numbers_survive_decoding_and_encoding_to_the_last_bit() {
        let signer = Signer::new("secret");
        let mut m = sample();
        m.content = serde_json::from_str(
            r#"{"value": 5.555555777777777e53, "tiny": 2.2250738585072014e-308, "pt": 25.1}"#,
        )
        .unwrap();
        let once = signer.decode(frames_for(&signer, &m)).unwrap();
        let twice = signer.decode(frames_for(&signer, &once)).unwrap();
        assert_eq!(once.content, m.content);
        assert_eq!(twice.content, m.content);
        assert_eq!(twice.content["value"].as_f64(), Some(5.555555777777777e53));
    }

    #[test]
    fn forged_signature_is_rejected() {
        let signer = Signer::new("secret");
        let forger = Signer::new("not-the-key");
        let err = signer.decode(frames_for(&forger, &sample())).unwrap_err();
        assert_eq!(err, WireError::BadSignature);
    }

    #[test]
    fn tampered_content_is_rejected() {
        let signer = Signer::new("secret");
        let mut frames = frames_for(&signer, &sample());
        let last = frames.len() - 1;
        frames[last] = Bytes::from_static(br#"{"code":"evil()"}"#);
        assert_eq!(signer.decode(frames).unwrap_err(), WireError::BadSignature);
    }

    #[test]
    fn known_signature_matches_reference_hmac() {
        // HMAC-SHA256("key", "abc") computed independently.
        let signer = Signer::new("key");
        assert_eq!(
            signer.sign(&[b"a", b"b", b"c"]),
            "9c196e32dc0175f86f4b1cb89289d6619de6bee699e4c378e68309ed97a1a6ab"
        );
    }

    #[test]
    fn structural_errors_are_named() {
        let signer = Signer::new("");
        assert_eq!(
            signer.decode(vec![Bytes::from_static(b"x")]).unwrap_err(),
            WireError::NoDelimiter
        );
        let short = vec![Bytes::from_static(DELIMITER), Bytes::from_static(b"")];
        assert_eq!(
            signer.decode(short).unwrap_err(),
            WireError::TooFewFrames(1)
        );
        let bad = vec![
            Bytes::from_static(DELIMITER),
            Bytes::from_static(b""),
            Bytes::from_static(b"{not json"),
            Bytes::from_static(b"{}"),
            Bytes::from_static(b"{}"),
            Bytes::from_static(b"{}"),
        ];
        assert!(matches!(
            signer.decode(bad).unwrap_err(),
            WireError::BadJson { part: "header", .. }
        ));
    }
}
