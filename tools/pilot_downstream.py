"""Pilot (how laptop's HiGFA downstream classifier was sized, issue 14): train the real-only downstream small CNN of
21_higfa on benchmark v2's long-tailed training split with the laptop settings plus JSON overrides of `cfg.higfa`, and
print its species-mean top-1 on the **val** split (seen species; never test), with the seconds per classifier.

Usage: python tools/pilot_downstream.py '{"down_width": 16, "down_epochs": 20}' [seeds, default 0,1]"""
import sys, json, math, time, numpy as np, torch, torch.nn.functional as F
from taxanb.core import get_config, get_run_dir
from taxanb.data import get_benchmark
from taxanb.classifiers import small_cnn
from taxanb.eval import predict

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
    torch.manual_seed(s); g = torch.Generator().manual_seed(s); t = time.time()
    net = small_cnn(bench.n_species, h['down_width'], h.get('down_stem', 1))
    opt = torch.optim.AdamW(net.parameters(), lr=h['down_lr'], weight_decay=5e-4)
    n, bs = len(y_tr), h['down_batch']; total = h['down_epochs'] * math.ceil(n / bs)
    sch = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=h['down_lr'], total_steps=max(total, 5), pct_start=0.25)
    net.train()
    for _ in range(h['down_epochs']):
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, bs):
            idx = perm[i:i + bs]; loss = F.cross_entropy(net(x_tr[idx].float() / 127.5 - 1), y_tr[idx])
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step(); sch.step()
    hit = (predict(net.eval(), x_va) == y_va).float().numpy()
    rows.append((time.time() - t, species_mean(hit, seen), species_mean(hit, rare), species_mean(hit, seen & ~rare)))
r = np.array(rows).mean(0)
print(f"{over}: {r[0]:.1f} s per classifier; val species-mean top-1 all {r[1]:.1f}, rare {r[2]:.1f}, common {r[3]:.1f} (seeds {seeds})")
