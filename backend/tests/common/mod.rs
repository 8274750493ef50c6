//! A backend on loopback for each test, on SQLite in a temporary directory or, when
//! `COLLM_TEST_POSTGRES` names a server (`postgres://user@host`), on a fresh PostgreSQL
//! database.

#![allow(dead_code)]

use collm_backend::{auth::Verifier, Config};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::PathBuf;

pub struct Server {
    pub base: String,
    pub db: String,
    pub dir: PathBuf,
    pub _rt: tokio::runtime::Runtime,
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "collm-backend-{tag}-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// A database URL for one test: SQLite, or a new PostgreSQL database when configured.
pub fn database(dir: &std::path::Path) -> String {
    match std::env::var("COLLM_TEST_POSTGRES")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(server) => {
            let name = format!("collm_t_{}", uuid::Uuid::new_v4().simple());
            let rt = tokio::runtime::Runtime::new().expect("runtime");
            rt.block_on(async {
                sqlx::any::install_default_drivers();
                let pool = sqlx::AnyPool::connect(&format!("{server}/postgres"))
                    .await
                    .expect("postgres server");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&pool)
                    .await
                    .expect("create database");
            });
            format!("{server}/{name}")
        }
        None => format!("sqlite:{}", dir.join("test.db").display()),
    }
}

pub fn config(dir: &std::path::Path, db: &str) -> Config {
    Config {
        addr: "127.0.0.1:0".parse().expect("addr"),
        db: db.to_owned(),
        outputs: dir.join("outputs"),
        verifier: Verifier::Local,
        rate_limit: 1000,
        monthly_cap: 500.0,
        throttle: 0,
        idle_exit: None,
        limits: collm_backend::front::Limits::default(),
        local_key: None,
    }
}

pub fn start(config: Config) -> Server {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (tx, rx) = std::sync::mpsc::channel::<SocketAddr>();
    let db = config.db.clone();
    let dir = config.outputs.parent().expect("dir").to_owned();
    rt.spawn(async move {
        if let Err(e) = collm_backend::serve(config, move |a| {
            tx.send(a).expect("send");
            Ok(())
        })
        .await
        {
            panic!("backend failed: {e:#}");
        }
    });
    let addr = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("backend started");
    Server {
        base: format!("http://{addr}"),
        db,
        dir,
        _rt: rt,
    }
}

pub fn server() -> Server {
    let dir = temp_dir("srv");
    let db = database(&dir);
    start(config(&dir, &db))
}

/// Adds a user with a local token, as `collm backend add-user` does.
pub fn add_user(s: &Server, name: &str) -> String {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let db = collm_backend::db::Db::open(&s.db).await.expect("db");
        let token = collm_backend::auth::new_token();
        collm_backend::ledger::ensure_user(
            &db,
            name,
            collm_backend::db::SignIn::Local,
            Some(&collm_backend::auth::hash(&token)),
        )
        .await
        .expect("user");
        token
    })
}

pub fn with_db<T>(
    s: &Server,
    f: impl FnOnce(collm_backend::db::Db) -> std::pin::Pin<Box<dyn std::future::Future<Output = T>>>,
) -> T {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let db = collm_backend::db::Db::open(&s.db).await.expect("db");
        f(db).await
    })
}

pub fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client")
}

pub fn get(s: &Server, token: Option<&str>, path: &str) -> (u16, Value) {
    let mut rb = http().get(format!("{}{path}", s.base));
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    let r = rb.send().expect("send");
    let status = r.status().as_u16();
    (status, r.json().unwrap_or(Value::Null))
}

pub fn post(s: &Server, token: Option<&str>, path: &str, body: Value) -> (u16, Value) {
    let mut rb = http().post(format!("{}{path}", s.base)).json(&body);
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    let r = rb.send().expect("send");
    let status = r.status().as_u16();
    (status, r.json().unwrap_or(Value::Null))
}

pub fn sim(channel: &str, events: u32, pileup: u32, seed: u64) -> Value {
    json!({"channel": channel, "events": events, "pileup": pileup, "seed": seed})
}

/// Polls a request until it is terminal.
pub fn wait(s: &Server, token: &str, id: &str) -> Value {
    for _ in 0..600 {
        let (st, r) = get(s, Some(token), &format!("/v1/requests/{id}"));
        assert_eq!(st, 200, "{r}");
        if ["completed", "failed", "cancelled"].contains(&r["state"].as_str().unwrap_or("")) {
            return r;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("request {id} did not finish");
}

pub fn credits(s: &Server, token: &str) -> f64 {
    let (st, me) = get(s, Some(token), "/v1/me");
    assert_eq!(st, 200, "{me}");
    me["credits"].as_f64().expect("credits")
}
