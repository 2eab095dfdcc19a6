"""How fast does the embedded benchmark draw images? One CPU core, batched vs one image per call.

    python benchmarks/data_speed.py [--n 8192] [--size 32] [--json out.json]

The batched renderer (`taxanb.data.render_codes`) draws a whole batch with coordinate grids; the
baseline is a plain Python loop drawing the same kind of images one per call. Both run in the same
process, on one thread (`torch.set_num_threads(1)`), so the ratio is meaningful even on a busy machine;
images per CPU-second (process time) is the figure to quote from a shared machine.
"""
import argparse, json, time
import torch
from taxanb.data import render_codes, TRAIT_COLS, _VOCABS


def random_codes(n_species: int, seed: int = 0) -> torch.Tensor:
    "Trait codes of `n_species` random species (every trait drawn from its vocabulary)."
    g = torch.Generator().manual_seed(seed)
    return torch.stack([torch.randint(len(_VOCABS[c]), (n_species,), generator=g) for c in TRAIT_COLS], 1)


def rate(fn, n: int, repeat: int = 3) -> tuple[float, float]:
    "Best images per wall second and per CPU second over `repeat` runs of `fn()`, which draws `n` images."
    wall = cpu = 0.0
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time(); fn()
        wall, cpu = max(wall, n / (time.perf_counter() - t0)), max(cpu, n / max(time.process_time() - c0, 1e-9))
    return wall, cpu


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', type=int, default=8192, help='images drawn by the batched renderer')
    p.add_argument('--n_loop', type=int, default=256, help='images drawn one per call by the baseline')
    p.add_argument('--size', type=int, nargs='+', default=[32, 64], help='image sides to measure')
    p.add_argument('--species', type=int, default=80)
    p.add_argument('--json', default=None, help='also write the results here')
    a = p.parse_args(argv)
    torch.set_num_threads(1)
    codes = random_codes(a.species)
    y = torch.arange(a.n) % a.species
    rows = []
    for size in a.size:
        render_codes(codes, y[:64], size, seed=0)  # warm-up
        (bw, bc) = rate(lambda: render_codes(codes, y, size, seed=0), a.n)
        (lw, lc) = rate(lambda: [render_codes(codes, y[i:i + 1], size, seed=i) for i in range(a.n_loop)], a.n_loop)
        rows.append(dict(size=size, batched_img_s=round(bw), loop_img_s=round(lw), batched_img_cpu_s=round(bc), loop_img_cpu_s=round(lc),
                         speedup=round(bw / lw, 1)))
        print(f"{size:>3} px, 1 thread: batched {bw:7.0f} images/s ({bc:7.0f} per CPU-second) | "
              f"one per call {lw:5.0f} images/s ({lc:5.0f} per CPU-second) | x{bw / lw:.1f}")
    if a.json: open(a.json, 'w').write(json.dumps(dict(torch=torch.__version__, threads=1, results=rows), indent=2))
    return rows


if __name__ == '__main__':
    main()
