"""Pilot (how laptop's judge was chosen, issue 12 item 4): train a judge on benchmark v2's `judge` split with the laptop
settings plus JSON overrides, and print its per-rank accuracy on the **val** split (never on test).

Usage: python tools/pilot_judge.py '{"width": 32, "epochs": 20}' ['{"n_judge": 80}']
  (overrides of cfg.judge, then optionally of cfg.data; prints seconds and the val table)
Session 7 on 2 idle cores (val, common / rare): width 16 x 10 epochs (the old setting, 18 s) genus .93, species .92;
32 x 12 (58 s) .969/.978, .967/.969; 24 x 20 (64 s) .973/.967, .970/.967; 32 x 20 (100 s) .983/.978, .980/.972."""
import sys, json, time, torch
from taxanb.core import get_config, get_run_dir
from taxanb.data import get_benchmark
from taxanb.classifiers import make_judge, train_judge, judge_report

over = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
data_over = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
# get_config's group__key overrides: a key the group does not have is an error, not silently ignored
cfg = get_config('laptop', **{f'judge__{k}': v for k, v in over.items()}, **{f'data__{k}': v for k, v in data_over.items()})
bench = get_benchmark(cfg, get_run_dir(None, 'laptop'))
c = cfg.judge
torch.manual_seed(0)
j = make_judge(c['kind'], bench.tax, c['width'], c['size'], stem=c.get('stem', 2))
t = time.time()
train_judge(j, *bench.splits['judge'], c['epochs'], c['lr'], c['wd'], c['bs'], c['label_smoothing'], c['shift'], progress=False)
print(f"judge {dict(c)} data {data_over} trained in {time.time() - t:.1f} s")
print(judge_report(j, bench, 'val').round(3))
