"""The built site in a real headless Chromium (docs/, mkdocs.yml): what a first-time visitor meets.

Home page links, search ranking, tabs linked across silent differences, dark mode, no horizontal
overflow, the nanoGPT contents, the catalogue filter, the 404 page under a sub-path, internal links.
Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the test is
skipped with the reason, except under CI (`CI=true`), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import mapping

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "build" / "screenshots"  # home, search, catalogue pages: to look at after a run
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
PREFIX = "/jaxmigrate/"  # the path of site_url: the server serves the site under it, as the host would

spec = importlib.util.spec_from_file_location("catalogue_hook", ROOT / "docs" / "hooks" / "catalogue.py")
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)

# Query -> the entry that must be the top hit: exact and suffix matches of API names first, and among
# equal matches the API real code calls most.
SEARCH = {
    "gelu": "torch.nn.functional.gelu",
    "Tensor.view": "torch.Tensor.view",
    "torch.cat": "torch.cat",
    "nn.Linear": "torch.nn.Linear",
    "entropy": "torch.nn.functional.cross_entropy",
    "cross_entropy": "torch.nn.functional.cross_entropy",
    "AdamW": "torch.optim.AdamW",
    "layernorm": "torch.nn.LayerNorm",
    "layer_norm": "torch.nn.functional.layer_norm",
    "matmul": "torch.matmul",
    "manual_seed": "torch.manual_seed",
    "no_grad": "torch.no_grad",
    "DataLoader": "torch.utils.data.DataLoader",
    "Tensor.transpose": "torch.Tensor.transpose",
    "einsum": "torch.einsum",
    "clip_grad_norm_": "torch.nn.utils.clip_grad_norm_",
    "randn": "torch.randn",
    "Conv2d": "torch.nn.Conv2d",
    "masked_fill": "torch.Tensor.masked_fill",
    "CosineAnnealingLR": "torch.optim.lr_scheduler.CosineAnnealingLR",
    "F.relu": "torch.nn.functional.relu",
    "any": "torch.Tensor.any",
}


def _need_browser():
    if CHROMIUM and DRIVER:
        return
    if os.environ.get("CI"):
        pytest.fail("chromium/chromedriver missing in CI: .ci/run must install them")
    pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under PREFIX and answers a missing page with 404.html, as a static host does."""

    def log_message(self, *args) -> None:
        pass

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        inner = path[len(PREFIX) - 1:] if path.startswith(PREFIX) else "/__outside__"
        return super().translate_path(inner)

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    """The site: the one `make test` built just before (JAXMIGRATE_SITE), or built here once per test
    process (under xdist each worker builds its own: no shared folder)."""
    _need_browser()
    if os.environ.get("JAXMIGRATE_SITE"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        return Path(os.environ["JAXMIGRATE_SITE"]).resolve()
    site = tmp_path_factory.mktemp("site")
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    done = subprocess.run(mkdocs, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    SHOTS.mkdir(parents=True, exist_ok=True)
    return site


@pytest.fixture(scope="module")
def site_url(site_dir):
    handler = functools.partial(SubPathHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX.rstrip('/')}"
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


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


@functools.cache
def _pages() -> dict:
    return hook.pages_of(mapping.load())


def _page_of(record_id: str) -> str:
    """The URL path of a record's entry, relative to the site root (e.g. catalogue/torch.nn-layers/#torch-nn-Linear)."""
    r = mapping.by_id()[record_id]
    return hook.record_url(r, _pages()).replace(".md#", "/#")


def test_home_page_routes_a_first_time_visitor(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 1000)
    browser.get(site_url + "/")
    assert "jaxmigrate" in browser.title
    body = browser.find_element(By.CSS_SELECTOR, "article").text
    assert "pip install torch==2.13.0 && pip install -e '.[dev]'" in body and "make run" in body
    gelu = mapping.by_id()["torch.nn.functional.gelu"]
    assert gelu.torch_example in body and gelu.jax_example in body and "Proof" in body  # before and after, both shown
    for status in mapping.STATUSES:
        assert browser.find_elements(By.CSS_SELECTOR, f"article .jm-legend .jm-status--{status}")
    links = {a.get_attribute("href").split("#")[0].rstrip("/").rsplit("/", 1)[-1]
             for a in browser.find_elements(By.CSS_SELECTOR, "article a[href]")}
    for page in ("cheatsheet", "catalogue", "migrating", "cli", "nanogpt", "examples", "differences"):
        assert page in links, f"the home page does not link to {page}"
    assert browser.find_elements(By.CSS_SELECTOR, "a.md-footer__link--next")  # previous / next footer
    edit = browser.find_element(By.CSS_SELECTOR, "a.md-content__button").get_attribute("href")
    assert edit.endswith("/edit/main/docs/index.md")
    assert browser.save_screenshot(str(SHOTS / "home.png"))
    assert _console_errors(browser) == []


SEARCH_JS = """
const [query, done] = arguments;
const box = document.querySelector('input.md-search__input');
const list = document.querySelector('.md-search-result__list');
const type = value => { box.value = value; box.dispatchEvent(new KeyboardEvent('keyup')); };
type('');
const start = Date.now();
const poll = () => {
  if (box.value === '' && list.children.length === 0) type(query);
  if (box.value === query && list.children.length > 0) {
    const links = [...list.children[0].querySelectorAll(':scope > a.md-search-result__link')];
    return done(links.map(a => [parseFloat(a.querySelector('article').dataset.mdScore),
                                new URL(a.href).pathname + new URL(a.href).hash]));
  }
  if (Date.now() - start > 15000) return done(null);
  setTimeout(poll, 30);
};
poll();
"""


def test_search_puts_the_exact_api_first(browser, site_url):
    """The top hit (the highest-scored result of the first group) is the entry of the API searched for."""
    browser.set_window_size(1280, 1000)
    browser.get(site_url + "/?q=gelu")
    browser.set_script_timeout(30)
    misses = {}
    for query, record_id in SEARCH.items():
        hits = browser.execute_async_script(SEARCH_JS, query)
        assert hits, f"no result for {query!r}"
        top = max(hits, key=lambda h: h[0])[1]
        if top != PREFIX + _page_of(record_id):
            misses[query] = top
    browser.execute_async_script(SEARCH_JS, "gelu")
    assert browser.save_screenshot(str(SHOTS / "search.png"))
    assert not misses, misses
    assert len(SEARCH) >= 15
    snippets = browser.find_elements("css selector", ".md-search-result__article")
    assert snippets and not any("PyTorchJAX" in s.text for s in snippets)
    assert _console_errors(browser) == []


def test_jax_tab_links_across_silent_differences(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 1000)
    browser.get(f"{site_url}/{_page_of('torch.nn.functional.gelu').split('#')[0]}")  # the functional activations
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    jax_blocks = browser.find_elements(By.XPATH, "//article/div[contains(@class, 'tabbed-set')]"
                                                 "/div[@class='tabbed-content']/div[2]")
    differences = browser.find_elements(By.CSS_SELECTOR, "article details.warning")
    assert len(jax_blocks) > 20 and len(differences) >= 10
    assert not jax_blocks[0].is_displayed(), "the PyTorch tab is the one shown first"
    label = browser.find_elements(By.CSS_SELECTOR, ".tabbed-labels label")
    next(lab for lab in label if lab.text == "JAX").click()
    # Every entry's JAX tab switched, before and after each collapsed difference.
    hidden = browser.execute_script("return arguments[0].filter(b => b.offsetParent === null).length", jax_blocks)
    assert hidden == 0, f"{hidden} of {len(jax_blocks)} entries still show PyTorch"
    # A difference shows both snippets at once, side by side: two visible cells on one row, PyTorch left.
    not_side_by_side = browser.execute_script("""
        return arguments[0].filter(d => {
          d.open = true;
          const [torch, jax, ...rest] = [...d.querySelectorAll('.jm-side > div')].map(c => c.getBoundingClientRect());
          return !(torch && jax && !rest.length && torch.width > 0 && jax.width > 0 && torch.top === jax.top
                   && torch.right <= jax.left);
        }).length""", differences)
    assert not_side_by_side == 0
    browser.execute_script("arguments[0].scrollIntoView()", differences[0])
    assert browser.save_screenshot(str(SHOTS / "catalogue.png"))
    assert _console_errors(browser) == []


def test_dark_mode_follows_the_system_and_the_toggle(browser, site_url):
    from selenium.webdriver.common.by import By

    scheme = "return document.body.getAttribute('data-md-color-scheme')"
    for system, expected in (("dark", "slate"), ("light", "default")):
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                {"features": [{"name": "prefers-color-scheme", "value": system}]})
        browser.get(site_url + "/")
        browser.execute_script("localStorage.clear()")
        browser.refresh()
        assert browser.execute_script(scheme) == expected
    toggle = browser.find_element(By.CSS_SELECTOR, "form[data-md-component='palette'] label:not([hidden])")
    toggle.click()
    assert browser.execute_script(scheme) == "slate"
    background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    browser.execute_script("localStorage.clear()")


OVERFLOW_JS = """
const page = document.documentElement;
const wide = [...document.querySelectorAll(
    'article .md-typeset__scrollwrap, article table.jm-filterable, article .jm-side, ' +
    'article .language-text pre > code, article .language-bash pre > code, article .language-diff pre > code')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.className + ' ' + e.scrollWidth + '>' + e.clientWidth);
return [page.scrollWidth, page.clientWidth, wide];
"""


@pytest.mark.parametrize("width", [400, 1280])
def test_no_horizontal_overflow(browser, site_url, width):
    browser.set_window_size(width, 1000)
    for page in ("", "catalogue/", "catalogue/torch.linalg/", "cheatsheet/", "examples/", "migrating/"):
        browser.get(f"{site_url}/{page}")
        browser.execute_script("document.querySelectorAll('article details').forEach(d => d.open = true)")
        scroll, client, wide = browser.execute_script(OVERFLOW_JS)
        assert scroll <= client, f"{page} at {width}px scrolls sideways: {scroll} > {client}"
        assert wide == [], f"{page} at {width}px: {wide[:5]}"
    browser.get(f"{site_url}/catalogue/torch.linalg/")
    assert browser.save_screenshot(str(SHOTS / f"catalogue_{width}.png"))
    browser.set_window_size(1280, 1000)


def test_nanogpt_contents_list_every_section(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 1000)
    browser.get(f"{site_url}/nanogpt/")
    assert len(browser.find_elements(By.CSS_SELECTOR, "article h1")) == 1
    headings = [h.get_attribute("id") for h in browser.find_elements(By.CSS_SELECTOR, "article h2, article h3, "
                                                                                      "article h4")]
    toc = [a.get_attribute("href").split("#")[-1] for a in
           browser.find_elements(By.CSS_SELECTOR, "nav.md-nav--secondary a.md-nav__link")]
    assert len(headings) >= 8 and all(h in toc for h in headings), set(headings) - set(toc)
    browser.get(f"{site_url}/examples/")
    toc = browser.find_elements(By.CSS_SELECTOR, "nav.md-nav--secondary a.md-nav__link")
    assert len(toc) >= 5


def test_catalogue_filter_and_status_colours(browser, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{site_url}/catalogue/")
    shown = "return [...document.querySelectorAll('table.jm-filterable tbody tr')].filter(r => r.offsetParent).length"
    assert browser.execute_script(shown) == len(mapping.load())
    Select(browser.find_element(By.ID, "jm-filter-status")).select_by_value("unsupported")
    assert browser.execute_script(shown) == sum(r.status == "unsupported" for r in mapping.load())
    Select(browser.find_element(By.ID, "jm-filter-status")).select_by_value("")
    Select(browser.find_element(By.ID, "jm-filter-page")).select_by_value("torch.linalg")
    assert browser.execute_script(shown) == sum(r.namespace == "torch.linalg" for r in mapping.load())
    browser.find_element(By.ID, "jm-filter-name").send_keys("eigh")
    assert browser.execute_script(shown) == sum(r.namespace == "torch.linalg" and "eigh" in " ".join((r.id, *r.aliases))
                                                for r in mapping.load())
    colours = {s: browser.execute_script(
        f"return getComputedStyle(document.querySelector('.jm-status--{s}')).color") for s in mapping.STATUSES}
    assert len(set(colours.values())) == len(mapping.STATUSES), colours
    page = _page_of("torch.nn.functional.gelu").split("#")[0]
    browser.get(f"{site_url}/{page}")
    dots = browser.find_elements(By.CSS_SELECTOR, ".md-sidebar--secondary nav.md-nav--secondary .jm-dot")
    assert len(dots) == len([r for r in mapping.load() if _page_of(r.id).startswith(page)])


def test_404_page_works_under_the_sub_path(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/no/such/page/")
    assert "404" in browser.find_element(By.CSS_SELECTOR, "article").text
    assert browser.execute_script("return getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    home = browser.find_element(By.CSS_SELECTOR, "a.md-header__button.md-logo").get_attribute("href")
    assert urlsplit(home).path == PREFIX


def test_internal_links_resolve(site_dir):
    """Every link between pages of the built site reaches a page, and its #anchor an id on that page; the
    sitemap lists every page under site_url."""
    pages = [p for p in site_dir.rglob("index.html") if "search" not in p.parts]
    sitemap = (site_dir / "sitemap.xml").read_text()
    assert sitemap.count("<loc>https://") == len(pages) and PREFIX in sitemap
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in site_dir.rglob("*.html"):
        html = page.read_text()
        for href in re.findall(r'href="([^"]+)"', html):
            if re.match(r"[a-z]+:|//|\?|mailto:", href) or page.name == "404.html":
                continue
            path, _, anchor = unquote(href).partition("#")
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site_dir)} -> {href}")
                continue
            if anchor and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(re.findall(r'id="([^"]+)"', target.read_text()))
                if anchor not in ids[target]:
                    broken.append(f"{page.relative_to(site_dir)} -> {href}")
    assert broken == [], broken[:10]
