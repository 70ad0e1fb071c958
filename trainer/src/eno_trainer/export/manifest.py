"""The bundle's eno-model.json: the backbone's manifest with the joined vocabulary, a new id and
version, and the sha256 of the weights. Same schema as models/musicnn-msd/eno-model.json."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

CATEGORIES = ("genre", "descriptor", "era", "vocal", "instrument", "other")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def sha256_file(path: Path) -> str:
    """SHA-256 hex of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_version(now: datetime | None = None) -> str:
    """2.0.<UTC yyyymmddhhmmss>: newer runs sort after older ones."""
    moment = now or datetime.now(UTC)
    return f"2.0.{moment.strftime('%Y%m%d%H%M%S')}"


def build_manifest(
    backbone: dict,
    *,
    model_id: str,
    version: str,
    name: str,
    new_tags: list[tuple[str, str, float]],
    description: str,
) -> dict:
    """The backbone's tags as they are, then the trained ones (name, category, threshold)."""
    tags = [dict(t) for t in backbone["tags"]] + [
        {"name": n, "category": c, "threshold": round(float(t), 6)} for n, c, t in new_tags
    ]
    manifest = {
        "schema": 1,
        "id": model_id,
        "version": version,
        "name": name,
        "source": "trainer",
        "description": description,
        "input": backbone["input"],
        "outputs": backbone["outputs"],
        "tags": tags,
        "licence": f"{backbone['licence']} The added head was trained by eno's trainer on the owner's own labels.",
        "model_file": "model.onnx",
    }
    problems = manifest_problems(manifest)
    if problems:
        raise ValueError("; ".join(problems))
    return manifest


def manifest_problems(manifest: dict) -> list[str]:
    """What the app's manifest loader would reject (src-main/inference/manifest.ts)."""
    problems = []
    if not ID_PATTERN.match(str(manifest.get("id", ""))):
        problems.append(f"id '{manifest.get('id')}' may use letters, digits, '.', '_' and '-'")
    if not manifest.get("version"):
        problems.append("version is empty")
    names = [t.get("name") for t in manifest.get("tags", [])]
    if not names:
        problems.append("no tags")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(f"tags listed twice: {', '.join(duplicates)}")
    for tag in manifest.get("tags", []):
        if tag.get("category") not in CATEGORIES:
            problems.append(f"tag '{tag.get('name')}': category '{tag.get('category')}' is not one of {', '.join(CATEGORIES)}")
        if not 0.0 <= float(tag.get("threshold", -1)) <= 1.0:
            problems.append(f"tag '{tag.get('name')}': threshold {tag.get('threshold')} is not within 0..1")
    if "sha256" in manifest and not re.fullmatch(r"[0-9a-f]{64}", str(manifest["sha256"])):
        problems.append("sha256 is not 64 hex digits")
    return problems


def write_bundle(out_dir: Path, model_bytes: bytes, manifest: dict, licence_text: str) -> dict:
    """Writes model.onnx, eno-model.json (with the sha256) and LICENCE.txt; returns the final manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    weights = out_dir / "model.onnx"
    weights.write_bytes(model_bytes)
    final = {**manifest, "sha256": sha256_file(weights)}
    (out_dir / "eno-model.json").write_text(json.dumps(final, indent=1) + "\n", encoding="utf-8")
    (out_dir / "LICENCE.txt").write_text(licence_text, encoding="utf-8")
    return final
