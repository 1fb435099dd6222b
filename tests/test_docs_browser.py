"""The built site in a real headless Chromium (docs/, mkdocs.yml): tabs, search, no console errors.

Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the test is
skipped with the reason, except under CI (`CI=true`), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "build" / "site"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def _need_browser():
    if CHROMIUM and DRIVER:
        return
    if os.environ.get("CI"):
        pytest.fail("chromium/chromedriver missing in CI: .ci/run must install them")
    pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site_url():
    _need_browser()
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(SITE)]
    done = subprocess.run(mkdocs, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(site_url):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


# The second block (JAX) of each top-level tab set; tab sets inside collapsed notes are excluded.
TOP_LEVEL_JAX_BLOCKS = "//article/div[contains(@class, 'tabbed-set')]/div[@class='tabbed-content']/div[2]"


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_home_page_renders_and_is_screenshotted(browser, site_url):
    browser.get(site_url + "/")
    assert "jaxmigrate" in browser.title
    (SITE / "screenshots").mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SITE / "screenshots" / "home.png"))
    assert _console_errors(browser) == []


def test_jax_tab_shows_the_jax_snippet_everywhere(browser, site_url):
    from selenium.webdriver.common.by import By

    import mapping

    record = max(mapping.load(), key=lambda r: sum(x.namespace == r.namespace for x in mapping.load()))
    browser.get(f"{site_url}/catalogue/{record.namespace}/")
    assert record.id in browser.page_source
    first_jax_line = record.jax_example.splitlines()[0]
    hidden = [c for c in browser.find_elements(By.CSS_SELECTOR, ".tabbed-block code")
              if first_jax_line in (c.get_attribute("textContent") or "")]
    assert hidden and not hidden[0].is_displayed(), "the PyTorch tab should be the one shown first"
    labels = browser.find_elements(By.CSS_SELECTOR, ".tabbed-labels label")
    jax_labels = [lab for lab in labels if lab.get_attribute("textContent") == "JAX"]
    assert len(jax_labels) >= 2
    jax_labels[0].click()
    assert hidden[0].is_displayed(), "clicking JAX must show the JAX snippet"
    # content.tabs.link: the JAX tab of every other entry on the page switched too.
    jax_blocks = browser.find_elements(By.XPATH, TOP_LEVEL_JAX_BLOCKS)
    assert len(jax_blocks) >= 2 and all(b.is_displayed() for b in jax_blocks)
    assert browser.save_screenshot(str(SITE / "screenshots" / "catalogue.png"))
    assert _console_errors(browser) == []


def test_search_finds_gelu(browser, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(site_url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "input.md-search__input")
    box.click()
    box.send_keys("gelu")
    WebDriverWait(browser, 15).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".md-search-result__item")))
    results = browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
    assert any("gelu" in r.text.lower() for r in results)
    assert _console_errors(browser) == []
