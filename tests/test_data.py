"The embedded benchmark as a library: determinism, caching with a handmade tree, speed, and the loaders' refusals."
import time, warnings
import pandas as pd
import pytest
import torch
from taxanb.core import get_config
from taxanb.taxonomy import Taxonomy
from taxanb import data


@pytest.fixture(scope="module")
def tax():
    rows = [(o, f, g, f"{g} {e}") for o, fams in {'Perciformes': {'Percidae': ['Perca', 'Sander'], 'Serranidae': ['Epinephelus']},
                                                   'Cypriniformes': {'Cyprinidae': ['Cyprinus', 'Barbus']}}.items()
            for f, gens in fams.items() for g in gens for e in ('alpha', 'beta', 'gamma')]
    return Taxonomy.from_df(pd.DataFrame([('Actinopterygii', *r) for r in rows], columns=['class', 'order', 'family', 'genus', 'species']))


def test_benchmark_with_a_handmade_tree_is_cached_and_deterministic(tax, tmp_path):
    cfg = get_config('smoke', load=False, data__n_unseen=4, data__n_judge=3, data__n_test=2)
    b = data.get_benchmark(cfg, tmp_path, tax=tax)
    assert b.n_species == 15 and int(b.unseen.sum()) == 4 and b.splits['judge'][0].shape == (45, 3, 32, 32)
    assert not b.train_counts[b.unseen].any() and b.unseen_genus_seen.any()
    assert len(list(tmp_path.glob('data/*/benchmark.safetensors'))) == 1
    b2 = data.get_benchmark(cfg, tmp_path, tax=tax)  # from the cache
    assert torch.equal(b2.splits['train'][0], b.splits['train'][0]) and b2.descriptions == b.descriptions
    b3 = data.build_benchmark(tax, dict(cfg.data))   # rebuilt from scratch: the same images
    assert torch.equal(b3.splits['test'][0], b.splits['test'][0])


def test_siblings_differ_in_one_trait(tax):
    tr = data.assign_traits(tax, seed=3)
    for _, g in tr.groupby('genus'):
        for i in g.index:
            for j in g.index:
                if i < j: assert sum(tr.at[i, c] != tr.at[j, c] for c in data.TRAIT_COLS) == 1


def test_batched_rendering_is_fast():
    "The batched renderer beats a loop of one-image calls by a wide margin, on one thread (CPU time, robust to load)."
    n_threads = torch.get_num_threads(); torch.set_num_threads(1)
    try:
        codes = torch.zeros(8, len(data.TRAIT_COLS), dtype=torch.long)
        y = torch.arange(2048) % 8
        data.render_codes(codes, y[:16], 32)
        c0 = time.process_time(); data.render_codes(codes, y, 32); batched = 2048 / (time.process_time() - c0)
        c0 = time.process_time(); [data.render_codes(codes, y[i:i + 1], 32, seed=i) for i in range(64)]; loop = 64 / (time.process_time() - c0)
    finally: torch.set_num_threads(n_threads)
    assert batched > 1000, f"{batched:.0f} images per CPU-second at 32 px"
    assert batched > 3 * loop, (batched, loop)


def test_loaders_never_drop_silently(tmp_path):
    files = data.write_fixture_images(tmp_path / 'mix', n=1)
    with pytest.raises(data.BadImageError, match='2 of 8 files unreadable'): data.load_images(files, 16)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        x, keep, rep = data.load_images(files, 16, skip_bad=True)
    assert len(keep) == 6 and len(rep['skipped']) == 2 and any('skip_bad=True' in str(m.message) for m in w)
