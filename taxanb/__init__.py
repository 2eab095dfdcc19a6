__version__ = "0.1.0"

# Offline by default, before any module can import huggingface_hub (which reads this once, at import): nothing is fetched
# from a model hub unless the user sets HF_HUB_OFFLINE=0 before importing taxanb.
import os as _os
_os.environ.setdefault('HF_HUB_OFFLINE', '1')
