"""Scores another bundle (the previous registered model, or the backbone alone) on the same
validation embeddings, through the part of its graph that maps the embedding to its activations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx

from ..export.check import session, subgraph
from .metrics import TagMetrics, tag_metrics


@dataclass(frozen=True)
class Comparison:
    """Per-tag figures of another model on the validation set, or why it cannot be scored."""

    label: str
    per_tag: dict[str, TagMetrics]
    reason: str | None = None


def score_bundle(label: str, model: onnx.ModelProto, manifest: dict, embeddings: np.ndarray, targets: dict[str, np.ndarray]) -> Comparison:
    """Figures for every tag the bundle predicts that has validation labels (`targets[tag]`)."""
    try:
        outputs = manifest["outputs"]
        head = subgraph(model, [outputs["embedding"]], [outputs["activations"]])
        scores = session(head).run(None, {outputs["embedding"]: embeddings.astype(np.float32)})[0]
    except Exception as error:  # another backbone, an input the embedding does not determine, a broken file
        return Comparison(label, {}, f"cannot be scored on embeddings ({str(error).splitlines()[0][:200]})")
    tags = manifest.get("tags", [])
    if scores.shape[1] != len(tags):
        return Comparison(label, {}, f"its graph gives {scores.shape[1]} activations for {len(tags)} tags")
    per_tag = {}
    for j, tag in enumerate(tags):
        y = targets.get(tag["name"])
        if y is not None and 0 < y.sum() < len(y):
            per_tag[tag["name"]] = tag_metrics(tag["name"], y, scores[:, j], float(tag["threshold"]))
    return Comparison(label, per_tag)
