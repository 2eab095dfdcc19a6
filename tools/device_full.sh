#!/usr/bin/env bash
# On the lent GPU machine (after tools/device_prep.sh here): install the carried wheels, run experiment notebooks
# at `full` through papermill, and copy the report, results, figures and executed notebooks to $OUT.
#   device run: command "bash tools/device_full.sh 20_", then "... 21_", then "... 22_" (one notebook a call: 10 minutes a command)
#               carry [".whl", "runs/full/text_cache_minilm.safetensors", "runs/full/data"]
# Each call stays under the 10-minute limit; on a warm machine the second call reuses runs/full/ (trained
# models, judge), and taxanb.reproduce skips notebooks already complete. 21 trains three generators at `full` (about
# 15 minutes): run "... 21_" twice; the second call resumes from the generators, checkpoints and synthetic sets cached. PRESET=fullcheck rehearses it on a CPU
# (with PY=.venv/bin/python INSTALL_KERNEL=0, and the big packages masked: see DESIGN.md).
set -uo pipefail
cd "$(dirname "$0")/.."
PRESET=${PRESET:-full}
PY=${PY:-python3}
ONLY=("$@"); [ ${#ONLY[@]} -eq 0 ] && ONLY=(20_ 21_ 22_)
if [ -d .whl ]; then
  [ -d /tmp/site ] || $PY -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$PWD${PYTHONPATH:+:$PYTHONPATH} PATH=/tmp/site/bin:$PATH
fi
export HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1
[ "${INSTALL_KERNEL:-1}" = 1 ] && $PY -m ipykernel install --user --name python3 >/dev/null
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
OUTDIR=${OUT:-runs/$PRESET/out}
mkdir -p "$OUTDIR"
$PY -m taxanb.reproduce --preset "$PRESET" --only "${ONLY[@]}" --keep-going 2>&1 | tee "$OUTDIR/reproduce.log" | grep -v 'Kernel is running over TCP'
rc=${PIPESTATUS[0]}
mkdir -p "$OUTDIR/$PRESET"
for f in report.html steps.json environment.json results figures notebooks; do
  [ -e "runs/$PRESET/$f" ] && cp -r "runs/$PRESET/$f" "$OUTDIR/$PRESET/"
done
exit $rc
