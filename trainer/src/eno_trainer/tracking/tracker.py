"""What the training run reports and where: the interface, and the offline tracker that only prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class PreviousModel:
    """A registered model to compare with: its manifest and its local ONNX file."""

    model_id: str
    name: str
    manifest: dict
    onnx_path: Path


@dataclass(frozen=True)
class Published:
    """Where the new model went."""

    model_id: str
    url: str


class Tracker(Protocol):
    """The run's link to the experiment tracker."""

    can_publish: bool

    def fetch_dataset(self, project: str, name: str, version: str | None) -> tuple[Path, str]:
        """Local copy of a dataset version, and a label naming it ("eno/corrections 1.0.3")."""
        ...

    def log_scalar(self, title: str, series: str, value: float, iteration: int) -> None:
        """One figure (plotted per iteration)."""
        ...

    def log_table(self, title: str, series: str, rows: list[list[object]]) -> None:
        """A table; the first row is the header."""
        ...

    def log_text(self, text: str) -> None:
        """A line of the run's log."""
        ...

    def previous_model(self, tag: str) -> PreviousModel | None:
        """The newest published model with the tag, downloaded; None when there is none."""
        ...

    def publish(self, bundle_dir: Path, manifest: dict, comment: str, metadata: dict[str, str]) -> Published:
        """Registers the bundle's weights with the manifest as configuration, and publishes it."""
        ...

    def finish(self, ok: bool, message: str) -> None:
        """Closes the run, marking it failed with the message when not ok."""
        ...


class OfflineTracker:
    """No tracker: datasets come from local folders, figures are printed, nothing is published."""

    can_publish = False

    def __init__(self, local_dirs: dict[str, Path]) -> None:
        self.local_dirs = local_dirs

    def fetch_dataset(self, project: str, name: str, version: str | None) -> tuple[Path, str]:
        key = f"{project}/{name}"
        if key not in self.local_dirs:
            from ..errors import DataError

            raise DataError(f"{key}: no local copy given (offline run: pass its folder)")
        return self.local_dirs[key], f"{key} (local copy {self.local_dirs[key]})"

    def log_scalar(self, title: str, series: str, value: float, iteration: int) -> None:
        pass

    def log_table(self, title: str, series: str, rows: list[list[object]]) -> None:
        pass

    def log_text(self, text: str) -> None:
        pass

    def previous_model(self, tag: str) -> PreviousModel | None:
        return None

    def publish(self, bundle_dir: Path, manifest: dict, comment: str, metadata: dict[str, str]) -> Published:
        raise RuntimeError("an offline run does not publish")

    def finish(self, ok: bool, message: str) -> None:
        pass
