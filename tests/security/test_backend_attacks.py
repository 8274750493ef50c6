"""Attacks on a real backend on loopback: tokens, other users' requests, traversal, bad bodies
and heads, slow and many connections, 100 concurrent submits against each gate, Hugging Face
names, bounded grants, and cache hits on other users' runs. Each loop is bounded in count and
time; the fixture then searches every answer and the log for the tokens used."""
from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import Backend


def detail(r) -> str:
    assert r.headers.get("content-type", "").startswith("application/json"), (r.status_code, r.text)
    return str(r.json()["detail"])


def sim(channel: str, events: int, seed: int, pileup: int = 0) -> dict:
    return {"channel": channel, "events": events, "pileup": pileup, "seed": seed}


def wait_completed(b: Backend, token: str, rid: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        r = b.call("GET", f"/v1/requests/{rid}", token).json()
        if r["state"] in ("completed", "failed", "cancelled"):
            return r
        time.sleep(0.1)
    raise AssertionError(f"request {rid} did not finish")


def raw(b: Backend, data: bytes, timeout: float = 20) -> tuple[int, str]:
    with socket.create_connection(("127.0.0.1", b.port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except OSError:
            pass
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except OSError:
            pass
    text = out.decode("utf-8", "replace")
    b.seen.append(text)
    status = int(text.split(" ", 2)[1]) if text.startswith("HTTP/1.1 ") else 0
    return status, text.split("\r\n\r\n", 1)[-1]


def hundred_at_once(b: Backend, token: str, body_for_seed) -> list[int]:
    with ThreadPoolExecutor(max_workers=100) as pool:
        return list(pool.map(lambda i: b.call("POST", "/v1/simulate", token, json=body_for_seed(i)).status_code, range(100)))


def test_forged_malformed_and_missing_tokens_are_401(start_backend):
    b = start_backend()
    b.user("alice")
    forged = "collm_" + "0f" * 32
    b.secrets.append(forged)
    for headers in ({}, {"Authorization": f"Bearer {forged}"}, {"Authorization": "Token abc"},
                    {"Authorization": "Bearer "}, {"Authorization": "Bearer a b"}):
        r = b.call("GET", "/v1/me", headers=headers)
        assert r.status_code == 401, (headers, r.text)
        assert detail(r)


def test_other_users_requests_cannot_be_read_cancelled_or_downloaded(start_backend):
    b = start_backend("--throttle", "200")
    alice, bob = b.user("alice"), b.user("bob")
    r = b.call("POST", "/v1/simulate", alice, json=sim("single_muon", 400, 1)).json()
    rid = r["request_id"]
    for method, path in [("GET", f"/v1/requests/{rid}"), ("POST", f"/v1/requests/{rid}/cancel"),
                         ("GET", f"/v1/requests/{rid}/files")]:
        assert b.call(method, path, bob).status_code == 403, path
    done = wait_completed(b, alice, rid)
    assert done["state"] == "completed", done
    name = b.call("GET", f"/v1/requests/{rid}/files", alice).json()[0]["name"]
    r = b.call("GET", f"/v1/requests/{rid}/files/{name}", bob)
    assert r.status_code == 403 and detail(r)
    assert all(x["id"] != rid for x in b.call("GET", "/v1/requests", bob).json())


def test_traversal_in_ids_and_file_names_reaches_nothing(start_backend):
    b = start_backend()
    alice = b.user("alice")
    rid = b.call("POST", "/v1/simulate", alice, json=sim("single_muon", 10, 2)).json()["request_id"]
    wait_completed(b, alice, rid)
    for path in ["/v1/requests/..%2F..%2Fledger.db", "/v1/requests/%2e%2e",
                 f"/v1/requests/{rid}/files/..%2F..%2Fledger.db",
                 f"/v1/requests/{rid}/files/%2e%2e%2fbackend.log",
                 f"/v1/requests/{rid}/files/%2Fetc%2Fpasswd"]:
        r = b.call("GET", path, alice)
        assert r.status_code in (400, 403, 404), (path, r.status_code)
        assert "root:" not in r.text and "SQLite" not in r.text, path
        assert detail(r)


def test_oversized_and_malformed_bodies_and_heads_get_json_errors(start_backend):
    b = start_backend()
    alice = b.user("alice")
    cases = [
        (b.call("POST", "/v1/simulate", alice, data=b"{bad"), 422),
        (b.call("POST", "/v1/simulate", alice, json={"channel": "top", "events": 1}), 422),
        (b.call("POST", "/v1/simulate", alice, json={"channel": "zee", "events": -5}), 422),
        (b.call("POST", "/v1/simulate", alice, json=[1, 2]), 422),
        (b.call("GET", "/v1/requests?limit=abc", alice), 400),
        (b.call("GET", "/nowhere", alice), 404),
        (b.call("DELETE", "/v1/me", alice), 405),
    ]
    for r, status in cases:
        assert r.status_code == status, (r.request.method, r.request.url[:80], r.status_code, r.text[:200])
        assert detail(r)
    big = b"POST /v1/simulate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    for data, status in [
        (big + b"Content-Length: 3000000\r\n\r\n" + b" " * 3_000_000, 413),
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 500_000 + b"\r\n\r\n", 431),
        (b"GET /healthz HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n", 431),
    ]:
        got, body = raw(b, data)
        assert got == status, (data[:40], got, body[:200])
        assert '"detail"' in body, body


def test_slow_heads_are_cut_off_and_connections_are_limited(start_backend):
    b = start_backend("--header-timeout", "1", "--max-connections", "4")
    began = time.monotonic()
    status, body = raw(b, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half: ")
    assert status == 408 and "did not arrive" in body, body
    assert time.monotonic() - began < 10
    time.sleep(0.3)  # the connection above gives its slot back
    idle = [socket.create_connection(("127.0.0.1", b.port)) for _ in range(4)]
    try:
        time.sleep(0.3)
        status, body = raw(b, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 503 and "too many connections" in body, body
        # Each is cut off after 1 s (and a moment to read what it still sends).
        time.sleep(3)
        assert b.call("GET", "/healthz").status_code == 200
    finally:
        for s in idle:
            s.close()


def test_hundred_concurrent_submits_against_a_rate_limit_of_ten(start_backend):
    b = start_backend("--rate-limit", "10", "--throttle", "50")
    alice = b.user("alice")
    codes = hundred_at_once(b, alice, lambda i: sim("single_muon", 10, 1000 + i))
    assert (codes.count(200), codes.count(429)) == (10, 90), codes
    b.ledger_is_consistent()


def test_hundred_concurrent_submits_never_exceed_a_cap_of_a_tenth_of_a_node_hour(start_backend):
    b = start_backend("--monthly-cap", "0.1", "--throttle", "50", "--rate-limit", "1000")
    users = [(b.user("alice"), 2000), (b.user("bob"), 3000)]
    # Different seeds per user: a sample one user completed would be a free cache hit for
    # the other.
    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = sum(pool.map(lambda u: hundred_at_once(b, u[0], lambda i: sim("single_muon", 10, u[1] + i)), users), [])
    # single_muon, 10 events: 0.014 node-hours each; 7 fit in 0.1.
    assert (codes.count(200), codes.count(503)) == (7, 193), codes
    spent = sum(10 - b.call("GET", "/v1/me", t).json()["credits"] for t, _ in users)
    assert spent <= 0.1 + 1e-9, spent
    b.ledger_is_consistent()


def test_hundred_concurrent_submits_against_the_balance(start_backend):
    b = start_backend("--rate-limit", "1000")
    alice = b.user("alice")
    codes = hundred_at_once(b, alice, lambda i: sim("zmumu", 100, 3000 + i))
    # 10 credits, 0.833 each: exactly 12 fit.
    assert (codes.count(200), codes.count(402)) == (12, 88), codes
    assert b.call("GET", "/v1/me", alice).json()["credits"] >= 0
    b.ledger_is_consistent()


def test_grants_must_be_finite_and_bounded(start_backend):
    b = start_backend()
    alice = b.user("alice")
    for amount in ["inf", "nan", "1e300", "-inf", "2e9"]:
        out = b.admin("grant", "alice", amount)
        assert out.returncode != 0, amount
        assert "finite" in out.stderr or "above" in out.stderr, out.stderr
    me = b.call("GET", "/v1/me", alice)
    assert me.status_code == 200 and me.json()["credits"] == 10.0
    b.ledger_is_consistent()


def test_a_cache_hit_on_another_users_run_is_the_callers_own(start_backend):
    b = start_backend()
    alice, bob = b.user("alice"), b.user("bob")
    rid = b.call("POST", "/v1/simulate", alice, json=sim("zee", 50, 5)).json()["request_id"]
    wait_completed(b, alice, rid)
    hit = b.call("POST", "/v1/simulate", bob, json=sim("zee", 50, 5)).json()
    assert hit["cached"] and hit["credits_charged"] == 0 and hit["request_id"] != rid, hit
    mine = hit["request_id"]
    assert b.call("GET", f"/v1/requests/{mine}", bob).json()["state"] == "completed"
    files = b.call("GET", f"/v1/requests/{mine}/files", bob).json()
    assert files, files
    r = b.call("GET", f"/v1/requests/{mine}/files/{files[0]['name']}", bob)
    assert r.status_code == 200 and len(r.content) == files[0]["bytes"]
    again = b.call("POST", "/v1/simulate", bob, json=sim("zee", 50, 5)).json()
    assert again["request_id"] == mine
    assert b.call("GET", f"/v1/requests/{rid}", bob).status_code == 403
