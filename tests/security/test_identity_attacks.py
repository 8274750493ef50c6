"""Who may use which account: Hugging Face names against local ones, a flood of made-up
tokens (each must not become a Hugging Face call), and an impostor on the port of a crashed
embedded backend (it must never receive the local token)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import assert_no_secret, collm_binary

HF_ALICE = "hf_alice_token_0123456789abcdef"


class FakeWhoami:
    """A stand-in for huggingface.co's whoami-v2 on loopback: one good token, named alice."""

    def __init__(self) -> None:
        self.calls = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                outer.calls += 1
                ok = self.headers.get("Authorization") == f"Bearer {HF_ALICE}"
                body = json.dumps({"name": "alice", "type": "user"} if ok else {"error": "Invalid credentials"})
                self.send_response(200 if ok and self.path == "/api/whoami-v2" else 401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def whoami():
    fake = FakeWhoami()
    yield fake
    fake.server.shutdown()


def test_a_hugging_face_user_never_gets_a_local_account_of_the_same_name(start_backend, whoami):
    b = start_backend("--hf-whoami", whoami.url)
    b.secrets.append(HF_ALICE)
    local_alice = b.user("alice")
    r = b.call("GET", "/v1/me", HF_ALICE)
    assert r.status_code == 403 and "signs in with a local token" in r.json()["detail"], r.text
    assert b.call("POST", "/v1/simulate", HF_ALICE, json={"channel": "zee", "events": 10}).status_code == 403
    assert b.call("GET", "/v1/me", local_alice).json()["credits"] == 10.0


def test_made_up_tokens_cannot_flood_hugging_face(start_backend, whoami):
    b = start_backend("--hf-whoami", whoami.url)
    for _ in range(20):
        assert b.call("GET", "/v1/me", "hf_made_up_but_repeated_000").status_code == 401
    assert whoami.calls == 1, "a rejected token is remembered"
    codes = [b.call("GET", "/v1/me", f"hf_made_up_{i:04d}_xxxxxxxxxxxx").status_code for i in range(40)]
    assert codes.count(429) >= 10, codes
    assert whoami.calls <= 30, f"{whoami.calls} verification calls from one client in a minute"


def _read_state(home) -> dict:
    return json.loads((home / "server.json").read_text())


def test_an_impostor_on_a_crashed_embedded_backends_port_never_gets_the_token(tmp_path):
    exe = collm_binary()
    home = tmp_path / "home"
    env = {**os.environ, "COLLM_BACKEND_HOME": str(home), "COLLIDERML_BACKEND": ""}
    first = subprocess.run([exe, "balance"], env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    token = (home / "local-token").read_text().strip()
    state = _read_state(home)
    port = int(state["url"].rsplit(":", 1)[1])
    os.kill(state["pid"], signal.SIGKILL)
    time.sleep(0.3)
    received = bytearray()
    impostor = socket.socket()
    impostor.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    impostor.bind(("127.0.0.1", port))
    impostor.listen(16)
    stop = threading.Event()

    def serve() -> None:
        impostor.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = impostor.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.5)
                try:
                    received.extend(conn.recv(65536))
                except OSError:
                    pass
                body = b'{"status":"ok","pid":1,"proof":"00"}'
                conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
                             b"connection: close\r\n\r\n%s" % (len(body), body))

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        second = subprocess.run([exe, "balance"], env=env, capture_output=True, text=True, timeout=120)
        bad_id = subprocess.run([exe, "status", "../../etc"], env=env, capture_output=True, text=True, timeout=120)
    finally:
        stop.set()
        t.join()
        impostor.close()
        subprocess.run([exe, "backend", "stop", "--home", str(home)], env=env, capture_output=True, timeout=60)
    assert second.returncode == 0, second.stderr
    assert "did not prove" in second.stdout + second.stderr, second.stdout + second.stderr
    assert _read_state(home)["url"] != state["url"] if (home / "server.json").exists() else True
    assert b"/v1/local/proof" in received, received[:300]
    assert token.encode() not in received, "the impostor received the local token"
    assert b"authorization" not in bytes(received).lower()
    assert bad_id.returncode != 0 and "../../etc" in bad_id.stderr, bad_id.stderr
    outputs = [first.stdout, first.stderr, second.stdout, second.stderr, bad_id.stdout, bad_id.stderr,
               (home / "backend.log").read_text()]
    assert_no_secret([token], outputs, "a command output or the embedded backend's log")
