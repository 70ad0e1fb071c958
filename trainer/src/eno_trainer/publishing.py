"""Export of a trained head as a bundle (backbone + head in one graph, manifest, licence) and the
check that gates publishing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from omegaconf import DictConfig

from .config import repo_path
from .data.vocabulary import Vocabulary
from .export.check import CheckReport, check_bundle
from .export.compose import compose_bundle_graph, opset_of
from .export.head_onnx import HEAD_INPUT, HEAD_OUTPUT, export_head
from .export.manifest import build_manifest, default_version, write_bundle
from .report import Reporter
from .training.loop import TrainResult, predict


def _licence(backbone_dir: Path, manifest: dict) -> str:
    notices = [p.read_text(encoding="utf-8") for p in sorted(backbone_dir.glob("LICENCE*"))]
    head = f"{manifest['name']} {manifest['version']}: the backbone below, unchanged, joined with a head trained by eno's trainer.\n\n"
    return head + "\n".join(notices)


def export_and_check(
    config: DictConfig, backbone, result: TrainResult, vocabulary: Vocabulary, x_val: np.ndarray, n_tracks: int, out: Reporter
) -> tuple[Path, dict, CheckReport]:
    """Writes the bundle to the output folder and runs the export check (raises when it fails)."""
    outputs = backbone.manifest["outputs"]
    head_model = export_head(result.head, x_val.shape[1], opset_of(backbone.model))
    n_tags = len(backbone.manifest["tags"]) + len(vocabulary.tags)
    composed = compose_bundle_graph(backbone.model, head_model, outputs["activations"], outputs["embedding"], HEAD_INPUT, HEAD_OUTPUT, n_tags)
    version = str(config.export.version or default_version())
    manifest = build_manifest(
        backbone.manifest,
        model_id=str(config.export.model_id),
        version=version,
        name=str(config.export.name),
        new_tags=[(t, vocabulary.categories[t], float(result.thresholds[j])) for j, t in enumerate(vocabulary.tags)],
        description=(
            f"{backbone.manifest.get('name', backbone.manifest['id'])} with its {len(backbone.manifest['tags'])} tags as they are, "
            f"plus {len(vocabulary.tags)} tag(s) learned from {n_tracks} labelled track(s): {', '.join(vocabulary.tags)}."
        ),
    )
    bundle_dir = repo_path(str(config.export.out_dir)) / f"{manifest['id']}-{version}"
    final = write_bundle(bundle_dir, composed.SerializeToString(), manifest, _licence(backbone.dir, manifest))
    from .export.manifest import sha256_file

    check = check_bundle(
        composed, backbone.model, final, sha256_file(bundle_dir / "model.onnx"),
        lambda e: predict(result.head, e), x_val, HEAD_OUTPUT, float(config.export.max_abs_diff), seed=int(config.seed),
    )
    out.say(
        f"export check passed: head on {check.validation_rows} validation embeddings max |diff| {check.head_max_abs_diff:.2e}, "
        f"whole graph on {check.patches} patches {check.graph_head_max_abs_diff:.2e} (backbone outputs {check.backbone_max_abs_diff:.2e})"
    )
    for name, value in check.as_dict().items():
        out.figure("export check", name, float(value), quiet=True)
    (bundle_dir / "training-report.json").write_text(
        json.dumps({"metrics": [m.as_dict() for m in result.per_tag], "overall": result.overall, "check": check.as_dict(),
                    "skipped": vocabulary.skipped, "best_epoch": result.best_epoch}, indent=1, default=float) + "\n",
        encoding="utf-8",
    )
    return bundle_dir, final, check
