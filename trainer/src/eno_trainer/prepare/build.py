"""Runs the engine over the audio, matches tracks to albums and writes the dataset folder in the
corrections' format (manifest.json, labels/base.jsonl, embeddings/base.f32 + index)."""

from __future__ import annotations

import json
import shlex
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..config import REPO_ROOT
from ..errors import DataError, TrainerError
from .library_reader import TaggedTrack, read_tagged_tracks
from .metadata import Album, album_key, read_metadata


@dataclass
class BuildReport:
    """What went into the dataset and what did not."""

    tracks: int = 0
    matched: int = 0
    unmatched: list[TaggedTrack] = field(default_factory=list)
    albums_without_tracks: list[Album] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def run_engine(audio_dir: Path, library_dir: Path, eno_command: str, ep: str) -> None:
    """`eno tag AUDIO --data-dir LIBRARY`: tags every audio file and records it in the library.
    Files that fail are reported by the engine and left out (its exit status 1)."""
    library_dir.mkdir(parents=True, exist_ok=True)
    command = [*shlex.split(eno_command), "tag", str(audio_dir), "--data-dir", str(library_dir), "--ep", ep, "--out", str(library_dir / "tags.jsonl")]
    print(f"prepare: {' '.join(shlex.quote(c) for c in command)}", flush=True)
    try:
        run = subprocess.run(command, cwd=REPO_ROOT, check=False)
    except OSError as error:
        raise TrainerError(f"cannot run the engine ({command[0]}: {error.strerror or error})") from error
    if run.returncode not in (0, 1):
        raise TrainerError(f"the engine failed (exit status {run.returncode}); see its messages above")


def _record(track: TaggedTrack, album: Album, row: int, created: str) -> dict:
    return {
        "key": f"base-{track.track_hash[:16]}",
        "track_hash": track.track_hash,
        "artist": track.artist,
        "album": track.album,
        "title": track.title,
        "duration_sec": track.duration_sec,
        "final_tags": [*album.genres, *album.descriptors],
        "tags_added": [],
        "tags_removed": [],
        "predicted_scores": {},
        "model_id": track.model_id,
        "model_version": track.model_version,
        "reviewed_at": None,
        "embedding_row": row,
        "excerpt": None,
        "tag_categories": {**{g: "genre" for g in album.genres}, **{d: "descriptor" for d in album.descriptors}},
        "created_at": created,
    }


def build_dataset(library_dir: Path, metadata_csv: Path, out_dir: Path, backbone_id: str) -> BuildReport:
    """Writes the dataset folder from the tagged library and the metadata; returns the report."""
    report = BuildReport()
    albums = read_metadata(metadata_csv, report.problems)
    tracks = read_tagged_tracks(library_dir, backbone_id)
    report.tracks = len(tracks)
    if not tracks:
        raise DataError(f"{library_dir}: the engine tagged no track with {backbone_id}")
    created = datetime.now(UTC).isoformat(timespec="seconds")
    records, rows, index, used = [], [], [], set()
    for track in tracks:
        album = albums.get(album_key(track.artist, track.album))
        if album is None:
            report.unmatched.append(track)
            continue
        used.add(album_key(album.artist, album.album))
        record = _record(track, album, len(rows), created)
        index.append({"row": len(rows), "key": record["key"], "track_hash": track.track_hash, "labels_line": len(records)})
        rows.append(track.embedding)
        records.append(record)
    report.matched = len(records)
    report.albums_without_tracks = [a for k, a in albums.items() if k not in used]
    if not records:
        raise DataError(f"no track of {library_dir} matches an album of {metadata_csv} (artist and album tags against the CSV)")
    write_dataset_folder(out_dir, records, np.stack(rows), index, created)
    return report


def write_dataset_folder(out_dir: Path, records: list[dict], matrix: np.ndarray, index: list[dict], created: str) -> None:
    """Writes label records and their embedding rows in the corrections' layout (one version, "base")."""
    (out_dir / "labels").mkdir(parents=True, exist_ok=True)
    (out_dir / "embeddings").mkdir(exist_ok=True)
    (out_dir / "labels/base.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    matrix.astype("<f4").tofile(out_dir / "embeddings/base.f32")
    dim = int(matrix.shape[1])
    index_json = {"schema": 1, "dtype": "float32", "byte_order": "little", "dim": dim, "rows": index, "labels": "labels/base.jsonl"}
    (out_dir / "embeddings/base.index.json").write_text(json.dumps(index_json, indent=1) + "\n", encoding="utf-8")
    vocabulary = sorted({t for r in records for t in r["final_tags"]})
    manifest = {
        "schema": 1,
        "app": "eno-trainer prepare",
        "created_at": created,
        "tag_vocabulary": vocabulary,
        "counts": {"records": len(records), "embedding_rows": len(records)},
        "versions": [{"version": "base", "labels": "labels/base.jsonl", "embeddings": "embeddings/base.f32",
                      "embeddings_index": "embeddings/base.index.json", "records": len(records),
                      "embedding_rows": len(records), "embedding_dim": dim}],
        "label_files": ["labels/base.jsonl"],
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
