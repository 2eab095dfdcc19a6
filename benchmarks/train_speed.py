"""Training throughput (images/s) of taxanb's loop (`taxanb.progressive.train`: fastai Learner + callbacks) against a
plain diffusers training loop doing the same work, in one run; prints the ratio (and the model FLOP utilisation on CUDA).

    python benchmarks/train_speed.py                       # CPU, smoke sizes
    python benchmarks/train_speed.py --preset full --compile   # CUDA: bf16 autocast, channels_last, fused AdamW, torch.compile

What is compared (the ratio is taxanb / fair plain):

- fair plain loop: what a user's plain diffusers training of this model does, written as diffusers' example scripts
  (train_text_to_image.py) write it: the same TaxaDiffusion (UNet *and* TaxonomyEncoder), each step a random batch of
  the same uint8 images, the condition recomputed from the batch's rank ids (after the same condition dropout),
  AdamW (the preset's lr and weight decay, its warm-up as a LambdaLR), grad clip 1.0, `EMAModel(model.parameters())`
  with diffusers' default settings, stepped after every optimiser step, and the loss read with `.item()` for the log;
  bf16 autocast on CUDA, fp32 weights, no compile.
- taxanb's loop: `train(..., strategy='joint')` (all of the model trains, k = R-1, as in the plain loop), with its own
  condition dropout, warm-up, grad clip, EMA and loss record; on CUDA also channels_last, fused AdamW and (with
  --compile) torch.compile with static shapes.
- reference line only (labelled "unet_only"): the UNet alone with the condition precomputed once and no EMA, the
  number this script used to compare against; it does less work than either loop above.

Neither loop writes a checkpoint in the timed steps: the stage is made longer than the timed steps and the run is
stopped after them (taxanb otherwise writes one at every stage end and every `ckpt_every`, as the example scripts do
every `checkpointing_steps`); the cost of one taxanb checkpoint write is reported on its own line. The first
`--warmup` steps are not timed in any loop (allocator, compile). The loops run interleaved `--rounds` times on fresh
copies of the same model; each loop's best round counts (the machine may be shared: the slow rounds are the ones other
work slowed down); beside it, the median of the rounds' own ratios (each round is paired: its loops run back to back, so
a machine whose speed drifts during the run moves both alike), and CPU-seconds per image (`time.process_time`, all threads) are reported beside the wall figures.
"""
import argparse, copy, json, os, statistics, sys, time
import torch, torch.nn.functional as F


def sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize()


def unet_only_loop(unet, cond, x, sched, steps, warmup, dev, lr):
    "Reference: the UNet alone, the condition precomputed once, AdamW + clip, no EMA (less work than either loop)."
    opt = torch.optim.AdamW([p for p in unet.parameters() if p.requires_grad], lr=lr)
    unet.train()
    for i in range(warmup + steps):
        if i == warmup: sync(dev); t0, c0 = time.perf_counter(), time.process_time()
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
    return time.perf_counter() - t0, time.process_time() - c0


def plain_loop(model, imgs, labels, table, sched, tc, B, steps, warmup, dev):
    "The fair plain diffusers loop on the whole model (see the module docstring); (wall s, CPU s) of `steps` after `warmup`."
    from diffusers.training_utils import EMAModel
    from taxanb.encoder import drop_ids
    R = table.shape[1]
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=tc['lr'], weight_decay=tc['wd'])
    sch = torch.optim.lr_scheduler.LambdaLR(opt, lambda i: min(1.0, (i + 1) / max(1, tc['warmup'])))
    ema = EMAModel(model.parameters())  # diffusers' defaults, as in its example scripts
    model.train(); train_loss = 0.0
    for i in range(warmup + steps):
        if i == warmup: sync(dev); t0, c0 = time.perf_counter(), time.process_time()
        idx = torch.randint(0, len(labels), (B,))
        x0 = imgs[idx].to(dev).float().div(127.5).sub(1)
        ids = drop_ids(table[labels[idx]], tc['drop_mode'], tc['p_drop']).to(dev)
        noise = torch.randn_like(x0)
        t = torch.randint(0, sched.config.num_train_timesteps, (B,), device=dev)
        x_t = sched.add_noise(x0, noise, t)
        with torch.autocast('cuda', dtype=torch.bfloat16, enabled=dev.type == 'cuda'):
            pred = model(x_t, t, ids, R - 1)
        loss = F.mse_loss(pred.float(), noise.float())
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step(); sch.step(); opt.zero_grad(set_to_none=True)
        ema.step(model.parameters())
        train_loss += loss.item()  # the example scripts log the step's loss
    sync(dev)
    return time.perf_counter() - t0, time.process_time() - c0


def taxanb_loop(model, bench, tc, sched, B, steps, warmup, dev, compile=False):
    "taxanb's `train` ('joint'), stopped after warmup + steps batches, before any checkpoint; (wall s, CPU s, setup s)."
    from fastai.callback.core import Callback, CancelFitException
    from taxanb.progressive import train
    total = warmup + steps
    stamps = []
    class Clock(Callback):
        order = 100  # after every taxanb callback (EMA, loss record)
        def after_batch(self):
            sync(dev); stamps.append((time.perf_counter(), time.process_time()))
            if len(stamps) == total: raise CancelFitException()
    # one stage longer than the timed steps and no periodic checkpoint: no checkpoint is written at all
    c = dict(tc, steps_per_stage=total + 1, batch_size=B, ckpt_every=10 ** 9, compile=compile)
    t0 = time.perf_counter()
    train(model, bench, c, 'joint', sched, seed=0, cbs=[Clock()], progress=False)
    assert len(stamps) == total, f'taxanb ran {len(stamps)} steps, expected {total}'
    (w0, c0), (w1, c1) = (stamps[warmup - 1] if warmup else (t0, 0.0)), stamps[-1]
    return w1 - w0, c1 - c0, w0 - t0


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
    ap.add_argument('--steps', type=int, default=None, help='timed steps per loop and round')
    ap.add_argument('--warmup', type=int, default=None, help='untimed steps first (compile, allocator)')
    ap.add_argument('--rounds', type=int, default=3, help='interleaved rounds of the loops; the best round of each counts')
    ap.add_argument('--compile', action='store_true', help='torch.compile the UNet in taxanb\'s loop (static shapes)')
    ap.add_argument('--peak_tflops', type=float, default=989.0, help='the device\'s dense bf16 peak (H100 SXM: 989)')
    ap.add_argument('--json', default=None, help='also write the results here')
    a = ap.parse_args()
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    from taxanb.core import get_config, default_device, run_info
    from taxanb.diffusion import make_taxadiffusion, make_scheduler, make_ema
    from taxanb.progressive import save_checkpoint
    dev = default_device()
    preset = a.preset or ('full' if dev.type == 'cuda' else 'smoke')
    cfg = get_config(preset)
    tc = dict(cfg.train)
    B = a.batch_size or tc['batch_size']
    steps = a.steps or (50 if dev.type == 'cuda' else 12)
    warmup = a.warmup if a.warmup is not None else (10 if dev.type == 'cuda' else 2)
    S = cfg.unet.sample_size
    # a toy tree: 4 ranks, 2 names each at the top, 16 species; random images (throughput does not look at them)
    R, n_sp = 4, 16
    ranks = ['order', 'family', 'genus', 'species']
    table = torch.stack([torch.arange(n_sp) // (n_sp // 2 ** (r + 1)) for r in range(R)], 1)
    names = [[f'{r}{i}' for i in range(int(table[:, j].max()) + 1)] for j, r in enumerate(ranks)]
    torch.manual_seed(0)
    model0 = make_taxadiffusion(cfg, ranks, names)  # learned-embedding encoder: no text model needed
    sched = make_scheduler(cfg)
    n_img = max(B, 64)
    imgs, labels = (torch.rand(n_img, 3, S, S) * 255).to(torch.uint8), torch.arange(n_img) % n_sp
    class Bench: pass
    bench = Bench(); bench.id_table = table; bench.train = (imgs, labels)

    rows = {'plain': [], 'taxanb': [], 'unet_only': []}
    setup = []
    for r in range(a.rounds):  # interleaved, fresh copies of the same weights
        torch.manual_seed(r)
        m = copy.deepcopy(model0).to(dev)
        rows['plain'].append(plain_loop(m, imgs, labels, table, sched, tc, B, steps, warmup, dev))
        m = copy.deepcopy(model0).to(dev)
        w, c, s0 = taxanb_loop(m, bench, tc, sched, B, steps, warmup, dev, a.compile); rows['taxanb'].append((w, c)); setup.append(s0)
        m = copy.deepcopy(model0).to(dev)
        x = (imgs[:B].float().div(127.5).sub(1)).to(dev)
        with torch.no_grad(): cond = m.cond(table[labels[:B]].to(dev), R - 1)
        rows['unet_only'].append(unet_only_loop(m.unet, cond, x, sched, steps, warmup, dev, tc['lr']))
    n = steps * B
    best = {k: (n / min(w for w, _ in v), min(c for _, c in v) / n) for k, v in rows.items()}  # img/s, CPU s / img
    # one taxanb checkpoint write (weights, AdamW state, EMA, losses), timed apart
    import tempfile
    m = copy.deepcopy(model0).to(dev); opt = torch.optim.AdamW(m.parameters())
    for p in m.parameters(): p.grad = torch.zeros_like(p)
    opt.step(); ema = make_ema(m, tc['ema_decay'])
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter(); save_checkpoint(f'{d}/c.safetensors', m, opt, ema, 1, [0.0] * (steps + warmup)); ckpt_s = time.perf_counter() - t0
    x = (imgs[:B].float().div(127.5).sub(1)).to(dev)
    fpi = flops_per_image(m, x, table[labels[:B]].to(dev), R - 1)
    ours, plain, ref = best['taxanb'][0], best['plain'][0], best['unet_only'][0]
    res = dict(preset=preset, device=str(dev), batch_size=B, img_size=S, timed_steps=steps, rounds=a.rounds,
               unet_params_M=round(sum(p.numel() for p in model0.unet.parameters()) / 1e6, 3),
               encoder_params_M=round(sum(p.numel() for p in model0.encoder.parameters()) / 1e6, 3),
               plain_img_s=round(plain, 1), taxanb_img_s=round(ours, 1), ratio=round(ours / plain, 3),
               plain_cpu_ms_per_img=round(1e3 * best['plain'][1], 2), taxanb_cpu_ms_per_img=round(1e3 * best['taxanb'][1], 2),
               cpu_ratio=round(best['plain'][1] / best['taxanb'][1], 3),
               unet_only_img_s=round(ref, 1), unet_only_cpu_ms_per_img=round(1e3 * best['unet_only'][1], 2),
               ratio_vs_unet_only=round(ours / ref, 3),
               rounds_img_s={k: [round(n / w, 1) for w, _ in v] for k, v in rows.items()},
               # each round runs the loops back to back, so its ratio is paired against the machine's drift between rounds
               round_ratios=[round(wp / wt, 3) for (wt, _), (wp, _) in zip(rows['taxanb'], rows['plain'])],
               ratio_paired_median=round(statistics.median(wp / wt for (wt, _), (wp, _) in zip(rows['taxanb'], rows['plain'])), 3),
               taxanb_setup_and_warmup_s=round(min(setup), 2), taxanb_ckpt_write_s=round(ckpt_s, 3),
               train_gflop_per_img=round(fpi / 1e9, 3),
               taxanb_tflops=round(ours * fpi / 1e12, 3), plain_tflops=round(plain * fpi / 1e12, 3), compile=a.compile)
    if dev.type == 'cuda':
        res['taxanb_mfu'] = round(ours * fpi / (a.peak_tflops * 1e12), 4); res['plain_mfu'] = round(plain * fpi / (a.peak_tflops * 1e12), 4)
    print(json.dumps(res, indent=1))
    print(f"\ntaxanb loop {ours:,.1f} img/s vs fair plain diffusers loop {plain:,.1f} img/s (same model, encoder and EMA): "
          f"ratio {ours / plain:.2f}x (best rounds), {res['ratio_paired_median']:.2f}x (median of the {a.rounds} paired rounds: "
          f"{', '.join(f'{r:.2f}' for r in res['round_ratios'])}); CPU-s per image ratio (plain / taxanb) {res['cpu_ratio']:.2f}x"
          + (f"; MFU {res['taxanb_mfu']:.1%} vs {res['plain_mfu']:.1%} of {a.peak_tflops:.0f} TFLOP/s" if dev.type == 'cuda' else ''))
    print(f"reference, unet_only (UNet alone, condition precomputed once, no EMA: less work): {ref:,.1f} img/s, "
          f"taxanb / unet_only {ours / ref:.2f}x; one taxanb checkpoint write {ckpt_s:.2f} s (not in the timed steps)")
    if a.json:
        from taxanb.core import save_json
        save_json(dict(res, info=run_info(preset, dev)), a.json)


if __name__ == '__main__':
    main()
