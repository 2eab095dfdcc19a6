"""Progressive training in two CPU processes (torch.distributed, gloo, through accelerate's Accelerator) equals a one-process run.
`accelerate launch --cpu` starts several CPU processes only through MPI, so the test starts them with torchrun,
which sets the same environment `accelerate launch --multi_gpu` sets on GPUs."""
import os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(cmd, cwd, env):
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"


def _same_pipeline(one, two):
    "The pipeline folders under `one/pipeline` and `two/pipeline` hold the same tensors (to 1e-4)."
    from safetensors.torch import load_file
    files = sorted(p.relative_to(one) for p in (one / 'pipeline').rglob('*.safetensors'))
    assert files and files == sorted(p.relative_to(two) for p in (two / 'pipeline').rglob('*.safetensors'))
    for f in files:
        a, b = load_file(one / f), load_file(two / f)
        assert a.keys() == b.keys()
        diff = max(((a[k].float() - b[k].float()).abs().max().item() for k in a if a[k].is_floating_point()), default=0.0)
        assert diff < 1e-4, f"{f}: two processes ended {diff:.2e} away from one process"


@pytest.mark.slow
def test_two_processes_match_one(tmp_path):
    script = tmp_path / 'train.py'
    script.write_text('from taxanb.progressive import main\nmain()\n')
    env = dict(os.environ, OMP_NUM_THREADS='1', HF_HUB_OFFLINE='1', TAXANB_DEVICE='cpu', CUDA_VISIBLE_DEVICES='')
    args = ['--preset', 'smoke', '--strategy', 'progressive', '--steps_per_stage', '2', '--batch_size', '4',
            '--run_dir', str(tmp_path / 'run')]
    _run([BIN / 'python', script, *args, '--out', tmp_path / 'one'], ROOT, env)  # builds the benchmark, then trains
    _run([BIN / 'python', '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', script, *args,
          '--out', tmp_path / 'two'], ROOT, env)
    _same_pipeline(tmp_path / 'one', tmp_path / 'two')
    import json
    h = json.loads((tmp_path / 'two' / 'history.json').read_text())
    assert h['world'] == 2 and h['total_steps'] == 10


@pytest.mark.slow
def test_cli_train_in_two_processes_matches_one(tmp_path):
    "`taxanb train` on a user's iNat-layout folder under torchrun with 2 CPU processes saves the pipeline one process saves."
    import pandas as pd
    from taxanb.taxonomy import Taxonomy
    from taxanb.data import write_inat21_fixture
    toy = Taxonomy(pd.DataFrame({'class': ['Aves'] * 4, 'order': ['Passeriformes'] * 4, 'family': ['Corvidae'] * 3 + ['Laniidae'],
                                 'genus': ['Corvus', 'Corvus', 'Pica', 'Lanius'],
                                 'species': ['Corvus corax', 'Corvus corone', 'Pica pica', 'Lanius collurio']}))
    write_inat21_fixture(tmp_path / 'inat', toy, per_species=3, size=16)
    env = dict(os.environ, OMP_NUM_THREADS='1', HF_HUB_OFFLINE='1', TAXANB_DEVICE='cpu', CUDA_VISIBLE_DEVICES='',
               TAXANB_RUNS=str(tmp_path / 'runs'))
    args = ['train', str(tmp_path / 'inat'), '--size', '16', '--preset', 'smoke', '--steps-per-stage', '2', '--batch-size', '4']
    _run([BIN / 'python', '-m', 'taxanb.cli', *args, '--out', tmp_path / 'one'], ROOT, env)
    _run([BIN / 'python', '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', '-m', 'taxanb.cli', *args,
          '--out', tmp_path / 'two'], ROOT, env)
    _same_pipeline(tmp_path / 'one', tmp_path / 'two')
    import json
    h = json.loads((tmp_path / 'two' / 'run' / 'taxadiffusion' / 'progressive' / 'history.json').read_text())
    assert h['world'] == 2 and h['total_steps'] == 2 * len(h['stage_starts'])   # 2 steps per rank of the iNat tree


_ARMS_SCRIPT = '''
import sys, json, torch, numpy as np
from taxanb.core import get_config
from taxanb.data import get_benchmark
from taxanb.progressive import train_arms
from taxanb.guidance import make_contour_fn
if __name__ == '__main__':   # each worker process imports this script
    workers, rd = int(sys.argv[1]), sys.argv[2]
    torch.set_num_threads(1)   # the workers' thread count, so that both sides compute alike
    cfg = get_config('smoke'); bench = get_benchmark(cfg, rd)
    jobs = {f'{a}-{s}': dict(strategy=a, name=f'{a}-s{s}', seed=s, steps_per_stage=2) for a in ('flat', 'progressive') for s in (0, 1)}
    jobs['contour-0'] = dict(strategy='joint', name='contour-s0', seed=0, steps_per_stage=2, contour_channels=1,   # HiGFA's generator: its
                             contour_fn=make_contour_fn(cfg.higfa, p_drop=0.0, seed=0))                         # contour_fn goes to a worker
    seen = bench.seen.numpy()   # a NumPy view made before, as a notebook's np.asarray(bench.seen)
    res = train_arms(cfg, rd, bench, jobs, workers=workers, progress=False)
    assert not bench.seen.is_shared() and np.shares_memory(seen, bench.seen.numpy()), 'train_arms moved the caller tensors'
    print(json.dumps({k: h['losses'] for k, (m, h) in res.items()}))
'''


@pytest.mark.slow
def test_train_arms_side_by_side_matches_one_after_the_other(tmp_path):
    "Arms trained in two worker processes are the arms trained one after the other in one process (same losses, same weights), a contour arm too."
    import json
    from safetensors.torch import load_file
    script = tmp_path / 'arms.py'; script.write_text(_ARMS_SCRIPT)
    env = dict(os.environ, OMP_NUM_THREADS='1', HF_HUB_OFFLINE='1', TAXANB_DEVICE='cpu', CUDA_VISIBLE_DEVICES='')
    out = {}
    for w in (1, 2):
        r = subprocess.run([BIN / 'python', script, str(w), tmp_path / f'run{w}'], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stderr[-3000:]
        out[w] = json.loads(r.stdout.strip().splitlines()[-1])
    assert out[1] == out[2] and len(out[1]) == 5
    files = sorted((tmp_path / 'run1' / 'taxadiffusion').rglob('pipeline/**/*.safetensors'))   # each arm's cached pipeline folder
    assert len(files) >= 10, files   # the backbone and the encoder of each of the 5 arms
    for f in files:
        a, b = load_file(f), load_file(tmp_path / 'run2' / f.relative_to(tmp_path / 'run1'))
        assert a.keys() == b.keys() and all((a[k] == b[k]).all() for k in a), f"{f.name} differs between the two ways of training"


@pytest.mark.parametrize('backbone', ['unet', 'transformer'])
def test_get_trained_caches_a_pipeline_folder(tmp_path, backbone):
    "`get_trained` caches an arm as one pipeline folder (no `model/` beside it) that taxanb and diffusers load, LoRA merged:"
    " the smoke UNet and the laptop preset's DiT, each adapted from the pretrained base with LoRA and a contour input."
    import torch
    from diffusers import DiffusionPipeline
    from taxanb.core import get_config
    from taxanb.data import get_benchmark
    from taxanb.diffusion import TaxaDiffusion
    from taxanb.progressive import get_trained, is_trained
    from taxanb.sampling import TaxaDiffusionPipeline
    torch.set_num_threads(1)
    cfg = get_config('smoke') if backbone == 'unet' else get_config('smoke', unet=dict(get_config('laptop').unet))
    rd = tmp_path / 'run'; bench = get_benchmark(cfg, rd)
    kw = dict(strategy='progressive', contour_channels=1, contour_fn=lambda x: x.mean(1, keepdim=True), steps_per_stage=1)
    m, h = get_trained(cfg, rd, bench, progress=False, **kw)
    arm = rd / 'taxadiffusion' / 'progressive_contour'
    assert type(m.unet).__name__ == ('UNet2DConditionModel' if backbone == 'unet' else 'PixArtTransformer2DModel')
    assert getattr(m.unet, 'peft_config', None), 'the arm adapts the pretrained base with LoRA'
    assert (arm / 'history.json').exists() and not (arm / 'model').exists()
    pf = arm / 'pipeline'
    assert (pf / 'README.md').exists() and (pf / 'taxonomy.csv').exists()
    card = (pf / 'README.md').read_text()
    assert 'progressive_contour: strategy progressive, seed 0, preset smoke' in card and h['key']['train_data'] in card
    dp = DiffusionPipeline.from_pretrained(pf, trust_remote_code=True)
    tp = TaxaDiffusionPipeline.from_pretrained(pf)
    assert type(dp).__name__ == 'TaxaDiffusionPipeline' and list(tp.taxonomy.ranks) == list(bench.tax.ranks)
    assert not any('lora' in k for k in dp.unet.state_dict()), 'the saved backbone is plain, its LoRA merged'
    m2, h2 = get_trained(cfg, rd, bench, progress=False, **kw)   # loaded from the cache
    assert h2['losses'] == h['losses'] and is_trained(cfg, rd, bench, strategy='progressive', contour_channels=1, steps_per_stage=1)
    assert isinstance(m2, TaxaDiffusion) and m2.contour_channels == 1 and m2.prediction_type == m.prediction_type
    g = torch.Generator().manual_seed(0); s = bench.img_size; R = len(bench.tax.ranks)
    x, c = torch.randn(2, 3, s, s, generator=g), torch.rand(2, 1, s, s, generator=g)
    ids, t = torch.as_tensor(bench.tax.id_table())[:2], torch.tensor([10, 700])
    with torch.no_grad():
        ref = m.eval().eps(x, t, m.cond(ids, R - 1), c)
        for other in (m2, TaxaDiffusion.from_pipeline(dp), TaxaDiffusion.from_pipeline(tp)):
            other = other.eval()
            assert torch.allclose(other.eps(x, t, other.cond(ids, R - 1), c), ref, atol=1e-4), 'the cache computes what the trained model did'
