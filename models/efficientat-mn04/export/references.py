"""Reference fixtures: reference/<clip>.json per shared clip, and reference/mel-synthetic.json.

Each clip is loaded as the authors' inference.py loads it (librosa, 32 kHz mono), cut into the
bundle's windows, put through their front end and their network (PyTorch); the activations of the
music classes and of Music and Speech are written per window. model.onnx is checked on the same
log-mel windows as it goes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from pathlib import Path

import numpy as np

from classes import MUSIC_INDEX, SPEECH_INDEX, music_classes
from upstream import BUNDLE_DIR, SAMPLE_RATE, labels, log, upstream_versions
from windows import WINDOW_SAMPLES, cut_windows, logmel_windows, window_starts

REFERENCE_DIR = BUNDLE_DIR / "reference"
AUDIO_EXTENSIONS = {".mp3", ".ogg", ".wav", ".flac"}


def list_clips(audio_dir: Path, subdirs=("music", "nonmusic")) -> list[tuple[str, Path]]:
    out = []
    for sub in subdirs:
        for f in sorted((audio_dir / sub).iterdir()):
            if f.suffix.lower() in AUDIO_EXTENSIONS:
                out.append((f"{sub}/{f.name}", f))
    return out


def run_clip(path: Path, frontend, net):
    """(samples at 32 kHz, log-mel windows, activations [n, 527], embeddings [n, 384]) with PyTorch."""
    import librosa
    import torch

    from network import upstream_forward
    y, _ = librosa.load(str(path), sr=SAMPLE_RATE, mono=True)
    mels = logmel_windows(frontend, cut_windows(y))
    with torch.no_grad():
        act, emb = upstream_forward(net, torch.from_numpy(mels))
    return y, mels, act.numpy(), emb.numpy()


def rounded(arr, decimals=6):
    return [[round(float(v), decimals) for v in row] for row in np.asarray(arr)]


def make_references(audio_dir: Path, frontend, net, session) -> dict:
    from parity import diff_stats
    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    names = labels()
    tags = music_classes(names)
    columns = [t["index"] for t in tags]
    checks = []
    for rel, path in list_clips(audio_dir):
        y, mels, act, emb = run_clip(path, frontend, net)
        o_act, o_emb = session.run(["activations", "embedding"], {"logmel": mels})
        checks.append({"clip": rel, "windows": int(len(mels)), "activations": diff_stats(o_act, act),
                       "embedding": diff_stats(o_emb, emb)})
        doc = {
            "clip": rel,
            "model": "mn04_as (EfficientAT), PyTorch, upstream front end",
            "loader": "librosa.load(sr=32000, mono=True), as the authors' inference.py",
            "n_samples_32k": int(len(y)),
            "window_samples": WINDOW_SAMPLES,
            "window_starts": window_starts(len(y)),
            "tags": [t["name"] for t in tags],
            "columns": columns,
            "taggram": rounded(act[:, columns]),
            "music": [round(float(v), 6) for v in act[:, MUSIC_INDEX]],
            "speech": [round(float(v), 6) for v in act[:, SPEECH_INDEX]],
            "embedding_mean": [round(float(v), 6) for v in emb.mean(axis=0)],
            "versions": upstream_versions(),
        }
        (REFERENCE_DIR / f"{path.stem}.json").write_text(json.dumps(doc, separators=(",", ":")) + "\n")
        top = np.argsort(-act[:, columns].mean(axis=0))[:5]
        log(f"references: {rel}: {len(mels)} windows, music {act[:, MUSIC_INDEX].mean():.3f}, "
            f"speech {act[:, SPEECH_INDEX].mean():.3f}, top {[tags[i]['name'] for i in top]}, "
            f"onnx max |diff| {checks[-1]['activations']['max_abs_diff']:.2g}")
    write_synthetic_mel(frontend)
    return {"clips": checks}


SYNTH_SECONDS = 1.7
SYNTH_SAMPLES = 54400


def synth_signal() -> np.ndarray:
    out = np.empty(SYNTH_SAMPLES, dtype=np.float32)
    pi = math.pi
    for n in range(SYNTH_SAMPLES):
        t = n / 32000
        x = (0.5 * math.sin(2 * pi * 220 * t) + 0.25 * math.sin(2 * pi * 1234.5 * t)
             + 0.125 * math.sin(2 * pi * 5000 * t) + 0.1 * math.sin(2 * pi * (100 * t + 0.5 * (14900 / 1.7) * t * t)))
        out[n] = np.float32(x)
    return out


def f32(v) -> float:
    """A float32 value as the shortest decimal that reads back as the same float32."""
    return float(str(np.float32(v)))


def band_span(row: np.ndarray) -> dict:
    nz = np.nonzero(row)[0]
    return {"start": int(nz[0]), "weights": [f32(v) for v in row[nz[0]:nz[-1] + 1]]}


def write_synthetic_mel(frontend):
    """The authors' front end on a synthetic 1.7 s signal at 32 kHz, for checking eno's front end."""
    import torch
    import torchaudio

    y = synth_signal()
    with torch.no_grad():
        spec = frontend(torch.from_numpy(y[None, :]))[0].T.contiguous().numpy()  # [frames, mels]
        banks, _ = torchaudio.compliance.kaldi.get_mel_banks(128, 1024, 32000, 0.0, float(frontend.fmax), 100.0, -500.0, 1.0)
    banks = banks.numpy()
    raw = y.astype("<f4").tobytes()
    doc = {
        "signal": {
            "sample_rate": 32000, "n_samples": SYNTH_SAMPLES,
            "formula": ("for n in 0..n_samples-1: t = n / 32000; x = 0.5 * sin(2 * PI * 220 * t) + 0.25 * sin(2 * PI * 1234.5 * t) "
                        "+ 0.125 * sin(2 * PI * 5000 * t) + 0.1 * sin(2 * PI * (100 * t + 0.5 * (14900 / 1.7) * t * t)); "
                        "sample[n] = float32(x)"),
            "signal_f32le_sha256": hashlib.sha256(raw).hexdigest(),
            "signal_f32le_base64": base64.b64encode(raw).decode("ascii"),
        },
        "frontend": ("models/preprocess.py AugmentMelSTFT(n_mels=128, sr=32000, win_length=800, hopsize=320, n_fft=1024), "
                     f"eval mode: fmin 0, fmax {frontend.fmax}"),
        "mel_banks": [band_span(r) for r in banks],
        "n_frames": int(spec.shape[0]),
        "logmel": [[f32(v) for v in row] for row in spec],
        "versions": upstream_versions(),
    }
    out = REFERENCE_DIR / "mel-synthetic.json"
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    log(f"wrote {out.name} ({spec.shape[0]} frames)")
