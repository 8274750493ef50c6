"""Kernel behaviour through jupyter_client: interrupts, crashes, signatures,
large outputs, execute options. Each test states what a user relies on."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
import threading
import time
import uuid

import pytest
import zmq

from conftest import Kernel


def interrupt_after(kernel: Kernel, seconds: float) -> threading.Thread:
    t = threading.Thread(target=lambda: (time.sleep(seconds), kernel.km.interrupt_kernel()))
    t.start()
    return t


def test_interrupt_stops_an_infinite_loop_quickly(kernel: Kernel) -> None:
    assert kernel.execute("let kept_before = 41;").status == "ok"
    # Compile the loop first so the interrupt hits running code, not rustc.
    t = interrupt_after(kernel, 4.0)
    start = time.monotonic()
    msg_id = kernel.kc.execute("loop { std::hint::spin_loop(); }")
    reply = kernel.shell_reply(msg_id, timeout=60)
    waited = time.monotonic() - start
    t.join()
    kernel.drain_iopub()
    content = reply["content"]
    assert content["status"] == "error"
    assert content["ename"] == "Interrupted"
    assert waited - 4.0 < 2.0, f"reply took {waited - 4.0:.2f}s after the interrupt"
    assert any("kept_before" in line for line in content["traceback"]), content["traceback"]
    after = kernel.execute("40 + 2")
    assert after.status == "ok"
    assert after.of_type("execute_result")[0]["content"]["data"]["text/plain"] == "42"


def test_interrupt_during_a_magic_keeps_state(kernel: Kernel) -> None:
    assert kernel.execute("let survivor = String::from(\"still here\");").status == "ok"
    t = interrupt_after(kernel, 0.5)
    start = time.monotonic()
    r = kernel.execute("%sleep 60")
    t.join()
    assert r.status == "error"
    assert r.reply["content"]["ename"] == "Interrupted"
    assert time.monotonic() - start < 10
    again = kernel.execute("survivor.clone()")
    assert again.status == "ok"
    assert again.of_type("execute_result")[0]["content"]["data"]["text/plain"] == '"still here"'


@pytest.mark.parametrize(
    "code, ename, words",
    [
        ('panic!("custom failure {}", 7)', "Panic", "custom failure 7"),
        ("let v: Vec<i32> = Vec::new(); v[3]", "Panic", "index out of bounds"),
        ("std::process::abort()", "Abort", "abort"),
        (
            "fn down(n: u64) -> u64 { let pad = [n; 64]; down(n + 1) + pad[3] } down(0)",
            "StackOverflow",
            "stack",
        ),
    ],
)
def test_crashes_are_errors_and_the_kernel_survives(
    kernel: Kernel, code: str, ename: str, words: str
) -> None:
    r = kernel.execute(code)
    assert r.status == "error"
    assert r.reply["content"]["ename"] == ename, r.reply["content"]
    text = r.reply["content"]["evalue"] + "\n".join(r.reply["content"]["traceback"])
    assert words in text
    errors = r.of_type("error")
    assert len(errors) == 1, "the error is published once on iopub"
    assert "\x1b[" not in text, "tracebacks are plain text"
    ok = kernel.execute("6 * 7")
    assert ok.status == "ok"
    assert ok.of_type("execute_result")[0]["content"]["data"]["text/plain"] == "42"


def test_forged_signature_is_dropped_and_kernel_still_answers(kernel: Kernel) -> None:
    marker = os.path.join(tempfile.mkdtemp(), "forged-ran")
    info = kernel.km.get_connection_info()
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
    header = json.dumps(
        {
            "msg_id": uuid.uuid4().hex,
            "username": "attacker",
            "session": uuid.uuid4().hex,
            "date": "2026-01-01T00:00:00Z",
            "msg_type": "execute_request",
            "version": "5.3",
        }
    ).encode()
    content = json.dumps(
        {"code": f'std::fs::write("{marker}", "x").unwrap();', "silent": False}
    ).encode()
    parts = [header, b"{}", b"{}", content]
    forged = hmac.new(b"wrong key", b"".join(parts), hashlib.sha256).hexdigest().encode()
    sock.send_multipart([b"<IDS|MSG>", forged, *parts])
    time.sleep(1.0)
    sock.close()
    r = kernel.execute("1 + 1")
    assert r.status == "ok"
    time.sleep(0.5)
    assert not os.path.exists(marker), "a forged message was executed"


def test_ten_megabytes_of_stdout_arrive_complete_and_in_order(kernel: Kernel) -> None:
    lines = 100_000
    code = f'for i in 0..{lines} {{ println!("line {{:06}} {{}}", i, "x".repeat(88)); }}'
    r = kernel.execute(code, timeout=300)
    assert r.status == "ok"
    out = r.stream("stdout").splitlines()
    assert len(out) == lines
    assert sum(len(l) + 1 for l in out) >= 10_000_000
    for i in (0, 1, 4999, 50_000, lines - 1):
        assert out[i].startswith(f"line {i:06} ")
    assert out == sorted(out), "stdout lines arrived out of order"


def test_streams_flow_while_the_cell_runs(kernel: Kernel) -> None:
    code = (
        'println!("first"); '
        "std::thread::sleep(std::time::Duration::from_secs(2)); "
        'println!("second");'
    )
    msg_id = kernel.kc.execute(code)
    first_at = None
    start = time.monotonic()
    while True:
        msg = kernel.kc.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream" and "first" in msg["content"]["text"]:
            first_at = time.monotonic() - start
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    done_at = time.monotonic() - start
    kernel.shell_reply(msg_id)
    assert first_at is not None
    assert done_at - first_at > 1.5, "stdout was held back until the cell ended"


def test_execution_count_silent_and_store_history(kernel: Kernel) -> None:
    a = kernel.execute("1")
    n = a.reply["content"]["execution_count"]
    silent = kernel.execute('println!("quiet")', silent=True)
    assert silent.status == "ok"
    assert silent.outputs == [], "silent executes publish nothing"
    unstored = kernel.execute("2", store_history=False)
    assert unstored.reply["content"]["execution_count"] == n
    b = kernel.execute("3")
    assert b.reply["content"]["execution_count"] == n + 1


def test_stop_on_error_aborts_queued_executes(kernel: Kernel) -> None:
    first = kernel.kc.execute('panic!("first fails")')
    second = kernel.kc.execute("1 + 1")
    r1 = kernel.shell_reply(first)
    r2 = kernel.shell_reply(second)
    kernel.drain_iopub()
    assert r1["content"]["status"] == "error"
    assert r2["content"]["status"] == "aborted"
    # Without stop_on_error the next cell runs.
    first = kernel.kc.execute('panic!("fails again")', stop_on_error=False)
    second = kernel.kc.execute("1 + 1")
    assert kernel.shell_reply(first)["content"]["status"] == "error"
    assert kernel.shell_reply(second)["content"]["status"] == "ok"
    kernel.drain_iopub()


def test_user_expressions_are_evaluated(kernel: Kernel) -> None:
    assert kernel.execute("let base = 20;").status == "ok"
    r = kernel.execute("", user_expressions={"double": "base * 2", "bad": "nope_undefined"})
    ue = r.reply["content"]["user_expressions"]
    assert ue["double"]["status"] == "ok"
    assert ue["double"]["data"]["text/plain"] == "40"
    assert ue["bad"]["status"] == "error"


def test_input_request_round_trip(kernel: Kernel) -> None:
    msg_id = kernel.kc.execute(
        'let name = collm::input("Name? "); println!("hello {name}");',
        allow_stdin=True,
    )
    req = kernel.kc.get_stdin_msg(timeout=120)
    assert req["msg_type"] == "input_request"
    assert req["content"]["prompt"] == "Name? "
    kernel.kc.input("Ada")
    reply = kernel.shell_reply(msg_id)
    assert reply["content"]["status"] == "ok", reply["content"]
    kernel.drain_iopub()
    secret = kernel.kc.execute('collm::password("Token: ").len()', allow_stdin=True)
    req = kernel.kc.get_stdin_msg(timeout=120)
    assert req["content"]["password"] is True
    assert req["content"]["prompt"] == "Token: "
    kernel.kc.input("hf_secret")
    assert kernel.shell_reply(secret)["content"]["status"] == "ok"
    kernel.drain_iopub()


def test_display_updates_from_a_running_cell(kernel: Kernel) -> None:
    code = (
        'collm::display_with_id("text/plain", "step 0", "progress"); '
        'collm::update_display("text/plain", "step 1", "progress"); '
        'collm::display("text/html", "<i>second display</i>");'
    )
    r = kernel.execute(code)
    assert r.status == "ok"
    displays = r.of_type("display_data")
    updates = r.of_type("update_display_data")
    assert len(displays) == 2
    assert displays[0]["content"]["transient"]["display_id"] == "progress"
    assert updates[0]["content"]["data"]["text/plain"] == "step 1"
    assert updates[0]["content"]["transient"]["display_id"] == "progress"


def test_magic_errors_name_the_problem(kernel: Kernel) -> None:
    r = kernel.execute("%sleep soon")
    assert r.status == "error"
    assert "`soon` is not a number" in r.reply["content"]["evalue"]
    r = kernel.execute("%nosuchmagic")
    assert r.reply["content"]["evalue"].startswith("unknown magic %nosuchmagic")


def test_env_magic_reaches_rust_cells(kernel: Kernel) -> None:
    assert kernel.execute("%env COLLM_TEST_VALUE=forty-two").status == "ok"
    r = kernel.execute('std::env::var("COLLM_TEST_VALUE").unwrap()')
    assert r.of_type("execute_result")[0]["content"]["data"]["text/plain"] == '"forty-two"'


def test_comm_to_unknown_target_is_closed_and_info_lists_open_comms(kernel: Kernel) -> None:
    comm_id = uuid.uuid4().hex
    kernel.kc.comm_open = None  # BlockingKernelClient has no comm helper; send by hand.
    msg = kernel.kc.session.msg(
        "comm_open", {"comm_id": comm_id, "target_name": "no.such.target", "data": {}}
    )
    kernel.kc.shell_channel.send(msg)
    closed = False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not closed:
        m = kernel.kc.get_iopub_msg(timeout=30)
        closed = m["msg_type"] == "comm_close" and m["content"]["comm_id"] == comm_id
    assert closed
    ctl = uuid.uuid4().hex
    kernel.kc.shell_channel.send(
        kernel.kc.session.msg(
            "comm_open",
            {"comm_id": ctl, "target_name": "jupyter.widget.control", "data": {}},
        )
    )
    info_id = kernel.kc.comm_info()
    info = kernel.shell_reply(info_id)
    assert info["content"]["comms"][ctl]["target_name"] == "jupyter.widget.control"
    kernel.drain_iopub()


def test_rust_completion_answers_without_rust_src(kernel: Kernel) -> None:
    assert kernel.execute("let detector_energy = 13.6_f64;").status == "ok"
    code = "detector_en"
    msg_id = kernel.kc.complete(code, len(code))
    reply = kernel.shell_reply(msg_id)
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["cursor_end"] == len(code)
    assert "detector_energy" in reply["content"]["matches"]


def test_restart_gives_a_fresh_working_session() -> None:
    k = Kernel()
    try:
        assert k.execute("let before_restart = 1;").status == "ok"
        k.km.restart_kernel(now=False)
        k.kc.wait_for_ready(timeout=60)
        gone = k.execute("before_restart")
        assert gone.status == "error"
        assert "before_restart" in gone.reply["content"]["evalue"]
        assert k.execute("2 + 2").of_type("execute_result")[0]["content"]["data"]["text/plain"] == "4"
    finally:
        k.close()


def test_time_magic_keeps_the_inner_failure(kernel: Kernel) -> None:
    r = kernel.execute('%%time\npanic!("inside timed code")')
    assert r.status == "error"
    assert r.reply["content"]["ename"] == "Panic"
    assert "inside timed code" in r.reply["content"]["evalue"]
    assert "Wall time" in r.stream("stdout")
