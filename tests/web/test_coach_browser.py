"""The facilitator's page in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) through Selenium. With JavaScript off it opens, switches the range and
downloads the CSV; with it on, axe-core finds no accessibility violation, headings go in
order, every chart has a text alternative and a table with its numbers, and the page fits
a phone's width. Skipped, saying so, only where no browser is installed (``.ci/run``
installs one)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from adapters.http import OpsServer
from bot.app import Peerpath
from bot.clock import SimulatedClock
from tests.support import open_app
from tests.web.support import PRIVATE, coach_base, link, seed_cohort

BROWSER, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
SCREENSHOT = Path(__file__).parents[2] / "docs" / "coach-page.png"
pytestmark = pytest.mark.skipif(
    not (BROWSER and DRIVER),
    reason="no headless browser: install Debian's chromium and chromium-driver "
    "(.ci/run does when they are missing)",
)


@contextmanager
def chromium(downloads: Path, javascript: bool, width: int = 1100) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument(f"--window-size={width},1400")
    prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
async def served(clock: SimulatedClock, tmp_path: Path) -> AsyncIterator[tuple[Peerpath, str]]:
    """The seeded cohort on a SQLite file, its page served, and the admin's link."""
    async with open_app(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}", clock, tmp_path) as app:
        server = OpsServer(app, "127.0.0.1", 0)
        await server.start()
        app.settings = app.settings.model_copy(update={"public_url": coach_base(server)})
        room = await seed_cohort(app, clock)
        try:
            yield app, await link(room["olga"])
        finally:
            await server.stop()


def without_javascript(url: str, downloads: Path) -> dict[str, object]:
    """Open, switch to the last four weeks with the form, download that CSV."""
    with chromium(downloads, javascript=False) as driver:
        driver.get(url)
        seen = {"title": driver.title, "rows": len(weekly_rows(driver))}
        Select(driver.find_element(By.ID, "weeks")).select_by_value("4")
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: "weeks=4" in d.current_url)
        seen["switched"] = len(weekly_rows(driver))
        driver.find_element(By.ID, "csv").click()
        WebDriverWait(driver, 10).until(lambda d: list(downloads.glob("*.csv")))
        seen["csv"] = [p.name for p in downloads.glob("*.csv")]
        seen["source"] = driver.page_source
        return seen


def weekly_rows(driver: webdriver.Chrome) -> list[str]:
    return [row.text for row in driver.find_elements(By.CSS_SELECTOR, "#weekly tbody tr")]


def with_javascript(url: str, downloads: Path, shot: Path) -> dict[str, object]:
    """Accessibility checks, the charts against their tables, a screenshot, a phone."""
    with chromium(downloads, javascript=True) as driver:
        driver.get(url)
        axe = Axe(driver)
        axe.inject()
        violations = axe.run()["violations"]
        levels = [
            int(h.tag_name[1])
            for h in driver.find_elements(By.CSS_SELECTOR, "h1, h2, h3, h4, h5, h6")
        ]
        charts = []
        for svg in driver.find_elements(By.CSS_SELECTOR, "svg"):
            title = driver.execute_script(
                "const id = arguments[0].getAttribute('aria-labelledby');"
                "return id && document.getElementById(id).textContent;",
                svg,
            )
            bars = driver.execute_script(
                "return [...arguments[0].querySelectorAll('rect + text')].map(t => t.textContent)",
                svg,
            )
            table = svg.find_element(By.XPATH, "following-sibling::div[1]//table")
            cells = [td.text for td in table.find_elements(By.CSS_SELECTOR, "tbody td")]
            charts.append((svg.get_attribute("role"), title, bars, cells))
        driver.execute_script("window.scrollTo(0, 0)")  # axe scrolled while it checked
        driver.save_screenshot(str(shot))
        driver.set_window_size(390, 844)  # a phone
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        return {"violations": violations, "levels": levels, "charts": charts, "overflow": overflow}


async def test_the_page_in_headless_chromium(served: tuple[Peerpath, str], tmp_path: Path) -> None:
    _, url = served
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    # The browser blocks; the server it talks to runs on this loop, so it runs in a thread.
    seen = await asyncio.to_thread(without_javascript, url, downloads)
    assert seen["title"] == "#cohort — facilitator's page — peerpath"
    assert (seen["rows"], seen["switched"]) == (8, 4)
    assert seen["csv"] == ["peerpath-cohort-2026-11-16.csv"]
    text = (downloads / "peerpath-cohort-2026-11-16.csv").read_text()
    assert text.splitlines()[1:3] == [
        "group,#cohort,2026-10-26,0,0,0,0,0,0,0",
        "group,#cohort,2026-11-02,5,1,1,5,1,1,2",
    ]
    for private in PRIVATE:
        assert private not in text and private not in str(seen["source"])
    shot = tmp_path / "coach-page.png"
    checked = await asyncio.to_thread(with_javascript, url, downloads, shot)
    assert checked["violations"] == [], [v["id"] for v in checked["violations"]]
    levels = checked["levels"]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert len(checked["charts"]) == 3
    for role, title, bars, cells in checked["charts"]:
        assert role == "img" and bars == cells  # the bars' numbers are the table's
        assert re.findall(r"[A-Z][a-z]{2}: (\d+)", title) == cells  # and so is the text alternative
    assert checked["overflow"] == 0  # nothing wider than a phone's screen
    assert shot.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("PEERPATH_UPDATE_SCREENSHOT"):  # refresh the README's picture
        shutil.copyfile(shot, SCREENSHOT)
