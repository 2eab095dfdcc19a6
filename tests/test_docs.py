"The docs site builds offline from the executed notebooks, and a real headless browser can read it."
import os, re, shutil, socket, subprocess, threading, functools, http.server
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse, unquote
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Links(HTMLParser):
    def __init__(self):
        super().__init__(); self.links, self.imgs = [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"): self.links.append(a["href"])
        if tag in ("img", "script") and a.get("src"): (self.imgs if tag == "img" else self.links).append(a["src"])
        if tag == "link" and a.get("href"): self.links.append(a["href"])


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    from taxanb.reproduce import build_docs
    runs = Path(os.environ["TAXANB_TEST_RUNS"]) if os.environ.get("TAXANB_TEST_RUNS") else tmp_path_factory.mktemp("runs")
    return build_docs("smoke", runs / "smoke", root=ROOT, run_missing=True)


def _pages(site): return sorted(site.rglob("*.html"))


@pytest.mark.slow
def test_every_notebook_has_a_page(site):
    names = {p.name for p in _pages(site)}
    assert "index.html" in names
    for nb in (ROOT / "nbs").glob("[0-9]*.ipynb"):
        stem = nb.stem.split("_", 1)[1]
        assert f"{nb.stem}.html" in names or f"{stem}.html" in names, f"no page for {nb.name} in {sorted(names)}"


@pytest.mark.slow
def test_api_reference_is_there(site):
    api = list((site / "api").rglob("*.html"))
    assert api, "the API reference (smalldocs api) is missing"
    text = " ".join(p.read_text(errors="ignore") for p in api)
    assert "get_config" in text and "reproduce" in text


@pytest.mark.slow
def test_internal_links_resolve(site):
    broken = []
    for page in _pages(site):
        p = Links(); p.feed(page.read_text(errors="ignore"))
        for href in p.links + p.imgs:
            u = urlparse(href)
            if u.scheme or href.startswith(("#", "//", "mailto:", "data:", "javascript:")): continue
            target = (page.parent / unquote(u.path)).resolve() if not u.path.startswith("/") else (site / unquote(u.path).lstrip("/"))
            if u.path and not (target.exists() or (target / "index.html").exists()):
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert not broken, f"{len(broken)} broken internal links, e.g. {broken[:10]}"


@pytest.mark.slow
def test_figures_are_in_the_pages(site):
    with_fig = [p.name for p in _pages(site) if re.search(r'<img[^>]+src="(data:image|[^"]+\.(png|svg))', p.read_text(errors="ignore"))]
    assert len(with_fig) >= 2, f"figures should show on the component pages; pages with images: {with_fig}"


@pytest.fixture(scope="session")
def server(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True); t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _chromium(*args, timeout=90):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", f"--user-data-dir={Path(os.environ.get('TMPDIR', '/tmp')) / 'taxanb-chromium'}"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)")
def test_pages_load_in_headless_chromium(site, server, tmp_path):
    pages = [p.relative_to(site).as_posix() for p in _pages(site) if p.parent == site]
    assert pages
    for rel in pages:
        r = _chromium("--virtual-time-budget=3000", "--dump-dom", f"{server}/{rel}")
        assert r.returncode == 0, f"chromium failed on {rel}: {r.stderr[-500:]}"
        assert "<body" in r.stdout and "<h1" in r.stdout, f"{rel} rendered without a title"
    shot = tmp_path / "index.png"
    r = _chromium("--window-size=1280,1600", f"--screenshot={shot}", f"{server}/index.html")
    assert shot.exists() and shot.stat().st_size > 10_000, r.stderr[-500:]


@pytest.mark.slow
def test_no_page_needs_the_network_for_maths_or_shows_the_build_machine(site):
    "KaTeX is bundled (no CDN address left), and no page shows a warning with the build machine's site-packages path."
    assert (site / "site_libs" / "katex" / "katex.min.js").exists(), "KaTeX was not bundled into site_libs/katex (npm or libjs-katex)"
    for page in _pages(site):
        html = page.read_text(errors="ignore")
        assert "cdn.jsdelivr.net/npm/katex" not in html, f"{page.relative_to(site)} still loads KaTeX from its CDN"
        m = re.search(r"/(?:site|dist)-packages/[^\s<]*\.py:\d+: \w*Warning", html)
        assert not m, f"{page.relative_to(site)} shows a library warning with a local path: {m.group(0)}"


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)")
def test_equations_render_in_headless_chromium(site, server):
    "The rendered DOM holds KaTeX's output for 08_guidance's equations, not their TeX source."
    page = next(p for p in _pages(site) if p.name in ("08_guidance.html", "guidance.html"))
    src = page.read_text(errors="ignore")
    assert r"\hat x_0" in src, "08_guidance's page should carry the x0_hat equation"
    r = _chromium("--virtual-time-budget=5000", "--dump-dom", f"{server}/{page.relative_to(site).as_posix()}")
    assert r.returncode == 0, r.stderr[-500:]
    dom = r.stdout
    n = dom.count('class="katex"') + dom.count('class="katex-display"')
    assert n >= 5, f"KaTeX rendered {n} formulas on {page.name}: the maths did not render"
    shown = re.sub(r"<annotation[^>]*>.*?</annotation>", "", dom, flags=re.S)   # KaTeX keeps the source in an annotation
    assert r"\hat x_0 = \frac" not in shown, "raw TeX is still visible on the page"
