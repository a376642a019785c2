"""The dashboards as pages of our own, in a real browser (Debian's chromium, headless,
driven by Playwright): `speech-coach analytics serve` over seeded windows; each panel draws,
a picker changes what is shown, a request cannot pick a value the dashboard does not offer,
and a screenshot is kept in .data/artifacts."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from analytics.store import ChdbStore
from tests.e2e.conftest import SPEECH_COACH
from tests.support.analytics import seed_windows
from tests.support.services import free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".data" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("analyst")
    store = ChdbStore(home / "analytics" / "clickhouse")
    seed_windows(store, answers=240, every_s=1_080, now=time.time())
    store.close()
    port = free_port()
    process = subprocess.Popen(
        [SPEECH_COACH, "analytics", "serve", "--no-follow", "--port", str(port)],
        env={**os.environ, "SPEECH_COACH_HOME": str(home)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "the pages never came up"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "install Debian's chromium: deploy/local/setup --test"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=["--no-sandbox"])  # fmt: skip
        yield launched
        launched.close()


def _all_drawn(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "Array.from(document.images).every(i => i.complete && i.naturalWidth > 300)",
        timeout=30_000,
    )


def test_every_panel_of_the_population_draws_and_a_screenshot_is_kept(served, browser):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"{served}/d/speech-coach-population")
    assert page.title() == "Speech Coach · Population"
    _all_drawn(page)
    assert page.locator("figure img").count() == 6, "six charts"
    assert page.locator("figure table tbody tr").count() == 4, "two modes and two levels"
    week = page.locator("figure table tbody tr").first.locator("td").nth(2).inner_text()
    assert int(week) == 120, "every answer of the level in the week up to now, not one day"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "analytics-population.png"), full_page=True)
    assert (ARTIFACTS / "analytics-population.png").stat().st_size > 20_000
    page.close()


def test_picking_a_learner_shows_that_learner(served, browser):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{served}/d/speech-coach-learner")
    _all_drawn(page)
    assert page.locator("select[name=learner]").input_value() == "ann"
    with page.expect_navigation():
        page.select_option("select[name=learner]", "cy")
    _all_drawn(page)
    assert "learner=cy" in page.url
    sources = page.eval_on_selector_all("figure img", "images => images.map(i => i.src)")
    assert sources
    assert all("learner=cy" in src for src in sources)
    page.close()


def test_a_value_the_dashboard_does_not_offer_is_not_used(served):  # type: ignore[no-untyped-def]
    hostile = "ann' OR 1=1 --"
    shown = httpx.get(f"{served}/d/speech-coach-learner", params={"learner": hostile}).text
    assert "OR 1=1" not in shown
    assert 'value="ann" selected' in shown, "the first learner offered, not the text sent"
    assert httpx.get(f"{served}/d/nothing-here").status_code == 404
