"""Shared fixtures: synthetic datasets and configs that run in seconds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eno_trainer.config import load_config
from synthetic import genre_tracks, write_version


@pytest.fixture
def corrections_dir(tmp_path: Path) -> Path:
    """A two-version corrections dataset with three learnable new tags."""
    root = tmp_path / "corrections"
    tracks = genre_tracks()
    write_version(root, "1.0.0", tracks[: len(tracks) // 2])
    write_version(root, "1.0.1", tracks[len(tracks) // 2 :])
    return root


@pytest.fixture
def small_config(tmp_path: Path):
    """The small config writing its bundle under tmp_path."""
    return load_config("small", [f"export.out_dir={tmp_path / 'outputs'}", "export.version=2.0.1"])
