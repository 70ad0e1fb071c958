"""mn04 as one ONNX-friendly module: time-major log-mel in, sigmoid activations and embedding out.

The upstream forward squeezes singleton dimensions (and so the batch of one), which a traced graph
would bake in; this wrapper calls the same layers (features, pooled embedding, classifier) with
explicit shapes. The parity step checks it against the upstream forward itself.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class TaggingNetwork(nn.Module):
    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, logmel: torch.Tensor):
        # [batch, frames, mels] -> the model's [batch, 1, mels, frames]
        x = logmel.transpose(1, 2).unsqueeze(1)
        x = self.net.features(x)
        embedding = F.adaptive_avg_pool2d(x, (1, 1)).flatten(1)
        logits = self.net.classifier(x).flatten(1)
        return torch.sigmoid(logits), embedding


def upstream_forward(net: nn.Module, logmel: torch.Tensor):
    """The authors' own call, as in inference.py: preds, features = model(spec.unsqueeze(0)); sigmoid."""
    preds, features = net(logmel.transpose(1, 2).unsqueeze(1))
    return torch.sigmoid(preds.float()), features
