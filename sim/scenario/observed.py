"""The load step of a scenario's ``[observations]`` section: find the file, read it, embed it.

The file format and its validation are :mod:`sim.data.observations`; this module resolves where
the file is (relative to the scenario file that named it), embeds the validated values and their
sha256 in the resolved scenario, checks ``as_of`` against the run's months, and turns every
problem into a :class:`~sim.scenario.errors.ScenarioError`.
"""
from __future__ import annotations

import copy
from pathlib import Path

from sim.data.observations import ObservationError, read_observations, validate_values
from sim.months import month_at, month_offset
from sim.scenario.errors import ScenarioError, display_path


def attach(data: dict, sc, scenario_path: Path, origin: dict) -> dict:
    """The resolved scenario data with its observations read, validated and embedded.

    ``sc`` is the scenario validated without them (its run months bound the file's months). The
    file is relative to the scenario file that set ``observations.file`` (relative to the working
    directory when it came from ``--set``). A resolved scenario written to a results folder carries
    the values and their sha256, so it can be loaded again where the file is not. Raises
    :class:`ScenarioError` naming the file, the row and the reason."""
    cfg = sc.observations
    set_by = origin.get("observations.file") or display_path(scenario_path)
    if set_by.startswith("--set"):
        base = Path.cwd()
    elif set_by.startswith("<"):
        base = scenario_path.parent
    else:
        base = Path(set_by).parent
    fpath = Path(cfg.file) if Path(cfg.file).is_absolute() else base / cfg.file
    out = copy.deepcopy(data)
    section = out["observations"]
    start, months = sc.run.start, sc.run.horizon_months
    if not fpath.exists() and cfg.values and cfg.sha256:
        sha = cfg.sha256                              # a resolved scenario: its own embedded copy
        try:
            values = validate_values(cfg.values, start, months)
        except ObservationError as e:
            raise ScenarioError(f"{set_by}: observations.values: {e}".replace("row 0: ", "")) from None
    else:
        try:
            values, sha = read_observations(fpath, start, months, display=display_path(fpath))
        except ObservationError as e:
            raise ScenarioError(str(e)) from None
    section["values"] = values
    section["sha256"] = sha
    as_of = cfg.as_of
    if as_of is not None:
        where = origin.get("observations.as_of") or display_path(scenario_path)
        observed = sorted({m for by in values.values() for m in by})
        if as_of != "latest":
            k = month_offset(as_of, start)
            if not 0 <= k < months:
                raise ScenarioError(f"{where}: observations.as_of: {as_of} is outside the scenario's months "
                                    f"{month_at(0, start)} to {month_at(months - 1, start)}")
            if as_of < observed[0]:
                raise ScenarioError(f"{where}: observations.as_of: {as_of} is before the first observed month "
                                    f"{observed[0]} of {display_path(fpath)}: nothing to start from")
    return out
