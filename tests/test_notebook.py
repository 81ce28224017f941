"""The example notebook runs as committed, and is committed without outputs.

``examples/what_if.ipynb`` is executed cell by cell with nbclient on a ``python3`` kernel that is
this interpreter (a kernel spec written for the test, so a kernel registered elsewhere on the
machine is never picked up) with this checkout first on its path, from ``examples/`` as a person
opening it there would. Any cell's error fails the test.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "what_if.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"code cells {dirty} carry outputs or execution counts: clear them before committing"


@pytest.mark.slow
def test_notebook_runs(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.joinpath("kernel.json").write_text(json.dumps({"argv": argv, "display_name": "zonesim", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))

    nb = nbformat.read(NOTEBOOK, as_version=4)
    n = len(nb.cells)
    # one cell added here, not in the notebook: which interpreter and which sim the kernel ran
    nb.cells.append(nbformat.v4.new_code_cell("import sys\n\nprint(sys.executable, sim.__file__)"))
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "examples")}}
    )
    client.execute(env=env)  # raises CellExecutionError, naming the cell, on any error

    outputs = [o for c in nb.cells[:n] if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("diff_low" in str(o.get("data", {}).get("text/plain", "")) for o in outputs)  # the paired difference
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the chart
    executable, sim_file = nb.cells[-1].outputs[0]["text"].split()
    assert Path(executable) == Path(sys.executable)
    assert Path(sim_file).resolve().is_relative_to(ROOT), sim_file
