"""Metrics and thresholds against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from eno_trainer.training.losses import positive_weights
from eno_trainer.training.metrics import average_precision, f1_at, roc_auc
from eno_trainer.training.thresholds import choose_threshold

Y = np.array([1, 0, 1, 0, 0, 1])
S = np.array([0.9, 0.8, 0.7, 0.3, 0.2, 0.1])


def test_roc_auc_counts_positive_negative_pairs_in_order() -> None:
    # Positives at 0.9, 0.7, 0.1; negatives at 0.8, 0.3, 0.2: 3 + 2 + 0 of 9 pairs ordered right.
    assert roc_auc(Y, S) == pytest.approx(5 / 9)
    assert roc_auc(np.array([1, 0]), np.array([0.5, 0.5])) == pytest.approx(0.5)
    assert math.isnan(roc_auc(np.ones(3), S[:3]))


def test_average_precision_is_precision_at_each_recall_step() -> None:
    # Recall steps at ranks 1, 3, 6 with precision 1, 2/3, 1/2.
    assert average_precision(Y, S) == pytest.approx((1 + 2 / 3 + 1 / 2) / 3)
    assert average_precision(np.array([0, 1]), np.array([0.1, 0.9])) == pytest.approx(1.0)


def test_f1_at_a_threshold() -> None:
    precision, recall, f1 = f1_at(Y, S, 0.65)
    assert (precision, recall) == pytest.approx((2 / 3, 2 / 3)) and f1 == pytest.approx(2 / 3)


def test_threshold_for_f1_and_for_precision_at_recall() -> None:
    # Best F1 (0.667) first reached at the cut after 0.7: halfway to the next score, 0.3.
    assert choose_threshold(Y, S, "f1", 0.8, 0.5) == pytest.approx(0.5)
    # Recall 1 needs every score down to 0.1: the threshold sits halfway to 0.
    assert choose_threshold(Y, S, "precision_at_recall", 1.0, 0.5) == pytest.approx(0.05)
    assert choose_threshold(np.zeros(3), S[:3], "f1", 0.8, 0.42) == 0.42


def test_positive_weights_balance_rare_tags() -> None:
    targets = np.array([[1, 0], [0, 0], [0, 1], [0, 1]], dtype=np.float32)
    assert positive_weights(targets, cap=50.0).tolist() == [3.0, 1.0]
    assert positive_weights(np.zeros((100, 1), dtype=np.float32), cap=50.0).tolist() == [50.0]
