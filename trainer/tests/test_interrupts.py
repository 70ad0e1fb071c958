"""A stop asked for by SIGTERM holds even when the exception its handler raised is swallowed by
code the run calls (the SDK's reporting has bare `except:` clauses): the next epoch stops the run,
and nothing is published."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from eno_trainer import interrupts
from eno_trainer.interrupts import RunInterruptedError, raise_if_stopped, request_stop
from eno_trainer.pipeline import run_training
from eno_trainer.report import Reporter
from eno_trainer.tracking.tracker import OfflineTracker


@pytest.fixture(autouse=True)
def no_stop_left():
    yield
    interrupts._stop = None


def test_a_stop_is_remembered_after_its_first_raise() -> None:
    raise_if_stopped()
    error = request_stop(signal.SIGTERM)
    assert str(error) == "interrupted by SIGTERM"
    with pytest.raises(RunInterruptedError, match="interrupted by SIGTERM"):
        raise_if_stopped()


# Regression: a SIGTERM that arrived while the SDK was logging a scalar was swallowed, and the run
# trained to the end and published.
def test_the_epoch_loop_stops_when_the_signal_was_swallowed(corrections_dir: Path, small_config) -> None:
    epochs: list[int] = []

    class SwallowingTracker(OfflineTracker):
        def log_scalar(self, title: str, series: str, value: float, iteration: int) -> None:
            if series == "train_loss":
                epochs.append(iteration)
            if iteration == 3:
                try:  # the handler's raise lands in reporting code that catches everything
                    raise request_stop(signal.SIGTERM)
                except BaseException:
                    pass
            super().log_scalar(title, series, value, iteration)

    small_config.training.max_epochs = 200
    small_config.training.patience = 200
    tracker = SwallowingTracker({"eno/corrections": corrections_dir})
    with pytest.raises(RunInterruptedError, match="interrupted by SIGTERM"):
        run_training(small_config, tracker, Reporter(tracker))
    assert epochs[-1] == 3
