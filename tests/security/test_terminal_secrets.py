"""Secrets typed or stored from a terminal: `collm login --token` in a real pseudo-terminal
must not echo the token, and the token file it writes must be private."""
from __future__ import annotations

import os
import pty
import select
import shutil
import stat
import time

import pytest

SECRET = "hf_pty_secret_4f9c2a"


def _read_all(fd: int, until: float) -> bytes:
    out = b""
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    return out


@pytest.fixture
def collm() -> str:
    path = shutil.which("collm")
    if path is None:
        pytest.skip("the collm binary is not on PATH (run ./install.sh)")
    return path


def test_login_token_is_not_echoed_and_is_stored_privately(collm: str, tmp_path) -> None:
    hf_home = tmp_path / "hf"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "HF_HOME": str(hf_home),
        "COLLM_HOME": str(tmp_path / "collm"),
    }
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(collm, [collm, "login", "--token"], env)
    prompt = _read_all(fd, time.monotonic() + 5)
    assert b"token" in prompt.lower(), prompt
    os.write(fd, (SECRET + "\n").encode())
    rest = _read_all(fd, time.monotonic() + 20)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    transcript = (prompt + rest).decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, transcript
    assert SECRET not in transcript, f"the token was echoed: {transcript!r}"
    token_file = hf_home / "token"
    assert token_file.read_text() == SECRET
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(hf_home.stat().st_mode) == 0o700
