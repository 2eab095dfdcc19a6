"Every notebook runs top to bottom under papermill at the smoke preset, into one shared run directory."
import os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT / "nbs").glob("*.ipynb"))
SMOKE_BUDGET_S = float(os.environ.get("TAXANB_SMOKE_BUDGET", 300))  # generous: 2 shared cores, two notebooks at once


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    "`make test` shares one run directory between nbdev-test, this pass and the docs build."
    if os.environ.get("TAXANB_TEST_RUNS"): return Path(os.environ["TAXANB_TEST_RUNS"])
    return tmp_path_factory.getbasetemp().parent / "taxanb-runs"


@pytest.mark.slow
@pytest.mark.parametrize("nb", NBS, ids=lambda p: p.stem)
def test_notebook_runs_under_papermill(nb, runs):
    from taxanb.reproduce import run_notebook, is_complete, source_hash
    rd = runs / "smoke"
    out = rd / "notebooks" / nb.name
    dt = run_notebook(nb, out, preset="smoke", run_dir=rd, seed=0)
    assert is_complete(out, source_hash(nb), "smoke")
    assert dt < SMOKE_BUDGET_S, f"{nb.name} took {dt:.0f}s at smoke, over {SMOKE_BUDGET_S:.0f}s"
