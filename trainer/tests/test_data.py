"""Reading a local copy, latest-wins merge, embedding join and the album split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eno_trainer.data.examples import join_examples
from eno_trainer.data.local_copy import read_local_copy
from eno_trainer.data.records import merge_latest, read_label_file
from eno_trainer.data.split import split_by_album
from eno_trainer.data.vocabulary import choose_vocabulary
from eno_trainer.errors import DataError
from synthetic import Track, genre_tracks, write_version

COMPATIBLE = {"musicnn-msd", "eno-musicnn-msd"}


def test_latest_reviewed_at_wins_per_track(tmp_path: Path) -> None:
    write_version(tmp_path, "1.0.0", [Track(1, ["pop"], reviewed_at="2026-01-02T10:00:00.000Z"), Track(2, ["dub"])])
    # Track 1 corrected again later; an older-dated record in a newer version loses.
    write_version(tmp_path, "1.0.1", [Track(1, ["classical"], reviewed_at="2026-03-01T10:00:00Z"), Track(2, ["pop"], reviewed_at="2025-12-01T10:00:00Z")])
    dataset = read_local_copy(tmp_path, "corrections")
    latest = merge_latest(dataset.records)
    assert latest[Track(1, []).track_hash].final_tags == ("classical",)
    assert latest[Track(2, []).track_hash].final_tags == ("dub",)
    examples, report = join_examples([dataset], COMPATIBLE, 200)
    assert report.records_read == 4 and report.tracks == 2 and report.used == 2
    assert {e.tags for e in examples} == {frozenset({"classical"}), frozenset({"dub"})}


def test_embeddings_join_by_row_and_other_backbones_are_left_out(tmp_path: Path) -> None:
    tracks = [Track(1, ["a"]), Track(2, ["a"], model_id="efficientat-mn04"), Track(3, ["b"])]
    write_version(tmp_path, "1.0.0", tracks)
    dataset = read_local_copy(tmp_path, "corrections")
    examples, report = join_examples([dataset], COMPATIBLE, 200)
    assert [e.track_hash for e in examples] == [tracks[0].track_hash, tracks[2].track_hash]
    assert report.other_backbone == {"efficientat-mn04": 1}
    assert any("efficientat-mn04" in line and "another backbone" in line for line in report.lines())
    row = dataset.tables["labels/1.0.0.jsonl"].matrix[2]
    assert (examples[1].embedding == row).all()


def test_a_newer_record_without_embedding_keeps_the_older_embedding_of_the_same_audio(tmp_path: Path) -> None:
    write_version(tmp_path, "1.0.0", [Track(1, ["a"])])
    write_version(tmp_path, "1.0.1", [Track(1, ["b"], reviewed_at="2026-02-01T00:00:00Z")], with_embeddings=False)
    examples, _ = join_examples([read_local_copy(tmp_path, "c")], COMPATIBLE, 200)
    assert len(examples) == 1 and examples[0].tags == frozenset({"b"})


def test_wrong_embedding_size_is_left_out(tmp_path: Path) -> None:
    write_version(tmp_path, "1.0.0", [Track(1, ["a"]), Track(2, ["a"])], dim=64)
    examples, report = join_examples([read_local_copy(tmp_path, "c")], COMPATIBLE, 200)
    assert examples == [] and report.wrong_dim == 2


def test_bad_lines_are_reported_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "labels").mkdir()
    good = json.dumps({"track_hash": "ab", "final_tags": ["x"], "embedding_row": None})
    (tmp_path / "labels/1.0.0.jsonl").write_text(f"{good}\nnot json\n" + json.dumps({"final_tags": ["x"]}) + "\n")
    problems: list[str] = []
    records = read_label_file(tmp_path, "labels/1.0.0.jsonl", problems)
    assert len(records) == 1
    assert problems[0].startswith("labels/1.0.0.jsonl:2:") and problems[1] == "labels/1.0.0.jsonl:3: no track_hash"


def test_a_missing_manifest_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"manifest.json: missing"):
        read_local_copy(tmp_path, "corrections")


def test_split_keeps_albums_together_and_puts_each_tag_on_both_sides() -> None:
    tracks = genre_tracks(count_per_tag=10)
    examples, _ = _examples(tracks)
    train, val = split_by_album(examples, 0.3, seed=5)
    assert sorted(train + val) == list(range(len(examples)))
    train_albums = {examples[i].group for i in train}
    assert not train_albums & {examples[i].group for i in val}
    for tag in ("classical", "shoegaze", "dub"):
        assert any(tag in examples[i].tags for i in val) and any(tag in examples[i].tags for i in train)
    assert split_by_album(examples, 0.3, seed=5) == (train, val)


def test_vocabulary_reports_every_tag_not_trained() -> None:
    tracks = genre_tracks(count_per_tag=8)
    for t in tracks:
        t.tags = [*t.tags, "music"]  # on every track
    tracks.append(Track(999, ["rare", "music"], album="rare album"))
    examples, _ = _examples(tracks)
    train, val = split_by_album(examples, 0.3, seed=1)
    vocabulary = choose_vocabulary(
        examples, train, val, backbone_categories={"rock": "genre"}, min_positives=2, min_negatives=2, exclude=[],
        configured_categories={"dub": "genre"},
    )
    assert vocabulary.tags == ["classical", "dub", "shoegaze"]
    assert vocabulary.categories == {"classical": "other", "dub": "genre", "shoegaze": "other"}
    assert "present on every track" in vocabulary.skipped["music"]
    assert "too few positives" in vocabulary.skipped["rare"]
    assert "backbone" in vocabulary.skipped["rock"]


def _examples(tracks: list[Track]):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        write_version(Path(folder), "1.0.0", tracks)
        return join_examples([read_local_copy(Path(folder), "c")], COMPATIBLE, 200)


def test_corrections_win_over_the_base_dataset_for_the_same_audio(tmp_path: Path) -> None:
    write_version(tmp_path / "base", "base", [Track(1, ["Shoegaze"], reviewed_at="2030-01-01T00:00:00Z"), Track(2, ["Dream Pop"])])
    write_version(tmp_path / "corrections", "1.0.0", [Track(1, ["post-rock"], reviewed_at="2026-01-01T00:00:00Z")])
    datasets = [read_local_copy(tmp_path / "base", "base"), read_local_copy(tmp_path / "corrections", "corrections")]
    examples, report = join_examples(datasets, COMPATIBLE, 200)
    assert report.tracks == 2
    assert {e.track_hash: e.tags for e in examples} == {Track(1, []).track_hash: frozenset({"post-rock"}), Track(2, []).track_hash: frozenset({"Dream Pop"})}
