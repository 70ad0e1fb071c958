"""One graph: the backbone, and the head reading the backbone's embedding. `activations` becomes the
backbone's own tags followed by the head's, `embedding` stays as it is."""

from __future__ import annotations

import onnx
from onnx import compose, helper

HEAD_PREFIX = "eno_head/"
BACKBONE_ACTIVATIONS = "eno_backbone/activations"


def opset_of(model: onnx.ModelProto) -> int:
    """The default-domain operator set of a model."""
    return next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))


def _rename_output(model: onnx.ModelProto, old: str, new: str) -> None:
    for node in model.graph.node:
        node.output[:] = [new if o == old else o for o in node.output]
        node.input[:] = [new if i == old else i for i in node.input]
    for output in model.graph.output:
        if output.name == old:
            output.name = new


def compose_bundle_graph(
    backbone: onnx.ModelProto,
    head: onnx.ModelProto,
    activations: str,
    embedding: str,
    head_input: str,
    head_output: str,
    n_tags: int,
) -> onnx.ModelProto:
    """Joins head to backbone; the outputs keep the backbone's names and order; `n_tags` is the
    width of the joined activations."""
    backbone = onnx.ModelProto.FromString(backbone.SerializeToString())
    ir = max(backbone.ir_version, head.ir_version)
    backbone.ir_version = ir
    head = onnx.ModelProto.FromString(head.SerializeToString())
    head.ir_version = ir
    _rename_output(backbone, activations, BACKBONE_ACTIVATIONS)
    head = compose.add_prefix(head, HEAD_PREFIX)
    merged = compose.merge_models(
        backbone,
        head,
        io_map=[(embedding, HEAD_PREFIX + head_input)],
        outputs=[BACKBONE_ACTIVATIONS, embedding, HEAD_PREFIX + head_output],
        producer_name="eno-trainer",
    )
    graph = merged.graph
    joined = helper.make_tensor_value_info(activations, onnx.TensorProto.FLOAT, ["batch", n_tags])
    graph.node.append(
        helper.make_node("Concat", [BACKBONE_ACTIVATIONS, HEAD_PREFIX + head_output], [activations], axis=1, name="eno_concat_tags")
    )
    kept = [o for o in graph.output if o.name == embedding]
    del graph.output[:]
    graph.output.extend([joined, *kept])
    merged = onnx.shape_inference.infer_shapes(merged)
    onnx.checker.check_model(merged)
    return merged
