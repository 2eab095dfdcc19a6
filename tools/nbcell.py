"""Read and edit notebook cells from the shell (for people and agents who edit nbs/ without Jupyter).

    python tools/nbcell.py show NB [I[:J]]          # cells I..J-1 with their index, type, tags and source
    python tools/nbcell.py get NB I > cell.py        # one cell's source
    python tools/nbcell.py set NB I FILE             # replace cell I's source by FILE's text ('-': stdin)
    python tools/nbcell.py insert NB I code|markdown FILE [--tag T]   # a new cell before index I (I = len: append)
    python tools/nbcell.py delete NB I               # remove cell I
    python tools/nbcell.py find NB TEXT              # indices of the cells whose source contains TEXT

Writes keep nbdev's layout (indent 1, a trailing newline); new cells get a fresh id and no outputs.
"""
import json, sys, uuid
from pathlib import Path


def _load(nb): return json.loads(Path(nb).read_text())
def _save(nb, d): Path(nb).write_text(json.dumps(d, indent=1, ensure_ascii=False) + "\n")
def _lines(text): return text.splitlines(keepends=True) if text else []
def _read(f): return sys.stdin.read() if f == '-' else Path(f).read_text()
def _src(c): return ''.join(c['source'])


def main(a):
    cmd, nb = a[0], a[1]
    d = _load(nb); cells = d['cells']
    if cmd == 'show':
        lo, hi = 0, len(cells)
        if len(a) > 2:
            p = a[2].split(':'); lo = int(p[0]); hi = int(p[1]) if len(p) > 1 and p[1] else (lo + 1 if len(p) == 1 else len(cells))
        for i in range(lo, min(hi, len(cells))):
            c = cells[i]; tags = c.get('metadata', {}).get('tags', [])
            print(f"--- [{i}] {c['cell_type']}{' ' + ','.join(tags) if tags else ''}\n{_src(c)}")
    elif cmd == 'get': sys.stdout.write(_src(cells[int(a[2])]))
    elif cmd == 'find':
        print(' '.join(str(i) for i, c in enumerate(cells) if a[2] in _src(c)))
    elif cmd == 'set':
        txt = _read(a[3]).rstrip('\n'); cells[int(a[2])]['source'] = _lines(txt); _save(nb, d)
    elif cmd == 'insert':
        i, kind, txt = int(a[2]), a[3], _read(a[4]).rstrip('\n')
        c = dict(cell_type=kind, id=uuid.uuid4().hex[:8], metadata={}, source=_lines(txt))
        if '--tag' in a: c['metadata']['tags'] = [a[a.index('--tag') + 1]]
        if kind == 'code': c.update(execution_count=None, outputs=[])
        cells.insert(i, c); _save(nb, d)
    elif cmd == 'delete': del cells[int(a[2])]; _save(nb, d)
    else: raise SystemExit(__doc__)


if __name__ == '__main__':
    if len(sys.argv) < 3: raise SystemExit(__doc__)
    main(sys.argv[1:])
