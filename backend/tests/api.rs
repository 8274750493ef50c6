//! The contract's users, credits and simulation routes through real HTTP (reqwest against a
//! running backend), with every documented error code.

mod common;

use common::*;
use serde_json::json;

#[test]
fn auth_signup_and_price_examples() {
    let s = server();
    assert_eq!(get(&s, None, "/healthz"), (200, json!({"status": "ok"})));
    let (st, e) = get(&s, None, "/v1/me");
    assert_eq!(st, 401);
    assert!(e["detail"]
        .as_str()
        .expect("detail")
        .contains("Authorization"));
    let r = http()
        .get(format!("{}/v1/me", s.base))
        .header("Authorization", "Token abc")
        .send()
        .expect("send");
    assert_eq!(r.status().as_u16(), 401, "a malformed header is 401");
    assert_eq!(get(&s, Some("collm_not_a_token"), "/v1/me").0, 401);
    let t = add_user(&s, "alice");
    let (st, me) = get(&s, Some(&t), "/v1/me");
    assert_eq!(st, 200);
    assert_eq!(
        (me["hf_username"].as_str(), me["credits"].as_f64()),
        (Some("alice"), Some(10.0))
    );
    let (_, tx) = get(&s, Some(&t), "/v1/me/transactions?limit=100");
    assert_eq!(tx[0]["reason"], "signup");
    assert_eq!(tx[0]["delta"], 10.0);
    for (c, n, p, want) in [
        ("ttbar", 10, 0, 0.333),
        ("ttbar", 1000, 200, 125.083),
        ("zmumu", 100, 0, 0.833),
    ] {
        let (st, q) = post(&s, None, "/v1/estimate", sim(c, n, p, 42));
        assert_eq!(st, 200);
        assert_eq!(
            q["estimated_node_hours"].as_f64(),
            Some(want),
            "{c} {n} pu{p}"
        );
    }
    for (body, field) in [
        (sim("zmumu", 0, 0, 1), "events"),
        (sim("zmumu", 100_001, 0, 1), "events"),
        (sim("zmumu", 10, 201, 1), "pileup"),
        (json!({"channel": "ww", "events": 10}), "body"),
        (json!({"events": 10}), "body"),
    ] {
        let (st, e) = post(&s, Some(&t), "/v1/simulate", body.clone());
        assert_eq!(st, 422, "{body}");
        let loc = e["detail"][0]["loc"].as_array().expect("loc list");
        assert_eq!(loc.last().and_then(|v| v.as_str()), Some(field), "{e}");
    }
}

#[test]
fn simulate_runs_charges_serves_files_and_caches() {
    let s = server();
    let a = add_user(&s, "alice");
    let b = add_user(&s, "bob");
    let (st, r) = post(&s, Some(&a), "/v1/simulate", sim("zmumu", 200, 0, 7));
    assert_eq!(st, 200, "{r}");
    assert_eq!(
        (r["state"].as_str(), r["cached"].as_bool()),
        (Some("queued"), Some(false))
    );
    assert_eq!(r["credits_charged"].as_f64(), Some(1.667));
    let id = r["request_id"].as_str().expect("id").to_owned();
    let done = wait(&s, &a, &id);
    assert_eq!(done["state"], "completed", "{done}");
    assert_eq!(done["id"], id.as_str());
    assert_eq!(done["actual_node_hours"].as_f64(), Some(1.667));
    assert!((credits(&s, &a) - 8.333).abs() < 1e-9);
    let (st, files) = get(&s, Some(&a), &format!("/v1/requests/{id}/files"));
    assert_eq!(st, 200);
    let names: Vec<&str> = files
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["zmumu_pu0_seed7.lhco.gz", "zmumu_pu0_seed7.parquet"]
    );
    let body = http()
        .get(format!(
            "{}/v1/requests/{id}/files/zmumu_pu0_seed7.lhco.gz",
            s.base
        ))
        .bearer_auth(&a)
        .send()
        .expect("download")
        .bytes()
        .expect("bytes");
    assert_eq!(&body[..2], &[0x1f, 0x8b], "gzip");
    assert_eq!(
        get(
            &s,
            Some(&a),
            &format!("/v1/requests/{id}/files/..%2Ftest.db")
        )
        .0,
        404
    );
    // The same sample by someone else: a cache hit, free, and a request of their own that
    // they can read and fetch (the original stays private); asking again gives the same one.
    let (st, c) = post(&s, Some(&b), "/v1/simulate", sim("zmumu", 200, 0, 7));
    assert_eq!(st, 200);
    assert_eq!(
        (c["cached"].as_bool(), c["credits_charged"].as_f64()),
        (Some(true), Some(0.0))
    );
    let copy = c["request_id"].as_str().expect("id").to_owned();
    assert_ne!(copy, id);
    assert_eq!(c["output_hf_repo"], r["output_hf_repo"]);
    let (st, mine) = get(&s, Some(&b), &format!("/v1/requests/{copy}"));
    assert_eq!(
        (st, mine["state"].as_str()),
        (200, Some("completed")),
        "{mine}"
    );
    assert_eq!(mine["credits_charged"].as_f64(), Some(0.0));
    let (st, files) = get(&s, Some(&b), &format!("/v1/requests/{copy}/files"));
    assert_eq!(st, 200, "{files}");
    assert!(
        files.to_string().contains("zmumu_pu0_seed7.lhco.gz"),
        "{files}"
    );
    let fetched = http()
        .get(format!(
            "{}/v1/requests/{copy}/files/zmumu_pu0_seed7.lhco.gz",
            s.base
        ))
        .bearer_auth(&b)
        .send()
        .expect("download")
        .bytes()
        .expect("bytes");
    assert_eq!(fetched, body, "the copy serves the original run's file");
    let (_, again) = post(&s, Some(&b), "/v1/simulate", sim("zmumu", 200, 0, 7));
    assert_eq!(again["request_id"], copy.as_str());
    let (_, own) = post(&s, Some(&a), "/v1/simulate", sim("zmumu", 200, 0, 7));
    assert_eq!(
        own["request_id"],
        id.as_str(),
        "the owner gets their own run back"
    );
    assert_eq!(credits(&s, &b), 10.0);
    // Cross-user reads are 403; unknown ids 404.
    for path in [
        format!("/v1/requests/{id}"),
        format!("/v1/requests/{id}/files"),
        format!("/v1/requests/{id}/files/x"),
    ] {
        assert_eq!(get(&s, Some(&b), &path).0, 403, "{path}");
    }
    assert_eq!(get(&s, Some(&a), &format!("/v1/requests/{copy}")).0, 403);
    assert_eq!(
        post(
            &s,
            Some(&b),
            &format!("/v1/requests/{id}/cancel"),
            json!({})
        )
        .0,
        403
    );
    assert_eq!(get(&s, Some(&a), "/v1/requests/nope").0, 404);
    let (_, list) = get(&s, Some(&a), "/v1/requests?limit=50");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let (_, list) = get(&s, Some(&b), "/v1/requests?limit=50");
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(1),
        "one copy, however often asked"
    );
    assert_eq!(get(&s, None, "/v1/datasets").1, json!(["zmumu_pu0"]));
}

#[test]
fn gates_in_order_402_409_429_403_503() {
    let dir = temp_dir("gates");
    let db = database(&dir);
    let mut cfg = config(&dir, &db);
    cfg.throttle = 200;
    cfg.rate_limit = 4;
    let s = start(cfg);
    let a = add_user(&s, "alice");
    let (st, e) = post(&s, Some(&a), "/v1/simulate", sim("ttbar", 1000, 200, 1));
    assert_eq!(st, 402);
    assert!(
        e["detail"]
            .as_str()
            .expect("detail")
            .contains("needs 125.083 but you have 10"),
        "{e}"
    );
    let (st, r) = post(&s, Some(&a), "/v1/simulate", sim("single_muon", 2000, 0, 1));
    assert_eq!(st, 200, "{r}");
    let (st, c) = post(&s, Some(&a), "/v1/simulate", sim("single_muon", 2000, 0, 1));
    assert_eq!(st, 409, "{c}");
    assert_eq!(c["detail"]["existing_request_id"], r["request_id"]);
    assert!(c["detail"]["output_hf_repo"].is_string());
    for seed in 2..5 {
        post(
            &s,
            Some(&a),
            "/v1/simulate",
            sim("single_muon", 10, 0, seed),
        );
    }
    assert_eq!(
        post(&s, Some(&a), "/v1/simulate", sim("single_muon", 10, 0, 9)).0,
        429
    );
    let b = add_user(&s, "bob");
    with_db(&s, |db| {
        Box::pin(async move {
            sqlx::query("UPDATE users SET banned = 1 WHERE hf_username = 'bob'")
                .execute(&db.pool)
                .await
                .expect("ban");
        })
    });
    assert_eq!(
        post(&s, Some(&b), "/v1/simulate", sim("zee", 10, 0, 1)).0,
        403
    );
    let c2 = add_user(&s, "carol");
    with_db(&s, |db| {
        Box::pin(async move { db.set_setting("frozen", "1").await.expect("freeze") })
    });
    assert_eq!(
        post(&s, Some(&c2), "/v1/simulate", sim("zee", 10, 0, 1)).0,
        503
    );
    // A cache hit comes before every other gate, even for a banned user.
    let id = r["request_id"].as_str().expect("id").to_owned();
    wait(&s, &a, &id);
    let (st, hit) = post(&s, Some(&b), "/v1/simulate", sim("single_muon", 2000, 0, 1));
    assert_eq!((st, hit["cached"].as_bool()), (200, Some(true)));
}

#[test]
fn monthly_cap_is_503() {
    let dir = temp_dir("cap");
    let db = database(&dir);
    let mut cfg = config(&dir, &db);
    cfg.monthly_cap = 1.0;
    let s = start(cfg);
    let a = add_user(&s, "alice");
    assert_eq!(
        post(&s, Some(&a), "/v1/simulate", sim("zmumu", 100, 0, 1)).0,
        200
    );
    let (st, e) = post(&s, Some(&a), "/v1/simulate", sim("zmumu", 100, 0, 2));
    assert_eq!(st, 503);
    assert!(e["detail"]
        .as_str()
        .expect("detail")
        .contains("monthly cap"));
}

#[test]
fn hundred_concurrent_submits_charge_exactly() {
    let s = server();
    let a = add_user(&s, "alice");
    // 10 credits, 0.833 each: exactly 12 fit (9.996).
    let results: Vec<u16> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..100u64)
            .map(|seed| {
                let (s, a) = (&s, &a);
                sc.spawn(move || {
                    post(
                        s,
                        Some(a),
                        "/v1/simulate",
                        sim("zmumu", 100, 0, 1000 + seed),
                    )
                    .0
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    let ok = results.iter().filter(|&&c| c == 200).count();
    let poor = results.iter().filter(|&&c| c == 402).count();
    assert_eq!((ok, poor), (12, 88), "{results:?}");
    let left = credits(&s, &a);
    assert!(
        (left - (10.0 - 12.0 * 0.833)).abs() < 1e-9,
        "balance {left}"
    );
    assert!(left >= 0.0);
    let bad = with_db(&s, |db| {
        Box::pin(async move { collm_backend::ledger::consistent(&db).await.expect("check") })
    });
    assert!(bad.is_empty(), "{bad:?}");
    let (_, tx) = get(&s, Some(&a), "/v1/me/transactions?limit=1000");
    let spent = tx
        .as_array()
        .expect("list")
        .iter()
        .filter(|t| t["reason"] == "spent_on_request")
        .count();
    assert_eq!(spent, 12, "one charge per accepted request, none doubled");
}

#[test]
fn cancel_refunds_the_unused_part() {
    let dir = temp_dir("cancel");
    let db = database(&dir);
    let mut cfg = config(&dir, &db);
    cfg.throttle = 500;
    let s = start(cfg);
    let a = add_user(&s, "alice");
    let (_, r) = post(&s, Some(&a), "/v1/simulate", sim("zee", 300, 0, 3));
    let id = r["request_id"].as_str().expect("id").to_owned();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (st, c) = post(
        &s,
        Some(&a),
        &format!("/v1/requests/{id}/cancel"),
        json!({}),
    );
    assert_eq!(st, 200, "{c}");
    assert_eq!(c["state"], "cancelled");
    let charged = c["credits_charged"].as_f64().expect("charged");
    assert!(
        charged > 0.0 && charged < 2.5,
        "a part was used and kept: {charged}"
    );
    assert!((credits(&s, &a) - (10.0 - charged)).abs() < 1e-9);
    let (_, tx) = get(&s, Some(&a), "/v1/me/transactions");
    assert_eq!(tx[0]["reason"], "reconciliation_refund");
    assert_eq!(
        post(
            &s,
            Some(&a),
            &format!("/v1/requests/{id}/cancel"),
            json!({})
        )
        .0,
        409
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(
        wait(&s, &a, &id)["state"],
        "cancelled",
        "a cancelled job stays cancelled"
    );
}
