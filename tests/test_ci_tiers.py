"""No silent tiers: under ``CI`` a skipped browser, deck or fault test fails the run, with its reason.

A scratch copy of the suite's layout (this conftest.py, the pytest settings of pyproject.toml and
three test files named like the real ones, each of which skips) runs in a subprocess, once with
``CI`` set and once without.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # two pytest subprocesses

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

SCRATCH = {
    "test_faults.py": 'import pytest\n\ndef test_mount():\n    pytest.skip("cannot mount a tmpfs here")\n',
    "test_studio_browser.py": 'import pytest\n\npytest.importorskip("no_such_browser_driver")\n\ndef test_page():\n    pass\n',
    "test_pack_deck.py": (
        'import pytest\n\n@pytest.mark.skipif(True, reason="LibreOffice is not installed")\ndef test_deck():\n    pass\n'
    ),
    "test_other.py": 'import pytest\n\ndef test_optional():\n    pytest.skip("an optional extra is missing")\n',
}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiers")
    (root / "tests").mkdir()
    shutil.copy(TESTS / "conftest.py", root / "tests" / "conftest.py")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    for name, text in SCRATCH.items():
        (root / "tests" / name).write_text(text, encoding="utf-8")
    return root


def _pytest(root: Path, ci: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    if ci:
        env["CI"] = "true"
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
        "--continue-on-collection-errors",
    ]
    cmd.append("tests")
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_skips_are_shown_with_their_reasons(scratch):
    r = _pytest(scratch, ci=False)
    assert r.returncode == 0, r.stdout + r.stderr
    for reason in ("cannot mount a tmpfs here", "no_such_browser_driver", "LibreOffice is not installed"):
        assert reason in r.stdout, r.stdout
    assert "4 skipped" in r.stdout


def test_under_ci_a_skipped_tier_fails_the_run(scratch):
    r = _pytest(scratch, ci=True)
    assert r.returncode != 0, r.stdout
    out = r.stdout
    assert "the fault tier must run under CI, but was skipped: cannot mount a tmpfs here" in out, out
    assert "the deck tier must run under CI, but was skipped: LibreOffice is not installed" in out, out
    assert "the browser tier must run under CI" in out and "no_such_browser_driver" in out, out
    assert "1 skipped" in out and "1 error" in out  # the optional extra still only skips
