__version__ = "0.1.0"

# Offline by default, before any module can import huggingface_hub (which reads this once, at import): nothing is fetched
# from a model hub unless the user sets HF_HUB_OFFLINE=0 before importing taxanb.
import os as _os
_os.environ.setdefault('HF_HUB_OFFLINE', '1')

# fastai scripts a few of its layers with `torch.jit.script` when it is imported, which torch deprecates with a FutureWarning
# carrying the site-packages path; it is not the user's to act on (nor ours), so that one message alone is silenced.
import warnings as _warnings
_warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)
