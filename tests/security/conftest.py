"""A real `collm backend serve` on loopback for each attack, on SQLite and, when
`COLLM_SECURITY_POSTGRES` names a server (tests/run.sh sets it), on a fresh PostgreSQL database.

Every HTTP answer the suite receives is kept, and when a test ends its answers, the command
outputs it collected and the backend's log are searched for every token the test used: none
may appear anywhere.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests


def collm_binary() -> str:
    path = shutil.which("collm")
    if path is None:
        pytest.skip("the collm binary is not on PATH (run ./install.sh)")
    return path


def _databases() -> list[str]:
    kinds = ["sqlite"]
    if os.environ.get("COLLM_SECURITY_POSTGRES"):
        kinds.append("postgres")
    return kinds


def fresh_database(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:{folder / 'ledger.db'}"
    server = os.environ["COLLM_SECURITY_POSTGRES"]
    name = f"collm_t_{uuid.uuid4().hex}"
    subprocess.run(
        ["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return f"{server}/{name}"


class Backend:
    """One running backend, the tokens it issued, and everything it answered."""

    def __init__(self, folder: Path, db: str, extra: list[str]) -> None:
        self.exe = collm_binary()
        self.folder = folder
        self.db = db
        self.log = folder / "backend.log"
        self.secrets: list[str] = []
        self.seen: list[str] = []
        self.proc = subprocess.Popen(
            [self.exe, "backend", "serve", "--addr", "127.0.0.1:0", "--db", db,
             "--outputs", str(folder / "outputs"), "--log", str(self.log), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert "listening on http://127.0.0.1:" in line, line
        self.base = line.strip().rsplit(" ", 1)[-1]
        self.port = int(self.base.rsplit(":", 1)[-1])

    def admin(self, *args: str, record: bool = True) -> subprocess.CompletedProcess[str]:
        """`collm backend ARGS --db DB`; its output is kept for the token search."""
        out = subprocess.run(
            [self.exe, "backend", *args, "--db", self.db],
            capture_output=True, text=True, timeout=60,
        )
        if record:
            self.seen.append(out.stdout + out.stderr)
        return out

    def user(self, name: str) -> str:
        """A new user's token: printed by `add-user` on purpose, the one output not searched."""
        out = self.admin("add-user", name, record=False)
        assert out.returncode == 0, out.stderr
        token = out.stdout.strip().splitlines()[-1]
        self.secrets.append(token)
        return token

    def call(self, method: str, path: str, token: str | None = None, **kw: Any) -> requests.Response:
        headers = kw.pop("headers", {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        r = requests.request(method, self.base + path, headers=headers, timeout=60, **kw)
        self.seen.append(f"{r.status_code} {dict(r.headers)} {r.text}")
        return r

    def ledger_is_consistent(self) -> None:
        out = self.admin("check")
        assert out.returncode == 0, out.stdout + out.stderr

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def assert_no_secret(secrets: list[str], texts: list[str], where: str) -> None:
    for secret in secrets:
        for text in texts:
            assert secret not in text, f"a token appeared in {where}"


@pytest.fixture(params=_databases())
def start_backend(request, tmp_path):
    """Starts backends with extra `serve` flags; stops them and searches for tokens after."""
    started: list[Backend] = []

    def start(*extra: str) -> Backend:
        folder = tmp_path / f"backend{len(started)}"
        folder.mkdir()
        b = Backend(folder, fresh_database(request.param, folder), list(extra))
        started.append(b)
        return b

    yield start
    for b in started:
        b.stop()
        assert_no_secret(b.secrets, b.seen, "an HTTP answer or a command output")
        log = b.log.read_text() if b.log.exists() else ""
        assert log, "the backend wrote no log"
        assert_no_secret(b.secrets, [log], f"the backend's log {b.log}")
