"""Corrections datasets in the app's upload format (manifest.json, labels/<v>.jsonl, embeddings/<v>.f32
and .index.json), written to a folder like a local copy, with embeddings that carry the tags."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass
class Track:
    """One labelled track of a synthetic dataset."""

    n: int
    tags: list[str]
    album: str | None = None
    artist: str | None = "Artist"
    reviewed_at: str = "2026-01-01T10:00:00.000Z"
    model_id: str = "musicnn-msd"
    embedding: np.ndarray | None = None
    extra: dict = field(default_factory=dict)

    @property
    def track_hash(self) -> str:
        return f"{self.n:064x}"


def embedding_for(tags: list[str], n: int, dim: int = 200) -> np.ndarray:
    """Noise plus one fixed direction per tag, so tags are learnable from the embedding."""
    rng = np.random.default_rng(1000 + n)
    vector = rng.normal(0.0, 1.0, dim)
    for tag in tags:
        direction = np.random.default_rng(int(hashlib.sha256(tag.encode()).hexdigest()[:8], 16)).normal(0.0, 1.0, dim)
        vector += 2.5 * direction / np.linalg.norm(direction) * np.sqrt(dim) / 4
    return vector.astype(np.float32)


def record(track: Track, row: int | None) -> dict:
    """The label record the app writes."""
    return {
        "key": f"correction-{track.n:04d}-{track.reviewed_at}",
        "track_hash": track.track_hash,
        "artist": track.artist,
        "album": track.album,
        "title": f"Title {track.n}",
        "duration_sec": 60.0,
        "final_tags": track.tags,
        "tags_added": [],
        "tags_removed": [],
        "predicted_scores": {},
        "model_id": track.model_id,
        "model_version": "1.0.0",
        "reviewed_at": track.reviewed_at,
        "embedding_row": row,
        "excerpt": None,
        **track.extra,
    }


def write_version(root: Path, version: str, tracks: list[Track], with_embeddings: bool = True, dim: int = 200) -> None:
    """Adds one version's files and rewrites manifest.json as the app does."""
    (root / "labels").mkdir(parents=True, exist_ok=True)
    (root / "embeddings").mkdir(exist_ok=True)
    lines, rows, index = [], [], []
    for line, track in enumerate(tracks):
        row = None
        if with_embeddings:
            vector = track.embedding if track.embedding is not None else embedding_for(track.tags, track.n, dim)
            row = len(rows)
            rows.append(vector)
            index.append({"row": row, "key": record(track, row)["key"], "track_hash": track.track_hash, "labels_line": line})
        lines.append(json.dumps(record(track, row)))
    labels = f"labels/{version}.jsonl"
    (root / labels).write_text("".join(f"{line}\n" for line in lines))
    entry = {"version": version, "labels": labels, "embeddings": None, "embeddings_index": None, "records": len(tracks)}
    entry.update(embedding_rows=len(rows), embedding_dim=None)
    if rows:
        dim_of = len(rows[0])
        np.stack(rows).astype("<f4").tofile(root / f"embeddings/{version}.f32")
        (root / f"embeddings/{version}.index.json").write_text(json.dumps({"schema": 1, "dtype": "float32", "dim": dim_of, "rows": index, "labels": labels}))
        entry.update(embeddings=f"embeddings/{version}.f32", embeddings_index=f"embeddings/{version}.index.json", embedding_dim=dim_of)
    manifest_path = root / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"schema": 1, "app": "eno", "versions": [], "label_files": []}
    manifest["versions"].append(entry)
    manifest["label_files"].append(labels)
    manifest["version"] = version
    manifest_path.write_text(json.dumps(manifest))


def genre_tracks(count_per_tag: int = 12, tags: tuple[str, ...] = ("classical", "shoegaze", "dub")) -> list[Track]:
    """Tracks of a few new tags, two tracks per album, plus some untagged ones."""
    out = []
    n = 0
    for tag in tags:
        for i in range(count_per_tag):
            out.append(Track(n, [tag], album=f"{tag} album {i // 2}"))
            n += 1
    for i in range(count_per_tag):
        out.append(Track(n, ["rock"], album=f"plain album {i // 2}"))
        n += 1
    return out
