//! Token lookup order, in its own process because it changes the environment:
//! `HF_TOKEN`, then `HUGGING_FACE_HUB_TOKEN`, then `$HF_HOME/token`.

use collm_client::token::{self, Source, Token};

#[test]
fn lookup_order_store_and_forget() {
    let home = std::env::temp_dir().join(format!("collm-hf-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("dir");
    std::env::set_var("HF_HOME", &home);
    std::env::remove_var("HF_TOKEN");
    std::env::remove_var("HUGGING_FACE_HUB_TOKEN");
    assert!(token::lookup().is_none());
    let path = token::store(&Token::new("hf_file\n").expect("token")).expect("store");
    assert_eq!(path, home.join("token"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777,
        0o600
    );
    let (t, src) = token::lookup().expect("file token");
    assert_eq!((t.secret(), src), ("hf_file", Source::File(path.clone())));
    std::env::set_var("HUGGING_FACE_HUB_TOKEN", "hf_hub");
    let got = token::lookup().map(|(t, s)| (t.secret().to_owned(), s));
    assert_eq!(
        got,
        Some(("hf_hub".into(), Source::Env("HUGGING_FACE_HUB_TOKEN")))
    );
    std::env::set_var("HF_TOKEN", "hf_env");
    let got = token::lookup().map(|(t, s)| (t.secret().to_owned(), s));
    assert_eq!(got, Some(("hf_env".into(), Source::Env("HF_TOKEN"))));
    assert!(token::forget().expect("forget"));
    assert!(!token::forget().expect("already gone"));
}
