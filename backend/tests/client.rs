//! The `collm-client` crate against a running local backend: typed calls, quotes that match
//! the server's, and the documented errors turned into messages that never show a token.

use collm_client::{Channel, Client, ClientError, SimulateBody};
use std::process::{Command, Stdio};

#[test]
fn client_talks_to_the_local_backend() {
    let bin = env!("CARGO_BIN_EXE_collm-backend");
    let dir = std::env::temp_dir().join(format!("collm-client-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = format!("sqlite:{}", dir.join("t.db").display());
    let out = Command::new(bin)
        .args(["add-user", "erin", "--db", &db])
        .output()
        .expect("add-user");
    let token = String::from_utf8(out.stdout)
        .expect("utf8")
        .lines()
        .last()
        .expect("token")
        .to_owned();
    let mut child = Command::new(bin)
        .args(["serve", "--addr", "127.0.0.1:0", "--db", &db, "--outputs"])
        .arg(dir.join("out"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).expect("line");
    let base = line.trim().rsplit(' ').next().expect("url").to_owned();
    let c = Client::with_token(&base, collm_client::token::Token::new(&token));
    let mut woke = Vec::new();
    c.wake(&mut |m| woke.push(m.to_owned())).expect("healthz");
    assert!(woke.is_empty(), "a local backend answers at once");
    assert_eq!(c.me().expect("me").credits, 10.0);
    let body = SimulateBody {
        channel: Channel::Ttbar,
        events: 1000,
        pileup: 200,
        seed: 1,
    };
    assert_eq!(
        c.estimate(&body).expect("quote").estimated_node_hours,
        125.083
    );
    match c.simulate(&body) {
        Err(ClientError::InsufficientCredits(m)) => assert!(m.contains("needs 125.083"), "{m}"),
        other => panic!("expected 402, got {other:?}"),
    }
    let small = SimulateBody {
        channel: Channel::SingleMuon,
        events: 50,
        pileup: 0,
        seed: 2,
    };
    let ok = c.simulate(&small).expect("submit");
    assert_eq!(c.request(&ok.request_id).expect("status").id, ok.request_id);
    match c.simulate(&small) {
        Ok(r) => assert!(r.cached, "finished already: a cache hit"),
        Err(ClientError::Conflict {
            existing_request_id,
            ..
        }) => assert_eq!(existing_request_id, ok.request_id),
        Err(e) => panic!("{e}"),
    }
    assert!(matches!(c.request("nope"), Err(ClientError::NotFound(_))));
    assert_eq!(c.requests(50).expect("list").len(), 1);
    let anon = Client::with_token(&base, None);
    assert!(matches!(anon.me(), Err(ClientError::NoToken(_))));
    let bad = Client::with_token(&base, collm_client::token::Token::new("collm_wrong"));
    let e = bad.me().expect_err("401").to_string();
    assert!(
        e.contains("did not accept the token") && !e.contains("collm_wrong"),
        "{e}"
    );
    child.kill().ok();
    child.wait().ok();
}
