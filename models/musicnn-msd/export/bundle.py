"""Settings and shared helpers for building the musicnn (MSD) bundle.

The bundle's fixed facts (model variant, input geometry, tensor names, parity
tolerances, tag categories and thresholds, output paths), plus the small
helpers every export step uses: logging, file hashing, musicnn's tag list,
the reference audio front end (musicnn's own batch_data) and the library
versions and librosa defaults recorded in the reports.

Importing this module first also quietens TensorFlow's start-up logging and
the per-layer warnings musicnn's model code triggers.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import warnings  # noqa: E402

# musicnn builds its network with tf.compat.v1.layers, which warns on every layer.
warnings.filterwarnings("ignore", message=r"`tf\.layers\.", category=UserWarning)

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
BUNDLE = HERE.parent
REPO_ROOT = BUNDLE.parent.parent
DEFAULT_AUDIO_DIR = REPO_ROOT.parent / "shared" / "audio"
MUSIC_SUBDIR = "music"
AUDIO_EXTENSIONS = {".mp3", ".ogg", ".wav", ".flac"}

MODEL_NAME = "MSD_musicnn"
N_FRAMES = 187  # 3 s patches, as musicnn's extractor computes for input_length=3
N_MELS = 96
SAMPLE_RATE = 16000
N_FFT = 512
HOP = 256
ONNX_OPSET = 17

INPUT_NAME = "logmel"
OUT_ACTIVATIONS = "activations"
OUT_EMBEDDING = "embedding"
EMBEDDING_DIM = 200

# Parity gates (model.onnx against the TensorFlow network on identical input).
ACTIVATION_TOLERANCE = 1e-4
EMBEDDING_TOLERANCE = 1e-3

# Tag categories and default thresholds written into the manifest.
# Thresholds are fixed per category on purpose: the handful of reference clips
# is far too small a sample to tune per-tag values. threshold-report.json shows
# how the reference clips score against them, for review.
CATEGORY_THRESHOLDS = {
    "genre": 0.2,
    "descriptor": 0.15,
    "era": 0.15,
    "vocal": 0.2,
    "instrument": 0.15,
    "other": 0.2,
}
TAG_CATEGORIES = {
    "era": ["00s", "60s", "70s", "80s", "90s", "oldies"],
    "vocal": ["female vocalists", "female vocalist", "male vocalists", "instrumental"],
    "instrument": ["guitar", "acoustic"],
    "descriptor": ["beautiful", "Mellow", "chill", "chillout", "sexy", "catchy",
                   "party", "sad", "happy", "easy listening"],
}

MODEL_PATH = BUNDLE / "model.onnx"
MANIFEST_PATH = BUNDLE / "eno-model.json"
REFERENCE_DIR = BUNDLE / "reference"
PARITY_PATH = HERE / "parity.json"
THRESHOLD_REPORT_PATH = HERE / "threshold-report.json"


def log(*parts):
    print("[export]", *parts, file=sys.stderr, flush=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def musicnn_labels() -> list[str]:
    from musicnn import configuration

    return list(configuration.MSD_LABELS)


# --------------------------------------------------------------------------
# Audio helpers (the reference way: musicnn's own batch_data)
# --------------------------------------------------------------------------

def list_clips(audio_dir: Path) -> list[Path]:
    music = audio_dir / MUSIC_SUBDIR
    if not music.is_dir():
        raise SystemExit(f"no audio folder at {music} (use --audio-dir)")
    return sorted(p for p in music.iterdir() if p.suffix.lower() in AUDIO_EXTENSIONS and p.is_file())


def reference_patches(path: Path) -> np.ndarray:
    """Log-mel patches exactly as musicnn's extractor computes them."""
    from musicnn.extractor import batch_data

    batch, _ = batch_data(str(path), N_FRAMES, N_FRAMES)
    return np.asarray(batch, dtype=np.float32)


def versions() -> dict:
    import librosa
    import soundfile
    import soxr
    import tensorflow as tf
    import importlib.metadata as md

    out = {
        "python": "%d.%d.%d" % sys.version_info[:3],
        "tensorflow": tf.__version__,
        "numpy": np.__version__,
        "librosa": librosa.__version__,
        "soundfile": soundfile.__version__,
        "libsndfile": soundfile.__libsndfile_version__,
        "soxr": soxr.__version__,
        "musicnn": md.version("musicnn"),
    }
    for mod in ("tf2onnx", "onnx", "onnxruntime"):
        out[mod] = md.version(mod)
    return out


def librosa_defaults() -> dict:
    """Defaults librosa applies in the extractor's calls (load, stft, mel)."""
    import librosa

    load = inspect.signature(librosa.load).parameters
    stft = inspect.signature(librosa.stft).parameters
    mel_spec = inspect.signature(librosa.feature.melspectrogram).parameters
    mel = inspect.signature(librosa.filters.mel).parameters
    return {
        "res_type": load["res_type"].default,
        "mono": load["mono"].default,
        "load_dtype": np.dtype(load["dtype"].default).name,
        "window": mel_spec["window"].default,
        "center": mel_spec["center"].default,
        "pad_mode": mel_spec["pad_mode"].default,
        "stft_pad_mode": stft["pad_mode"].default,
        "power": mel_spec["power"].default,
        "fmin": mel["fmin"].default,
        "fmax": mel["fmax"].default,
        "htk": mel["htk"].default,
        "norm": mel["norm"].default,
        "mel_dtype": np.dtype(mel["dtype"].default).name,
    }
