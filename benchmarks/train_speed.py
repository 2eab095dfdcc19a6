"""Training throughput (images/s) of taxanb's loop (`taxanb.progressive.train`: fastai Learner + callbacks) against a
plain diffusers training loop on the same UNet and batch, in one run; prints the ratio, and the model FLOP
utilisation on CUDA.

    python benchmarks/train_speed.py                       # CPU, smoke sizes
    python benchmarks/train_speed.py --preset full --compile   # CUDA: bf16 autocast, channels_last, fused AdamW, torch.compile

The plain loop is what diffusers' example scripts do: AdamW, bf16 autocast on CUDA, no compile, fp32 weights.
taxanb's loop adds on CUDA channels_last, fused AdamW and (with --compile) torch.compile with static shapes;
compile time is measured apart from the steps (the first `--warmup` steps are not timed in either loop).
"""
import argparse, json, os, sys, time
import torch, torch.nn.functional as F


def sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize()


def plain_loop(unet, cond, x, sched, steps, warmup, dev):
    "The diffusers example-script step, images/s over `steps` after `warmup`."
    opt = torch.optim.AdamW([p for p in unet.parameters() if p.requires_grad], lr=1e-4)
    unet.train()
    t0 = None
    for i in range(warmup + steps):
        if i == warmup: sync(dev); t0 = time.perf_counter()
        noise = torch.randn_like(x)
        t = torch.randint(0, sched.config.num_train_timesteps, (x.shape[0],), device=dev)
        x_t = sched.add_noise(x, noise, t)
        with torch.autocast('cuda', dtype=torch.bfloat16, enabled=dev.type == 'cuda'):
            pred = unet(x_t, t, encoder_hidden_states=cond).sample
        loss = F.mse_loss(pred.float(), noise)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
        opt.step(); opt.zero_grad(set_to_none=True)
    sync(dev)
    return steps * x.shape[0] / (time.perf_counter() - t0)


def flops_per_image(model, x, ids, k):
    "Training FLOPs per image: 3x the forward FLOPs (forward + backward), counted by torch's FlopCounterMode."
    from torch.utils.flop_counter import FlopCounterMode
    with FlopCounterMode(display=False) as fc, torch.no_grad():
        model(x[:2], torch.zeros(2, dtype=torch.long, device=x.device), ids[:2], k)
    return 3 * fc.get_total_flops() / 2


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--preset', default=None, help="'smoke' on the CPU, 'full' on CUDA by default")
    ap.add_argument('--batch_size', type=int, default=None)
    ap.add_argument('--steps', type=int, default=None, help='timed steps per loop')
    ap.add_argument('--warmup', type=int, default=None, help='untimed steps first (compile, allocator)')
    ap.add_argument('--compile', action='store_true', help='torch.compile the UNet in taxanb\'s loop (static shapes)')
    ap.add_argument('--peak_tflops', type=float, default=989.0, help='the device\'s dense bf16 peak (H100 SXM: 989)')
    ap.add_argument('--json', default=None, help='also write the results here')
    a = ap.parse_args()
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    from taxanb.core import get_config, default_device, run_info
    from taxanb.diffusion import make_taxadiffusion, make_scheduler
    from taxanb.progressive import train
    from fastai.callback.core import Callback
    dev = default_device()
    preset = a.preset or ('full' if dev.type == 'cuda' else 'smoke')
    cfg = get_config(preset)
    B = a.batch_size or cfg.train.batch_size
    steps = a.steps or (50 if dev.type == 'cuda' else 10)
    warmup = a.warmup if a.warmup is not None else (10 if dev.type == 'cuda' else 2)
    S = cfg.unet.sample_size
    # a toy tree: 4 ranks, 2 names each at the top, 16 species; random images (throughput does not look at them)
    R, n_sp = 4, 16
    ranks = ['order', 'family', 'genus', 'species']
    table = torch.stack([torch.arange(n_sp) // (n_sp // 2 ** (r + 1)) for r in range(R)], 1)
    names = [[f'{r}{i}' for i in range(int(table[:, j].max()) + 1)] for j, r in enumerate(ranks)]
    torch.manual_seed(0)
    model = make_taxadiffusion(cfg, ranks, names).to(dev)  # learned-embedding encoder: no text model needed
    sched = make_scheduler(cfg)
    x = torch.rand(B, 3, S, S, device=dev) * 2 - 1
    ids = table[torch.arange(B) % n_sp].to(dev)

    # 1. plain diffusers loop on the same UNet, the conditioning precomputed once (it is not what is timed)
    with torch.no_grad(): cond = model.cond(ids, R - 1)
    plain = plain_loop(model.unet, cond, x, sched, steps, warmup, dev)
    model.unet.zero_grad(set_to_none=True)

    # 2. taxanb's loop: train() with the 'joint' strategy (all of the model trains, as in the plain loop)
    class Bench: pass
    bench = Bench(); bench.id_table = table
    bench.train = (((torch.rand(max(B, 64), 3, S, S) * 255).to(torch.uint8)), torch.arange(max(B, 64)) % n_sp)
    stamps = []
    class Clock(Callback):
        order = 100
        def after_batch(self): sync(dev); stamps.append(time.perf_counter())
    total = warmup + steps
    per = -(-total // R)
    tc = dict(cfg.train, steps_per_stage=per, batch_size=B, ckpt_every=10 ** 9, compile=a.compile)
    t0 = time.perf_counter()
    train(model, bench, tc, 'joint', sched, seed=0, cbs=[Clock()], progress=False)
    n_t = len(stamps) - warmup
    ours = n_t * B / (stamps[-1] - stamps[warmup - 1]) if warmup > 0 else len(stamps) * B / (stamps[-1] - t0)
    first = stamps[warmup - 1] - t0 if warmup > 0 else 0.0
    fpi = flops_per_image(model, x, ids, R - 1)
    res = dict(preset=preset, device=str(dev), batch_size=B, img_size=S, timed_steps=steps,
               unet_params_M=round(sum(p.numel() for p in model.unet.parameters()) / 1e6, 2),
               plain_img_s=round(plain, 1), taxanb_img_s=round(ours, 1), ratio=round(ours / plain, 3),
               taxanb_warmup_s=round(first, 1), train_gflop_per_img=round(fpi / 1e9, 3),
               taxanb_tflops=round(ours * fpi / 1e12, 3), plain_tflops=round(plain * fpi / 1e12, 3), compile=a.compile)
    if dev.type == 'cuda':
        res['taxanb_mfu'] = round(ours * fpi / (a.peak_tflops * 1e12), 4); res['plain_mfu'] = round(plain * fpi / (a.peak_tflops * 1e12), 4)
    print(json.dumps(res, indent=1))
    print(f"\ntaxanb loop {ours:,.1f} img/s vs plain diffusers loop {plain:,.1f} img/s: ratio {ours / plain:.2f}x"
          + (f"; MFU {res['taxanb_mfu']:.1%} vs {res['plain_mfu']:.1%} of {a.peak_tflops:.0f} TFLOP/s" if dev.type == 'cuda' else ''))
    if a.json:
        from taxanb.core import save_json
        save_json(dict(res, info=run_info(preset, dev)), a.json)


if __name__ == '__main__':
    main()
