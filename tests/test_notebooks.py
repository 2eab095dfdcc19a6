"Every notebook runs top to bottom under papermill at the smoke preset, into one shared run directory."
import os, time
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT / "nbs").glob("*.ipynb") if p.name != "index.ipynb")
SMOKE_BUDGET_S = float(os.environ.get("TAXANB_SMOKE_BUDGET", 240))  # generous on a loaded 2-core machine


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    return tmp_path_factory.getbasetemp().parent / "taxanb-runs"


@pytest.mark.slow
@pytest.mark.parametrize("nb", NBS, ids=lambda p: p.stem)
def test_notebook_runs_under_papermill(nb, runs, tmp_path):
    import papermill as pm
    out = tmp_path / nb.name
    t0 = time.perf_counter()
    pm.execute_notebook(str(nb), str(out), parameters=dict(preset="smoke", seed=0, run_dir=str(runs / "smoke")),
                        cwd=str(nb.parent), kernel_name="python3", progress_bar=False)
    dt = time.perf_counter() - t0
    assert out.exists()
    assert dt < SMOKE_BUDGET_S, f"{nb.name} took {dt:.0f}s at smoke, over {SMOKE_BUDGET_S:.0f}s"
