"""Throughput of `taxanb.eval.downstream_predictions` (downstream classifiers side by side in worker processes of one
thread each) against training the same classifiers one after the other in one process with every thread, in one run;
prints the ratio.

    python benchmarks/downstream_speed.py               # laptop's HiGFA downstream CNN, 4 classifiers, one worker per core
    python benchmarks/downstream_speed.py --jobs 6 --epochs 5

Both sides train the same jobs (seeds 0..jobs-1, real images only) with 21_higfa's `laptop` recipe (`higfa.down_*`) on
the `laptop` benchmark's training split and predict its test split; the predictions must agree (they may differ in a
last-bit tie where the thread counts differ, so the agreement is reported, not asserted). The ratio is sequential /
side by side (above 1: side by side is faster).
"""
import argparse, json, os, tempfile, time, shutil
from functools import partial
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--preset', default='laptop'); ap.add_argument('--jobs', type=int, default=4)
    ap.add_argument('--epochs', type=int, default=None, help="default: the preset's higfa.down_epochs")
    ap.add_argument('--workers', type=int, default=None); ap.add_argument('--run_dir', default=None, help='a run directory holding the benchmark')
    a = ap.parse_args()
    import torch
    from taxanb.core import get_config
    from taxanb.data import get_benchmark
    from taxanb.classifiers import small_cnn
    from taxanb.progressive import arm_workers
    from taxanb.eval import downstream_predictions
    cfg = get_config(a.preset); h = cfg.higfa
    threads = os.cpu_count() or 1
    workers = a.workers or arm_workers(get_config(a.preset, run__arm_workers=None), a.jobs)
    root = Path(a.run_dir) if a.run_dir else Path(tempfile.mkdtemp(prefix='taxanb-down-'))
    try:
        bench = get_benchmark(cfg, root)
        train, x_te = bench.splits['train'], bench.splits['test'][0]
        jobs = {s: dict(seed=s) for s in range(a.jobs)}
        kw = dict(make_model=partial(small_cnn, width=h.down_width, stem=h.down_stem), epochs=a.epochs or h.down_epochs,
                  batch_size=h.down_batch, lr=h.down_lr, device='cpu', progress=False)
        out, preds = {}, {}
        for side, w in (('sequential', 1), ('side by side', workers)):
            torch.set_num_threads(threads)
            t0 = time.perf_counter()
            preds[side] = downstream_predictions(train, x_te, bench.n_species, jobs, workers=w, **kw)
            out[side] = dict(wall_s=round(time.perf_counter() - t0, 2), workers=w, threads=threads if w == 1 else 1)
        ratio = out['sequential']['wall_s'] / out['side by side']['wall_s']
        agree = float(sum((preds['sequential'][k] == preds['side by side'][k]).float().mean() for k in jobs) / len(jobs))
        print(json.dumps(dict(preset=a.preset, jobs=a.jobs, epochs=kw['epochs'], n_train=len(train[1]), cpu_count=os.cpu_count(), **out,
                              prediction_agreement=round(agree, 4), ratio_sequential_over_side_by_side=round(ratio, 2)), indent=1))
    finally:
        if not a.run_dir: shutil.rmtree(root, ignore_errors=True)


if __name__ == '__main__':
    main()
