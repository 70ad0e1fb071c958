"""The multi-label head: standardize the backbone embedding, an MLP (or linear layer), one sigmoid per tag."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


class TagHead(nn.Module):
    """Embedding (N, dim) -> tag probabilities (N, tags). The standardization is part of the module,
    so the exported graph reads the backbone's raw embedding."""

    def __init__(self, dim: int, n_tags: int, hidden: list[int], dropout: float, mean: np.ndarray, std: np.ndarray) -> None:
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32).reshape(1, dim))
        self.register_buffer("inv_std", torch.as_tensor(1.0 / np.maximum(std, 1e-6), dtype=torch.float32).reshape(1, dim))
        layers: list[nn.Module] = []
        width = dim
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(dropout)]
            width = h
        layers.append(nn.Linear(width, n_tags))
        self.net = nn.Sequential(*layers)

    def logits(self, embedding: torch.Tensor) -> torch.Tensor:
        """Scores before the sigmoid (what the loss reads)."""
        return self.net((embedding - self.mean) * self.inv_std)

    def forward(self, embedding: torch.Tensor) -> torch.Tensor:
        """Tag probabilities."""
        return torch.sigmoid(self.logits(embedding))


def build_head(dim: int, n_tags: int, hidden: list[int], dropout: float, train_embeddings: np.ndarray) -> TagHead:
    """A head whose standardization comes from the training embeddings."""
    return TagHead(dim, n_tags, list(hidden), dropout, train_embeddings.mean(axis=0), train_embeddings.std(axis=0))
