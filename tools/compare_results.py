"""Compare two runs' findings, answer row by answer row: `python tools/compare_results.py OLD NEW`.

OLD and NEW are run directories (e.g. `results/laptop` as committed and a fresh clone's `results/laptop`), read through
`taxanb.eval.load_results`. For every experiment's answers table (`answers`, or `paired` for 21 and 22) it says how
many rows are bit for bit the same, whether each other row's estimate lies inside the old row's interval, and which
verdicts moved; rows only one run has are listed. Run to run is what the README's "Run to run" paragraph reports.
"""
import sys
from pathlib import Path

import pandas as pd

from taxanb.eval import load_results, answers_table

KEY = ['metric', 'question', 'comparison', 'group']


def _answers(res: dict) -> pd.DataFrame:
    df = answers_table(res)
    if df is None: return pd.DataFrame()
    df = df.copy()
    for k in KEY:
        if k not in df: df[k] = ''
    return df.set_index(KEY)


def compare(old_dir, new_dir) -> pd.DataFrame:
    "One row per experiment: rows in both, bit for bit, estimate inside the old interval, verdicts moved, rows in one run only."
    old, new = load_results(Path(old_dir)), load_results(Path(new_dir))
    rows, moved = [], []
    for name in sorted(set(old) | set(new)):
        a, b = _answers(old.get(name, {})), _answers(new.get(name, {}))
        if not len(a) or not len(b): continue                         # no answers table (the base's, the judge's results)
        both = a.index.intersection(b.index)
        a2, b2 = a.loc[both], b.loc[both]
        same = (a2[['diff', 'lo', 'hi']].to_numpy() == b2[['diff', 'lo', 'hi']].to_numpy()).all(1)
        inside = ((b2['diff'] >= a2['lo']) & (b2['diff'] <= a2['hi'])).to_numpy()
        vm = (a2['verdict'] != b2['verdict']).to_numpy()
        fmt = lambda r: f"{r['diff']:+.4g} ({r['lo']:+.4g} .. {r['hi']:+.4g}) {r['verdict']}"
        for k, ra, rb in zip(both[vm], a2[vm].to_dict('records'), b2[vm].to_dict('records')):
            moved.append(dict(experiment=name, row=' | '.join(str(x) for x in k if x), old=fmt(ra), new=fmt(rb)))
        max_move = float((b2['diff'] - a2['diff']).abs().max()) if len(both) else float('nan')
        rows.append(dict(experiment=name, rows_both=len(both), bit_for_bit=int(same.sum()), estimate_inside_old_interval=int(inside.sum()),
                         largest_move=max_move, verdicts_moved=int(vm.sum()),
                         only_old=len(a.index.difference(b.index)), only_new=len(b.index.difference(a.index))))
    return pd.DataFrame(rows), pd.DataFrame(moved)


def main(argv):
    if len(argv) != 2: raise SystemExit(__doc__)
    for d in argv:
        if not (Path(d) / 'results').is_dir():
            raise SystemExit(f"{d} has no results/ folder: pass run directories such as results/laptop (not results/laptop/results).")
    summary, moved = compare(*argv)
    with pd.option_context('display.width', 200, 'display.max_colwidth', 120):
        print(summary.to_string(index=False))
        if len(moved): print('\nverdicts that moved:\n' + moved.to_string(index=False))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
