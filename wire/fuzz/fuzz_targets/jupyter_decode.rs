//! The Jupyter message decoder on arbitrary frames: with a key, frames signed correctly (so
//! the JSON parts are reached) or not; without one (signing off). It must never panic, and a
//! message it accepts must survive encoding and decoding again unchanged.
#![no_main]

use arbitrary::Arbitrary;
use bytes::Bytes;
use collm_wire::Signer;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    /// 0: no key; 1: a key and a correct signature; 2: a key and the fuzzer's signature.
    mode: u8,
    identities: Vec<Vec<u8>>,
    /// Omit the delimiter frame.
    no_delimiter: bool,
    signature: Vec<u8>,
    /// header, parent_header, metadata, content, then buffers (fewer is a short message).
    parts: Vec<Vec<u8>>,
}

fuzz_target!(|input: Input| {
    let key = if input.mode % 3 == 0 { "" } else { "fuzz-key" };
    let signer = Signer::new(key);
    let mut frames: Vec<Bytes> = input.identities.into_iter().map(Bytes::from).collect();
    if !input.no_delimiter {
        frames.push(Bytes::from_static(b"<IDS|MSG>"));
    }
    let signature = if input.mode % 3 == 1 && input.parts.len() >= 4 {
        let p = &input.parts;
        signer.sign(&[&p[0], &p[1], &p[2], &p[3]]).into_bytes()
    } else {
        input.signature
    };
    frames.push(Bytes::from(signature));
    frames.extend(input.parts.into_iter().map(Bytes::from));
    let Ok(msg) = signer.decode(frames) else {
        return;
    };
    let again = signer
        .decode(signer.encode(&msg).into_vec())
        .expect("a message the decoder accepted must decode again after encoding");
    assert_eq!(again.header.msg_id, msg.header.msg_id);
    assert_eq!(again.header.msg_type, msg.header.msg_type);
    assert_eq!(again.content, msg.content);
    assert_eq!(again.metadata, msg.metadata);
    assert_eq!(again.identities, msg.identities);
    assert_eq!(again.buffers, msg.buffers);
});
