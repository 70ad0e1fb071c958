"""Step onnx: the network to model.onnx (opset 17, dynamic batch, fixed 1000 x 128 windows)."""

from __future__ import annotations

import io

from upstream import BUNDLE_DIR, N_MELS, log
from windows import PATCH_FRAMES

MODEL_PATH = BUNDLE_DIR / "model.onnx"
OPSET = 17


def export_onnx(net) -> dict:
    import onnx
    import torch

    from network import TaggingNetwork
    wrapped = TaggingNetwork(net).eval()
    dummy = torch.zeros(2, PATCH_FRAMES, N_MELS)
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(
            wrapped, (dummy,), buf, input_names=["logmel"], output_names=["activations", "embedding"],
            dynamic_axes={"logmel": {0: "batch"}, "activations": {0: "batch"}, "embedding": {0: "batch"}},
            opset_version=OPSET, do_constant_folding=True, dynamo=False)
    model = onnx.load_from_string(buf.getvalue())
    model.producer_name = "eno models/efficientat-mn04/export"
    model.doc_string = ("EfficientAT mn04 (AudioSet, mAP 0.432), MIT licence, Florian Schmid. Input logmel [batch, 1000, 128] "
                        "(10 s at 32 kHz); outputs activations [batch, 527] (sigmoid) and embedding [batch, 384].")
    onnx.checker.check_model(model)
    MODEL_PATH.write_bytes(model.SerializeToString())
    params = sum(int(torch.numel(p)) for p in net.parameters())
    ops = {}
    for node in model.graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    log(f"wrote {MODEL_PATH.name}: {MODEL_PATH.stat().st_size} bytes, {len(model.graph.node)} nodes, {params} parameters")
    return {"opset": OPSET, "bytes": MODEL_PATH.stat().st_size, "nodes": len(model.graph.node), "op_counts": ops,
            "parameters": params}
