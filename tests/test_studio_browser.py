"""The studio in a real browser: headless Debian Chromium driven by Selenium (no browser download).

Starts ``run_sim.py studio`` on a free port, changes two levers, waits for the answer, checks the
probabilities shown equal ``sim.run`` with the same seed and replications, that the page fetched
nothing from outside this machine, the language switch, "Save as scenario" and "Build meeting
pack" (its headline chart on the page), the live chart of base and what-if, the changes named by
their labels, the biggest moves first and the zone picker. Screenshots at desktop and phone width are saved in the
test's folder (studio_1280.png, studio_390.png with the answer, studio_390_levers.png, studio_pack.png). Skipped, with the reason, when
no Chromium or chromedriver is installed (``.ci/run`` installs both).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.studio.answer import answer_table

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
SEED, REPS, BASE_REPS = 11, 400, 800
WHAT_IF = {"levers.promotion_events_per_year": 5, "levers.milestone_month.cbec_site": "2022-03"}

webdriver = pytest.importorskip("selenium.webdriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM and DRIVER), reason="needs chromium and chromedriver (apt-get install chromium chromium-driver)"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("studio")
    port = _free_port()
    log = open(tmp / "studio.log", "w")  # noqa: SIM115 - the studio writes to it until the fixture ends
    proc = subprocess.Popen(
        [
            sys.executable,
            "run_sim.py",
            "studio",
            str(BASELINE),
            "--port",
            str(port),
            "--no-browser",
            "--seed",
            str(SEED),
            "--max-reps",
            str(REPS),
            "--base-reps",
            str(BASE_REPS),
            "--workers",
            "2",
            "--lang",
            "en",
            "--results",
            str(tmp / "results"),
            "--scenarios",
            str(tmp),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert proc.poll() is None, (tmp / "studio.log").read_text()
        time.sleep(0.3)
    yield f"http://127.0.0.1:{port}", tmp
    proc.terminate()
    proc.wait(30)
    log.close()


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    d = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield d
    d.quit()


def _wait(pred, timeout=240, every=0.25):
    """Poll ``pred`` until it returns something true. An element the page re-rendered between
    finding and reading it (stale) counts as not yet: the next poll finds the new one."""
    from selenium.common.exceptions import StaleElementReferenceException

    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            v = pred()
        except StaleElementReferenceException:
            v = None
        if v:
            return v
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s")


def _act(fn):
    """Do ``fn`` (find an element and act on it), again if the page re-rendered the element in
    between (stale), as a planner's second click would."""
    return _wait(lambda: fn() or True, timeout=30)


TOGGLE = ".bslib-sidebar-layout > .collapse-toggle"
"""The sidebar's open/close arrow, the control a person uses to show or hide the levers."""


def _sidebar(d, want_open: bool) -> None:
    """Open or close the sidebar as a person does: click its arrow if it is not as wanted, then
    wait until the language switch at its top is (or is no longer) something one can click."""
    from selenium.webdriver.common.by import By

    def toggle_state() -> str:
        return d.find_element(By.CSS_SELECTOR, TOGGLE).get_attribute("aria-expanded")

    if (toggle_state() == "true") != want_open:
        _act(lambda: d.find_element(By.CSS_SELECTOR, TOGGLE).click())
    _wait(lambda: toggle_state() == ("true" if want_open else "false"), timeout=30)
    _wait(lambda: _lang_label(d, "en").is_displayed() == want_open, timeout=30)
    time.sleep(0.5)  # the slide animation (0.3 s) ends: the controls sit where a click lands


def _lang_label(d, lang: str):
    """The visible label (text and radio) of the language switch's option ``lang``."""
    from selenium.webdriver.common.by import By

    return d.find_element(By.XPATH, f"//input[@name='lang'][@value='{lang}']/ancestor::label")


def _click_when_clickable(d, element) -> None:
    """Click ``element`` once it is shown and enabled, as a person clicks what they can see."""
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(d, 30).until(EC.element_to_be_clickable(element)).click()


def _status(d) -> dict:
    from selenium.webdriver.common.by import By

    els = d.find_elements(By.ID, "zs-status")
    if not els:
        return {}
    return {k: els[0].get_attribute(f"data-{k}") for k in ("reps", "n-base", "done", "job", "error")}


def _shown(d, what: str = "p") -> dict[str, float]:
    from selenium.webdriver.common.by import By

    return {
        r.get_attribute("data-target"): float(r.get_attribute(f"data-{what}"))
        for r in d.find_elements(By.CSS_SELECTOR, "tr[data-target]")
    }


def _chart(d, reps: int, lang: str):
    """The live chart once it shows ``reps`` what-if replications in ``lang``, loaded (its width)."""
    from selenium.webdriver.common.by import By

    def ready():
        img = d.find_elements(By.ID, "zs-live-chart")
        if not img or img[0].get_attribute("data-reps") != str(reps) or img[0].get_attribute("data-lang") != lang:
            return None
        return img[0] if d.execute_script("return arguments[0].naturalWidth", img[0]) >= 800 else None

    return _wait(ready, timeout=60)


def _requests(d) -> list[str]:
    urls = []
    for entry in d.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
        elif msg.get("method") == "Network.webSocketCreated":
            urls.append(msg["params"]["url"])
    return urls


def test_lever_change_shows_the_probabilities_of_sim_run(studio, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url, tmp = studio
    d = browser
    d.get(url)
    base = _wait(lambda: (s := _status(d)).get("done") == "1" and s.get("n-base") == str(BASE_REPS) and s)
    t0 = time.time()
    Select(d.find_element(By.ID, "c_levers_milestone_month_cbec_site")).select_by_value("2022-03")
    box = d.find_element(By.ID, "c_levers_promotion_events_per_year")
    box.clear()
    box.send_keys("5")
    box.send_keys("\t")
    _wait(
        lambda: (
            "Investment-promotion events a year (task 7): 2 → 5" in d.find_element(By.ID, "zs-status").text
            and "e-commerce supervision site (task 11): 2022-06 → 2022-03" in d.find_element(By.ID, "zs-status").text
            and _status(d).get("done") == "1"
        )
    )
    print(f"\nanswer at {REPS} replications after {time.time() - t0:.1f} s")
    status = d.find_element(By.ID, "zs-status").text
    assert "promotion_events_per_year" not in status and "levers." not in status  # labels, not key paths
    assert int(_status(d)["job"]) > int(base["job"])
    res = sim.run(sim.load_scenario(BASELINE, overrides=WHAT_IF), reps=REPS, seed=SEED, workers=1, monthly=False)
    ref = sim.run(BASELINE, reps=BASE_REPS, seed=SEED, workers=1, monthly=False)
    expected = answer_table(ref, res).set_index("target_id")
    own = res.summary.set_index("target_id")["p_hit"]
    for what, want in (("p-own", own), ("p", expected["p"]), ("p-ref", expected["p_ref"]), ("diff", expected["diff"])):
        shown = _shown(d, what)
        assert shown and all(np.isclose(p, want[t], rtol=0, atol=1e-9) for t, p in shown.items()), what
    order = list(_shown(d, "diff"))
    assert order == sorted(order, key=lambda t: -abs(expected.loc[t, "diff"]))  # the biggest moves first
    first = d.find_element(By.CSS_SELECTOR, f"tr[data-target='{order[0]}'] td.zs-value")
    assert first.get_attribute("data-p50") and np.isclose(
        float(first.get_attribute("data-p50")), expected.loc[order[0], "p50"], rtol=1e-6
    )
    # the pack's chart of every target, base and what-if, drawn from this answer
    chart = _chart(d, REPS, "en")
    assert chart.get_attribute("data-n-base") == str(BASE_REPS)
    assert "MOVER" in d.find_element(By.ID, "zs-crn").text and str(BASE_REPS) in d.find_element(By.ID, "zs-crn").text
    # the growth column: the what-if's median year-on-year growth, and total trade against real zones
    from sim.report.texts.growth_words import band_position

    row = res.summary.set_index("target_id").loc["trade_total_2023"]
    cell = d.find_element(By.CSS_SELECTOR, "tr[data-target='trade_total_2023'] td.zs-growth")
    assert cell.text.startswith(f"{row['yoy_growth_p50']:+.0%}")
    assert cell.get_attribute("data-band") == band_position(row.to_dict())
    assert "scenarios/catalogue/reference_growth.csv" in d.find_element(By.CSS_SELECTOR, ".zs-band").text

    d.set_window_size(1280, 900)
    d.save_screenshot(str(tmp / "studio_1280.png"))
    d.set_window_size(390, 844)  # a phone: the sidebar covers the page when open
    _sidebar(d, True)
    d.save_screenshot(str(tmp / "studio_390_levers.png"))
    _sidebar(d, False)  # the phone's view of the answer
    _wait(lambda: d.find_element(By.CSS_SELECTOR, "tr[data-target]").is_displayed(), timeout=30)
    d.save_screenshot(str(tmp / "studio_390.png"))
    d.set_window_size(1280, 900)
    _sidebar(d, True)

    port = url.rsplit(":", 1)[1]
    outside = [
        u for u in _requests(d) if not (u.startswith((f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/", "data:")))
    ]
    assert outside == []


def test_language_switch_save_and_pack(studio, browser):
    from selenium.webdriver.common.by import By

    _url, tmp = studio
    d = browser
    _sidebar(d, True)  # the language switch sits at the top of the sidebar
    _click_when_clickable(d, _lang_label(d, "zh"))
    _wait(lambda: "情景推演工作台" in d.find_element(By.ID, "title").text)
    _wait(lambda: "配对差值" in d.find_element(By.ID, "answer").text)  # the table's heading, in Chinese
    _wait(lambda: "年度招商活动次数 (任务 7): 2 → 5" in d.find_element(By.ID, "zs-status").text)
    _chart(d, REPS, "zh")
    d.execute_script("document.getElementById('zs-live-chart').scrollIntoView()")
    d.save_screenshot(str(tmp / "studio_chart_zh.png"))
    assert d.find_element(By.CSS_SELECTOR, "input[name='lang'][value='zh']").is_selected()

    def name_it():
        name = d.find_element(By.ID, "save_name")
        name.clear()
        name.send_keys("early_site_more_events")

    _act(name_it)
    _act(lambda: d.find_element(By.ID, "save").click())
    saved = tmp / "early_site_more_events.toml"
    _wait(lambda: saved.exists() and "early_site_more_events" in d.find_element(By.ID, "zs-message").text, 30)
    assert sim.load_scenario(saved).scenario.levers.promotion_events_per_year == 5
    _act(lambda: d.find_element(By.ID, "pack").click())
    _wait(lambda: d.find_elements(By.ID, "zs-pack-chart"), timeout=400, every=1)
    assert list((tmp / "results").glob("*/report/report_zh.html"))
    d.execute_script("document.getElementById('zs-pack-chart').scrollIntoView()")
    d.save_screenshot(str(tmp / "studio_pack.png"))


def test_zone_picker_opens_another_zone(studio, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _url, tmp = studio
    d = browser
    _sidebar(d, True)
    picker = Select(d.find_element(By.ID, "zs-zone"))
    names = [o.text for o in picker.options]
    assert len(names) >= 4 and any("港口物流枢纽" in n for n in names)  # the page is in Chinese here
    picker.select_by_value("/zone/illustrative_port_hub/?lang=zh")  # the page keeps its language
    _wait(lambda: d.current_url.endswith("/zone/illustrative_port_hub/?lang=zh"), timeout=30)
    _wait(lambda: "港口物流枢纽" in d.find_element(By.ID, "title").text, timeout=120)
    _wait(lambda: _status(d).get("n-base", "0") not in ("0", None), timeout=300)
    assert "港口物流枢纽" in Select(d.find_element(By.ID, "zs-zone")).first_selected_option.text
    d.save_screenshot(str(tmp / "studio_zone.png"))
