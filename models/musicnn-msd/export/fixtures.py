"""Reference fixtures: reference/<clip>.json and reference/mel-synthetic.json.

Per-clip taggrams and penultimate embeddings from musicnn's own extractor,
cross-checked against the TensorFlow network and model.onnx, and a synthetic
signal's mel spectrogram for checking a log-mel front end exactly.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import math
from pathlib import Path

import numpy as np

from bundle import (EMBEDDING_DIM, HOP, MODEL_NAME, MUSIC_SUBDIR, N_FFT, N_FRAMES, N_MELS, REFERENCE_DIR,
                    REPO_ROOT, SAMPLE_RATE, librosa_defaults, list_clips, log, musicnn_labels, reference_patches,
                    versions)
from parity_check import diff_stats, onnx_run, onnx_session
from tf_network import TFNetwork


def rounded(arr: np.ndarray, decimals: int = 6):
    return [[round(float(v), decimals) for v in row] for row in np.asarray(arr)]


def make_references(audio_dir: Path) -> dict:
    import librosa
    import soundfile as sf
    from musicnn.extractor import extractor

    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    clips = list_clips(audio_dir)
    names = [c.stem for c in clips]
    if len(set(names)) != len(names):
        raise SystemExit("two clips share a basename; reference file names would collide")
    labels = musicnn_labels()
    lib = librosa_defaults()
    vers = versions()
    ref_versions = {
        "librosa": vers["librosa"],
        "tensorflow": vers["tensorflow"],
        "numpy": vers["numpy"],
        "soundfile": vers["soundfile"],
        "libsndfile": vers["libsndfile"],
        "soxr": vers["soxr"],
        "musicnn": vers["musicnn"],
        "res_type": lib["res_type"],
    }
    sess = onnx_session()
    # musicnn 0.1.0's extractor returns the FIRST patch's penultimate for every
    # later patch (its loop concatenates a stale variable), so the per-patch
    # embedding is recomputed with the same TF network on the extractor's own
    # patches; the extractor's first row and its taggram are checked against it.
    net = TFNetwork(constant_inference=False)
    done, failed, checks = [], [], []
    for clip in clips:
        rel = f"{MUSIC_SUBDIR}/{clip.name}"
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                taggram, tags, features = extractor(
                    str(clip), model=MODEL_NAME, input_length=3, input_overlap=False, extract_features=True)
        except Exception as exc:  # report and go on with the other clips
            failed.append({"clip": rel, "error": f"{type(exc).__name__}: {exc}"})
            log(f"references: {rel} FAILED in musicnn's extractor: {type(exc).__name__}: {exc}")
            continue
        if list(tags) != labels:
            raise SystemExit("extractor labels differ from musicnn.configuration.MSD_LABELS")
        taggram = np.asarray(taggram, dtype=np.float32).reshape(-1, len(labels))
        extractor_pen = np.asarray(features["penultimate"], dtype=np.float32).reshape(-1, EMBEDDING_DIM)
        y, sr = librosa.load(str(clip), sr=SAMPLE_RATE)
        n_frames = 1 + len(y) // HOP  # librosa stft frames with center=True
        info = sf.info(str(clip))

        patches = reference_patches(clip)
        if patches.shape[0] != taggram.shape[0]:
            raise SystemExit(f"{rel}: extractor gave {taggram.shape[0]} patches, batch_data {patches.shape[0]}")
        tf_act, penultimate = net.run(patches, batch_size=1)
        tf_vs_extractor = float(np.abs(tf_act - taggram).max())
        first_row = float(np.abs(penultimate[0] - extractor_pen[0]).max())
        if tf_vs_extractor > 1e-6 or first_row > 1e-6:
            raise SystemExit(f"{rel}: TF network and musicnn's extractor disagree "
                             f"(taggram {tf_vs_extractor:.3g}, penultimate[0] {first_row:.3g})")
        # End-to-end check: the extractor's taggram against model.onnx on the same patches.
        o_act, o_emb = onnx_run(sess, patches, patches.shape[0])
        chk = {"clip": rel, "patches": int(taggram.shape[0]),
               "activations": diff_stats(o_act, taggram), "embedding": diff_stats(o_emb, penultimate),
               "tf_vs_extractor_taggram_max_abs_diff": tf_vs_extractor}
        checks.append(chk)

        doc = {
            "clip": rel,
            "model": MODEL_NAME,
            "extractor_args": {"input_length": 3, "input_overlap": False, "extract_features": True},
            "tags": labels,
            "taggram": rounded(taggram),
            "penultimate": rounded(penultimate),
            "penultimate_source": ("MSD_musicnn TF network (is_training=False) on the extractor's own patches; "
                                   "musicnn 0.1.0's extractor repeats patch 0's penultimate for later patches"),
            "n_samples_16k": int(len(y)),
            "n_frames": int(n_frames),
            "patch_frames": N_FRAMES,
            "n_patches": int(taggram.shape[0]),
            "source": {"sample_rate": int(info.samplerate), "channels": int(info.channels),
                       "frames": int(info.frames), "format": info.format, "subtype": info.subtype},
            "versions": ref_versions,
        }
        out = REFERENCE_DIR / f"{clip.stem}.json"
        out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
        done.append({"clip": rel, "file": f"reference/{out.name}", "patches": int(taggram.shape[0]),
                     "track_scores": taggram.mean(axis=0), "taggram": taggram})
        log(f"references: {rel}: {taggram.shape[0]} patches, top "
            f"{[labels[i] for i in np.argsort(-taggram.mean(axis=0))[:5]]}, "
            f"onnx max |diff| {chk['activations']['max_abs_diff']:.2g}")
    net.close()
    if len(done) < 4:
        raise SystemExit(f"only {len(done)} clips produced references (need at least 4)")
    write_synthetic_mel()
    return {"done": done, "failed": failed, "extractor_vs_onnx": checks}


# Deterministic test signal for a log-mel front end. Written as evaluated, in
# float64, left to right; the samples are then rounded to float32.
SYNTH = {
    "sample_rate": 16000,
    "n_samples": 27200,
    "duration_seconds": 1.7,
    "formula": (
        "for n in 0..n_samples-1: t = n / 16000; "
        "x = 0.5 * sin(2 * PI * 220 * t) + 0.25 * sin(2 * PI * 1234.5 * t) + 0.125 * sin(2 * PI * 5000 * t) "
        "+ 0.1 * sin(2 * PI * (100 * t + 0.5 * (6900 / 1.7) * t * t)); sample[n] = float32(x)"
    ),
    "notes": (
        "Every operation is IEEE-754 float64 evaluated left to right (((2 * PI) * 220) * t etc.), "
        "PI = 3.141592653589793, sin = the C library sin. The last term is a linear chirp from 100 Hz "
        "at t=0 to 7000 Hz at t=1.7 s. Different sin implementations can differ by 1 ulp in float64, "
        "which very rarely changes the float32 result: compare against signal_f32le_sha256, and use "
        "signal_f32le_base64 (the exact samples, little-endian float32) when checking the spectrogram."
    ),
}


def synth_signal() -> np.ndarray:
    n_samples = SYNTH["n_samples"]
    pi = math.pi
    out = np.empty(n_samples, dtype=np.float32)
    for n in range(n_samples):
        t = n / 16000
        x = (0.5 * math.sin(2 * pi * 220 * t)
             + 0.25 * math.sin(2 * pi * 1234.5 * t)
             + 0.125 * math.sin(2 * pi * 5000 * t)
             + 0.1 * math.sin(2 * pi * (100 * t + 0.5 * (6900 / 1.7) * t * t)))
        out[n] = np.float32(x)
    return out


def f32_list(arr: np.ndarray):
    """float32 values as the shortest decimals that round-trip through float32."""
    a = np.asarray(arr, dtype=np.float32)
    if a.ndim == 1:
        return [float(repr(v)) if np.isfinite(v) else None for v in a]
    return [f32_list(row) for row in a]


def write_synthetic_mel():
    import librosa

    y = synth_signal()
    lib = librosa_defaults()
    mel = librosa.feature.melspectrogram(y=y, sr=SAMPLE_RATE, hop_length=HOP, n_fft=N_FFT, n_mels=N_MELS)
    basis = librosa.filters.mel(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=N_MELS)
    mel_t = mel.T.astype(np.float32)  # [frames][96], the extractor's orientation
    logmel = np.log10(10000 * mel_t.astype(np.float16) + 1)  # exactly the extractor's expression
    if logmel.dtype != np.float32:
        raise SystemExit(f"unexpected log-mel dtype {logmel.dtype}")
    raw = y.astype("<f4").tobytes()
    doc = {
        "signal": {**SYNTH, "dtype": "float32",
                   "signal_f32le_sha256": hashlib.sha256(raw).hexdigest(),
                   "signal_f32le_base64": base64.b64encode(raw).decode("ascii")},
        "stft": {
            "n_fft": N_FFT, "hop_length": HOP, "win_length": N_FFT,
            "window": lib["window"], "window_periodic": True,
            "center": lib["center"], "pad_mode": lib["pad_mode"],
            "power": lib["power"],
            "precision": ("frames (float32) times the float64 window, real FFT in float64 (numpy.fft), "
                          "result stored as complex64; |X| in float32, then squared in float32"),
        },
        "mel": {
            "sr": SAMPLE_RATE, "n_fft": N_FFT, "n_mels": N_MELS,
            "fmin": lib["fmin"], "fmax": SAMPLE_RATE / 2 if lib["fmax"] is None else lib["fmax"],
            "htk": lib["htk"], "norm": lib["norm"], "dtype": lib["mel_dtype"],
            "product": "mel[m][t] = sum_f mel_basis[m][f] * power[f][t], float32",
        },
        "call": ("librosa.feature.melspectrogram(y=signal, sr=16000, hop_length=256, n_fft=512, n_mels=96), "
                 "transposed to [frames][n_mels]"),
        "n_frames": int(mel_t.shape[0]),
        "mel_basis_shape": list(basis.shape),
        "mel_basis": f32_list(basis),
        "mel_power_shape": list(mel_t.shape),
        "mel_power": f32_list(mel_t),
        "logmel_expression": "log10(10000 * float32(float16(mel_power)) + 1), computed in float32",
        "logmel": f32_list(logmel),
        "versions": {k: v for k, v in versions().items()
                     if k in ("librosa", "numpy", "scipy", "soxr", "soundfile")},
    }
    import scipy
    doc["versions"]["scipy"] = scipy.__version__
    out = REFERENCE_DIR / "mel-synthetic.json"
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    log(f"wrote {out.relative_to(REPO_ROOT)} ({mel_t.shape[0]} frames)")
