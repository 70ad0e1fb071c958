"""Class-balanced binary cross-entropy for multi-label targets."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def positive_weights(targets: np.ndarray, cap: float) -> np.ndarray:
    """Per tag, negatives / positives (capped): a rare tag's few positives weigh as much as its negatives."""
    pos = targets.sum(axis=0)
    neg = targets.shape[0] - pos
    return np.clip(neg / np.maximum(pos, 1.0), 1.0, cap).astype(np.float32)


def balanced_bce(targets: np.ndarray, cap: float, device: torch.device) -> nn.BCEWithLogitsLoss:
    """BCE on logits with the per-tag positive weights of the training targets."""
    return nn.BCEWithLogitsLoss(pos_weight=torch.as_tensor(positive_weights(targets, cap), device=device))
