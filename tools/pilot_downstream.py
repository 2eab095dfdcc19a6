"""Pilot (how laptop's HiGFA downstream classifier was sized, issue 14): train the real-only downstream small CNN of
21_higfa on benchmark v2's long-tailed training split with the laptop settings plus JSON overrides of `cfg.higfa`, and
print its species-mean top-1 on the **val** split (seen species; never test), with the seconds per classifier.

Usage: python tools/pilot_downstream.py '{"down_width": 16, "down_epochs": 20}' [seeds, default 0,1]"""
import sys, json, time, numpy as np, torch
from functools import partial
from taxanb.core import get_config, get_run_dir
from taxanb.data import get_benchmark
from taxanb.classifiers import small_cnn
from taxanb.eval import predict, train_classifier

over = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
seeds = [int(s) for s in sys.argv[2].split(',')] if len(sys.argv) > 2 else [0, 1]
cfg = get_config('laptop'); bench = get_benchmark(cfg, get_run_dir(None, 'laptop'))
h = {**dict(cfg.higfa), **over}
x_tr, y_tr = bench.splits['train']; x_va, y_va = bench.splits['val']
seen = bench.seen.numpy(); rare = bench.rare.numpy() & seen
m = torch.as_tensor(seen)[y_va]; x_va, y_va = x_va[m], y_va[m]
def species_mean(hit, msk):
    ks = [k for k in np.flatnonzero(msk) if (y_va.numpy() == k).any()]
    return 100 * float(np.mean([hit[y_va.numpy() == k].mean() for k in ks]))
rows = []
for s in seeds:
    t = time.time()   # the trainer 21 uses (real images only: the same batches as the pilot's own loop had)
    net = train_classifier(partial(small_cnn, width=h['down_width'], stem=h.get('down_stem', 1)), x_tr, y_tr, bench.n_species,
                           epochs=h['down_epochs'], batch_size=h['down_batch'], lr=h['down_lr'], weight_decay=5e-4, seed=s, progress=False)
    hit = (predict(net.eval(), x_va) == y_va).float().numpy()
    rows.append((time.time() - t, species_mean(hit, seen), species_mean(hit, rare), species_mean(hit, seen & ~rare)))
r = np.array(rows).mean(0)
print(f"{over}: {r[0]:.1f} s per classifier; val species-mean top-1 all {r[1]:.1f}, rare {r[2]:.1f}, common {r[3]:.1f} (seeds {seeds})")
