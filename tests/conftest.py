"""Shared fixtures: a running collm kernel driven through jupyter_client."""
from __future__ import annotations

import os
import queue
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from jupyter_client.manager import start_new_kernel

KERNEL_NAME = "collm"


@dataclass
class Result:
    """Everything one execute produced."""

    reply: dict[str, Any]
    outputs: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def status(self) -> str:
        return self.reply["content"]["status"]

    def stream(self, name: str = "stdout") -> str:
        return "".join(
            m["content"]["text"]
            for m in self.outputs
            if m["msg_type"] == "stream" and m["content"]["name"] == name
        )

    def of_type(self, msg_type: str) -> list[dict[str, Any]]:
        return [m for m in self.outputs if m["msg_type"] == msg_type]


class Kernel:
    """A kernel plus a blocking client, with helpers that collect outputs."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        extra = {} if env is None else {"env": {**os.environ, **env}}
        self.km, self.kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60, **extra)

    def execute(self, code: str, timeout: float = 120, **kwargs: Any) -> Result:
        start = time.monotonic()
        msg_id = self.kc.execute(code, **kwargs)
        outputs = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    break
                continue
            if msg["msg_type"] == "execute_input":
                continue
            outputs.append(msg)
        reply = self.shell_reply(msg_id, timeout)
        return Result(reply, outputs, time.monotonic() - start)

    def shell_reply(self, msg_id: str, timeout: float = 60) -> dict[str, Any]:
        while True:
            reply = self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def drain_iopub(self) -> None:
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                return

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def collm_exe() -> str:
    """The installed `collm`, the same binary the kernelspec starts."""
    exe = shutil.which("collm")
    assert exe, "collm is not on PATH (run ./install.sh)"
    return exe


@pytest.fixture(scope="session", autouse=True)
def private_simulation_home(tmp_path_factory):
    """Every kernel of the run gets its own embedded ColliderML backend and Hugging Face token
    folder, so tests never touch (or depend on) the user's; the backend is stopped at the end.
    Models are off unless a test turns them on."""
    home = tmp_path_factory.mktemp("colliderml")
    hf = tmp_path_factory.mktemp("hf")
    names = ["COLLM_BACKEND_HOME", "HF_HOME", "COLLIDERML_BACKEND", "HF_TOKEN",
             "HUGGING_FACE_HUB_TOKEN", "COLLM_OAUTH_CLIENT_ID", "COLLM_OAUTH_SERVER", "COLLM_MODEL"]
    saved = {k: os.environ.get(k) for k in names}
    for k in names:
        os.environ.pop(k, None)
    os.environ["COLLM_BACKEND_HOME"] = str(home)
    os.environ["HF_HOME"] = str(hf)
    # Kernels read with the grammar alone unless a test chooses a model: what a cell does must
    # not depend on whether this machine installed the pretrained models.
    os.environ["COLLM_MODEL"] = "none"
    yield home
    subprocess.run([collm_exe(), "backend", "stop", "--home", str(home)], check=False)
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="module")
def kernel():
    k = Kernel()
    # The first cell waits for evcxr's warm-up; do it once per module.
    assert k.execute("1").status == "ok"
    yield k
    k.close()
