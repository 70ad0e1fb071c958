"""The training loop: mini-batches, class-balanced BCE, early stopping on the validation loss (the
weights of the best epoch are kept), then thresholds and metrics on validation."""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from ..interrupts import raise_if_stopped
from ..models.head import TagHead, build_head
from .losses import balanced_bce
from .metrics import TagMetrics, overall, tag_metrics
from .thresholds import choose_threshold


@dataclass(frozen=True)
class TrainSettings:
    """What the loop needs from the config."""

    hidden: list[int]
    dropout: float
    max_epochs: int
    batch_size: int
    lr: float
    weight_decay: float
    patience: int
    max_pos_weight: float
    device: str
    seed: int
    cpu_threads: int | None = None


@dataclass
class TrainResult:
    """The fitted head (on the CPU, in eval mode), its history and its validation figures."""

    head: TagHead
    best_epoch: int
    epochs_run: int
    history: list[dict[str, float]]
    val_scores: np.ndarray
    thresholds: np.ndarray
    per_tag: list[TagMetrics]
    overall: dict[str, float]


def seed_everything(seed: int) -> None:
    """Seeds Python, NumPy and PyTorch, and asks PyTorch for deterministic kernels."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def pick_device(choice: str) -> torch.device:
    """cuda when asked for (or auto and available), else cpu."""
    if choice == "cuda" or (choice == "auto" and torch.cuda.is_available()):
        return torch.device("cuda")
    return torch.device("cpu")


def predict(head: TagHead, embeddings: np.ndarray) -> np.ndarray:
    """Tag probabilities for embeddings, in eval mode on the CPU."""
    head.eval()
    with torch.no_grad():
        return head(torch.as_tensor(embeddings, dtype=torch.float32)).numpy()


def _epoch_loss(head: TagHead, loss_fn: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    head.eval()
    with torch.no_grad():
        return float(loss_fn(head.logits(x), y))


def fit(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    tags: list[str],
    settings: TrainSettings,
    objective: str,
    target_recall: float,
    fallback_threshold: float,
    on_epoch: Callable[[dict[str, float]], None] | None = None,
) -> TrainResult:
    """Fits a head and evaluates it; `on_epoch` sees each epoch's losses (for the tracker)."""
    seed_everything(settings.seed)
    if settings.cpu_threads:
        # A small head on a busy CPU trains ~10x faster on one thread than on contended threads.
        torch.set_num_threads(settings.cpu_threads)
    device = pick_device(settings.device)
    head = build_head(x_train.shape[1], len(tags), settings.hidden, settings.dropout, x_train).to(device)
    loss_fn = balanced_bce(y_train, settings.max_pos_weight, device)
    optimizer = torch.optim.AdamW(head.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    xt, yt = torch.as_tensor(x_train, device=device), torch.as_tensor(y_train, device=device)
    xv, yv = torch.as_tensor(x_val, device=device), torch.as_tensor(y_val, device=device)
    generator = torch.Generator().manual_seed(settings.seed)
    best_loss, best_epoch, best_state = math.inf, 0, copy.deepcopy(head.state_dict())
    history: list[dict[str, float]] = []
    epoch = 0
    for epoch in range(1, settings.max_epochs + 1):
        raise_if_stopped()
        head.train()
        order = torch.randperm(len(xt), generator=generator).to(device)
        total = 0.0
        for start in range(0, len(order), settings.batch_size):
            batch = order[start : start + settings.batch_size]
            optimizer.zero_grad()
            loss = loss_fn(head.logits(xt[batch]), yt[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        row = {"epoch": float(epoch), "train_loss": total / len(order), "val_loss": _epoch_loss(head, loss_fn, xv, yv)}
        history.append(row)
        if on_epoch:
            on_epoch(row)
        if row["val_loss"] < best_loss - 1e-6:
            best_loss, best_epoch, best_state = row["val_loss"], epoch, copy.deepcopy(head.state_dict())
        elif epoch - best_epoch >= settings.patience:
            break
    head.load_state_dict(best_state)
    head = head.cpu().eval()
    scores = predict(head, x_val)
    thresholds = np.array(
        [choose_threshold(y_val[:, j], scores[:, j], objective, target_recall, fallback_threshold) for j in range(len(tags))],
        dtype=np.float32,
    )
    per_tag = [tag_metrics(tag, y_val[:, j], scores[:, j], float(thresholds[j])) for j, tag in enumerate(tags)]
    return TrainResult(head, best_epoch, epoch, history, scores, thresholds, per_tag, overall(per_tag, y_val, scores, thresholds))
