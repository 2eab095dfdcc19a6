"The notebooks are clean, taxanb/ is what nbdev-export makes of them, and every notebook has the agreed shape."
import json, shutil, subprocess, sys, filecmp
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT / "nbs").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NBS) >= 2, "nbs/ should hold the component notebooks"


@pytest.mark.parametrize("nb", NBS, ids=lambda p: p.name)
def test_notebook_is_clean(nb, tmp_path):
    "nbdev-clean would change nothing: no outputs, execution counts or stray metadata are committed."
    from nbdev.clean import clean_nb
    from nbdev.config import get_config
    cfg = get_config(ROOT)
    d = json.loads(nb.read_text())
    before = json.dumps(d, sort_keys=True)
    clean_nb(d, clear_all=False, allowed_metadata_keys=cfg.get("allowed_metadata_keys") or [],
             allowed_cell_metadata_keys=cfg.get("allowed_cell_metadata_keys") or [], clean_ids=cfg.clean_ids)
    assert json.dumps(d, sort_keys=True) == before, f"{nb.name} is not clean: run `.venv/bin/nbdev-clean`"
    assert all(not c.get("outputs") for c in d["cells"] if c["cell_type"] == "code"), \
        f"{nb.name} carries outputs: commit notebooks without outputs (the docs build executes them)"


@pytest.mark.parametrize("nb", NBS, ids=lambda p: p.name)
def test_notebook_shape(nb):
    "A title, and a papermill parameters cell of literal assignments with preset/seed/run_dir."
    import ast
    d = json.loads(nb.read_text())
    cells = d["cells"]
    md = [c for c in cells if c["cell_type"] == "markdown"]
    assert md and "".join(md[0]["source"]).lstrip().startswith("# "), f"{nb.name}: the first markdown cell is the title"
    if nb.name == "index.ipynb": return
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1, f"{nb.name}: exactly one cell tagged 'parameters' (papermill needs it)"
    tree = ast.parse("".join(params[0]["source"]))
    names = set()
    for st in tree.body:
        assert isinstance(st, ast.Assign) and isinstance(st.value, ast.Constant), \
            f"{nb.name}: the parameters cell holds literal assignments only"
        names |= {t.id for t in st.targets}
    assert {"preset", "seed", "run_dir"} <= names, f"{nb.name}: parameters must include preset, seed and run_dir"


def test_library_in_sync(tmp_path):
    "nbdev-export on a copy of the project reproduces taxanb/ exactly."
    for p in ["nbs", "taxanb", "pyproject.toml", "README.md"]:
        s = ROOT / p
        (shutil.copytree if s.is_dir() else shutil.copy)(s, tmp_path / p)
    r = subprocess.run([str(Path(sys.executable).parent / "nbdev-export")], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    cmp = filecmp.dircmp(ROOT / "taxanb", tmp_path / "taxanb", ignore=["__pycache__"])
    diff = cmp.diff_files + cmp.left_only + cmp.right_only
    assert not diff, f"taxanb/ is out of sync with nbs/ ({diff}): run `.venv/bin/nbdev-export` and commit"


@pytest.mark.parametrize("nb", NBS, ids=lambda p: p.name)
def test_notebook_has_kernelspec(nb):
    "papermill and Jupyter need the kernelspec; `python tools/nbmeta.py` adds it."
    ks = json.loads(nb.read_text()).get("metadata", {}).get("kernelspec", {})
    assert ks.get("name") == "python3" and ks.get("language") == "python", f"{nb.name}: run `.venv/bin/python tools/nbmeta.py`"



def test_readme_findings_come_from_the_results():
    "README's 'What we found' block is what tools/findings.py makes of results/laptop/ (no number typed by hand)."
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "findings.py"), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_laptop_results_record_their_run():
    "Every committed laptop result names its preset, device, commit, package versions and wall time."
    for f in sorted((ROOT / "results" / "laptop" / "results").glob("*.json")):
        ri = json.loads(f.read_text())["run_info"]
        assert ri["preset"] == "laptop" and ri["device"] and ri["commit"] not in ("", "unknown"), f
        assert ri["versions"].get("torch") and ri.get("wall_s"), f


def _install_cell(nb):
    cells = [c for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code" and "try: import taxanb" in "".join(c["source"])]
    return "".join(cells[0]["source"]) if cells else None


@pytest.mark.parametrize("nb", [p for p in NBS if p.name != "index.ipynb"], ids=lambda p: p.name)
def test_install_cell_is_pinned_and_loud(nb, monkeypatch):
    "Without taxanb, the install cell stops with the fix (not a silent pip install); on Colab it installs this release, checked."
    import re, taxanb, types
    src = _install_cell(nb)
    assert src, f"{nb.name}: no install cell (copy it from 00_core)"
    assert f"@v{taxanb.__version__}'" in src and "check=True" in src, f"{nb.name}: the install cell must pin v{taxanb.__version__} and check"
    monkeypatch.setitem(sys.modules, "taxanb", None)            # `import taxanb` now raises ImportError
    with pytest.raises(ImportError, match="make venv"): exec(src, {})
    calls = []
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append((a, k)))
    exec(src, {})
    (args,), kw = calls[0]
    assert kw.get("check") is True and any(re.search(rf"@v{re.escape(taxanb.__version__)}$", x) for x in args), calls


def test_dependencies_are_ranges_and_the_lock_satisfies_them():
    "pyproject.toml states ranges (installable beside a user's torch); constraints.txt pins each to a version inside its range."
    import tomllib
    from packaging.requirements import Requirement
    proj = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(r) for r in proj["dependencies"] + proj["optional-dependencies"]["dev"]]
    lock = {}
    for i, line in enumerate((ROOT / "constraints.txt").read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"): continue
        name, sep, ver = line.partition("==")
        assert sep and ver, f"constraints.txt line {i}: {line!r} is not name==version (run `make lock`)"
        lock[name.strip().lower().replace("_", "-")] = ver.strip()
    for r in reqs:
        assert not any(s.operator in ("==", "===") for s in r.specifier), f"pyproject.toml pins {r}: state a range, pin in constraints.txt"
        assert r.specifier, f"pyproject.toml: {r.name} has no lower bound"
        key = r.name.lower().replace("_", "-")
        assert key in lock, f"constraints.txt has no pin for {r.name} (run `make lock`)"
        assert r.specifier.contains(lock[key], prereleases=True), f"constraints.txt pins {r.name}=={lock[key]}, outside pyproject's {r.specifier}"


def test_importing_taxanb_prints_no_warning():
    "Importing the package with its training stack prints nothing: a library's deprecation noise, with the machine's paths, never reaches a user."
    r = subprocess.run([sys.executable, '-c', 'import taxanb.progressive, taxanb.reproduce, taxanb.cli, taxanb.guidance'],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip() == '', f"importing taxanb printed:\n{r.stderr}"


@pytest.mark.parametrize("nb", NBS, ids=lambda p: p.name)
def test_parameters_cell_parses_without_warnings(nb):
    "papermill can read every line of the parameters cell (a second '=' on a line makes it print 'Unable to parse line' on every run)."
    from papermill.translators import PythonTranslator
    import logging
    cells = [c for c in json.loads(nb.read_text())['cells'] if 'parameters' in c.get('metadata', {}).get('tags', [])]
    for c in cells:
        src = ''.join(c['source'])
        bad = [l for l in src.splitlines() if l.strip() and not l.strip().startswith('#') and l.count('=') > 1]
        assert not bad, f"{nb.name}: papermill cannot parse {bad[0]!r}; keep one '=' per parameter line (none in its comment)"
        assert {p.name for p in PythonTranslator.inspect(dict(c, source=src))} >= {'preset'}, f"{nb.name}: papermill finds no `preset` parameter"


def test_one_sampler_construction():
    "Every sampling scheduler in taxanb is built by `sampling.make_sampler` (issue 17, item 9): no module builds a diffusers sampler of its own."
    import re
    pat = re.compile(r"\b(DDIMScheduler|DPMSolverMultistepScheduler|EulerDiscreteScheduler)\.from_config\(|SAMPLERS\[")
    offenders = [f"{p.name}:{i}" for p in sorted((ROOT / "taxanb").glob("*.py")) if p.name != "sampling.py"
                 for i, line in enumerate(p.read_text().splitlines(), 1) if pat.search(line)]
    assert not offenders, f"sampling schedulers built outside sampling.make_sampler: {offenders}; call make_sampler(name, training_scheduler, **overrides)"
    from diffusers import DDPMScheduler
    from taxanb.sampling import make_sampler
    from taxanb.guidance import ddim
    from taxanb.tokens import ddim_from
    train = DDPMScheduler(beta_start=1e-4, beta_end=0.02, prediction_type='v_prediction', clip_sample=True)
    ours = make_sampler('ddim', train, prediction_type='epsilon').config
    for other in (ddim(train).config, ddim_from(train).config):
        assert dict(other) == dict(ours)
    assert ours.clip_sample and ours.beta_end == 0.02 and make_sampler('ddim', train).config.prediction_type == 'v_prediction'


def test_one_guidance_stack():
    "One composable guidance stack serves TaxaDiffusion's CFG, the base's caption CFG and HiGFA (issue 17, item 9): `sampling.Guided` with `CFG` terms; one exact denoiser."
    import re, torch
    import taxanb.sampling as smp, taxanb.guidance as gd
    for gone in ('CFGDenoiser', 'ExactTaxaModel', '_eps_pair'): assert not hasattr(smp, gone), gone
    for name in ('Guided', 'CFG', 'Term', 'Schedule', 'window', 'ExactDenoiser'): assert getattr(gd, name) is getattr(smp, name), name
    # no module combines two noise predictions into CFG by hand: every `eps_neg + s * (eps_c - eps_neg)` goes through a CFG term
    pat = re.compile(r"\bscale\s*\*\s*\(\s*eps")
    offenders = [f"{p.name}:{i}" for p in sorted((ROOT / "taxanb").glob("*.py")) for i, line in enumerate(p.read_text().splitlines(), 1) if pat.search(line)]
    assert not offenders, offenders
    # TaxaDiffusion's CFG is a Guided: exact at s = 1, the textbook formula inside the range, the conditional model outside
    ids = torch.tensor([[0, 0], [0, 1], [1, 2]]); x0 = torch.linspace(-1, 1, 3 * 3 * 4 * 4).reshape(3, 3, 4, 4)
    from diffusers import DDPMScheduler
    ac = DDPMScheduler().alphas_cumprod
    m = smp.ExactDenoiser(x0, ids, ac)
    x, t = torch.randn(3, 3, 4, 4, generator=torch.Generator().manual_seed(0)), torch.full((3,), 300)
    c, n = smp.conditions(m, ids, 1, 'vanilla')
    d = smp.guided_denoiser(m, ids, 1, 'vanilla', 3.0, (0.0, 0.5))
    assert isinstance(d, smp.Guided)
    assert torch.equal(d(x, t), m.eps(x, t, c))                      # t = 300 sits at 0.7 of the trajectory: guidance off
    t2 = torch.full((3,), 800); e_c, e_n = m.eps(x, t2, c), m.eps(x, t2, n)
    assert torch.allclose(d(x, t2), e_n + 3.0 * (e_c - e_n), atol=1e-5)
    assert torch.equal(smp.guided_denoiser(m, ids, 1, 'vanilla', 1.0)(x, t2), e_c)
    # the same class also serves HiGFA's class-conditional use (one class id per image)
    assert torch.allclose(smp.ExactDenoiser(x0, ids[:, 1], ac)(x, t2, cond=ids[:, 1]), m.eps(x, t2, ids), atol=1e-6)
