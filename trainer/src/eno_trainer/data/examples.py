"""Training examples: the latest record per track (corrections over the base dataset), joined with an
embedding from the configured backbone, with a report of everything left out and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..errors import DataError
from .local_copy import LocalDataset
from .records import LabelRecord, merge_latest


@dataclass(frozen=True)
class Example:
    """One track: its tags, the group it is split by (album) and its backbone embedding."""

    track_hash: str
    group: str
    tags: frozenset[str]
    embedding: np.ndarray
    tag_categories: dict[str, str]


@dataclass
class JoinReport:
    """Counts of what went in and what was left out, for the log and the task."""

    records_read: int = 0
    tracks: int = 0
    used: int = 0
    no_embedding: int = 0
    other_backbone: Counter = field(default_factory=Counter)
    wrong_dim: int = 0
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable summary lines."""
        out = [f"{self.records_read} label records, {self.tracks} tracks after keeping the latest per track, {self.used} used"]
        if self.no_embedding:
            out.append(f"{self.no_embedding} track(s) without an embedding: left out")
        for model, n in sorted(self.other_backbone.items()):
            out.append(f"{n} track(s) with embeddings of model '{model}' (another backbone): left out")
        if self.wrong_dim:
            out.append(f"{self.wrong_dim} track(s) whose embedding has the wrong size: left out")
        out.extend(f"problem: {p}" for p in self.problems)
        return out


def album_group(record: LabelRecord) -> str:
    """The split group: artist + album when the album is known, else the track itself."""
    if record.album:
        return f"album:{(record.artist or '').casefold().strip()}\x1f{record.album.casefold().strip()}"
    return f"track:{record.track_hash}"


def join_examples(
    datasets: list[LocalDataset],
    compatible_models: set[str],
    embedding_dim: int,
) -> tuple[list[Example], JoinReport]:
    """Merges the datasets (later ones win for the same track: pass the base dataset first) and joins
    embeddings. A track whose latest record has no usable embedding takes the newest usable one of
    the same audio from an earlier record."""
    report = JoinReport()
    ordered: list[tuple[LabelRecord, LocalDataset]] = []
    for dataset in datasets:
        report.problems.extend(f"{dataset.name}: {p}" for p in dataset.problems)
        ordered.extend((r, dataset) for r in dataset.records)
    report.records_read = len(ordered)
    # Corrections beat the base dataset whatever the dates: rank by dataset, then by time.
    latest: dict[str, LabelRecord] = {}
    for dataset in datasets:
        latest.update(merge_latest(dataset.records))
    report.tracks = len(latest)
    examples: list[Example] = []
    embeddings: dict[str, np.ndarray] = {}
    reasons: dict[str, str] = {}
    for record, dataset in ordered:
        vector = dataset.embedding_of(record)
        if vector is None:
            continue
        if record.model_id not in compatible_models:
            reasons.setdefault(record.track_hash, f"model:{record.model_id}")
            continue
        if vector.shape[0] != embedding_dim:
            reasons.setdefault(record.track_hash, "dim")
            continue
        embeddings[record.track_hash] = vector  # later records overwrite earlier ones
    for track, record in latest.items():
        vector = embeddings.get(track)
        if vector is None:
            reason = reasons.get(track, "none")
            if reason.startswith("model:"):
                report.other_backbone[reason[6:]] += 1
            elif reason == "dim":
                report.wrong_dim += 1
            else:
                report.no_embedding += 1
            continue
        examples.append(Example(track, album_group(record), frozenset(record.final_tags), vector, record.tag_categories))
    report.used = len(examples)
    return examples, report


def require_examples(examples: list[Example], report: JoinReport, what: str) -> None:
    """Stops with the reason when nothing is left to train on."""
    if report.records_read == 0:
        raise DataError(f"{what}: the dataset holds no label records (nothing was uploaded yet?)")
    if not examples:
        raise DataError(f"{what}: none of the {report.tracks} track(s) has a usable embedding; " + "; ".join(report.lines()[1:]))
