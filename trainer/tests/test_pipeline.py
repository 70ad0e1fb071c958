"""A whole offline run on a synthetic dataset: the bundle, its manifest and the export check; and
the bad inputs, each a clear message and its exit status from the entry script."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from eno_trainer.cli.train import main as train_main
from eno_trainer.config import REPO_ROOT
from eno_trainer.errors import EXIT_DATA, EXIT_USAGE, ExportCheckError
from eno_trainer.export.check import check_bundle
from eno_trainer.export.manifest import sha256_file
from eno_trainer.pipeline import run_training
from eno_trainer.report import Reporter
from eno_trainer.tracking.tracker import OfflineTracker
from synthetic import Track, genre_tracks, write_version

BACKBONE = REPO_ROOT / "models" / "musicnn-msd"


def test_offline_run_writes_a_bundle_the_app_can_load(corrections_dir: Path, small_config, capsys) -> None:
    tracker = OfflineTracker({"eno/corrections": corrections_dir})
    outcome = run_training(small_config, tracker, Reporter(tracker))
    out = capsys.readouterr().out
    assert "training 3 tag(s): classical, dub, shoegaze" in out and "export check passed" in out
    assert outcome.published is None
    assert {m.tag: m.pr_auc for m in outcome.result.per_tag} == pytest.approx({"classical": 1.0, "dub": 1.0, "shoegaze": 1.0}, abs=0.25)

    bundle = outcome.bundle_dir
    manifest = json.loads((bundle / "eno-model.json").read_text())
    backbone = json.loads((BACKBONE / "eno-model.json").read_text())
    assert set(manifest) == set(backbone) | {"model_file"}
    assert manifest["tags"][:50] == backbone["tags"]
    assert [t["name"] for t in manifest["tags"][50:]] == ["classical", "dub", "shoegaze"]
    assert manifest["sha256"] == sha256_file(bundle / "model.onnx")
    assert manifest["id"] == "eno-musicnn-msd" and manifest["version"] == "2.0.1"

    # The graph: same inputs and outputs as the backbone, 53 activations, the backbone's unchanged.
    session = ort.InferenceSession(str(bundle / "model.onnx"), providers=["CPUExecutionProvider"])
    reference = ort.InferenceSession(str(BACKBONE / "model.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["logmel"]
    assert [o.name for o in session.get_outputs()] == ["activations", "embedding"]
    patches = np.abs(np.random.default_rng(3).normal(1.0, 1.0, (3, 187, 96))).astype(np.float32)
    act, emb = session.run(None, {"logmel": patches})
    ref_act, ref_emb = reference.run(None, {"logmel": patches})
    assert act.shape == (3, 53)
    assert np.max(np.abs(act[:, :50] - ref_act)) < 1e-5 and np.max(np.abs(emb - ref_emb)) < 1e-5
    assert outcome.check.head_max_abs_diff <= 1e-5


def test_the_export_check_fails_when_the_graph_does_not_match_the_head(corrections_dir: Path, small_config) -> None:
    tracker = OfflineTracker({"eno/corrections": corrections_dir})
    outcome = run_training(small_config, tracker, Reporter(tracker))
    composed = onnx.load(str(outcome.bundle_dir / "model.onnx"))
    backbone = onnx.load(str(BACKBONE / "model.onnx"))
    x = np.random.default_rng(0).normal(size=(5, 200)).astype(np.float32)

    def wrong(e):
        return outcome.result.head(__import__("torch").as_tensor(e)).detach().numpy() + 1e-3

    with pytest.raises(ExportCheckError, match="export check failed"):
        check_bundle(composed, backbone, outcome.manifest, outcome.manifest["sha256"], wrong, x, "probabilities", 1e-5)
    bad = {**outcome.manifest, "tags": [*outcome.manifest["tags"], outcome.manifest["tags"][0]]}
    with pytest.raises(ExportCheckError, match="listed twice"):
        check_bundle(composed, backbone, bad, outcome.manifest["sha256"], wrong, x, "probabilities", 1e-5)


def _train(tmp_path: Path, corrections: Path, *extra: str) -> int:
    return train_main(["--offline", "--corrections-dir", str(corrections), f"export.out_dir={tmp_path / 'out'}", *extra])


def test_an_empty_dataset_stops_with_a_clear_message(tmp_path: Path, capsys) -> None:
    write_version(tmp_path / "c", "1.0.0", [])
    assert _train(tmp_path, tmp_path / "c") == EXIT_DATA
    assert "holds no label records" in capsys.readouterr().err


def test_a_missing_dataset_stops_with_a_clear_message(tmp_path: Path, capsys) -> None:
    assert _train(tmp_path, tmp_path / "nowhere") == EXIT_DATA
    assert "nowhere is not a folder" in capsys.readouterr().err


def test_a_version_without_embeddings_stops(tmp_path: Path, capsys) -> None:
    write_version(tmp_path / "c", "1.0.0", genre_tracks(4), with_embeddings=False)
    assert _train(tmp_path, tmp_path / "c") == EXIT_DATA
    err = capsys.readouterr().err
    assert "none of the 16 track(s) has a usable embedding" in err and "without an embedding" in err


def test_embeddings_of_another_backbone_stop(tmp_path: Path, capsys) -> None:
    tracks = genre_tracks(4)
    for t in tracks:
        t.model_id = "efficientat-mn04"
    write_version(tmp_path / "c", "1.0.0", tracks)
    assert _train(tmp_path, tmp_path / "c") == EXIT_DATA
    assert "embeddings of model 'efficientat-mn04' (another backbone)" in capsys.readouterr().err


def test_a_tag_on_every_track_is_not_trained(tmp_path: Path, capsys) -> None:
    write_version(tmp_path / "c", "1.0.0", [Track(n, ["ambient drone"], album=f"a{n}") for n in range(12)])
    assert _train(tmp_path, tmp_path / "c") == EXIT_DATA
    err = capsys.readouterr().err
    assert "no tag can be trained" in err and "'ambient drone': present on every track (12)" in err


def test_usage_errors(tmp_path: Path, capsys) -> None:
    assert train_main(["--config", "nope"]) == EXIT_USAGE
    assert "config 'nope': no such variant" in capsys.readouterr().err
    assert train_main(["--offline"]) == EXIT_USAGE
