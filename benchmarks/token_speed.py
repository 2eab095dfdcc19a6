"""How long does DIG-ZSL take to learn one discriminative token, and how fast are images generated?

    python benchmarks/token_speed.py [--preset smoke] [--species 8] [--epochs 3] [--n_gen 64] [--threads 0] [--json out.json]

Builds the preset's pixel TaxaDiffusion over a synthetic tree (random weights: speed does not depend on
them) and a CDM on EfficientNet-Lite0, then times `tokens.learn_tokens` for `--species` species at once for
`--epochs` epochs with early stopping switched off, and `tokens.generate_species` for `--n_gen` images.
Reported: seconds per species per epoch, the implied upper bound per species at the preset's maximum number
of epochs (early stopping usually ends sooner), and images per second, per wall second and per CPU second
(process time: the figure to quote from a shared machine). On a GPU the wall figures are the ones to quote.
"""
import argparse, json, time
import torch
from taxanb.core import get_config, default_device, seed_everything, run_info
from taxanb.diffusion import make_taxadiffusion, make_scheduler
from taxanb.pretrained import load_efficientnet_lite0
from taxanb.zsl import CDM
from taxanb.tokens import learn_tokens, pixel_generator, init_tokens, generate_species, cdm_scorer


def toy_tree(n_species: int):
    "Ranks and names of a synthetic tree: two species per genus, two genera per family."
    ranks = ['family', 'genus', 'species']
    names = [[f'F{i}' for i in range((n_species + 3) // 4)], [f'G{i}' for i in range((n_species + 1) // 2)], [f'S{i}' for i in range(n_species)]]
    ids = torch.tensor([[s // 4, s // 2, s] for s in range(n_species)])
    return ranks, names, ids


def timed(fn):
    "(result, wall seconds, CPU seconds) of `fn()`, synchronising CUDA."
    if torch.cuda.is_available(): torch.cuda.synchronize()
    t0, c0 = time.perf_counter(), time.process_time()
    r = fn()
    if torch.cuda.is_available(): torch.cuda.synchronize()
    return r, time.perf_counter() - t0, time.process_time() - c0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--preset', default='smoke')
    p.add_argument('--species', type=int, default=8, help='unseen species learned together (one batch)')
    p.add_argument('--epochs', type=int, default=3, help='epochs timed (early stopping off)')
    p.add_argument('--n_gen', type=int, default=64, help='images generated for the throughput figure')
    p.add_argument('--img_size', type=int, default=32)
    p.add_argument('--threads', type=int, default=0, help='torch CPU threads (0: leave as is)')
    p.add_argument('--json', default=None, help='also write the results here')
    a = p.parse_args(argv)
    if a.threads: torch.set_num_threads(a.threads)
    cfg, dev = get_config(a.preset), default_device()
    t = cfg.tokens
    seed_everything(0)
    ranks, names, ids = toy_tree(a.species)
    model = make_taxadiffusion(cfg, ranks, names).to(dev).eval().requires_grad_(False)
    sch = make_scheduler(cfg)
    cdm = CDM(torch.randn(a.species, 384), hidden=cfg.zsl.hidden, temperature=cfg.zsl.temperature, img_size=cfg.zsl.img_size,
              backbone=load_efficientnet_lite0()).to(dev)
    cdm.backbone.to(dev)
    gen = pixel_generator(model, ids, sch, t.steps, t.n_grad, t.guidance, t.scale)
    init = init_tokens(model.encoder, ids[:, -1].tolist(), -1, t.init)
    learn = lambda: learn_tokens(gen, cdm_scorer(cdm, range(a.species)), init, range(a.species), (3, a.img_size, a.img_size),
                                 t.n_per, a.epochs, patience=10**6, acc_stop=2.0, lr=t.lr, device=dev)
    learn_one = lambda: learn_tokens(gen, cdm_scorer(cdm, range(a.species)), init[:1], [0], (3, a.img_size, a.img_size),
                                     t.n_per, 1, patience=10**6, acc_stop=2.0, lr=t.lr, device=dev)
    timed(learn_one)  # warm-up (first calls allocate and pick kernels)
    _, lw, lc = timed(learn)
    per = dict(wall=lw / (a.species * a.epochs), cpu=lc / (a.species * a.epochs))
    gen_fn = lambda: generate_species(model, sch, ids, max(1, a.n_gen // a.species), None, img_size=a.img_size, steps=t.steps,
                                      guidance=t.guidance, scale=t.scale, batch=t.gen_batch)
    timed(lambda: generate_species(model, sch, ids[:1], 1, None, img_size=a.img_size, steps=2))
    x, gw, gc = timed(gen_fn)
    out = dict(preset=a.preset, device=str(dev), threads=torch.get_num_threads(), species=a.species, epochs_timed=a.epochs,
               steps=t.steps, n_grad=t.n_grad, n_per=t.n_per, guidance=t.guidance, scale=t.scale,
               token_s_per_species_epoch_wall=round(per['wall'], 4), token_s_per_species_epoch_cpu=round(per['cpu'], 4),
               token_s_per_species_max_epochs_wall=round(per['wall'] * t.epochs, 2), max_epochs=t.epochs,
               images_per_s_wall=round(len(x) / gw, 2), images_per_cpu_s=round(len(x) / max(gc, 1e-9), 2), n_images=len(x),
               run_info=run_info(a.preset, dev))
    print(json.dumps({k: v for k, v in out.items() if k != 'run_info'}, indent=1))
    if a.json:
        with open(a.json, 'w') as f: json.dump(out, f, indent=1)
    return out


if __name__ == '__main__':
    main()
