"""Label records as the app uploads them (labels/<version>.jsonl) and the latest-wins merge."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LabelRecord:
    """One correction (or base-dataset track): what the person's final tags are for one audio."""

    key: str
    track_hash: str
    artist: str | None
    album: str | None
    title: str | None
    final_tags: tuple[str, ...]
    reviewed_at: str | None
    model_id: str | None
    model_version: str | None
    embedding_row: int | None
    labels_file: str
    line: int
    tag_categories: dict[str, str] = field(default_factory=dict)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def parse_record(raw: object, labels_file: str, line: int) -> LabelRecord:
    """Validates one JSON line; raises ValueError naming what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    track_hash = _text(raw.get("track_hash"))
    if track_hash is None:
        raise ValueError("no track_hash")
    tags = raw.get("final_tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("final_tags is not a list of strings")
    row = raw.get("embedding_row")
    if row is not None and (not isinstance(row, int) or isinstance(row, bool) or row < 0):
        raise ValueError(f"embedding_row {row!r} is not a row number")
    categories = raw.get("tag_categories") if isinstance(raw.get("tag_categories"), dict) else {}
    return LabelRecord(
        key=_text(raw.get("key")) or f"{labels_file}:{line}",
        track_hash=track_hash,
        artist=_text(raw.get("artist")),
        album=_text(raw.get("album")),
        title=_text(raw.get("title")),
        final_tags=tuple(dict.fromkeys(t.strip() for t in tags if t.strip())),
        reviewed_at=_text(raw.get("reviewed_at")),
        model_id=_text(raw.get("model_id")),
        model_version=_text(raw.get("model_version")),
        embedding_row=row,
        labels_file=labels_file,
        line=line,
        tag_categories={str(k): str(v) for k, v in categories.items()},
    )


def read_label_file(root: Path, relative: str, problems: list[str]) -> list[LabelRecord]:
    """Reads one labels file; a bad line is reported in `problems` (file:line: reason) and skipped."""
    path = root / relative
    out: list[LabelRecord] = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        problems.append(f"{relative}: cannot be read ({error.strerror or error})")
        return out
    for number, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        try:
            out.append(parse_record(json.loads(line), relative, number))
        except (ValueError, json.JSONDecodeError) as error:
            problems.append(f"{relative}:{number + 1}: {error}")
    return out


def _when(record: LabelRecord) -> datetime:
    if record.reviewed_at:
        try:
            parsed = datetime.fromisoformat(record.reviewed_at.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.min.replace(tzinfo=UTC)


def merge_latest(records: list[LabelRecord]) -> dict[str, LabelRecord]:
    """Per track_hash the record with the latest reviewed_at; on a tie (or none) the later one read wins."""
    latest: dict[str, LabelRecord] = {}
    for record in records:
        current = latest.get(record.track_hash)
        if current is None or _when(record) >= _when(current):
            latest[record.track_hash] = record
    return latest
