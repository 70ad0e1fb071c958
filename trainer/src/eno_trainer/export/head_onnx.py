"""The head alone as an ONNX graph (embedding -> probabilities), at the backbone's operator set."""

from __future__ import annotations

import logging
import warnings

import onnx
import torch

from ..models.head import TagHead

HEAD_INPUT = "embedding"
HEAD_OUTPUT = "probabilities"


def export_head(head: TagHead, dim: int, opset: int) -> onnx.ModelProto:
    """Exports the head with PyTorch's exporter; the batch dimension stays dynamic."""
    head = head.cpu().eval()
    batch = torch.export.Dim("batch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # The exporter logs its opset conversion and registry at WARNING; the check below is what counts.
        quiet = [logging.getLogger(name) for name in ("torch.onnx", "onnxscript", "torch._dynamo")]
        previous = [q.level for q in quiet]
        for q in quiet:
            q.setLevel(logging.ERROR)
        try:
            program = torch.onnx.export(
                head,
                (torch.zeros(2, dim),),
                dynamo=True,
                opset_version=opset,
                input_names=[HEAD_INPUT],
                output_names=[HEAD_OUTPUT],
                dynamic_shapes={"embedding": {0: batch}},
                optimize=True,
                verbose=False,
            )
        finally:
            for q, level in zip(quiet, previous, strict=True):
                q.setLevel(level)
    model = program.model_proto
    onnx.checker.check_model(model)
    return model
