"""What the studio's buttons do: save the what-if as a scenario file, build its meeting pack.

Both go through the public API: the saved file is validated by loading it back
(:func:`sim.api.load_scenario`), and the pack is ``sim.run`` then ``Results.save(folder, pack=True)``,
the folder and pack ``run --out folder`` writes. A pack builds in a background thread;
:class:`PackJob` says how far it is, for the page to poll.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim import api, store
from sim.errors import UserError
from sim.scenario import ScenarioError
from sim.studio.controls import scenario_text

NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
"""A scenario name the studio writes to a file: letters, digits, '_' and '-'."""


def save_scenario(base, name: str, what_if: dict[str, Any], folder: Path | None = None) -> Path:
    """Write ``<folder>/<name>.toml`` (default folder: the base scenario's) extending the base
    with only ``what_if``; load it back to validate it. Returns the file."""
    if not NAME_RE.fullmatch(name or ""):
        raise ScenarioError(f"scenario name {name!r}: expected letters, digits, '_' or '-' (at most 64)")
    if not what_if:
        raise ScenarioError("nothing changed: the what-if equals the base scenario")
    path = Path(folder or base.path.parent) / f"{name}.toml"
    store.atomic_write_text(path, scenario_text(base, name, what_if, path))
    api.load_scenario(path)
    return path


@dataclass
class PackJob:
    """A meeting pack being built. ``state``: "running", "done" or "failed"; ``folder``: the results
    folder; ``chart``: the headline chart (``charts/p_targets_<lang>.png``) per language when done;
    ``error``: the one-line reason when failed."""

    reps: int
    folder: Path
    state: str = "running"
    chart: dict | None = None
    error: str | None = None


def start_pack(variant, reps: int, seed: int, out_root: Path, workers: int | None = None) -> PackJob:
    """Run ``variant`` (a LoadedScenario) with ``reps`` replications and build its pack, in the background."""
    folder = Path(out_root) / f"{variant.name}_{variant.sha256[:8]}__seed{seed}__n{reps}"
    job = PackJob(reps, folder)

    def work():
        try:
            api.run(variant, reps, seed, workers=workers).save(folder, pack=True)
            job.chart = {lang: folder / "charts" / f"p_targets_{lang}.png" for lang in ("zh", "en")}
            job.state = "done"
        except UserError as e:
            job.error, job.state = str(e), "failed"
        except Exception as e:  # noqa: BLE001 - shown on the page; the studio keeps running
            job.error, job.state = f"{type(e).__name__}: {e}", "failed"

    threading.Thread(target=work, daemon=True).start()
    return job
