"""Pilot (how the laptop budget was chosen, issue 13): one arm at training seed 100 (not a study seed), judged per rank on 2 samples per seen species (noise seed 7).

Usage: python tools/pilot_arm.py TAG ARM [JSON train overrides] [vanilla,taxonomic]; ZERO_OUT=1 zero-initialises the encoders' outputs. Appends to runs/laptop/pilots.jsonl."""
import sys, json, time, torch, numpy as np, torch.nn.functional as F
from taxanb.core import get_config, get_run_dir
from taxanb.data import get_benchmark, to_uint8
from taxanb.diffusion import make_scheduler
from taxanb.sampling import guided_denoiser, make_sampler, sample
from taxanb.classifiers import get_judge
from taxanb.progressive import get_trained
from taxanb import eval as ev
import os
if os.environ.get('ZERO_OUT'):
    import taxanb.encoder as E
    _i = E._RankEncoder.__init__
    def _z(self, *a, **k):
        _i(self, *a, **k)
        if isinstance(self.out, torch.nn.Linear): torch.nn.init.zeros_(self.out.weight); torch.nn.init.zeros_(self.out.bias)
    E._RankEncoder.__init__ = _z
tag, arm = sys.argv[1], sys.argv[2]; over = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
cfg_over = over.pop('_cfg', {})
cfg = get_config('laptop', **cfg_over); rd = get_run_dir('runs/laptop', 'laptop')
bench = get_benchmark(cfg, rd); tax = bench.tax; R = len(tax.ranks); T = torch.as_tensor(tax.id_table())
judge = get_judge(cfg, rd, bench)
strat = 'progressive' if arm == 'progressive_lora' else arm
if arm == 'progressive_lora': over['keep_unet'] = True
t0 = time.time()
m, h = get_trained(cfg, rd, bench, strat, name=f'pilot-{tag}', seed=100, **over); m.eval()
fit = h['wall_s']
seen = torch.nonzero(bench.seen).flatten(); y = seen.repeat_interleave(2)
ids = T[y].clone()
if strat == 'flat': ids[:, :-1] = -1
sc = cfg.sampling
x_T = torch.randn((len(y), 3, bench.img_size, bench.img_size), generator=torch.Generator().manual_seed(7))
res = {}
for gd in sys.argv[4].split(',') if len(sys.argv) > 4 else ['vanilla']:
    sched = make_sampler(sc.sampler, make_scheduler(cfg)); out = []
    for j in range(0, len(y), sc.batch):
        d = guided_denoiser(m, ids[j:j+sc.batch], R - 1, gd, sc.scale, tuple(sc.guidance_range))
        out.append(sample(d, sched, x_T[j:j+sc.batch].shape, sc.steps, x_T=x_T[j:j+sc.batch], eta=sc.eta))
    x = to_uint8(torch.cat(out))
    hits = ev.rank_hits(judge.predict(x), y, tax).float()
    rare = bench.rare[y]
    res[gd] = dict(all=hits.mean(0).round(decimals=3).tolist(), rare=hits[rare].mean(0).round(decimals=3).tolist())
loss = float(np.mean(h['losses'][-20:]))
print(json.dumps(dict(tag=tag, arm=arm, over=over, cfg=cfg_over, fit_s=round(fit, 1), loss=round(loss, 4), **res)), flush=True)
with open('runs/laptop/pilots.jsonl', 'a') as f: f.write(json.dumps(dict(tag=tag, arm=arm, over=over, cfg=cfg_over, fit_s=round(fit, 1), loss=round(loss, 4), **res)) + '\n')
