"""The trainer's figures on the shared labelled clips (../shared/labelled): the engine tags the 40
clips, each gets its genre and the GEMS moods that at least 30% of its listeners felt as tags, and
the small config trains offline on them (album split). Prints the per-tag validation figures and
the backbone's on the same clips.

  npm run bench:trainer        (or: PY trainer/bench/labelled_figures.py [WORK_DIR])
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from eno_trainer.config import REPO_ROOT, load_config
from eno_trainer.pipeline import run_training
from eno_trainer.prepare.build import run_engine, write_dataset_folder
from eno_trainer.prepare.library_reader import read_tagged_tracks
from eno_trainer.report import Reporter
from eno_trainer.tracking.tracker import OfflineTracker

LABELLED = REPO_ROOT.parent / "shared" / "labelled"
MOODS = {
    "amazement": "amazing", "solemnity": "solemn", "tenderness": "tender", "nostalgia": "nostalgic", "calmness": "calm",
    "power": "powerful", "joyful_activation": "joyful", "tension": "tense", "sadness": "sad",
}
SHARE = 0.3


def labels_of(row: dict[str, str]) -> list[str]:
    """The clip's genre and the moods at least SHARE of its listeners reported."""
    return [row["genre"], *(tag for key, tag in MOODS.items() if float(row[f"{key}_share"]) >= SHARE)]


def main(work: Path) -> None:
    """Tags, builds the dataset, trains offline and prints the figures."""
    library = work / "library"
    run_engine(LABELLED, library, "npm run --silent eno --", "cpu")
    with (LABELLED / "labels.csv").open(newline="") as f:
        wanted = {row["file"]: labels_of(row) for row in csv.DictReader(f)}
    records, rows, index = [], [], []
    for track in read_tagged_tracks(library, "musicnn-msd"):
        tags = wanted.get(Path(track.path).name)
        if tags is None:
            continue
        key = f"labelled-{Path(track.path).stem}"
        index.append({"row": len(rows), "key": key, "track_hash": track.track_hash, "labels_line": len(records)})
        records.append({"key": key, "track_hash": track.track_hash, "artist": track.artist, "album": track.album, "title": track.title,
                        "final_tags": tags, "model_id": track.model_id, "model_version": track.model_version,
                        "reviewed_at": None, "embedding_row": len(rows),
                        "tag_categories": {tags[0]: "genre", **{t: "descriptor" for t in tags[1:]}}})
        rows.append(track.embedding)
    import numpy as np

    write_dataset_folder(work / "dataset", records, np.stack(rows), index, "bench")
    config = load_config("small", [f"export.out_dir={work / 'outputs'}", "data.val_fraction=0.3"])
    tracker = OfflineTracker({"eno/corrections": work / "dataset"})
    run_training(config, tracker, Reporter(tracker))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory(prefix="eno-trainer-bench-") as folder:
            main(Path(folder))
