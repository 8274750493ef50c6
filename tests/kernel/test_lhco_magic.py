"""%lhco through the kernel on the real third-party files (skipped, with the
reason printed, when ../shared/data/lhco is absent)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Kernel

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "lhco"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"real LHCO files not found at {SHARED}"
)


def counts(text: str) -> dict[str, int]:
    """Object counts per type from the summary's text table."""
    out = {}
    for line in text.splitlines():
        cols = line.split()
        if cols and cols[0] in {"photon", "electron", "muon", "tau", "jet", "MET"}:
            out[cols[0]] = int(cols[1])
    return out


@needs_shared
def test_pgs_file_summary_matches_the_readme(kernel: Kernel) -> None:
    r = kernel.execute(f"%lhco {SHARED / 'aeacus' / 'pgs_uncleaned_events.lhco'}")
    assert r.status == "ok", r.reply["content"]
    summary = r.of_type("display_data")[-2]["content"]["data"]["text/plain"]
    assert ": 805 events" in summary
    assert counts(summary) == {
        "photon": 41, "electron": 166, "muon": 410, "tau": 135, "jet": 5287, "MET": 805,
    }
    grid = r.of_type("display_data")[-1]["content"]["data"]["text/html"]
    assert grid.count("data:image/png;base64,") == 11, "pT and eta per type, pT only for MET"


@needs_shared
def test_marker_lines_are_reported(kernel: Kernel) -> None:
    r = kernel.execute(f"%lhco {SHARED / 'aeacus' / 'LMNW_pgs_events_run_01_0.lhco.gz'} --no-plots")
    assert r.status == "ok"
    summary = r.of_type("display_data")[-1]["content"]["data"]["text/plain"]
    assert ": 797 events" in summary
    assert "marker lines skipped" in summary


@needs_shared
def test_non_lhco_file_is_rejected_with_file_and_line(kernel: Kernel) -> None:
    r = kernel.execute(f"%lhco {SHARED / 'aeacus' / 'TTBar-HT1600.lhco'}")
    assert r.status == "error"
    assert "TTBar-HT1600.lhco:8" in r.reply["content"]["evalue"]
