//! The embedded default: the first connect starts one backend for the home, later and
//! concurrent connects reuse it, the local user's token is kept 0600, and `stop` ends it.

mod common;

use collm_client::embedded::{self, Home, Launcher};
use std::os::unix::fs::PermissionsExt;

fn launcher() -> Launcher {
    Launcher {
        program: env!("CARGO_BIN_EXE_collm-backend").into(),
        prefix: vec![],
    }
}

#[test]
fn one_backend_per_home_started_once_and_reused() {
    let home = Home::at(common::temp_dir("embedded"));
    let mut notes = Vec::new();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let home = home.clone();
            std::thread::spawn(move || {
                let mut told = Vec::new();
                let c = embedded::connect(&home, &launcher(), &mut |m| told.push(m.to_owned()))
                    .expect("connect");
                (c.base().to_owned(), told)
            })
        })
        .collect();
    let mut bases = Vec::new();
    for t in threads {
        let (base, told) = t.join().expect("thread");
        bases.push(base);
        notes.extend(told);
    }
    bases.dedup();
    assert_eq!(bases.len(), 1, "all connects share one backend: {bases:?}");
    assert_eq!(
        notes.len(),
        1,
        "only the first connect starts it: {notes:?}"
    );
    let state = home.server().expect("server.json");
    assert_eq!(state.url, bases[0]);

    let mode = std::fs::metadata(home.token_file())
        .expect("token file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the local token is private");

    let client =
        embedded::connect(&home, &launcher(), &mut |m| panic!("restarted: {m}")).expect("reuse");
    let me = client.me().expect("me");
    assert_eq!(me.credits, 1010.0, "sign-up grant plus the local allowance");

    assert!(embedded::stop(&home).expect("stop"));
    assert!(home.server().is_none(), "server.json goes with the server");
    assert!(!embedded::stop(&home).expect("second stop"));

    // A new start keeps the user, the token and the balance.
    let client = embedded::connect(&home, &launcher(), &mut |_| {}).expect("restart");
    assert_eq!(client.me().expect("me").credits, 1010.0);
    embedded::stop(&home).expect("stop again");
}
