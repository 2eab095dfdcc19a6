"JupyterLab starts on localhost and serves the explorer notebook; its kernel runs the explorer's callbacks."
import json, os, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPLORER = ROOT / "nbs" / "30_explorer.ipynb"


def _free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = _free_port(), "taxanb-test"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("jcfg")),
           "JUPYTER_RUNTIME_DIR": str(tmp_path_factory.mktemp("jrt"))}
    p = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                          f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}", "--allow-root"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2); break
        except Exception:
            if p.poll() is not None: pytest.fail(f"jupyterlab exited: {p.stderr.read().decode()[-2000:]}")
            time.sleep(1)
    else:
        p.kill(); pytest.fail("jupyterlab did not answer within 120 s")
    yield base, token
    p.terminate(); p.wait(timeout=30)


def _get(url):
    with urllib.request.urlopen(url, timeout=30) as r: return r.status, r.read()


@pytest.mark.slow
def test_lab_page_loads(lab):
    base, token = lab
    status, body = _get(f"{base}/lab?token={token}")
    assert status == 200 and b"JupyterLab" in body


@pytest.mark.slow
@pytest.mark.skipif(not EXPLORER.exists(), reason="nbs/30_explorer.ipynb is not written yet")
def test_lab_serves_the_explorer(lab):
    base, token = lab
    status, body = _get(f"{base}/api/contents/nbs/30_explorer.ipynb?token={token}&content=1")
    nb = json.loads(body)
    assert status == 200 and nb["type"] == "notebook"
    src = "".join("".join(c["source"]) for c in nb["content"]["cells"])
    assert "ipywidgets" in src or "widgets" in src
