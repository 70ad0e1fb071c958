"""`train`: read the config, run the training with ClearML (or offline), report, publish.

  train [--config small|full|FILE] [--remote] [--queue NAME] [key=value ...]
  train --offline --corrections-dir DIR [--base-dir DIR] [key=value ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from ..config import TRAINER_DIR, load_config
from ..errors import EXIT_USAGE
from ..pipeline import run_training
from ..report import Reporter
from ..tracking.tracker import OfflineTracker
from .common import install_interrupt_handlers, run_main


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="train", description="Trains a tag head on the corrections and publishes the bundle.")
    parser.add_argument("--config", default="small", help="small, full or a YAML file merged over configs/base.yaml")
    parser.add_argument("--remote", action="store_true", help="enqueue the task for an agent instead of running here")
    parser.add_argument("--queue", default=None, help="queue for --remote (default: clearml.queue of the config)")
    parser.add_argument("--offline", action="store_true", help="no ClearML: read local copies, publish nothing")
    parser.add_argument("--corrections-dir", type=Path, help="offline: local copy of the corrections dataset")
    parser.add_argument("--base-dir", type=Path, help="offline: local copy of the base dataset")
    parser.add_argument("overrides", nargs="*", help="config overrides, e.g. training.max_epochs=50")
    args = parser.parse_args(argv)
    if args.offline and not args.corrections_dir:
        parser.error("--offline needs --corrections-dir")
    if args.offline and args.remote:
        parser.error("--offline and --remote exclude each other")
    return args


def connected_config(tracker, config: DictConfig) -> DictConfig:
    """The config as the task holds it: this run's, or under an agent the one stored on the task."""
    with tempfile.TemporaryDirectory(prefix="eno-train-config-") as folder:
        path = Path(folder) / "trainer-config.yaml"
        path.write_text(OmegaConf.to_yaml(config, resolve=True), encoding="utf-8")
        stored = OmegaConf.load(tracker.connect_config(path))
    assert isinstance(stored, DictConfig)
    return stored


def main(argv: list[str] | None = None) -> int:
    """Runs `train`; returns the exit status."""
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:
        return EXIT_USAGE if stop.code else 0
    state: dict = {}

    def body() -> int:
        config = load_config(args.config, args.overrides)
        if args.offline:
            dirs = {f"{config.clearml.corrections.project}/{config.clearml.corrections.name}": args.corrections_dir}
            if args.base_dir:
                if not config.clearml.base_dataset:
                    config.clearml.base_dataset = {"project": "eno", "name": "rym-features", "version": None}
                dirs[f"{config.clearml.base_dataset.project}/{config.clearml.base_dataset.name}"] = args.base_dir
            tracker = OfflineTracker(dirs)
        else:
            from ..tracking.clearml_tracker import ClearmlTracker, check_reachable

            host = check_reachable()
            tracker = ClearmlTracker.start(config.clearml.project, config.clearml.task_name, TRAINER_DIR / "requirements.txt")
            state["tracker"] = tracker
            install_interrupt_handlers()
            config = connected_config(tracker, config)
            if args.remote and tracker.task.running_locally():
                queue = args.queue or config.clearml.queue
                print(f"train: task {tracker.task.id} on {host} goes to queue '{queue}'; an agent there runs it", flush=True)
                tracker.enqueue(queue)
                return 0
        outcome = run_training(config, tracker, Reporter(tracker))
        if outcome.published:
            print(f"train: model {outcome.published.model_id} published; pull it with: eno models pull {outcome.published.model_id}")
        else:
            print(f"train: bundle in {outcome.bundle_dir} (not published)")
        tracker.finish(True, "done")
        return 0

    def failed(message: str) -> None:
        if "tracker" in state:
            state["tracker"].finish(False, message)

    return run_main("train", body, failed)


if __name__ == "__main__":
    sys.exit(main())
