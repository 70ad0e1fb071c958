"""Per-tag decision thresholds chosen on validation: best F1, or best precision at a recall target."""

from __future__ import annotations

import numpy as np

from .metrics import _curve


def choose_threshold(y: np.ndarray, scores: np.ndarray, objective: str, target_recall: float, fallback: float) -> float:
    """The threshold halfway between the chosen score and the next lower one, so tracks scoring like
    the chosen positive are still in; `fallback` when validation has no positive."""
    if y.sum() == 0:
        return fallback
    cut, tps, fps = _curve(y, scores)
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    if objective == "precision_at_recall":
        ok = np.flatnonzero(recall >= target_recall - 1e-12)
        best = int(ok[np.argmax(precision[ok])])
    else:
        f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
        best = int(np.argmax(f1))
    below = cut[best + 1] if best + 1 < len(cut) else 0.0
    return float(np.clip((cut[best] + below) / 2.0, 0.0, 1.0))
