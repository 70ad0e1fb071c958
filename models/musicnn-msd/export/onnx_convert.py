"""Freeze the MSD_musicnn network and convert it to model.onnx with tf2onnx.

The converted graph is cleaned up (see onnx_passes), given a symbolic batch
dimension, product metadata and a doc string, checked, and written to
models/musicnn-msd/model.onnx.
"""

from __future__ import annotations

import json
from pathlib import Path

from bundle import (EMBEDDING_DIM, INPUT_NAME, MODEL_PATH, N_FRAMES, N_MELS, ONNX_OPSET, OUT_ACTIVATIONS,
                    OUT_EMBEDDING, REPO_ROOT, log, musicnn_labels, sha256_file)
from onnx_passes import canonicalize, fold_affine_into_matmul, simplify_reshapes
from tf_network import TFNetwork, checkpoint_prefix


def export_onnx() -> dict:
    import onnx
    import tf2onnx

    net = TFNetwork(constant_inference=True)
    log(f"restored {net.n_variables} variables ({net.n_parameters} parameters) from {checkpoint_prefix()}")
    frozen = net.frozen_graph_def()
    tf_ops = sorted({n.op for n in frozen.node})
    training_ops = [n.name for n in frozen.node
                    if n.op in ("Switch", "Merge", "RandomUniform", "AssignMovingAvg", "AssignSubVariableOp")]
    if training_ops:
        raise SystemExit(f"frozen inference graph still has training-only nodes: {training_ops[:10]}")
    net.close()

    model_proto, _ = tf2onnx.convert.from_graph_def(
        frozen,
        input_names=[f"{INPUT_NAME}:0"],
        output_names=[f"{OUT_ACTIVATIONS}:0", f"{OUT_EMBEDDING}:0"],
        opset=ONNX_OPSET,
        tensors_to_rename={
            f"{INPUT_NAME}:0": INPUT_NAME,
            f"{OUT_ACTIVATIONS}:0": OUT_ACTIVATIONS,
            f"{OUT_EMBEDDING}:0": OUT_EMBEDDING,
        },
    )

    graph = model_proto.graph
    folded = fold_affine_into_matmul(graph)
    # Symbolic batch dimension first: the reshape pass relies on it.
    for vi in list(graph.input) + list(graph.output):
        dim0 = vi.type.tensor_type.shape.dim[0]
        dim0.ClearField("dim_value")
        dim0.dim_param = "batch"
    del graph.value_info[:]
    removed_reshapes = simplify_reshapes(model_proto)
    canonicalize(graph)
    # tf2onnx declares the ai.onnx.ml domain even though no node uses it.
    used_domains = {n.domain for n in graph.node}
    kept = [op for op in model_proto.opset_import if op.domain in ("", "ai.onnx") or op.domain in used_domains]
    del model_proto.opset_import[:]
    model_proto.opset_import.extend(kept)
    graph.name = "musicnn_msd"
    model_proto.doc_string = (
        "musicnn MSD_musicnn music auto-tagger (50 Million Song Dataset tags). "
        "Input: log-mel patches [batch,187,96], log10(1+10000*mel) of 16 kHz audio. "
        "Outputs: sigmoid tag activations [batch,50] and the 200-d penultimate embedding."
    )
    del model_proto.metadata_props[:]
    meta = {
        "eno.bundle": "musicnn-msd",
        "source": "musicnn 0.1.0 (PyPI) checkpoint MSD_musicnn",
        "licence": "ISC (musicnn, Jordi Pons et al.)",
        "tags": json.dumps(musicnn_labels()),
    }
    for k, v in meta.items():
        model_proto.metadata_props.append(onnx.StringStringEntryProto(key=k, value=v))

    onnx.checker.check_model(model_proto, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model_proto, check_type=True, strict_mode=True)
    out_shapes = {}
    for vi in inferred.graph.output:
        out_shapes[vi.name] = [d.dim_param or d.dim_value for d in vi.type.tensor_type.shape.dim]
    expected = {OUT_ACTIVATIONS: ["batch", 50], OUT_EMBEDDING: ["batch", EMBEDDING_DIM]}
    if out_shapes != expected:
        raise SystemExit(f"unexpected ONNX output shapes {out_shapes}, wanted {expected}")
    in_vi = graph.input[0]
    if [i.name for i in graph.input] != [INPUT_NAME] or \
            [d.dim_param or d.dim_value for d in in_vi.type.tensor_type.shape.dim] != ["batch", N_FRAMES, N_MELS] or \
            in_vi.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
        raise SystemExit(f"unexpected ONNX input {in_vi}")

    MODEL_PATH.write_bytes(model_proto.SerializeToString())
    op_counts: dict[str, int] = {}
    for node in graph.node:
        op_counts[node.op_type] = op_counts.get(node.op_type, 0) + 1
    info = {
        "opset": ONNX_OPSET,
        "bytes": MODEL_PATH.stat().st_size,
        "sha256": sha256_file(MODEL_PATH),
        "nodes": len(graph.node),
        "op_counts": dict(sorted(op_counts.items())),
        "tf_frozen_ops": tf_ops,
        "parameters": net.n_parameters,
        "checkpoint_data_sha256": sha256_file(Path(checkpoint_prefix() + ".data-00000-of-00001")),
        "batchnorm_folded_into_dense": folded,
        "redundant_reshapes_removed": removed_reshapes,
    }
    log(f"wrote {MODEL_PATH.relative_to(REPO_ROOT)} ({info['bytes']} bytes, {info['nodes']} nodes: {info['op_counts']})")
    return info
