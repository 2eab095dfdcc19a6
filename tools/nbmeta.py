"""Give every notebook in nbs/ the kernelspec papermill and Jupyter need (python3), keeping other metadata.

    .venv/bin/python tools/nbmeta.py            # fix in place
    .venv/bin/python tools/nbmeta.py --check    # exit 1 if any notebook lacks it
"""
import json, sys
from pathlib import Path

KS = {"display_name": "python3", "language": "python", "name": "python3"}
bad = []
for nb in sorted((Path(__file__).resolve().parents[1] / "nbs").glob("*.ipynb")):
    d = json.loads(nb.read_text())
    if d.get("metadata", {}).get("kernelspec") == KS: continue
    bad.append(nb.name)
    if "--check" not in sys.argv:
        d.setdefault("metadata", {})["kernelspec"] = KS
        d["metadata"].pop("jupytext", None)
        nb.write_text(json.dumps(d, indent=1, ensure_ascii=False) + "\n")
print(("missing kernelspec: " if "--check" in sys.argv else "fixed: ") + (", ".join(bad) or "none"))
sys.exit(1 if bad and "--check" in sys.argv else 0)
