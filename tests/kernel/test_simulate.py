"""%simulate, %balance, %login and %logout through a real kernel.

- The embedded default: the first use starts one local backend per home, a second kernel
  reuses it, and the local token is kept 0600.
- The flag form quotes, submits, follows with live progress, fetches, and the output reads
  with %lhco; an interrupt stops the waiting, not the job.
- The widget form speaks ipywidgets protocol 2.1.0 with the @jupyter-widgets model names: a
  live quote, a click on Submit submits, request_state and request_states are answered.
- COLLIDERML_BACKEND switches the same magics to another service with HF_TOKEN.
- %login runs the OAuth code flow with PKCE against a fake authorization server on loopback,
  or takes a pasted token on stdin; %logout forgets it.
- The headless `collm simulate`, `collm status` and `collm balance`.
"""
from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import re
import stat
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from conftest import Kernel, collm_exe

CHANNELS = ["ttbar", "higgs_portal", "zmumu", "zee", "diphoton", "jets", "susy_gmsb",
            "hidden_valley", "zprime", "single_muon"]


def texts(result) -> str:
    """Every plain-text output of a cell, in order."""
    parts = [result.stream("stdout")]
    for m in result.outputs:
        if m["msg_type"] in ("display_data", "update_display_data", "execute_result"):
            parts.append(m["content"]["data"].get("text/plain", ""))
    return "\n".join(parts)


def wait_for_server(home: Path, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return json.loads((home / "server.json").read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            time.sleep(0.05)
    raise AssertionError(f"no server.json in {home}")


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    """An embedded backend started by hand, throttled to 1000 events/s so a job can be caught
    running; kernels pointed at its home must reuse it rather than start their own."""
    home = tmp_path_factory.mktemp("farm")
    proc = subprocess.Popen(
        [collm_exe(), "backend", "embedded", "--home", str(home), "--throttle", "1000"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_for_server(home)
    yield home
    subprocess.run([collm_exe(), "backend", "stop", "--home", str(home)], check=True)
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def sim(farm: Path):
    k = Kernel(env={"COLLM_BACKEND_HOME": str(farm)})
    yield k
    k.close()


def test_embedded_default_starts_once_per_home_and_keeps_the_token_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = Kernel(env={"COLLM_BACKEND_HOME": str(home)})
    try:
        r = first.execute("%balance")
        assert r.status == "ok", r.reply["content"]
        out = texts(r)
        assert f"Starting the local ColliderML backend in {home}" in out
        assert "1010.000 credits" in out, out
        assert "local ColliderML backend (embedded default" in out
        server = json.loads((home / "server.json").read_text())
        assert server["url"].startswith("http://127.0.0.1:")
        assert stat.S_IMODE((home / "local-token").stat().st_mode) == 0o600
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        second = Kernel(env={"COLLM_BACKEND_HOME": str(home)})
        try:
            r = second.execute("%balance --transactions 0")
            assert r.status == "ok"
            assert "Starting" not in texts(r), "the second kernel reuses the running backend"
            assert json.loads((home / "server.json").read_text()) == server
        finally:
            second.close()
    finally:
        first.close()
        subprocess.run([collm_exe(), "backend", "stop", "--home", str(home)], check=True)
    assert not (home / "server.json").exists()


def request_id(text: str) -> str:
    m = re.search(r"Request ([0-9a-f]{32})", text)
    assert m, text
    return m.group(1)


def test_submit_wait_status_list_fetch_and_read(sim: Kernel, farm: Path, tmp_path: Path) -> None:
    r = sim.execute("%simulate --channel zmumu --events 500 --seed 7 --wait", timeout=120)
    assert r.status == "ok", r.reply["content"]
    out = texts(r)
    assert "Starting" not in out, "the hand-started backend is reused"
    assert "Quote for zmumu × 500 events, pileup 0, seed 7" in out
    rid = request_id(out)
    assert "Charged" in out and "ready in about" in out
    updates = r.of_type("update_display_data")
    assert updates, "the progress line is updated in place"
    assert "completed" in updates[-1]["content"]["data"]["text/plain"]
    assert "<progress" in updates[-1]["content"]["data"]["text/html"]

    r = sim.execute("%simulate status last")
    assert r.status == "ok" and rid in texts(r) and "completed" in texts(r)
    r = sim.execute("%simulate list")
    assert r.status == "ok" and rid in texts(r)

    to = tmp_path / "sample"
    r = sim.execute(f"%simulate fetch {rid} --to {to}")
    assert r.status == "ok", r.reply["content"]
    lhco = to / "zmumu_pu0_seed7.lhco.gz"
    assert lhco.stat().st_size > 0 and (to / "zmumu_pu0_seed7.parquet").stat().st_size > 0
    assert f"%lhco {lhco}" in texts(r)
    r = sim.execute(f"%lhco {lhco}")
    assert r.status == "ok", r.reply["content"]
    assert "500 events" in texts(r)

    r = sim.execute("%simulate --channel zmumu --events 500 --seed 7 --wait")
    assert r.status == "ok"
    assert "served from cache, nothing charged" in texts(r)
    assert request_id(texts(r)) == rid
    assert not r.of_type("update_display_data"), "a cache hit is not polled"
    assert "Follow it with" not in texts(r)

    # A newer request made elsewhere does not change what `last` means in this session.
    subprocess.run([collm_exe(), "simulate", "--channel", "single_muon", "--events", "10",
                    "--seed", "5"], env={**os.environ, "COLLM_BACKEND_HOME": str(farm)},
                   check=True, capture_output=True, stdin=subprocess.DEVNULL)
    r = sim.execute("%simulate status last")
    assert rid in texts(r) and "zmumu" in texts(r)


def test_bad_requests_are_named(sim: Kernel) -> None:
    r = sim.execute("%simulate --channel ww --events 10")
    assert r.status == "error"
    assert "ww" in r.reply["content"]["evalue"] and "zmumu" in r.reply["content"]["evalue"]
    r = sim.execute("%simulate --channel zmumu --events 100001")
    assert r.status == "error" and "--events" in r.reply["content"]["evalue"]
    r = sim.execute("%simulate status 0123456789abcdef0123456789abcdef")
    assert r.status == "error" and "404" in r.reply["content"]["evalue"]
    r = sim.execute("%simulate cancel last")
    assert r.status == "error" and "409" in r.reply["content"]["evalue"]


def test_waiting_on_a_cancelled_request_fails(sim: Kernel, farm: Path) -> None:
    r = sim.execute("%simulate --channel single_muon --events 4000 --seed 12")
    assert r.status == "ok", r.reply["content"]
    rid = request_id(texts(r))
    assert sim.execute(f"%simulate cancel {rid}").status == "ok"
    waited = sim.execute(f"%simulate status {rid} --wait")
    assert waited.status == "error"
    assert "cancelled" in waited.reply["content"]["evalue"]
    proc = subprocess.run([collm_exe(), "status", rid, "--wait"],
                          env={**os.environ, "COLLM_BACKEND_HOME": str(farm)},
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "cancelled" in proc.stderr


def test_interrupt_stops_the_waiting_not_the_job(sim: Kernel) -> None:
    msg_id = sim.kc.execute("%simulate --channel single_muon --events 4000 --seed 11 --wait")
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        m = sim.kc.get_iopub_msg(timeout=60)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append(m)
        if m["msg_type"] == "update_display_data":
            break
    sim.km.interrupt_kernel()
    while True:
        m = sim.kc.get_iopub_msg(timeout=10)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    reply = sim.shell_reply(msg_id, timeout=10)
    assert reply["content"]["status"] == "error"
    stdout = "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream")
    rid = request_id(stdout + "".join(
        m["content"]["data"].get("text/plain", "") for m in seen if "data" in m["content"]))
    assert f"Stopped waiting; request {rid} keeps running" in stdout
    r = sim.execute(f"%simulate status {rid}")
    assert "running" in texts(r) or "completed" in texts(r)
    r = sim.execute(f"%simulate status {rid} --wait", timeout=60)
    assert r.status == "ok" and f"Request {rid} completed" in texts(r)


# --- the widget form -------------------------------------------------------------------------

def comm_send(k: Kernel, comm_id: str, data: dict[str, Any], msg_type: str = "comm_msg",
              **extra: Any) -> list[dict[str, Any]]:
    """Sends a comm message as a frontend would; returns the iopub messages it caused."""
    msg = k.kc.session.msg(msg_type, {"comm_id": comm_id, "data": data, **extra})
    k.kc.shell_channel.send(msg)
    out = []
    while True:
        m = k.kc.get_iopub_msg(timeout=30)
        if m["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            continue
        if m["msg_type"] == "status":
            if m["content"]["execution_state"] == "idle":
                return out
            continue
        out.append(m)


def updates_to(msgs: list[dict[str, Any]], comm_id: str) -> list[dict[str, Any]]:
    return [m["content"]["data"]["state"] for m in msgs
            if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id
            and m["content"]["data"].get("method") == "update"]


@pytest.fixture(scope="module")
def form(sim: Kernel) -> dict[str, Any]:
    r = sim.execute("%simulate")
    assert r.status == "ok", r.reply["content"]
    opens = r.of_type("comm_open")
    models = {m["content"]["comm_id"]: m for m in opens}
    view = r.of_type("display_data")[-1]["content"]["data"]
    root = view["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert root in models, "the displayed view refers to a model that was opened"

    def find(name: str, **match: Any) -> str:
        for cid, m in models.items():
            st = m["content"]["data"]["state"]
            if st["_model_name"] == name and all(st.get(k) == v for k, v in match.items()):
                return cid
        raise AssertionError(f"no {name} with {match}")

    return {
        "opens": opens, "root": root,
        "channel": find("DropdownModel"),
        "events": find("BoundedIntTextModel", description="Events"),
        "seed": find("BoundedIntTextModel", description="Seed"),
        "pileup": find("IntSliderModel"),
        "submit": find("ButtonModel", description="Submit"),
        "refresh": find("ButtonModel", description="Refresh status"),
        "output": find("OutputModel"),
        "quote": next(cid for cid, m in models.items()
                      if m["content"]["data"]["state"]["_model_name"] == "HTMLModel"
                      and "credits" in m["content"]["data"]["state"]["value"]),
        "states": {cid: m["content"]["data"]["state"] for cid, m in models.items()},
    }


def test_form_models_have_the_protocol_names_and_versions(form: dict[str, Any]) -> None:
    versions = {"@jupyter-widgets/controls": "2.0.0", "@jupyter-widgets/base": "2.0.0",
                "@jupyter-widgets/output": "1.0.0"}
    for m in form["opens"]:
        c = m["content"]
        assert c["target_name"] == "jupyter.widget"
        assert m["metadata"]["version"] == "2.1.0"
        st = c["data"]["state"]
        assert versions[st["_model_module"]] == st["_model_module_version"], st
        assert versions[st["_view_module"]] == st["_view_module_version"], st
    names = {m["content"]["data"]["state"]["_model_name"] for m in form["opens"]}
    assert {"DropdownModel", "BoundedIntTextModel", "IntSliderModel", "ButtonModel", "HTMLModel",
            "OutputModel", "VBoxModel", "HBoxModel", "LayoutModel"} <= names
    st = form["states"]
    assert st[form["channel"]]["_options_labels"] == CHANNELS
    assert (st[form["pileup"]]["min"], st[form["pileup"]]["max"], st[form["pileup"]]["step"]) == (0, 200, 10)
    assert (st[form["events"]]["min"], st[form["events"]]["max"]) == (1, 100000)
    assert st[form["seed"]]["value"] == 42
    # Every IPY_MODEL_ reference points at a model that was opened.
    for s in st.values():
        for v in s.values():
            for ref in v if isinstance(v, list) else [v]:
                if isinstance(ref, str) and ref.startswith("IPY_MODEL_"):
                    assert ref[len("IPY_MODEL_"):] in st, ref


def test_the_quote_follows_the_fields(sim: Kernel, form: dict[str, Any]) -> None:
    before = form["states"][form["quote"]]["value"]
    assert "zmumu × 1000 events, pileup 0" in before
    out = comm_send(sim, form["pileup"], {"method": "update", "state": {"value": 50},
                                          "buffer_paths": []})
    quotes = updates_to(out, form["quote"])
    assert quotes and "pileup 50" in quotes[-1]["value"]
    # zmumu: 30 s per event, 1000 events, (1 + 50/50) = 60000 s + overhead, about 16.7 h.
    assert re.search(r"<b>16\.\d{3} credits</b>", quotes[-1]["value"]), quotes[-1]["value"]
    out = comm_send(sim, form["events"], {"method": "update", "state": {"value": 0},
                                          "buffer_paths": []})
    assert "events" in updates_to(out, form["quote"])[-1]["value"]


def test_request_state_and_request_states_are_answered(sim: Kernel, form: dict[str, Any]) -> None:
    comm_send(sim, form["events"], {"method": "update", "state": {"value": 300}, "buffer_paths": []})
    out = comm_send(sim, form["pileup"], {"method": "request_state"})
    state = updates_to(out, form["pileup"])[-1]
    assert state["_model_name"] == "IntSliderModel" and state["value"] == 50
    control = "control-" + str(time.monotonic_ns())
    comm_send(sim, control, {}, msg_type="comm_open", target_name="jupyter.widget.control")
    out = comm_send(sim, control, {"method": "request_states"})
    states = [m["content"]["data"] for m in out if m["msg_type"] == "comm_msg"
              and m["content"]["data"].get("method") == "update_states"][-1]["states"]
    assert states[form["events"]]["state"]["value"] == 300
    assert states[form["root"]]["model_name"] == "VBoxModel"


def test_a_click_on_submit_submits(sim: Kernel, form: dict[str, Any]) -> None:
    comm_send(sim, form["events"], {"method": "update", "state": {"value": 300}, "buffer_paths": []})
    comm_send(sim, form["seed"], {"method": "update", "state": {"value": 4242}, "buffer_paths": []})
    out = comm_send(sim, form["submit"], {"method": "custom", "content": {"event": "click"}})
    outputs = updates_to(out, form["output"])[-1]["outputs"]
    shown = outputs[-1]["data"]["text/plain"]
    rid = request_id(shown)
    assert "zmumu × 300 events, pileup 50, seed 4242" in shown
    r = sim.execute("%simulate list --limit 5")
    assert rid in texts(r)
    out = comm_send(sim, form["refresh"], {"method": "custom", "content": {"event": "click"}})
    status = updates_to(out, form["output"])[-1]["outputs"][-1]["data"]["text/plain"]
    assert rid in status


# --- another service through COLLIDERML_BACKEND ----------------------------------------------

def test_colliderml_backend_switches_to_that_service(tmp_path: Path) -> None:
    db = f"sqlite:{tmp_path / 'shared.db'}"
    server = subprocess.Popen(
        [collm_exe(), "backend", "serve", "--addr", "127.0.0.1:0", "--db", db,
         "--outputs", str(tmp_path / "outputs")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        url = server.stdout.readline().split()[-1]
        token = subprocess.run([collm_exe(), "backend", "add-user", "alice", "--db", db],
                               capture_output=True, text=True, check=True).stdout.splitlines()[-1]
        k = Kernel(env={"COLLIDERML_BACKEND": url, "HF_TOKEN": token})
        try:
            r = k.execute("%balance")
            assert r.status == "ok", r.reply["content"]
            out = texts(r)
            assert "alice: 10.000 credits" in out and f"ColliderML service at {url}" in out
            assert token not in out, "the token is never printed"
            r = k.execute("%simulate --channel zmumu --events 100 --wait")
            assert r.status == "ok", r.reply["content"]
            assert "Charged 0.833 credits" in texts(r)
            assert "alice: 9.167 credits" in texts(k.execute("%balance"))
        finally:
            k.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- %login and %logout ----------------------------------------------------------------------

class FakeOAuth(http.server.BaseHTTPRequestHandler):
    """/oauth/authorize redirects back with a code; /oauth/token checks the PKCE verifier."""

    challenges: dict[str, str] = {}

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        url = urllib.parse.urlparse(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        assert url.path == "/oauth/authorize" and q["code_challenge_method"] == "S256"
        code = f"code{len(self.challenges)}"
        self.challenges[code] = q["code_challenge"]
        self.send_response(302)
        self.send_header("Location", f"{q['redirect_uri']}?code={code}&state={q['state']}")
        self.end_headers()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        form = dict(urllib.parse.parse_qsl(body))
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        ok = self.challenges.pop(form["code"], None) == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        reply = ({"access_token": "hf_oauth_from_fake", "token_type": "bearer"} if ok
                 else {"error": "invalid_grant"})
        data = json.dumps(reply).encode()
        self.send_response(200 if ok else 400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_login_oauth_pkce_and_pasted_token_then_logout(tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeOAuth)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    auth = f"http://127.0.0.1:{server.server_address[1]}"
    hf = tmp_path / "hf"
    k = Kernel(env={"HF_HOME": str(hf)})
    try:
        msg_id = k.kc.execute(f"%login --client-id collm-test --auth-server {auth} --timeout 60")
        link = None
        while link is None:
            m = k.kc.get_iopub_msg(timeout=30)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "display_data":
                link = re.search(r"https?://\S+", m["content"]["data"]["text/plain"]).group(0)
        assert link.startswith(f"{auth}/oauth/authorize?")
        # The "browser": follows the redirect to the kernel's loopback callback.
        page = urllib.request.urlopen(link, timeout=30).read().decode()
        assert "You can close this tab" in page
        reply = k.shell_reply(msg_id, timeout=30)
        assert reply["content"]["status"] == "ok", reply["content"]
        token = hf / "token"
        assert token.read_text() == "hf_oauth_from_fake"
        assert stat.S_IMODE(token.stat().st_mode) == 0o600

        msg_id = k.kc.execute("%login --token", allow_stdin=True)
        prompt = k.kc.get_stdin_msg(timeout=30)
        assert prompt["content"]["password"] is True
        k.kc.input("hf_pasted_token")
        assert k.shell_reply(msg_id)["content"]["status"] == "ok"
        assert token.read_text() == "hf_pasted_token"

        r = k.execute("%logout")
        assert r.status == "ok" and "Removed the token" in r.stream()
        assert not token.exists()
    finally:
        k.close()
        server.shutdown()


# --- the terminal ----------------------------------------------------------------------------

def test_headless_simulate_status_and_balance(farm: Path, tmp_path: Path) -> None:
    env = {**os.environ, "COLLM_BACKEND_HOME": str(farm)}

    def collm(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([collm_exe(), *args], env=env, capture_output=True, text=True,
                              timeout=120, stdin=subprocess.DEVNULL)

    p = collm("simulate", "--channel", "diphoton", "--events", "200", "--pileup", "10", "--wait")
    assert p.returncode == 0, p.stderr
    rid = request_id(p.stdout)
    assert f"Request {rid} completed" in p.stdout
    p = collm("status", rid)
    assert p.returncode == 0 and "completed" in p.stdout and "diphoton" in p.stdout
    p = collm("status")
    assert p.returncode == 0 and rid in p.stdout
    p = collm("balance")
    assert p.returncode == 0 and re.search(r": \d+\.\d{3} credits", p.stdout), p.stdout
    p = collm("simulate", "fetch", rid, "--to", str(tmp_path / "d"))
    assert p.returncode == 0 and (tmp_path / "d" / "diphoton_pu10_seed42.lhco.gz").exists()
    p = collm("simulate", "--channel", "zmumu", "--events", "0")
    assert p.returncode == 1 and "--events" in p.stderr
    p = collm("simulate", "--help")
    assert p.returncode == 0 and "%simulate status last" in p.stdout
