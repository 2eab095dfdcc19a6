"""Write the README's "What we found" section from the committed laptop results (nothing in it is typed by hand).

    .venv/bin/python tools/findings.py           # rewrite the block between the markers in README.md
    .venv/bin/python tools/findings.py --check   # exit 1 if README.md's block differs from what the results say

Reads results/laptop/results/<experiment>.json (written by `make reproduce PRESET=laptop`): each experiment's
'answers' table (paired differences with their 95% intervals and verdicts) and its run_info.
"""
import json, sys
from pathlib import Path
from taxanb.reproduce import IN_POINTS, headline_table, headline_markdown

ROOT = Path(__file__).resolve().parents[1]
START, END = '<!-- findings:start -->', '<!-- findings:end -->'
TITLES = {'taxadiffusion': 'TaxaDiffusion (20_taxadiffusion): judged accuracy of generated images, points',
          'higfa': 'HiGFA (21_higfa): downstream accuracy of a classifier trained with the synthetic images, points',
          'digzsl': 'DIG-ZSL (22_digzsl): zero-shot accuracy, points'}


def _table(t):
    "A results table (pandas 'split' orient) as a list of row dicts."
    return [dict(zip(t['columns'], r)) for r in t['data']]


SCALE = {n: 1 for n in IN_POINTS}   # 21 stores points already; the others store fractions

def _pt(v, k=100):
    return '' if v is None else f"{k * v:+.1f}"


def _span(vals) -> str:
    "'a' or 'a-b': the range of some counts."
    lo, hi = min(vals), max(vals)
    return f"{lo:.0f}" + (f"-{hi:.0f}" if hi > lo else "")


def _precision(rows, k) -> str:
    "One sentence from a `precision_plan` table: how many rows meet the target, and what the others would need."
    T = rows[0]['target'] * k; miss = [r for r in rows if not r['meets_target']]
    out = f"Precision (half-width target ±{T:g} points, `eval.precision_plan`): {len(rows) - len(miss)} of {len(rows)} rows meet it."
    if miss:
        sp = [r['species_needed'] for r in miss if r['species_needed'] is not None]
        n_sp = sorted({int(r['n_species']) for r in miss})
        out += (f" The others would need, at these seeds, {_span(sp)} species per group (they have {', '.join(map(str, n_sp))})" if sp else " The others")
        if len(sp) < len(miss): out += f"; {len(miss) - len(sp)} cannot get there on species alone (their seed-to-seed width already exceeds it)"
        out += "."
        if any('n_per_cell' in r for r in miss):   # the third lever: items (generated or test images) per species and seed
            im = [r['images_needed'] for r in miss if r.get('images_needed') is not None]
            have = ', '.join(f'{h:g}' for h in sorted({round(float(r['n_per_cell']), 1) for r in miss}))
            out += (f" More images per species and seed (they have {have}) would bring "
                    + (f"{len(im)} of them to the target, at {_span(im)} (`images_needed`, a conservative plan); for the other {len(miss) - len(im)}, "
                       if im else "none of them to the target (`images_needed`, a conservative plan): ")
                    + "the species and seeds themselves carry more than the target.")
    return out


def headlines(results_dir=ROOT / 'results' / 'laptop' / 'results') -> list[str]:
    "The papers' main claims, one row each (`taxanb.reproduce.headline_table`), in the docs' results page's markdown."
    h = headline_table(Path(results_dir).parent)
    if not len(h): return []
    return ['**The papers\' claims, one row each** (`taxanb.reproduce.HEADLINES`; points; the full tables follow; the '
            'paper\'s difference is theirs, on their data and models, for scale only).', '', headline_markdown(h), '']


def block(results_dir=ROOT / 'results' / 'laptop' / 'results') -> str:
    "The markdown of the findings block."
    lines = [START, '']
    files = [results_dir / f'{k}.json' for k in TITLES if (results_dir / f'{k}.json').exists()]
    if not files:
        lines += ['No laptop run is committed yet: `make reproduce` writes one to `results/laptop/`.', '', END]
        return '\n'.join(lines)
    lines += headlines(results_dir)
    for f in files:
        r = json.loads(f.read_text()); ri = r.get('run_info', {})
        tb = r.get('tables') or {}; ans = tb.get('answers') or tb.get('paired'); k = SCALE.get(f.stem, 100)
        lines += [f"**{TITLES[f.stem]}.** Preset `{ri.get('preset')}`, {ri.get('device')} ({ri.get('cpu_count')} cores), "
                  f"commit `{ri.get('commit')}`, {float(ri.get('wall_s') or 0):.0f} s wall, seeds {ri.get('seeds')}"
                  + (f" over generator seeds {ri['gen_seeds']} (the intervals resample these)" if ri.get('gen_seeds') else '') + ".", '']
        if not ans: lines += ['(no answers table in this results file)', '']; continue
        lines += ['| question | comparison (a vs b) | species | a - b | 95% interval | verdict |', '|---|---|---|---|---|---|']
        for row in _table(ans):
            lines.append(f"| {row.get('question', row.get('metric', ''))} | {row['comparison']} | {row['group']} | {_pt(row['diff'], k)} | "
                         f"{_pt(row['lo'], k)} .. {_pt(row['hi'], k)} | {row['verdict']} |")
        lines.append('')
        if tb.get('precision'): lines += [_precision(_table(tb['precision']), k), '']
    lines += ['Every row is a paired difference (same species, same noise, same seed) averaged over species and seeds; '
              'its interval resamples species and seeds. The rule (supported / contradicted / inconclusive) is '
              'printed in each notebook before its numbers. This block is written by `tools/findings.py` from '
              '`results/laptop/results/*.json`.', '', END]
    return '\n'.join(lines)


def main(argv):
    readme = ROOT / 'README.md'; text = readme.read_text()
    if START not in text or END not in text: raise SystemExit(f"README.md lacks the {START} ... {END} markers")
    new = text[:text.index(START)] + block() + text[text.index(END) + len(END):]
    if '--check' in argv:
        if new != text: print("README.md's findings block is out of date: run .venv/bin/python tools/findings.py"); return 1
        return 0
    readme.write_text(new); return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
