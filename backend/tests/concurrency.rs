//! Gates under concurrency: the rate limit and the monthly cap hold when 100 submits arrive
//! at once, because each is read and charged under one lock; the ledger adds up after each
//! run. Runs on SQLite and, with `COLLM_TEST_POSTGRES`, on PostgreSQL.

mod common;
use common::*;

/// Sends 100 submits at once (seeds `seeds`…`seeds + 99`, so none is a duplicate or a cache
/// hit) and returns the status codes.
fn hundred_at_once(s: &Server, token: &str, channel: &str, events: u32, seeds: u64) -> Vec<u16> {
    std::thread::scope(|sc| {
        let hs: Vec<_> = (0..100u64)
            .map(|seed| {
                sc.spawn(move || {
                    post(
                        s,
                        Some(token),
                        "/v1/simulate",
                        sim(channel, events, 0, seeds + seed),
                    )
                    .0
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().expect("thread")).collect()
    })
}

fn count(codes: &[u16], code: u16) -> usize {
    codes.iter().filter(|&&c| c == code).count()
}

fn ledger_adds_up(s: &Server) {
    let bad = with_db(s, |db| {
        Box::pin(async move { collm_backend::ledger::consistent(&db).await.expect("check") })
    });
    assert!(bad.is_empty(), "{bad:?}");
}

#[test]
fn hundred_concurrent_submits_against_a_limit_of_ten_accept_exactly_ten() {
    let dir = temp_dir("rate");
    let db = database(&dir);
    let mut cfg = config(&dir, &db);
    cfg.rate_limit = 10;
    cfg.throttle = 50;
    let s = start(cfg);
    let a = add_user(&s, "alice");
    let codes = hundred_at_once(&s, &a, "single_muon", 10, 1000);
    assert_eq!(
        (count(&codes, 200), count(&codes, 429)),
        (10, 90),
        "{codes:?}"
    );
    let (_, mine) = get(&s, Some(&a), "/v1/requests?limit=1000");
    assert_eq!(mine.as_array().map(Vec::len), Some(10));
    ledger_adds_up(&s);
}

#[test]
fn a_monthly_cap_of_a_tenth_of_a_node_hour_is_never_exceeded() {
    let dir = temp_dir("cap100");
    let db = database(&dir);
    let mut cfg = config(&dir, &db);
    cfg.monthly_cap = 0.1;
    cfg.throttle = 50;
    let s = start(cfg);
    let price =
        collm_contract::estimate(collm_contract::Channel::SingleMuon, 10, 0).estimated_node_hours;
    assert!(price > 0.0 && price < 0.05, "price {price}");
    let fit = (0.1 / price + 1e-9).floor() as usize;
    // Two users, so the cap (shared by all) is what stops them, not a per-user limit.
    let (a, b) = (add_user(&s, "alice"), add_user(&s, "bob"));
    let codes: Vec<u16> = std::thread::scope(|sc| {
        // Different seeds: a sample one user completed would be a free cache hit for the other.
        let ha = sc.spawn(|| hundred_at_once(&s, &a, "single_muon", 10, 1000));
        let hb = sc.spawn(|| hundred_at_once(&s, &b, "single_muon", 10, 2000));
        let mut all = ha.join().expect("alice");
        all.extend(hb.join().expect("bob"));
        all
    });
    assert_eq!(count(&codes, 200), fit, "{codes:?}");
    assert_eq!(count(&codes, 503), 200 - fit, "{codes:?}");
    let used: f64 = [&a, &b].iter().map(|t| 10.0 - credits(&s, t)).sum();
    assert!(
        used <= 0.1 + 1e-9,
        "{used} node-hours charged under a cap of 0.1"
    );
    ledger_adds_up(&s);
}
