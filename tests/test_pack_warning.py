"""Early warning (sim/report/document/early_warning.py): two nowcast runs of the observation template, as of
2022-01 and 2022-03; the pack of the second with the first as ``--previous`` holds P then and now
with a light for every target and the months that left the previous band, in the HTML and the
deck of both languages, in one language each.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from language_check import deck_text, html_text, leaks
from pptx import Presentation

from sim.report.document.early_warning import DEFAULT_RULES, WarningRules, band_breaks, target_moves
from sim.report.texts.formats import pct0
from sim.results import Results

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def nowcasts(tmp_path_factory):
    from sim.cli import main

    base = tmp_path_factory.mktemp("early_warning")
    for as_of in ("2022-01", "2022-03"):
        assert (
            main(
                [
                    "run",
                    str(ROOT / "scenarios" / "baseline.toml"),
                    "--reps",
                    "60",
                    "--seed",
                    "3",
                    "--workers",
                    "1",
                    "--set",
                    f"observations.file={ROOT / 'scenarios' / 'observations_template.csv'}",
                    "--as-of",
                    as_of,
                    "--no-report",
                    "-q",
                    "--out",
                    str(base / as_of),
                ]
            )
            == 0
        )
    out = base / "pack"
    assert main(["report", str(base / "2022-03"), "--previous", str(base / "2022-01"), "--out", str(out)]) == 0
    return base / "2022-03", base / "2022-01", out


def test_lights_follow_the_rules():
    r = WarningRules(on_track=0.7, at_risk=0.4)
    assert [r.light(p) for p in (0.9, 0.7, 0.69, 0.4, 0.39)] == ["green", "green", "amber", "amber", "red"]


@pytest.mark.slow
def test_moves_and_breaks_from_the_two_folders(nowcasts):
    now, then, _ = nowcasts
    a, b = Results.load(now), Results.load(then)
    d = target_moves(a, b)
    s_now = pd.read_csv(now / "summary.csv").set_index("target_id")["p_hit"]
    s_then = pd.read_csv(then / "summary.csv").set_index("target_id")["p_hit"]
    for _, r in d.iterrows():
        assert r["p_now"] == s_now[r["target_id"]] and r["p_then"] == s_then[r["target_id"]]
        assert r["light_now"] == DEFAULT_RULES.light(r["p_now"])
    br = band_breaks(a, b)
    new = {(i, m) for i, by in a.resolved["observations"]["values"].items() for m in by if "2022-02" <= m <= "2022-03"}
    assert new, "the template has months observed since the previous as-of"
    assert set(zip(br["indicator"], br["month"], strict=True)) <= new, "only months observed since the previous as-of"
    m, fan = b.monthly.set_index(["indicator", "month"]), a.monthly.set_index(["indicator", "month"])
    outside = {k for k in new if k in m.index and not m.loc[k, "p10"] <= fan.loc[k, "p50"] <= m.loc[k, "p90"]}
    assert set(zip(br["indicator"], br["month"], strict=True)) == outside  # every such month, and nothing else


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_warning_in_pack_and_deck_in_one_language(nowcasts, lang):
    now, _, out = nowcasts
    page = html_text((out / f"report_{lang}.html").read_text(encoding="utf-8"))
    deck = out / f"deck_{lang}.pptx"
    names = [s.name for s in Presentation(str(deck)).slides]
    assert "warning" in names and "warning_moves" in names
    head = pd.read_csv(now / "summary.csv").query("target_id == 'trade_total_2022'").iloc[0]
    assert pct0(head["p_hit"]) in deck_text(deck)
    assert ("预警" if lang == "zh" else "Early warning") in page
    assert not leaks(page, lang) and not leaks(deck_text(deck), lang)


def test_traffic_light_thresholds_come_from_the_scenario():
    """observations.warning_on_track / warning_at_risk set the lights; bad values are named."""
    from types import SimpleNamespace

    from sim.data.observations import ObservationsConfig
    from sim.report.document.early_warning import DEFAULT_RULES, rules_of

    assert rules_of(SimpleNamespace(resolved={})) == DEFAULT_RULES
    r = rules_of(SimpleNamespace(resolved={"observations": {"warning_on_track": 0.9, "warning_at_risk": 0.6}}))
    assert (r.light(0.95), r.light(0.8), r.light(0.5)) == ("green", "amber", "red")
    with pytest.raises(ValueError, match="warning_at_risk"):
        ObservationsConfig(file="x.csv", warning_on_track=0.5, warning_at_risk=0.6)
