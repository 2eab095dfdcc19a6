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
import sys, json, torch
from taxanb.core import get_config
from taxanb.data import get_benchmark
from taxanb.progressive import train_arms
if __name__ == '__main__':   # each worker process imports this script
    workers, rd = int(sys.argv[1]), sys.argv[2]
    torch.set_num_threads(1)   # the workers' thread count, so that both sides compute alike
    cfg = get_config('smoke'); bench = get_benchmark(cfg, rd)
    jobs = {f'{a}-{s}': dict(strategy=a, name=f'{a}-s{s}', seed=s, steps_per_stage=2) for a in ('flat', 'progressive') for s in (0, 1)}
    res = train_arms(cfg, rd, bench, jobs, workers=workers, progress=False)
    print(json.dumps({k: h['losses'] for k, (m, h) in res.items()}))
'''


@pytest.mark.slow
def test_train_arms_side_by_side_matches_one_after_the_other(tmp_path):
    "Arms trained in two worker processes are the arms trained one after the other in one process (same losses, same weights)."
    import json
    from safetensors.torch import load_file
    script = tmp_path / 'arms.py'; script.write_text(_ARMS_SCRIPT)
    env = dict(os.environ, OMP_NUM_THREADS='1', HF_HUB_OFFLINE='1', TAXANB_DEVICE='cpu', CUDA_VISIBLE_DEVICES='')
    out = {}
    for w in (1, 2):
        r = subprocess.run([BIN / 'python', script, str(w), tmp_path / f'run{w}'], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stderr[-3000:]
        out[w] = json.loads(r.stdout.strip().splitlines()[-1])
    assert out[1] == out[2] and len(out[1]) == 4
    for f in sorted((tmp_path / 'run1' / 'taxadiffusion').rglob('model/**/*.safetensors')):
        a, b = load_file(f), load_file(tmp_path / 'run2' / f.relative_to(tmp_path / 'run1'))
        assert a.keys() == b.keys() and all((a[k] == b[k]).all() for k in a), f"{f.name} differs between the two ways of training"
