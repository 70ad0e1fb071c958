"""A dataset's local copy (what `Dataset.get_local_copy()` returns): manifest.json, every labels file
and the float32 embeddings each version wrote, read into label records plus embedding rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import DataError
from .records import LabelRecord, read_label_file


@dataclass
class EmbeddingTable:
    """The rows one version wrote: `matrix[row]` belongs to the record at `labels_line` of `labels`."""

    labels: str
    path: str
    matrix: np.ndarray
    keys: dict[int, str]


@dataclass
class LocalDataset:
    """Every label record of a dataset, in the order written, and the embedding tables by labels file."""

    root: Path
    name: str
    records: list[LabelRecord]
    tables: dict[str, EmbeddingTable]
    problems: list[str] = field(default_factory=list)

    def embedding_of(self, record: LabelRecord) -> np.ndarray | None:
        """The record's embedding, or None when it has none."""
        table = self.tables.get(record.labels_file)
        if table is None or record.embedding_row is None or record.embedding_row >= len(table.matrix):
            return None
        expected = table.keys.get(record.embedding_row)
        if expected is not None and expected != record.key:
            return None
        return table.matrix[record.embedding_row]


def _read_json(root: Path, relative: str, what: str) -> dict:
    path = root / relative
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise DataError(f"{path}: missing ({what})") from error
    except (OSError, json.JSONDecodeError) as error:
        raise DataError(f"{path}: not readable JSON ({what}): {error}") from error
    if not isinstance(value, dict):
        raise DataError(f"{path}: {what} is not a JSON object")
    return value


def _read_table(root: Path, labels: str, index_rel: str, problems: list[str]) -> EmbeddingTable | None:
    try:
        index = _read_json(root, index_rel, "embedding index")
    except DataError as error:
        problems.append(str(error))
        return None
    dim = index.get("dim")
    rows = index.get("rows")
    path_rel = index_rel.removesuffix(".index.json") + ".f32"
    if not isinstance(dim, int) or dim <= 0 or not isinstance(rows, list):
        problems.append(f"{index_rel}: no dim or rows")
        return None
    data_path = root / path_rel
    try:
        raw = np.fromfile(data_path, dtype="<f4")
    except OSError as error:
        problems.append(f"{path_rel}: cannot be read ({error})")
        return None
    if raw.size != len(rows) * dim:
        problems.append(f"{path_rel}: holds {raw.size} values, the index says {len(rows)} rows of {dim}")
        return None
    keys = {int(r["row"]): str(r["key"]) for r in rows if isinstance(r, dict) and "row" in r and "key" in r}
    return EmbeddingTable(labels=labels, path=path_rel, matrix=raw.reshape(len(rows), dim).astype(np.float32), keys=keys)


def read_local_copy(root: Path, name: str) -> LocalDataset:
    """Reads a local copy; a missing manifest is an error, a bad file is reported and skipped."""
    if not root.is_dir():
        raise DataError(f"{name}: local copy {root} is not a folder")
    manifest = _read_json(root, "manifest.json", f"the table of contents of {name}")
    label_files = manifest.get("label_files")
    if not isinstance(label_files, list) or not all(isinstance(f, str) for f in label_files):
        raise DataError(f"{root / 'manifest.json'}: label_files is not a list of paths")
    problems: list[str] = []
    records: list[LabelRecord] = []
    for relative in label_files:
        records.extend(read_label_file(root, relative, problems))
    indexes: dict[str, str] = {}
    for version in manifest.get("versions") or []:
        if isinstance(version, dict) and version.get("labels") and version.get("embeddings_index"):
            indexes[str(version["labels"])] = str(version["embeddings_index"])
    for labels in label_files:
        # Versions written by other tools follow the same naming: labels/V.jsonl -> embeddings/V.index.json.
        guess = "embeddings/" + Path(labels).name.removesuffix(".jsonl") + ".index.json"
        if labels not in indexes and (root / guess).is_file():
            indexes[labels] = guess
    tables = {}
    for labels, index_rel in indexes.items():
        table = _read_table(root, labels, index_rel, problems)
        if table is not None:
            tables[labels] = table
    return LocalDataset(root=root, name=name, records=records, tables=tables, problems=problems)
