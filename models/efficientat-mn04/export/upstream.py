"""The upstream EfficientAT code, read in place from ../shared (never copied into the repository).

Builds mn04 and the authors' front end (AugmentMelSTFT) exactly as their inference.py does:
width 0.4, MLP head, 527 classes; 32 kHz, window 800, hop 320, n_fft 1024, 128 mel bands; eval mode.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUNDLE_DIR = HERE.parent
REPO_ROOT = BUNDLE_DIR.parent.parent
SHARED_MODEL_DIR = Path(os.environ.get("ENO_EFFICIENTAT_DIR", REPO_ROOT.parent / "shared" / "models" / "efficientat-mn04"))
UPSTREAM_DIR = SHARED_MODEL_DIR / "upstream"
WEIGHTS = SHARED_MODEL_DIR / "mn04_as_mAP_432.pt"
WEIGHTS_SHA256 = "899a8c6217063f6941793102a2780b3dd788ab11fce468d9cf5f0577c453321c"
MODEL_NAME = "mn04_as"

SAMPLE_RATE = 32000
N_MELS = 128
WIN_LENGTH = 800
HOP = 320
N_FFT = 1024


def log(msg: str) -> None:
    print(f"[efficientat export] {msg}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _in_upstream():
    """helpers/utils.py reads metadata/ relative to the working folder at import time."""
    if not UPSTREAM_DIR.is_dir():
        raise SystemExit(f"{UPSTREAM_DIR}: the upstream EfficientAT code is missing (set ENO_EFFICIENTAT_DIR)")
    old = os.getcwd()
    os.chdir(UPSTREAM_DIR)
    if str(UPSTREAM_DIR) not in sys.path:
        sys.path.insert(0, str(UPSTREAM_DIR))
    try:
        yield
    finally:
        os.chdir(old)


def labels() -> list[str]:
    with _in_upstream():
        from helpers.utils import labels as upstream_labels
    return list(upstream_labels)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_model():
    """mn04 with the released AudioSet weights, strictly loaded, in eval mode."""
    import torch

    if sha256(WEIGHTS) != WEIGHTS_SHA256:
        raise SystemExit(f"{WEIGHTS}: sha256 differs from the released file's {WEIGHTS_SHA256}")
    with _in_upstream():
        from helpers.utils import NAME_TO_WIDTH
        from models.mn.model import get_model
        with contextlib.redirect_stdout(io.StringIO()):  # get_model prints the whole network
            model = get_model(width_mult=NAME_TO_WIDTH(MODEL_NAME), pretrained_name=None, head_type="mlp")
    state = torch.load(WEIGHTS, map_location="cpu", weights_only=True)
    model.load_state_dict(state, strict=True)
    model.eval()
    return model


def build_frontend():
    """The authors' AugmentMelSTFT with inference.py's settings, in eval mode (no augmentation)."""
    with _in_upstream():
        from models.preprocess import AugmentMelSTFT
        with contextlib.redirect_stdout(io.StringIO()):  # it prints the fmax it picks
            mel = AugmentMelSTFT(n_mels=N_MELS, sr=SAMPLE_RATE, win_length=WIN_LENGTH, hopsize=HOP, n_fft=N_FFT)
    mel.eval()
    return mel


def upstream_versions() -> dict:
    import librosa
    import numpy
    import onnx
    import onnxruntime
    import torch
    import torchaudio
    import torchvision
    return {"torch": torch.__version__, "torchaudio": torchaudio.__version__, "torchvision": torchvision.__version__,
            "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__, "librosa": librosa.__version__,
            "numpy": numpy.__version__, "upstream_commit": "a425fdce92572e602a1d5634799bd9f1f2efa806"}
