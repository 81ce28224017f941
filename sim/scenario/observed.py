"""The load step of a scenario's ``[observations]`` section: find the file, read it, embed it.

The file format and its reading are :mod:`sim.data.observations`, the checks of its rows
:mod:`sim.data.checks`; this module resolves where the file is (relative to the scenario file
that named it), embeds the validated values and their sha256 in the resolved scenario, checks
``as_of`` against the run's months, and turns every problem into a
:class:`~sim.scenario.errors.ScenarioError`.
"""

from __future__ import annotations

import copy
from pathlib import Path

from sim.data.checks import validate_values
from sim.data.observations import ObservationError, read_observations
from sim.months import month_at, month_offset
from sim.scenario.base_year import BASE_FIGURES
from sim.scenario.errors import ScenarioError, display_path
from sim.vocabulary.outcomes import OUTCOMES


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
        sha = cfg.sha256  # a resolved scenario: its own embedded copy
        try:
            values = validate_values(cfg.values, start, months)
        except ObservationError as e:
            raise ScenarioError(f"{set_by}: observations.values: {e}".replace("row 0: ", "")) from None
    else:
        try:
            values, sha = read_observations(fpath, start, months, display=display_path(fpath))
        except ObservationError as e:
            raise ScenarioError(str(e)) from None
    try:
        values, stated = split_base_year(values, start)
    except ObservationError as e:
        raise ScenarioError(f"{display_path(fpath)}: {e}") from None
    section["values"] = values
    section["sha256"] = sha
    if stated:
        section["base_year"] = stated
        out.setdefault("base_year", {}).update(stated)
    as_of = cfg.as_of
    if as_of is not None:
        where = origin.get("observations.as_of") or display_path(scenario_path)
        observed = sorted({m for by in values.values() for m in by})
        if not observed:
            raise ScenarioError(
                f"{where}: observations.as_of: {display_path(fpath)} holds no month of the run "
                f"(only the base year): nothing to start from"
            )
        if as_of != "latest":
            k = month_offset(as_of, start)
            if not 0 <= k < months:
                raise ScenarioError(
                    f"{where}: observations.as_of: {as_of} is outside the scenario's months "
                    f"{month_at(0, start)} to {month_at(months - 1, start)}"
                )
            if as_of < observed[0]:
                raise ScenarioError(
                    f"{where}: observations.as_of: {as_of} is before the first observed month "
                    f"{observed[0]} of {display_path(fpath)}: nothing to start from"
                )
    return out


def split_base_year(values: dict[str, dict[str, float]], start: str) -> tuple[dict, dict[str, float]]:
    """(the observations of the run's months, the base-year figures the file states).

    The months before ``start`` are those of the base year. An indicator observed there states
    its base-year figure when the year is complete for it: the sum of its 12 months for a flow,
    the December value for a stock. A partial year of a flow, or a stock without December, is
    an error, and so is a base-year month of an indicator the base year cannot state."""
    run = {ind: {m: v for m, v in by.items() if month_offset(m, start) >= 0} for ind, by in values.items()}
    stated: dict[str, float] = {}
    for ind, by in values.items():
        before = {m: v for m, v in by.items() if month_offset(m, start) < 0}
        if not before:
            continue
        year = month_at(-1, start)[:4]
        if ind not in BASE_FIGURES:
            raise ObservationError(
                f"{ind} has months of the base year {year}, which it cannot state (the base "
                f"year takes {', '.join(BASE_FIGURES)}; trade_total is the sum of the modes)"
            )
        if OUTCOMES[ind].kind == "flow":
            if len(before) < 12:
                raise ObservationError(
                    f"{ind} has {len(before)} of the 12 months of the base year {year}: "
                    f"its yearly total needs all 12 (or none)"
                )
            stated[ind] = float(sum(before.values()))
        else:
            dec = month_at(-1, start)
            if dec not in before:
                raise ObservationError(
                    f"{ind} has months of the base year {year} but not {dec}: its year-end value is the December one"
                )
            stated[ind] = float(before[dec])
    return {k: v for k, v in run.items() if v}, stated
