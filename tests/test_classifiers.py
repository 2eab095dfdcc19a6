"taxanb.classifiers outside the notebook: accuracy through the taxonomy, and a judge's checkpoint round trip."
import pandas as pd, pytest, torch
from taxanb.taxonomy import Taxonomy
from taxanb.classifiers import per_rank_accuracy, make_judge, save_judge, load_judge


@pytest.fixture
def tax():
    return Taxonomy.from_df(pd.DataFrame(dict(family=['Corvidae'] * 3 + ['Laniidae'], genus=['Corvus', 'Corvus', 'Pica', 'Lanius'],
                                              species=['Corvus corax', 'Corvus corone', 'Pica pica', 'Lanius collurio'])))


def test_per_rank_accuracy_follows_the_lineage(tax):
    acc = per_rank_accuracy(tax, torch.tensor([1, 2, 3, 0]), torch.tensor([0, 0, 0, 0]))
    assert list(acc) == list(tax.ranks)
    assert acc == {'family': 0.75, 'genus': 0.5, 'species': 0.25}
    with pytest.raises(ValueError, match='one prediction per label'): per_rank_accuracy(tax, torch.tensor([0]), torch.tensor([0, 1]))


def test_judge_checkpoint_round_trip(tax, tmp_path):
    j = make_judge('cnn', tax, width=4)
    x = torch.randint(0, 256, (3, 3, 32, 32), dtype=torch.uint8)
    save_judge(j, tmp_path / 'j.safetensors')
    j2 = load_judge(tmp_path / 'j.safetensors', tax)
    assert torch.allclose(j(x), j2(x))
    xf = (x.float() / 127.5 - 1).requires_grad_()
    j2.log_prob(xf, torch.tensor([0, 1, 2])).sum().backward()
    assert xf.grad.abs().sum() > 0
