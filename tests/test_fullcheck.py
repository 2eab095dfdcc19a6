"""The three experiments at the `fullcheck` preset: `full`'s shapes and code paths (every species trained and judged,
224 px ZSL features, the EfficientNet judge, the `None`s meaning "all"), with every count cut to a few (20 generates
for 24 of the seen species: the rarest and the most common 12).

The full preset runs where GPU time is scarce; this walks its branches on the CPU so that a slip in a
full-only path fails here rather than on the GPU. The experiments train what they need themselves
(benchmark, judge, arms), so they run without the component notebooks."""
import os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = sorted((ROOT / "nbs").glob("2[0-9]_*.ipynb"))


@pytest.fixture(scope="session")
def fullcheck_runs(tmp_path_factory):
    base = os.environ.get("TAXANB_TEST_RUNS")
    return (Path(base) if base else tmp_path_factory.mktemp("runs")) / "fullcheck"


def test_fullcheck_is_full_with_counts_cut():
    from taxanb.core import get_config
    full, fc = get_config("full"), get_config("fullcheck")
    for g in ("data", "unet", "encoder", "judge", "zsl"):   # shapes and kinds kept
        for k in ("max_species", "img_size", "block_out_channels", "d_model", "kind", "size"):
            if k in full[g]: assert fc[g][k] == full[g][k], f"fullcheck changed {g}.{k}"
    assert fc.higfa.n_per_image == full.higfa.n_per_image
    # 20 generates for a rare half and a common half of the seen species (full: all of them); every species is still trained and judged
    assert full.taxadiffusion.max_species is None and fc.taxadiffusion.max_species >= 4
    assert fc.train.steps_per_stage < full.train.steps_per_stage and fc.judge.epochs < full.judge.epochs


@pytest.mark.slow
@pytest.mark.parametrize("nb", EXPERIMENTS, ids=lambda p: p.stem)
def test_experiment_runs_at_fullcheck(nb, fullcheck_runs):
    from taxanb.reproduce import run_notebook, is_complete, source_hash
    out = fullcheck_runs / "notebooks" / nb.name
    run_notebook(nb, out, preset="fullcheck", run_dir=fullcheck_runs, seed=0)
    assert is_complete(out, source_hash(nb), "fullcheck")
