"""Cutting a track into the model's windows, the rule the manifest states and eno's front end follows.

10-second windows (the length of an AudioSet clip, what the model was trained on), one every
10 seconds; the audio after the last whole window gets one more window aligned to the end of the
track; a track shorter than a window is repeated until it fills one. Each window gets its own
spectrogram from the authors' front end, as their windowed_inference.py does.
"""

from __future__ import annotations

import numpy as np

WINDOW_SECONDS = 10
WINDOW_SAMPLES = 320000
HOP_SAMPLES = 320000
PATCH_FRAMES = 1000


def window_starts(n_samples: int, window: int = WINDOW_SAMPLES, hop: int = HOP_SAMPLES) -> list[int]:
    if n_samples <= window:
        return [0]
    starts = list(range(0, n_samples - window + 1, hop))
    if starts[-1] + window < n_samples:
        starts.append(n_samples - window)
    return starts


def cut_windows(y: np.ndarray, window: int = WINDOW_SAMPLES, hop: int = HOP_SAMPLES) -> np.ndarray:
    """[n_windows, window] float32."""
    y = np.asarray(y, dtype=np.float32)
    if len(y) < window:
        reps = -(-window // max(1, len(y)))
        return np.tile(y, reps)[:window][None, :]
    return np.stack([y[s:s + window] for s in window_starts(len(y), window, hop)])


def logmel_windows(frontend, windows: np.ndarray):
    """The authors' front end on each window: [n, frames, mels] float32 (time-major, as eno feeds it)."""
    import torch
    with torch.no_grad():
        spec = frontend(torch.from_numpy(windows))  # [n, mels, frames]
    return spec.transpose(1, 2).contiguous().numpy()
