"""Reads what `eno tag --data-dir` recorded in its library (SQLite, read-only): per track its content
hash, artist, album and title tags, and the embedding of the backbone's prediction."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataError


@dataclass(frozen=True)
class TaggedTrack:
    """A track of the library with its backbone embedding."""

    track_hash: str
    path: str
    artist: str | None
    album: str | None
    title: str | None
    duration_sec: float | None
    model_id: str
    model_version: str
    embedding: np.ndarray


QUERY = """
SELECT t.hash, (SELECT f.path FROM files f WHERE f.track_id = t.id ORDER BY f.id LIMIT 1),
       t.artist, t.album, t.title, t.duration_sec, m.id, m.version, p.embedding
FROM tracks t JOIN predictions p ON p.track_id = t.id JOIN models m ON m.key = p.model_key
WHERE t.hash IS NOT NULL AND p.embedding IS NOT NULL AND m.id = ?
ORDER BY t.id
"""


def read_tagged_tracks(data_dir: Path, backbone_id: str) -> list[TaggedTrack]:
    """Every track the backbone tagged, with its embedding (float32)."""
    db = data_dir / "eno.db"
    if not db.is_file():
        raise DataError(f"{db}: no library there (did the tagging run?)")
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = connection.execute(QUERY, (backbone_id,)).fetchall()
    except sqlite3.Error as error:
        raise DataError(f"{db}: cannot read the library ({error})") from error
    finally:
        connection.close()
    return [
        TaggedTrack(h, p or "", a, al, t, d, mid, mver, np.frombuffer(e, dtype="<f4").astype(np.float32))
        for h, p, a, al, t, d, mid, mver, e in rows
    ]
