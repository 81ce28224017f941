"""Zone files (docs/zones.md): expansion, the catalogue's relative defaults, the new-zone template,
the illustrative zones, and clean errors.

Exact: sectors a zone does not have trade nothing; a zone file and its expanded full scenario give
the same bytes. Statistical: doubling every base-year figure leaves year-on-year growth unchanged
(the defaults scale with the zone). Metamorphic: more promotion never lowers expected entries.
Bad input: each mistake is one line, exit 2, naming the file and the key.
"""

from __future__ import annotations

import copy
import re
import textwrap
import tomllib
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from conftest import expect_error, simulate_rep
from language_check import leaks

from sim.cli import main
from sim.cli.new_zone import template
from sim.scenario.loader import canonical_hash, load_scenario, validate_data
from sim.scenario.zone_defaults import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "scenarios" / "examples").glob("*.toml"))


def _zone_examples() -> list[Path]:
    """The example files that are zone files (the examples folder may hold other kinds of file)."""
    from sim.scenario.zone import is_zone_file

    return [p for p in EXAMPLES if is_zone_file(tomllib.loads(p.read_text(encoding="utf-8")))]


ZONE_EXAMPLES = _zone_examples()


def zone_dict() -> dict:
    """The new-zone template's example zone, as data."""
    return tomllib.loads(template("en", "zone.toml"))


def write(tmp_path: Path, data: dict, name: str = "zone.toml") -> Path:
    p = tmp_path / name
    p.write_text(tomli_w.dumps(data), encoding="utf-8")
    return p


def load(tmp_path: Path, data: dict, name: str = "zone.toml"):
    return load_scenario(write(tmp_path, data, name))


# ----------------------------------------------------------------------------- exact


def test_template_validates_in_both_languages(tmp_path, capsys):
    for lang in ("zh", "en"):
        p = tmp_path / f"zone_{lang}.toml"
        assert main(["new-zone", str(p), "--lang", lang]) == 0
        assert main(["validate", str(p)]) == 0
        assert "valid scenario 'zone_x'" in capsys.readouterr().out
    expect_error(capsys, ["new-zone", str(tmp_path / "zone_en.toml")], "zone_en.toml", "already exists")


def test_every_template_key_has_a_comment():
    for lang in ("zh", "en"):
        for line in template(lang, "z.toml").splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key = line.split("=", 1)[0].strip()
                # the section's comment above explains enterprises; every other key has its own
                assert "#" in line or key == "enterprises", f"{lang}: {line!r} has no comment"


def test_absent_sectors_trade_nothing(tmp_path):
    """A logistics-only zone: no sector carries processing, general or e-commerce trade, so those
    indicators are exactly zero in every replication and year; no absent sector is in the model."""
    z = zone_dict()
    z["base_year"].update(trade_processing=0, trade_general=0, industrial_output=0)
    z["base_year"]["enterprises"] = {"logistics": 50, "services": 0, "commodity": 0}
    z["milestones"] = []
    z["targets"] = {"trade_total": {"2026": 20}}
    sc = load(tmp_path, z).scenario
    assert set(sc.constants.sectors) == {"logistics"}
    for r in range(20):
        y = simulate_rep(sc, seed=3, rep=r).yearly
        for k in ("trade_processing", "trade_general", "trade_cbec", "industrial_output"):
            assert np.all(y[k] == 0), (r, k, y[k])
        assert np.all(y["trade_bonded_logistics"] > 0)


def test_milestone_opens_a_sector_absent_in_the_base_year(tmp_path):
    sc = load(tmp_path, zone_dict()).scenario
    assert sc.constants.sectors["repair"].requires_milestone == "bonded_repair"
    assert sc.base_year.enterprises["repair"].mean() == 0
    assert "cbec" not in sc.constants.sectors and "commodity" not in sc.constants.sectors


def test_zone_file_and_its_expansion_give_the_same_bytes(tmp_path, capsys):
    zone = write(tmp_path, zone_dict())
    full = tmp_path / "full.toml"
    full.write_text(tomli_w.dumps(load_scenario(zone).resolved), encoding="utf-8")
    assert load_scenario(full).sha256 == load_scenario(zone).sha256
    outs = []
    for p in (zone, full):
        out = tmp_path / f"out_{p.stem}"
        args = ["run", str(p), "--reps", "30", "--workers", "1", "--no-report", "-q", "--out", str(out)]
        assert main(args) == 0
        outs.append(out)
    capsys.readouterr()
    for f in ("summary.csv", "indicators.csv", "base_year.csv", "monthly.csv"):
        assert (outs[0] / f).read_bytes() == (outs[1] / f).read_bytes(), f


def test_set_on_the_base_year_rescales_the_defaults(tmp_path):
    """--set on a zone-file section applies before the expansion, so the defaults follow it."""
    p = write(tmp_path, zone_dict())
    a = load_scenario(p).resolved
    b = load_scenario(p, ["base_year.active_enterprises=240", "base_year.enterprises.logistics=100"]).resolved
    lead = lambda d: d["uncertainties"]["sectors"]["logistics"]["lead_rate_per_month"]["mode"]  # noqa: E731
    assert lead(b) > lead(a)
    c = load_scenario(p, ["levers.promotion_events_per_year=5"]).scenario
    assert c.levers.promotion_events_per_year == 5


def test_whatif_extends_a_zone_file(tmp_path):
    write(tmp_path, zone_dict())
    w = tmp_path / "early.toml"
    w.write_text('extends = "zone.toml"\n[levers.milestone_month]\nbonded_repair = "2026-03"\n', encoding="utf-8")
    sc = load_scenario(w).scenario
    assert sc.levers.milestone_month["bonded_repair"] == "2026-03"


def test_planner_statements_override_the_catalogue(tmp_path):
    z = zone_dict()
    z["uncertainties"] = {"sectors": {"processing": {"exit_rate_per_year": 0.01}}}
    sc = load(tmp_path, z).scenario
    assert sc.uncertainties.sectors["processing"].exit_rate_per_year.mean() == 0.01


@pytest.mark.parametrize("path", ZONE_EXAMPLES, ids=lambda p: p.stem)
def test_illustrative_zones_run_end_to_end(path, tmp_path, capsys):
    text = path.read_text(encoding="utf-8")
    assert "ILLUSTRATION, NOT DATA" in text and "虚构" in text
    out = tmp_path / "out"
    assert main(["run", str(path), "--reps", "20", "--workers", "1", "--no-report", "-q", "--out", str(out)]) == 0
    capsys.readouterr()
    summary = (out / "summary.csv").read_text(encoding="utf-8-sig")
    assert summary.count("\n") >= 3


def test_examples_are_at_least_three_zones_of_different_sizes():
    firms = [load_scenario(p).scenario.base_year.active_enterprises.mean() for p in ZONE_EXAMPLES]
    assert len(ZONE_EXAMPLES) >= 3 and max(firms) / min(firms) > 10


# ----------------------------------------------------------------------------- statistical


def _growth(sc, reps: int, seed: int) -> dict[str, np.ndarray]:
    """Year-on-year growth per replication: the first year on the base year, then year on year."""
    out: dict[str, list] = {"trade_total": [], "active_enterprises": [], "employees": []}
    for r in range(reps):
        res = simulate_rep(sc, seed=seed, rep=r)
        for k, v in out.items():
            y = np.concatenate([[res.base[k]], res.yearly[k]])
            v.append(y[1:] / y[:-1] - 1)
    return {k: np.asarray(v) for k, v in out.items()}


def test_doubling_the_base_year_leaves_growth_unchanged(tmp_path):
    """Scale invariance of the catalogue: a zone twice as large in every base-year figure grows at
    the same rates (mean growth of each year within 4 standard errors of the difference)."""
    z = zone_dict()
    z["targets"] = {"trade_total": {"2026": 60}}
    z["projects"] = []  # a project's size is the plan's, not the base year's: it does not double
    big = copy.deepcopy(z)
    for k, v in z["base_year"].items():
        if k == "enterprises":
            big["base_year"][k] = {s: 2 * n for s, n in v.items()}
        elif k != "development_rate":  # a rate, not a size
            big["base_year"][k] = 2 * v
    reps = 300
    a = _growth(load(tmp_path, z, "a.toml").scenario, reps, seed=11)
    b = _growth(load(tmp_path, big, "b.toml").scenario, reps, seed=12)
    for k in a:
        se = np.sqrt(a[k].var(axis=0, ddof=1) / reps + b[k].var(axis=0, ddof=1) / reps)
        diff = a[k].mean(axis=0) - b[k].mean(axis=0)
        assert np.all(np.abs(diff) < 4 * se), (k, a[k].mean(axis=0), b[k].mean(axis=0), se)
    # and the absolute defaults really changed: twice the firms, twice the leads
    la = load(tmp_path, z, "a.toml").scenario.uncertainties.sectors["logistics"].lead_rate_per_month.mean()
    lb = load(tmp_path, big, "b.toml").scenario.uncertainties.sectors["logistics"].lead_rate_per_month.mean()
    assert lb == pytest.approx(2 * la)


def test_a_120_firm_zone_keeps_a_sensible_number_of_firms(tmp_path):
    """The issue's failure: absolute lead rates took a 120-firm zone to 385 firms. With relative
    defaults the median active firms after two years stays within a doubling of the start."""
    sc = load(tmp_path, zone_dict()).scenario
    firms = np.array([simulate_rep(sc, seed=5, rep=r).yearly["active_enterprises"][-1] for r in range(100)])
    assert 120 < np.median(firms) < 240


# ----------------------------------------------------------------------------- metamorphic


def test_more_promotion_never_lowers_expected_entries(tmp_path):
    """Active enterprises (start + entries - exits) with common random numbers: their mean does not
    fall as promotion events rise from 0 to 2 to 6 a year."""
    p = write(tmp_path, zone_dict())
    means = []
    for events in (0, 2, 6):
        sc = load_scenario(p, [f"levers.promotion_events_per_year={events}"]).scenario
        means.append(np.mean([simulate_rep(sc, seed=9, rep=r).yearly["active_enterprises"] for r in range(60)], axis=0))
    assert np.all(means[1] >= means[0]) and np.all(means[2] >= means[1]), means
    assert np.all(means[2] > means[0])


def test_expansion_is_deterministic(tmp_path):
    p = write(tmp_path, zone_dict())
    assert load_scenario(p).sha256 == load_scenario(p).sha256
    data = load_scenario(p).resolved
    assert validate_data(copy.deepcopy(data), p).sha256 == load_scenario(p).sha256


# ----------------------------------------------------------------------------- bad input


def _bad(tmp_path, capsys, change, *fragments):
    z = zone_dict()
    change(z)
    p = write(tmp_path, z, "bad_zone.toml")
    expect_error(capsys, ["validate", str(p)], "bad_zone.toml", *fragments)


BAD = {
    "unknown zone key": (lambda z: z["zone"].update(area=2), "zone.area", "unknown key"),
    "unknown province": (lambda z: z["zone"].update(province="Guizhou"), "zone.province", "unknown province"),
    "area not positive": (lambda z: z["zone"].update(fenced_area_km2=0), "zone.fenced_area_km2", "> 0"),
    "accepted after start": (lambda z: z["zone"].update(accepted="2026-06"), "zone.accepted", "not before"),
    "bad start": (lambda z: z["plan"].update(start="2026-03"), "plan.start", "January"),
    "missing plan key": (lambda z: z["plan"].pop("document"), "plan.document", "missing key"),
    "missing base figure": (lambda z: z["base_year"].pop("employees"), "base_year.employees", "missing key"),
    "rate above 100": (lambda z: z["base_year"].update(development_rate=120), "base_year.development_rate", "100"),
    "two numbers": (lambda z: z["base_year"].update(employees=[1, 2]), "base_year.employees", "[low, mode, high]"),
    "mode outside": (lambda z: z["base_year"].update(employees=[3, 1, 2]), "base_year.employees", "low <= mode"),
    "unknown sector": (
        lambda z: z["base_year"]["enterprises"].update(shipping=3),
        "base_year.enterprises.shipping",
        "unknown sector",
    ),
    "unknown indicator": (lambda z: z["targets"].update(gdp={"2026": 1}), "targets.gdp", "unknown indicator"),
    "year outside plan": (lambda z: z["targets"].update(trade_total={"2030": 1}), "targets.trade_total.2030", "year"),
    "rank without province trade": (
        lambda z: z["targets"].update(rank={"2027": 80}),
        "ranking.zone.province_trade_yi",
        "贵州",
    ),
    "project kind": (lambda z: z["projects"][0].update(kind="bridge"), "projects[1].kind", "unknown project kind"),
    "size of another kind": (
        lambda z: z["projects"][0].update(serviced_land_ha=5),
        "projects[1].serviced_land_ha",
        "a warehouse project has no",
    ),
    "bad due": (lambda z: z["projects"][0].update(due="2026"), "projects[1].due", "YYYY-MM"),
    "business type": (
        lambda z: z["milestones"][0].update(business_type="futures"),
        "milestones[1].business_type",
        "unknown business_type",
    ),
    "type already running": (
        lambda z: z["base_year"]["enterprises"].update(repair=2),
        "milestones[1].business_type",
        "already runs",
    ),
    "size on a milestone": (
        lambda z: z["milestones"][0].update(warehouse_k_m2=3),
        "milestones[1].warehouse_k_m2",
        "unknown key",
    ),
    "unknown section": (lambda z: z.update(budget={"x": 1}), "budget", "unknown section"),
    "pipeline too long": (
        lambda z: z.update(initial_state={"pipeline_months": 99}),
        "initial_state.pipeline_months",
        "36",
    ),
    "full target of an unknown indicator": (
        lambda z: z["targets"].update(
            gdp_2026={"indicator": "gdp", "year": 2026, "op": ">=", "threshold": 1, "unit": "亿元", "source": "x"}
        ),
        "targets.gdp_2026",
        "gdp",
    ),
    "lever range of no project": (
        lambda z: z.update(lever_ranges={"project_month": {"bridge": {"low": "2026-01", "high": "2026-06"}}}),
        "lever_ranges.project_month",
        "bridge",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_zone_file_mistakes_are_one_clean_line(case, tmp_path, capsys):
    change, *fragments = BAD[case]
    _bad(tmp_path, capsys, change, *fragments)


def test_error_in_a_whatif_names_the_whatif(tmp_path, capsys):
    write(tmp_path, zone_dict())
    w = tmp_path / "whatif.toml"
    w.write_text(textwrap.dedent('extends = "zone.toml"\n[base_year]\nemployees = -5\n'), encoding="utf-8")
    expect_error(capsys, ["validate", str(w)], "whatif.toml", "base_year.employees")


def _zone_2022() -> dict:
    """The template's zone moved to a plan starting in 2022, the year of Qinzhou's plan."""
    text = template("en", "z.toml").replace("2026", "2022").replace("2027", "2023")
    z = tomllib.loads(text)
    z["targets"]["rank"] = {"2023": 80}
    return z


def test_rank_needs_the_province_and_defaults_the_unmodelled_counts(tmp_path, capsys):
    z = _zone_2022()
    p = write(tmp_path, z, "r.toml")
    expect_error(capsys, ["validate", str(p)], "r.toml", "ranking.zone.province_trade_yi", "贵州")
    z["ranking"] = {"zone": {"province_trade_yi": 1000}}
    sc = load(tmp_path, z, "r.toml").scenario  # no counts stated: the median peer's (docs/zones.md)
    median = {k: sc.ranking.peers.variables[k].median for k in sc.ranking.zone.fallback}
    assert set(median) == {"institutional_innovations", "ftz_replications", "patents", "high_tech_firms"}
    assert sc.ranking.zone.fallback == median
    fallback = {"institutional_innovations": 2, "ftz_replications": 3, "patents": 10, "high_tech_firms": 1}
    z["ranking"]["zone"]["fallback"] = fallback
    sc = load(tmp_path, z, "r.toml").scenario
    assert sc.ranking.zone.fallback == fallback
    assert sc.ranking.zone.region == "central_west" and sc.ranking.zone.area_km2 == 2.0
    assert sc.targets["rank_2023"].op == "<=" and sc.targets["rank_2023"].threshold == 80
    assert sc.ranking.reference_rank == 80


def test_default_descriptions_are_each_in_one_language(tmp_path):
    """The pack shows the scenario's descriptions: the English one quotes the Chinese document
    number in 「」, the Chinese one holds no English word."""
    meta = load(tmp_path, zone_dict()).resolved["scenario"]
    assert leaks(meta["description"], "en") == []
    assert leaks(meta["description_zh"], "zh") == []


def test_a_leader_pipeline_brings_its_sector(tmp_path):
    """A sector absent from the base year enters with a leader pipeline the zone file states, and
    gets no ordinary entrants (its lead rate is zero): only the leader can bring its trade."""
    z = zone_dict()
    z["base_year"]["enterprises"]["commodity"] = 0
    z["constants"] = {
        "leaders": {
            "commodity": {
                "name_en": "Commodity trader",
                "name_zh": "大宗商品贸易龙头",
                "plan_task": 3,
                "sector": "commodity",
                "window_months": 12,
                "space_per_firm": 0,
            }
        }
    }
    z["levers"] = {"leader_candidates": {"commodity": 1}}
    z["uncertainties"] = {
        "leaders": {
            "commodity": {
                "sign_prob": 1.0,
                "trade_yi": 5.0,
                "employees": 20,
                "fdi_wan_usd": 0,
                "fitout_months": 1,
                "rampup_months": 1,
            }
        }
    }
    sc = load(tmp_path, z).scenario
    assert "commodity" in sc.constants.sectors
    assert sc.uncertainties.sectors["commodity"].lead_rate_per_month.mean() == 0
    y = simulate_rep(sc, seed=2, rep=0).yearly
    assert y["leaders_commodity"][-1] == 1


# ----------------------------------------------------------------------------- the catalogue


def test_every_catalogue_value_carries_its_notes_and_covers_its_sectors():
    """Each value of the catalogue has a Chinese and an English note; each per-sector parameter
    names every sector that needs it (so no zone meets a missing default)."""
    cat = load_catalogue()
    cjk = re.compile(r"[\u3400-\u9fff]")

    def noted(where, t):
        assert cjk.search(t.get("note_zh", "")), f"{where}: note_zh missing or not Chinese"
        assert re.match(r"[A-Z]", t.get("note_en", "")), f"{where}: note_en missing"

    for group in ("constants", "processes"):
        for name, t in cat[group].items():
            items = t.items() if "value" not in t else [(None, t)]
            for sub, v in items:
                noted(f"{group}.{name}" + (f".{sub}" if sub else ""), v)
                assert "value" in v
    for group in ("sectors", "project_kinds", "milestone_kinds", "levers"):
        for name, t in cat[group].items():
            noted(f"{group}.{name}", t)
    sectors = cat["sectors"]
    opened = {s for s, a in sectors.items() if "opened_by" in a}
    need = {
        "entries_share_per_year": set(sectors),  # a new business type may already run in the base year
        "new_type_entries_share_of_zone_firms": opened,
        "plot_weight": {s for s, a in sectors.items() if a["space"] == "land"},
        "warehouse_k_m2_per_firm": {s for s, a in sectors.items() if a["space"] == "warehouse"},
        "output_ratio_relative": {s for s, a in sectors.items() if a["manufacturing"]},
        "output_ratio_fallback": {s for s, a in sectors.items() if a["manufacturing"]},
    }
    for name, t in cat["sector_params"].items():
        noted(f"sector_params.{name}", t)
        have = set(t) - {"note_zh", "note_en"}
        assert have == need.get(name, set(sectors)), name


def test_a_base_year_with_a_new_business_type_already_running_gets_its_entrants(tmp_path):
    """A zone whose base year already has e-commerce firms (no milestone launches it) gets the
    sector's ordinary entrants, a share of its own firms, like any sector it has."""
    z = zone_dict()
    z["base_year"]["enterprises"]["cbec"] = 10
    z["base_year"]["trade_cbec"] = 2
    sc = load(tmp_path, z).scenario
    assert sc.uncertainties.sectors["cbec"].lead_rate_per_month.mean() > 0
    assert "requires_milestone" not in load(tmp_path, z).resolved["constants"]["sectors"]["cbec"]


def test_the_baseline_is_a_zone_file_that_keeps_what_it_states(tmp_path):
    """scenarios/baseline.toml is a zone file: every value it (and the file it extends) states is in
    its expanded scenario unchanged, tables in the file's own key order (so every output is written as
    before it was one), and the expansion written as a full scenario has the same hash."""
    from sim.scenario.loader import resolve_chain
    from sim.scenario.zone import FULL_SECTIONS, is_zone_file

    base = ROOT / "scenarios" / "baseline.toml"
    data = resolve_chain(base)
    assert is_zone_file(data)
    ls = load_scenario(base)

    def same(stated, got, path, ordered=True):
        if isinstance(stated, dict) and "dist" not in stated:
            if ordered:
                assert [k for k in got if k in stated] == list(stated), path
            for k, v in stated.items():
                same(v, got[k], f"{path}.{k}", ordered)
        else:
            assert got == stated, path

    for sec in (*FULL_SECTIONS, "base_year", "targets"):
        if sec in data:  # [ranking]'s key order is the national fill's (sim.ranking.config.fill.ORDER)
            same(data[sec], ls.resolved[sec], sec, ordered=sec != "ranking")
    assert list(ls.resolved["targets"]) == list(data["targets"])
    plain = {k: v for k, v in ls.resolved.items() if k != "extends"}
    full = tmp_path / "full.toml"
    full.write_text(tomli_w.dumps(plain), encoding="utf-8")
    assert load_scenario(full).sha256 == canonical_hash(plain)


def test_a_zone_file_stating_no_levers_gets_ranges_and_costs_of_its_own(tmp_path):
    """The catalogue's lever defaults: ranges around the zone file's own due months, funding priced
    from its own projects' sizes (twice the warehouse, twice the cost), and a stated range wins."""
    z = zone_dict()
    r = load(tmp_path, z).resolved
    ranges, costs = r["lever_ranges"], r["lever_costs"]
    assert ranges["promotion_events_per_year"] == {"low": 1, "high": 6}
    assert ranges["project_month"]["bonded_warehouse"] == {"low": "2026-03", "high": "2027-03"}
    assert ranges["milestone_month"]["bonded_repair"] == {"low": "2026-01", "high": "2026-12"}  # not before the start
    assert costs["infrastructure_funding"] == pytest.approx(30 * 250)
    assert costs["promotion_events_per_year"] == 30 * 2  # one more event in each of the plan's two years
    z2 = copy.deepcopy(z)
    z2["projects"][0]["warehouse_k_m2"] = 60
    assert load(tmp_path, z2, "b.toml").resolved["lever_costs"]["infrastructure_funding"] == pytest.approx(2 * 30 * 250)
    z["lever_ranges"] = {"promotion_events_per_year": {"low": 2, "high": 3}}
    sc = load(tmp_path, z, "c.toml").scenario
    assert (sc.lever_ranges.promotion_events_per_year.low, sc.lever_ranges.promotion_events_per_year.high) == (2, 3)
    assert "bonded_warehouse" in sc.lever_ranges.project_month


@pytest.mark.parametrize("path", ZONE_EXAMPLES, ids=lambda p: p.stem)
def test_illustrative_zones_grow_inside_the_reference_band(path):
    """Each illustrative zone's median year-on-year trade growth, every year, lies inside the
    reference band of real zone-years (docs/zones.md): the catalogue's defaults grow a zone as real
    zones have grown."""
    from sim.analysis.growth import reference_band

    band = reference_band()
    sc = load_scenario(path).scenario
    g = []
    for rep in range(100):
        res = simulate_rep(sc, seed=5, rep=rep)
        t = np.concatenate([[res.base["trade_total"]], res.yearly["trade_total"]])
        g.append(t[1:] / t[:-1] - 1)
    med = np.median(np.asarray(g), axis=0)
    assert np.all((med > band.low) & (med < band.high)), (med, band.low, band.high)


def test_catalogue_notes_in_chinese_hold_no_english_and_name_no_zone():
    """The Chinese pack shows the catalogue's note_zh as written: no English word in it; and no note
    of the national catalogue names a zone (钦州/Qinzhou) whose own reasoning it might carry."""
    text = (ROOT / "scenarios" / "catalogue" / "defaults.toml").read_text(encoding="utf-8")
    assert not re.search(r"钦州|qinzhou", text, re.I)

    def notes(d):
        for k, v in d.items():
            if isinstance(v, dict):
                yield from notes(v)
            elif k == "note_zh":
                yield v

    for n in notes(load_catalogue()):
        assert leaks(n, "zh") == [], n


@pytest.mark.parametrize("path", ZONE_EXAMPLES, ids=lambda p: p.stem)
def test_a_zone_files_pack_notes_come_from_the_catalogue_and_the_file(path):
    """Every value the pack's assumption tables show for a zone file (levers, base year, initial state,
    uncertainties) has a note: the file's own comment where it states the value, else the catalogue's
    note; the Chinese note holds no English word, neither names Qinzhou."""
    from sim.report.document.sources import comment_for, flatten, scenario_comments
    from sim.report.texts.value_notes import note_text

    comments = scenario_comments(path)
    resolved = load_scenario(path).resolved
    for sec in ("levers", "initial_state", "uncertainties", "base_year"):
        for key, v in flatten(resolved[sec], sec + "."):
            if key.startswith("base_year.enterprises") or v == {}:
                continue  # the file's own counts, commented or not; an empty table (no milestone...)
            c = comment_for(comments, key)
            zh, en = note_text(c, "zh"), note_text(c, "en")
            assert zh and en, key
            assert leaks(zh, "zh") == [] and leaks(en, "en") == [], key
            assert not re.search(r"钦州|qinzhou", c, re.I), key
