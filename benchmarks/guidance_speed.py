"""Guided sampling throughput: plain CFG against HiGFA's guidance (taxanb.guidance), in one run.

    .venv/bin/python benchmarks/guidance_speed.py                 # smoke sizes, the default device
    .venv/bin/python benchmarks/guidance_speed.py --preset full   # the experiment's full-size generator

Untrained networks of the experiment's sizes (speed does not depend on the weights): a pixel UNet with one
contour channel cross-attending to condition tokens, and a small CNN as the guiding classifier. The arms:
plain CFG (2 predictions per step), HiGFA without its classifier phase (3 predictions per step: 'u', 'c',
'cc'), and full HiGFA (plus one classifier forward/backward per late step). The aim: the classifier phase
adds at most 50% wall time over the same guidance without it.
"""
import argparse, os, time
os.environ.setdefault('HF_HUB_OFFLINE', '1')
import torch
from diffusers import UNet2DConditionModel
from taxanb.core import get_config, default_device, Timer
from taxanb.sampling import sample
from taxanb.guidance import ddim, Guided, CFG, higfa_terms, higfa_conds
from taxanb.eval import small_cnn


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--preset', default='smoke')
    ap.add_argument('--batch', type=int, default=None, help='images per sampler call (default: the preset batch_size, at most 256)')
    ap.add_argument('--size', type=int, default=32, help='image size in pixels')
    ap.add_argument('--steps', type=int, default=None, help='sampling steps (default: the preset)')
    ap.add_argument('--repeats', type=int, default=2)
    ap.add_argument('--threads', type=int, default=None, help='torch CPU threads')
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    h = dict(get_config(a.preset).higfa); dev = default_device()
    B, T, S = a.batch or min(h['batch_size'], 256), a.steps or h['steps'], 50
    ch = tuple(h['gen_channels']); d = 32
    torch.manual_seed(0)
    unet = UNet2DConditionModel(sample_size=a.size, in_channels=4, out_channels=3, block_out_channels=ch, layers_per_block=1,
                                down_block_types=('CrossAttnDownBlock2D',) * (len(ch) - 1) + ('DownBlock2D',),
                                up_block_types=('UpBlock2D',) + ('CrossAttnUpBlock2D',) * (len(ch) - 1),
                                cross_attention_dim=d, attention_head_dim=8, norm_num_groups=8).to(dev).eval()
    clf = small_cnn(S, h['down_width']).to(dev).eval()
    log_prob = lambda x, y: clf(x).log_softmax(-1).gather(1, y[:, None])[:, 0]
    model_fn = lambda x, t, cond, contour: unet(torch.cat([x, contour], 1), t, encoder_hidden_states=cond).sample
    y = torch.randint(0, S, (B,), device=dev)
    conds = higfa_conds(torch.randn(B, 4, d, device=dev), torch.zeros(B, 4, d, device=dev),
                        (torch.rand(B, 1, a.size, a.size, device=dev) > 0.8).float())
    h_nostop = dict(h, tau=1.0)  # never stop early: time the whole classifier phase
    arms = {'plain CFG': lambda: [CFG('c', 'u', h['w_plain'], 'text')],
            'HiGFA without classifier': lambda: higfa_terms(h_nostop, classifier=False),
            'HiGFA': lambda: higfa_terms(h_nostop, log_prob, y)}
    sched = ddim(); x_T = torch.randn(B, 3, a.size, a.size, generator=torch.Generator().manual_seed(0))
    run = lambda terms: sample(Guided(model_fn, conds, terms, sched), sched, x_T.shape, T, x_T=x_T, device=dev)
    with torch.no_grad(): run(arms['plain CFG']())  # warm-up
    res = {}
    for name, mk in arms.items():
        ts = []
        for _ in range(a.repeats):
            with Timer() as t: run(mk())
            ts.append(t.s)
        res[name] = min(ts)
    print(f"device {dev} ({torch.cuda.get_device_name(dev) if dev.type == 'cuda' else f'{torch.get_num_threads()} CPU threads'}), "
          f"preset {a.preset}: UNet {ch} at {a.size} px, batch {B}, {T} steps, classifier phase from step {-(-int(h['rho'] * T * 1000) // 1000)}")
    for name, s in res.items():
        print(f"{name:28s} {B / s:8.1f} images/s  ({s:.2f} s per batch)  x{s / res['plain CFG']:.2f} vs plain CFG")
    extra = res['HiGFA'] / res['HiGFA without classifier'] - 1
    print(f"classifier phase adds {100 * extra:.0f}% wall time to the same guidance without it (aim: <= 50%)")


if __name__ == '__main__':
    main()
