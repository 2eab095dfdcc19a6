"taxanb.pretrained outside the notebook: the cache-only path a GPU run depends on, and the ImageNet weights."
import pytest, torch
from taxanb.pretrained import TextCache, TextEmbedder, text_key, load_efficientnet_lite0, imagenet_classes, sample_photos


def test_text_embedder_works_from_the_cache_alone(tmp_path):
    path = tmp_path / 'text_cache_minilm.safetensors'
    c = TextCache(path, 'all-MiniLM-L6-v2')
    c.put(text_key('genus: Corvus'), torch.ones(384)); c.put(text_key('genus: Corvus', 'tok16'), torch.zeros(16, 384))
    c.put(text_key('genus: Corvus', 'mask16'), torch.ones(16, dtype=torch.bool)); c.save()
    emb = TextEmbedder(model=tmp_path / 'no-model-here', cache_path=path, name='all-MiniLM-L6-v2')
    assert emb(['genus: Corvus']).shape == (1, 384) and emb.dim == 384
    h, m = emb.tokens(['genus: Corvus'], 16)
    assert h.shape == (1, 16, 384) and m.dtype == torch.bool and m.all()
    with pytest.raises(FileNotFoundError, match=r"1 text\(s\) are not in the cache"): emb(['genus: Pica'])
    with pytest.raises(ValueError, match="caches embeddings of 'all-MiniLM-L6-v2'"): TextCache(path, 'other-model')


def test_efficientnet_lite0_recognises_a_cat():
    net = load_efficientnet_lite0()
    with torch.no_grad(): p = net(sample_photos(('chelsea',)))
    assert imagenet_classes()[int(p.argmax())] in ('tabby', 'tiger cat', 'Egyptian cat')
    with torch.no_grad(): assert net.features(torch.rand(2, 3, 32, 32)).shape == (2, 1280)
