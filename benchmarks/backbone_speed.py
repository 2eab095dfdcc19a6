"""Backbone throughput: the laptop preset's diffusion transformer against the smoke preset's `UNet2DConditionModel`
(today's CPU UNet, the baseline of ../shared/CALIBRATION.md), on the same data in one run; prints the ratios.

    .venv/bin/python benchmarks/backbone_speed.py                  # 32 px, batch 64 (training) / 256 (sampling)
    .venv/bin/python benchmarks/backbone_speed.py --threads 2 --json out.json

Both backbones read the same condition tokens (16 tokens of the text width, 384) through their cross-attention, see
the same 32 px images and timesteps, and train with AdamW on the epsilon MSE (forward, backward, step). Sampling
is a no-grad forward on a larger batch (one image-evaluation per image per denoising step). The two are timed
alternately, round by round, so that a busy machine slows both alike; the figures are images per wall second and
per CPU-second (the latter holds up better on a shared machine).
"""
import argparse, json, os, time
os.environ.setdefault('HF_HUB_OFFLINE', '1')
import torch, torch.nn.functional as F


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--size', type=int, default=32)
    ap.add_argument('--batch', type=int, default=64, help='training batch')
    ap.add_argument('--sample_batch', type=int, default=256, help='sampling batch')
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--threads', type=int, default=None)
    ap.add_argument('--json', default=None)
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    from taxanb.core import get_config, run_info, save_json
    from taxanb.diffusion import make_unet, n_params
    width = 384   # MiniLM's width: what the laptop base reads
    nets = {'unet (smoke UNet2DConditionModel)': make_unet(dict(get_config('smoke').unet, sample_size=a.size), width),
            'transformer (laptop DiT)': make_unet(dict(get_config('laptop').unet, sample_size=a.size), width)}
    g = torch.Generator().manual_seed(0)
    x = torch.randn(a.batch, 3, a.size, a.size, generator=g); c = torch.randn(a.batch, 16, width, generator=g)
    t = torch.randint(0, 1000, (a.batch,), generator=g)
    xs = torch.randn(a.sample_batch, 3, a.size, a.size, generator=g); cs = torch.randn(a.sample_batch, 16, width, generator=g)
    ts = torch.full((a.sample_batch,), 500)
    opts = {k: torch.optim.AdamW(m.parameters(), 1e-4) for k, m in nets.items()}

    def train_step(k):
        m = nets[k]; loss = F.mse_loss(m(x, timestep=t, encoder_hidden_states=c).sample, x)
        opts[k].zero_grad(); loss.backward(); opts[k].step()

    @torch.no_grad()
    def sample_step(k): nets[k](xs, timestep=ts, encoder_hidden_states=cs)

    res = {k: dict(params=n_params(m), train_wall=0.0, train_cpu=0.0, sample_wall=0.0, sample_cpu=0.0) for k, m in nets.items()}
    for k in nets: train_step(k); sample_step(k)   # warm-up: allocator, oneDNN kernels
    for _ in range(a.rounds):
        for k in nets:
            for fn, n in ((train_step, 'train'), (sample_step, 'sample')):
                w0, c0 = time.perf_counter(), time.process_time(); fn(k)
                res[k][f'{n}_wall'] += time.perf_counter() - w0; res[k][f'{n}_cpu'] += time.process_time() - c0
    out = {}
    for k, r in res.items():
        out[k] = dict(params_M=round(r['params'] / 1e6, 2),
                      train_img_per_s=round(a.rounds * a.batch / r['train_wall'], 1), train_img_per_cpu_s=round(a.rounds * a.batch / r['train_cpu'], 1),
                      sample_evals_per_s=round(a.rounds * a.sample_batch / r['sample_wall'], 1),
                      sample_evals_per_cpu_s=round(a.rounds * a.sample_batch / r['sample_cpu'], 1))
    u, d = out['unet (smoke UNet2DConditionModel)'], out['transformer (laptop DiT)']
    ratio = dict(train=round(d['train_img_per_s'] / u['train_img_per_s'], 2), train_cpu=round(d['train_img_per_cpu_s'] / u['train_img_per_cpu_s'], 2),
                 sample=round(d['sample_evals_per_s'] / u['sample_evals_per_s'], 2),
                 sample_cpu=round(d['sample_evals_per_cpu_s'] / u['sample_evals_per_cpu_s'], 2))
    print(json.dumps(dict(size=a.size, batch=a.batch, sample_batch=a.sample_batch, threads=torch.get_num_threads(), backbones=out, ratio=ratio), indent=1))
    print(f"\nlaptop DiT vs smoke UNet at {a.size} px: training {ratio['train']}x ({ratio['train_cpu']}x per CPU-second), "
          f"sampling {ratio['sample']}x ({ratio['sample_cpu']}x per CPU-second)")
    if a.json: save_json(dict(backbones=out, ratio=ratio, info=run_info('laptop', 'cpu')), a.json)


if __name__ == '__main__':
    main()
