"""The export check: the published graph must reproduce the PyTorch head (max |difference| within
the limit) on the validation embeddings and on log-mel patches run through the whole graph, and keep
the backbone's own outputs unchanged. Nothing is published when it fails."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx
import onnxruntime as ort
from onnx.utils import Extractor

from ..errors import ExportCheckError
from .compose import HEAD_PREFIX
from .manifest import manifest_problems


@dataclass(frozen=True)
class CheckReport:
    """The largest differences found, for the log and the task."""

    head_max_abs_diff: float
    graph_head_max_abs_diff: float
    backbone_max_abs_diff: float
    embedding_max_abs_diff: float
    validation_rows: int
    patches: int

    def as_dict(self) -> dict[str, float | int]:
        """Plain values."""
        return dict(self.__dict__)


def session(model: onnx.ModelProto) -> ort.InferenceSession:
    """A CPU session on an in-memory model."""
    options = ort.SessionOptions()
    options.log_severity_level = 3
    return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def subgraph(model: onnx.ModelProto, inputs: list[str], outputs: list[str]) -> onnx.ModelProto:
    """The part of a graph between the named tensors, as a model of its own."""
    return Extractor(model).extract_model(inputs, outputs)


def synthetic_logmel(patches: int, frames: int, mels: int, seed: int) -> np.ndarray:
    """Log-mel-like patches (non-negative, speech-to-music range) for running the whole graph."""
    rng = np.random.default_rng(seed)
    return np.abs(rng.normal(1.5, 1.0, size=(patches, frames, mels))).astype(np.float32)


def check_bundle(
    composed: onnx.ModelProto,
    backbone: onnx.ModelProto,
    manifest: dict,
    bundle_weights_sha256: str,
    head_fn,
    val_embeddings: np.ndarray,
    head_output: str,
    max_abs_diff: float,
    seed: int = 0,
) -> CheckReport:
    """Runs the checks; `head_fn` maps embeddings (N, dim) to the PyTorch head's probabilities."""
    problems = manifest_problems(manifest)
    if manifest.get("sha256") != bundle_weights_sha256:
        problems.append("sha256 in the manifest is not the weights' checksum")
    outputs = manifest["outputs"]
    act, emb = outputs["activations"], outputs["embedding"]
    n_backbone = len(manifest["tags"]) - int(head_fn(val_embeddings[:1]).shape[1])
    if problems:
        raise ExportCheckError("export check: the manifest would not load in the app: " + "; ".join(problems))

    # 1. The exported head (cut out of the very graph that is published) on the validation embeddings.
    head_graph = session(subgraph(composed, [emb], [HEAD_PREFIX + head_output]))
    exported = head_graph.run(None, {emb: val_embeddings.astype(np.float32)})[0]
    expected = head_fn(val_embeddings)
    head_diff = float(np.max(np.abs(exported - expected))) if len(expected) else 0.0

    # 2. The whole graph on log-mel patches: backbone outputs unchanged, head columns = PyTorch head.
    spec = manifest["input"]
    patches = synthetic_logmel(4, spec["patch_frames"], spec["n_mels"], seed)
    whole = session(composed)
    if [o.name for o in whole.get_outputs()] != [act, emb]:
        raise ExportCheckError(f"export check: the graph's outputs are {[o.name for o in whole.get_outputs()]}, expected {[act, emb]}")
    got_act, got_emb = whole.run([act, emb], {spec["name"]: patches})
    ref_act, ref_emb = session(backbone).run([act, emb], {spec["name"]: patches})
    if got_act.shape[1] != len(manifest["tags"]):
        raise ExportCheckError(f"export check: the graph gives {got_act.shape[1]} activations, the manifest lists {len(manifest['tags'])} tags")
    report = CheckReport(
        head_max_abs_diff=head_diff,
        graph_head_max_abs_diff=float(np.max(np.abs(got_act[:, n_backbone:] - head_fn(got_emb)))),
        backbone_max_abs_diff=float(np.max(np.abs(got_act[:, :n_backbone] - ref_act))),
        embedding_max_abs_diff=float(np.max(np.abs(got_emb - ref_emb))),
        validation_rows=len(val_embeddings),
        patches=len(patches),
    )
    worst = max(report.head_max_abs_diff, report.graph_head_max_abs_diff, report.backbone_max_abs_diff, report.embedding_max_abs_diff)
    if not np.isfinite(worst) or worst > max_abs_diff:
        raise ExportCheckError(f"export check failed: max |difference| {worst:.3g} > {max_abs_diff:g} ({report.as_dict()})")
    return report
