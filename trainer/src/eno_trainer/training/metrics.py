"""Ranking and decision metrics per tag: ROC-AUC, PR-AUC (average precision), F1 at a threshold, and
their overall figures (macro mean over tags, and micro over every track-tag pair)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np


def _ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties sharing their mean rank."""
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    sorted_values = values[order]
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and sorted_values[j + 1] == sorted_values[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def roc_auc(y: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (the chance a positive outranks a negative); nan without both classes."""
    y = y.astype(bool)
    pos, neg = int(y.sum()), int((~y).sum())
    if pos == 0 or neg == 0:
        return math.nan
    ranks = _ranks(scores.astype(np.float64))
    return float((ranks[y].sum() - pos * (pos + 1) / 2.0) / (pos * neg))


def _curve(y: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Thresholds (distinct scores, high to low) with true and false positives at each."""
    order = np.argsort(-scores, kind="mergesort")
    s = scores[order]
    t = y[order].astype(np.float64)
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    tps = np.cumsum(t)[last]
    fps = (last + 1) - tps
    return s[last], tps, fps


def average_precision(y: np.ndarray, scores: np.ndarray) -> float:
    """PR-AUC as average precision (precision at each recall step, weighted by the step)."""
    if y.sum() == 0:
        return math.nan
    _, tps, fps = _curve(y, scores)
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def f1_at(y: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 when `scores >= threshold` is predicted positive."""
    y = y.astype(bool)
    pred = scores >= threshold
    tp = float(np.sum(pred & y))
    precision = tp / pred.sum() if pred.sum() else 0.0
    recall = tp / y.sum() if y.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass(frozen=True)
class TagMetrics:
    """The validation figures of one tag at its threshold."""

    tag: str
    positives: int
    roc_auc: float
    pr_auc: float
    threshold: float
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float | int | str]:
        """Plain values for JSON and tables."""
        return asdict(self)


def tag_metrics(tag: str, y: np.ndarray, scores: np.ndarray, threshold: float) -> TagMetrics:
    """Every figure of one tag."""
    precision, recall, f1 = f1_at(y, scores, threshold)
    return TagMetrics(tag, int(y.sum()), roc_auc(y, scores), average_precision(y, scores), threshold, precision, recall, f1)


def _mean(values: list[float]) -> float:
    kept = [v for v in values if not math.isnan(v)]
    return float(np.mean(kept)) if kept else math.nan


def overall(per_tag: list[TagMetrics], y: np.ndarray, scores: np.ndarray, thresholds: np.ndarray) -> dict[str, float]:
    """Macro means over tags and micro figures over every (track, tag) pair."""
    _, _, micro_f1 = f1_at(y.ravel(), (scores >= thresholds).astype(np.float64).ravel(), 0.5)
    return {
        "macro_roc_auc": _mean([m.roc_auc for m in per_tag]),
        "macro_pr_auc": _mean([m.pr_auc for m in per_tag]),
        "macro_f1": _mean([m.f1 for m in per_tag]),
        "micro_pr_auc": average_precision(y.ravel(), scores.ravel()),
        "micro_f1": micro_f1,
    }
