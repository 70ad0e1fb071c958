"""One training run: data -> split -> vocabulary -> fit -> compare -> export -> check -> publish.
The entry script reads the config and picks the tracker; everything here works offline too."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
from omegaconf import DictConfig

from .config import repo_path
from .data.examples import Example, join_examples, require_examples
from .data.local_copy import LocalDataset, read_local_copy
from .data.split import split_by_album
from .data.vocabulary import Vocabulary, choose_vocabulary, embedding_matrix, label_matrix
from .errors import DataError
from .export.check import CheckReport
from .interrupts import raise_if_stopped
from .publishing import export_and_check
from .report import Reporter
from .tracking.tracker import Published, Tracker
from .training.compare import Comparison, score_bundle
from .training.loop import TrainResult, TrainSettings, fit, predict


@dataclass
class RunOutcome:
    """What a run produced."""

    bundle_dir: Path
    manifest: dict
    result: TrainResult
    vocabulary: Vocabulary
    check: CheckReport
    comparisons: list[Comparison]
    published: Published | None
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class Backbone:
    """The bundled backbone: its manifest, graph and tag categories."""

    dir: Path
    manifest: dict
    model: onnx.ModelProto

    @property
    def categories(self) -> dict[str, str]:
        return {t["name"]: t["category"] for t in self.manifest["tags"]}


def load_backbone(config: DictConfig) -> Backbone:
    """Reads the backbone bundle named by the config and checks its embedding size."""
    folder = repo_path(config.backbone.dir)
    try:
        manifest = json.loads((folder / "eno-model.json").read_text(encoding="utf-8"))
        model = onnx.load(str(folder / manifest.get("model_file", "model.onnx")))
    except (OSError, ValueError) as error:
        raise DataError(f"backbone {folder}: cannot be read ({error})") from error
    dim = manifest["outputs"].get("embedding_dim")
    if dim != config.backbone.embedding_dim:
        raise DataError(f"backbone {folder}: embedding_dim {dim}, the config says {config.backbone.embedding_dim}")
    return Backbone(folder, manifest, model)


def load_datasets(config: DictConfig, tracker: Tracker, out: Reporter) -> list[LocalDataset]:
    """The base dataset (if configured) first, then the corrections: later ones win per track."""
    wanted = []
    if config.clearml.base_dataset:
        wanted.append(config.clearml.base_dataset)
    wanted.append(config.clearml.corrections)
    datasets = []
    for spec in wanted:
        path, label = tracker.fetch_dataset(spec.project, spec.name, spec.version)
        out.say(f"dataset {label}")
        datasets.append(read_local_copy(path, label))
    return datasets


def prepare_examples(config: DictConfig, datasets: list[LocalDataset], out: Reporter) -> list[Example]:
    """Joined examples, with the report of what was left out."""
    compatible = set(config.backbone.compatible_model_ids) | {config.export.model_id}
    examples, report = join_examples(datasets, compatible, config.backbone.embedding_dim)
    for line in report.lines():
        out.say(line)
    require_examples(examples, report, " + ".join(d.name for d in datasets))
    return examples


def settings_of(config: DictConfig) -> TrainSettings:
    """The loop's settings from the config."""
    t = config.training
    return TrainSettings(
        hidden=list(config.model.hidden),
        dropout=float(config.model.dropout),
        max_epochs=int(t.max_epochs),
        batch_size=int(t.batch_size),
        lr=float(t.lr),
        weight_decay=float(t.weight_decay),
        patience=int(t.patience),
        max_pos_weight=float(t.max_pos_weight),
        device=str(t.device),
        seed=int(config.seed),
        cpu_threads=int(t.cpu_threads) if t.get("cpu_threads") else None,
    )


def pick_vocabulary(config: DictConfig, examples: list[Example], train: list[int], val: list[int], backbone: Backbone, out: Reporter) -> Vocabulary:
    """The tags to train, with every other tag reported."""
    vocabulary = choose_vocabulary(
        examples,
        train,
        val,
        backbone_categories=backbone.categories,
        min_positives=int(config.data.min_positives),
        min_negatives=int(config.data.min_negatives),
        exclude=list(config.data.exclude_tags),
        configured_categories=dict(config.data.categories),
    )
    for tag, reason in sorted(vocabulary.skipped.items()):
        out.say(f"not trained: '{tag}': {reason}")
    if not vocabulary.tags:
        raise DataError(f"no tag can be trained from {len(examples)} track(s): " + "; ".join(f"'{t}': {r}" for t, r in sorted(vocabulary.skipped.items())))
    out.say(f"training {len(vocabulary.tags)} tag(s): {', '.join(vocabulary.tags)}")
    return vocabulary


def report_metrics(result: TrainResult, vocabulary: Vocabulary, out: Reporter) -> None:
    """Per-tag and overall validation figures, as scalars and a table."""
    rows: list[list[object]] = [["tag", "category", "val positives", "ROC-AUC", "PR-AUC", "threshold", "precision", "recall", "F1"]]
    for m in result.per_tag:
        rows.append([m.tag, vocabulary.categories[m.tag], m.positives, m.roc_auc, m.pr_auc, m.threshold, m.precision, m.recall, m.f1])
        for name, value in (("ROC-AUC", m.roc_auc), ("PR-AUC", m.pr_auc), ("F1", m.f1), ("threshold", m.threshold)):
            out.figure(f"validation {name}", m.tag, value, quiet=True)
    out.table("validation metrics per tag", "new head", rows)
    for name, value in result.overall.items():
        out.figure("validation overall", name, value)


def compare_models(
    config: DictConfig,
    tracker: Tracker,
    backbone: Backbone,
    result: TrainResult,
    x_val: np.ndarray,
    examples: list[Example],
    val: list[int],
    out: Reporter,
) -> list[Comparison]:
    """The bundled backbone and the previous registered model on the same validation set."""
    tags = sorted({t for i in val for t in examples[i].tags})
    targets = {t: label_matrix(examples, val, [t])[:, 0] for t in tags}
    comparisons = [score_bundle(f"backbone {backbone.manifest['id']} {backbone.manifest['version']}", backbone.model, backbone.manifest, x_val, targets)]
    previous = tracker.previous_model(config.clearml.model_tag)
    if previous is None:
        out.say("no previous registered model to compare with")
    else:
        label = f"previous {previous.name} ({previous.model_id})"
        comparisons.append(score_bundle(label, onnx.load(str(previous.onnx_path)), previous.manifest, x_val, targets))
    new = {m.tag: m for m in result.per_tag}
    rows: list[list[object]] = [["model", "tag", "PR-AUC", "ROC-AUC", "F1"]]
    for tag in sorted(set(new) | {t for c in comparisons for t in c.per_tag}):
        if tag in new:
            rows.append(["new", tag, new[tag].pr_auc, new[tag].roc_auc, new[tag].f1])
        for c in comparisons:
            if tag in c.per_tag:
                m = c.per_tag[tag]
                rows.append([c.label, tag, m.pr_auc, m.roc_auc, m.f1])
                out.figure("comparison PR-AUC", f"{c.label.split(' ')[0]} {tag}", m.pr_auc, quiet=True)
        if tag in new:
            out.figure("comparison PR-AUC", f"new {tag}", new[tag].pr_auc, quiet=True)
    for c in comparisons:
        if c.reason:
            out.say(f"{c.label}: {c.reason}")
    out.table("comparison on the validation set", "new vs backbone vs previous", rows)
    return comparisons


def run_training(config: DictConfig, tracker: Tracker, out: Reporter) -> RunOutcome:
    """The whole run; raises TrainerError subclasses with a clear message."""
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    backbone = load_backbone(config)
    datasets = load_datasets(config, tracker, out)
    examples = prepare_examples(config, datasets, out)
    seconds["data"] = time.perf_counter() - started
    train, val = split_by_album(examples, float(config.data.val_fraction), int(config.seed))
    out.say(f"split by album: {len(train)} tracks for training, {len(val)} for validation")
    vocabulary = pick_vocabulary(config, examples, train, val, backbone, out)
    x_train, x_val = embedding_matrix(examples, train), embedding_matrix(examples, val)
    y_train, y_val = label_matrix(examples, train, vocabulary.tags), label_matrix(examples, val, vocabulary.tags)
    t0 = time.perf_counter()
    result = fit(
        x_train, y_train, x_val, y_val, vocabulary.tags, settings_of(config),
        str(config.thresholds.objective), float(config.thresholds.target_recall), float(config.thresholds.fallback),
        on_epoch=lambda row: [tracker.log_scalar("loss", k, v, int(row["epoch"])) for k, v in row.items() if k != "epoch"],
    )
    seconds["training"] = time.perf_counter() - t0
    out.say(f"trained {result.epochs_run} epochs, kept epoch {result.best_epoch} (best validation loss) in {seconds['training']:.1f} s")
    report_metrics(result, vocabulary, out)
    comparisons = compare_models(config, tracker, backbone, result, x_val, examples, val, out)
    t0 = time.perf_counter()
    bundle_dir, manifest, check = export_and_check(config, backbone, result, vocabulary, x_val, len(examples), out)
    seconds["export"] = time.perf_counter() - t0
    published = None
    if config.clearml.publish and tracker.can_publish:
        raise_if_stopped()
        published = publish_bundle(tracker, bundle_dir, manifest, result, vocabulary, out)
    seconds["total"] = time.perf_counter() - started
    out.say(
        f"run time {seconds['total']:.1f} s (data {seconds['data']:.1f} s, training {seconds['training']:.1f} s, "
        f"export and check {seconds['export']:.1f} s)"
    )
    return RunOutcome(bundle_dir, manifest, result, vocabulary, check, comparisons, published, seconds)


def metrics_comment(result: TrainResult, vocabulary: Vocabulary) -> str:
    """One line for the registry: the overall and per-tag validation figures."""
    o = result.overall
    per_tag = ", ".join(f"{m.tag} PR-AUC {m.pr_auc:.2f} F1 {m.f1:.2f}" for m in result.per_tag)
    return f"validation: macro PR-AUC {o['macro_pr_auc']:.3f}, macro F1 {o['macro_f1']:.3f}, macro ROC-AUC {o['macro_roc_auc']:.3f}; {per_tag}"


def publish_bundle(tracker: Tracker, bundle_dir: Path, manifest: dict, result: TrainResult, vocabulary: Vocabulary, out: Reporter) -> Published:
    """Registers and publishes the checked bundle."""
    metadata = {f"{m.tag} PR-AUC": f"{m.pr_auc:.4f}" for m in result.per_tag}
    metadata.update({f"{m.tag} F1": f"{m.f1:.4f}" for m in result.per_tag})
    metadata.update({k: f"{v:.4f}" for k, v in result.overall.items()})
    published = tracker.publish(bundle_dir, manifest, metrics_comment(result, vocabulary), metadata)
    out.say(f"published model {published.model_id} ({manifest['id']} {manifest['version']})")
    return published


__all__ = ["RunOutcome", "predict", "run_training"]
