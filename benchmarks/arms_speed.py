"""Throughput of `taxanb.progressive.train_arms` (arms side by side in worker processes of one thread each) against
training the same arms one after the other in one process with every thread, in one run; prints the ratio.

    python benchmarks/arms_speed.py                 # laptop backbone and batch, 4 arms of 300 steps, one worker per core
    python benchmarks/arms_speed.py --arms 6 --steps_per_stage 50
    python benchmarks/arms_speed.py --base_from runs/laptop     # the experiments' arms: LoRA on the pretrained base

Both sides train the same jobs (strategies and seeds of 20_taxadiffusion) of the `laptop` preset's backbone and batch
on the `laptop` benchmark, each side in a fresh run directory so that nothing is loaded from a cache. By default they
train from scratch (`from_base=False`, so no pretrained base is needed; each step then trains the whole small
backbone); with `--base_from RUN_DIR` (a run directory where 05b_base has run) they adapt its pretrained base with
LoRA, as the experiments do.
Wall seconds per arm are reported for each side; the ratio is sequential / side by side (above 1: train_arms is faster).
"""
import argparse, json, os, shutil, sys, tempfile, time
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--preset', default='laptop'); ap.add_argument('--arms', type=int, default=4)
    ap.add_argument('--steps_per_stage', type=int, default=75); ap.add_argument('--workers', type=int, default=None)
    ap.add_argument('--threads', type=int, default=None, help='threads of the sequential side (default: every core)')
    ap.add_argument('--base_from', default=None, help='a run directory holding the pretrained base (05b_base): adapt it with LoRA')
    a = ap.parse_args()
    import torch
    from taxanb.core import get_config
    from taxanb.data import get_benchmark
    from taxanb.progressive import train_arms, arm_workers
    cfg = get_config(a.preset)
    threads = a.threads or os.cpu_count() or 1
    workers = a.workers or arm_workers(get_config(a.preset, run__arm_workers=None), a.arms)
    strategies = ['flat', 'joint', 'random_rank', 'progressive']
    jobs = {i: dict(strategy=strategies[i % 4], name=f'bench-{i}', seed=i // 4, from_base=a.base_from is not None, steps_per_stage=a.steps_per_stage)
            for i in range(a.arms)}
    root = Path(tempfile.mkdtemp(prefix='taxanb-arms-'))
    try:
        data_rd = root / 'data'
        if a.base_from:   # the base, the benchmark and the text cache it was made with
            src = Path(a.base_from)
            if not (src / 'base').is_dir(): sys.exit(f"--base_from {src}: no base/ folder there; run 05b_base with this preset first.")
            for part in ('base', 'data', 'text_cache_minilm.safetensors'):
                if (src / part).is_dir(): shutil.copytree(src / part, data_rd / part)
                elif (src / part).exists(): data_rd.mkdir(parents=True, exist_ok=True); shutil.copy2(src / part, data_rd / part)
        bench = get_benchmark(cfg, data_rd)   # built once; both sides start from copies of its files
        out = {}
        for side, w in (('sequential', 1), ('side by side', workers)):
            rd = root / side.replace(' ', '_'); shutil.copytree(data_rd, rd)
            torch.set_num_threads(threads if w == 1 else 1)
            t0 = time.perf_counter()
            res = train_arms(cfg, rd, bench, jobs, workers=w, progress=False)
            out[side] = dict(wall_s=round(time.perf_counter() - t0, 2), workers=w, threads=threads if w == 1 else 1,
                             steps=sum(h['total_steps'] for _, h in res.values()),
                             arm_train_s=[round(h['wall_s'], 1) for _, h in res.values()])
        torch.set_num_threads(threads)
        ratio = out['sequential']['wall_s'] / out['side by side']['wall_s']
        print(json.dumps(dict(preset=a.preset, arms=a.arms, lora_on_base=a.base_from is not None, cpu_count=os.cpu_count(), **out,
                              ratio_sequential_over_side_by_side=round(ratio, 2)), indent=1))
    finally: shutil.rmtree(root, ignore_errors=True)


if __name__ == '__main__': main()
