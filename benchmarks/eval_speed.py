"""How fast is the evaluation suite? Features and metrics for 10,000 images of 32 px (taxanb.eval).

    .venv/bin/python benchmarks/eval_speed.py                      # the default device (CUDA when present)
    .venv/bin/python benchmarks/eval_speed.py --device cpu --threads 1 --json out.json

Two sets of N images each (a "reference" set, whose features a run computes once and caches, and a
"generated" set), random smooth 32 px images: speed does not depend on what they show. Steps, each timed
(wall seconds, and CPU seconds of this process: the figure to quote from a shared machine):
EfficientNet-Lite0 features of each set; the Fréchet distance on the full 1280-d features; KID with
100 subsets of 1,000; the LPIPS-style diversity of every class (100 classes). The issue's target: the
generated set's features plus all metrics in at most 30 s on one H100.
"""
import argparse, json, os, time
os.environ.setdefault('HF_HUB_OFFLINE', '1')
import torch
import torch.nn.functional as F
from taxanb.core import default_device, run_info
from taxanb.eval import FeatureExtractor, frechet_distance, kid, class_diversity


def smooth_images(n: int, size: int, seed: int) -> torch.Tensor:
    "n random smooth RGB images (uint8): 4x4 colour noise upsampled plus a little pixel noise."
    g = torch.Generator().manual_seed(seed)
    lo = torch.rand(n, 3, 4, 4, generator=g)
    x = F.interpolate(lo, size=(size, size), mode='bicubic', align_corners=False) + 0.05 * torch.randn(n, 3, size, size, generator=g)
    return (x.clamp(0, 1) * 255).to(torch.uint8)


class Steps:
    "Times named steps: wall seconds (synchronising CUDA) and this process's CPU seconds."
    def __init__(self, device): self.device, self.rows = device, []
    def __call__(self, name, fn):
        if self.device.type == 'cuda': torch.cuda.synchronize()
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        if self.device.type == 'cuda': torch.cuda.synchronize()
        self.rows.append(dict(step=name, wall_s=time.perf_counter() - t0, cpu_s=time.process_time() - c0))
        return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', type=int, default=10_000, help='images per set')
    p.add_argument('--size', type=int, default=32, help='image side in pixels')
    p.add_argument('--classes', type=int, default=100, help='classes for the diversity step')
    p.add_argument('--kid-subsets', type=int, default=100)
    p.add_argument('--kid-subset-size', type=int, default=1000)
    p.add_argument('--batch-size', type=int, default=500)
    p.add_argument('--device', default=None, help='cpu or cuda (default: taxanb.core.default_device())')
    p.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: torch decides)')
    p.add_argument('--json', default=None, help='also write the results here')
    a = p.parse_args(argv)
    if a.threads: torch.set_num_threads(a.threads)
    dev = torch.device(a.device) if a.device else default_device()
    if dev.type == 'cuda': torch.backends.cudnn.benchmark = True; torch.backends.cuda.matmul.allow_tf32 = True
    real, fake = smooth_images(a.n, a.size, 0), smooth_images(a.n, a.size, 1)
    y = torch.arange(a.n) % a.classes
    fx = FeatureExtractor('efficientnet_lite0', size=a.size, batch_size=a.batch_size, device=dev)
    fx(fake[:a.batch_size])  # warm-up (allocations, cudnn autotuning)
    st = Steps(dev)
    f_real = st('features, reference set (cached once per run)', lambda: fx(real))
    f_fake = st('features, generated set', lambda: fx(fake))
    fd = st('Fréchet distance (1280-d)', lambda: frechet_distance(f_real, f_fake))
    k = st(f'KID ({a.kid_subsets} x {a.kid_subset_size})', lambda: kid(f_real, f_fake, a.kid_subsets, a.kid_subset_size, device=dev))
    dv = st(f'diversity ({a.classes} classes)', lambda: class_diversity(f_fake, y))
    per_gen = sum(r['wall_s'] for r in st.rows[1:]); per_gen_cpu = sum(r['cpu_s'] for r in st.rows[1:])
    total = sum(r['wall_s'] for r in st.rows)
    print(f"device: {dev} ({torch.cuda.get_device_name(dev) if dev.type == 'cuda' else os.cpu_count()} "
          f"{'' if dev.type == 'cuda' else 'CPUs, '}{torch.get_num_threads()} torch threads), {a.n} images of {a.size} px per set")
    for r in st.rows: print(f"  {r['step']:<48} {r['wall_s']:8.2f} s wall {r['cpu_s']:8.2f} s CPU")
    print(f"generated set, features + metrics: {per_gen:.2f} s wall ({per_gen_cpu:.2f} s CPU); "
          f"with the reference features: {total:.2f} s; {a.n / st.rows[1]['wall_s']:.0f} images/s through EfficientNet-Lite0")
    print(f"(values: Fréchet distance {fd:.3f}, KID {k[0]:.4f} ± {k[1]:.4f}, mean diversity {dv.diversity.mean():.3f})")
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(dict(steps=st.rows, generated_features_plus_metrics_s=per_gen, total_s=total, n=a.n, size=a.size,
                           info=run_info('benchmark', dev, threads=torch.get_num_threads())), f, indent=1, default=str)


if __name__ == '__main__':
    main()
