"""The %simulate form in a real JupyterLab, driven by Chromium through Playwright: the stock
widget manager renders every model (so names and versions are right), typing in a field
re-quotes, Submit submits, and after a page reload the form and its output come back from the
kernel (request_states)."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("COLLM_CHROMIUM") or shutil.which("chromium")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium here (tests/chromium.sh installs Debian's)"
)

TOKEN = "collm-browser-test"
# Chromium on a closed network: no background connections, no sandbox as root.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    notebook = {
        "cells": [{"cell_type": "code", "id": "form", "metadata": {}, "outputs": [],
                   "execution_count": None, "source": "%simulate"}],
        "metadata": {"kernelspec": {"name": "collm", "display_name": "Rust · collm",
                                    "language": "rust"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    (root / "form.ipynb").write_text(json.dumps(notebook))
    port = free_port()
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", f"--IdentityProvider.token={TOKEN}", "--allow-root",
         f"--ServerApp.root_dir={root}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=log, stderr=subprocess.STDOUT, cwd=root,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            alive = proc.poll() is None and time.monotonic() < deadline
            assert alive, (root / "lab.log").read_text()[-2000:]
            time.sleep(0.3)
    yield url, root
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        # A slow shutdown on a loaded machine is not what this test checks.
        proc.kill()
        proc.wait()
    log.close()


def test_form_renders_quotes_submits_and_survives_a_reload(lab, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, root = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/lab/tree/form.ipynb?token={TOKEN}")
        page.locator(".jp-Notebook .jp-Cell .cm-content").first.click(timeout=90_000)
        page.keyboard.press("Shift+Enter")

        dropdown = page.locator(".widget-dropdown select")
        expect(dropdown).to_be_visible(timeout=120_000)
        assert dropdown.locator("option").count() == 10
        assert dropdown.input_value() is not None
        quote = page.locator(".widget-html-content", has_text="credits")
        expect(quote).to_contain_text("zmumu × 1000 events")

        events = page.locator(".widget-text input[type=number]").first
        events.fill("500")
        events.press("Enter")
        expect(quote).to_contain_text("zmumu × 500 events", timeout=30_000)

        page.get_by_role("button", name="Submit").click()
        output = page.locator(".widget-output")
        expect(output).to_contain_text("Request", timeout=30_000)
        expect(output).to_contain_text("zmumu × 500 events, pileup 0, seed 42")
        page.screenshot(path=str(tmp_path / "form.png"))

        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 30
        while "widget-view" not in (root / "form.ipynb").read_text():
            assert time.monotonic() < deadline, "the notebook was not saved"
            time.sleep(0.2)

        page.reload()
        expect(page.locator(".widget-dropdown select")).to_be_visible(timeout=120_000)
        expect(page.locator(".widget-output")).to_contain_text(
            "zmumu × 500 events, pileup 0, seed 42", timeout=30_000
        )
        expect(page.locator(".widget-text input[type=number]").first).to_have_value("500")
        browser.close()
