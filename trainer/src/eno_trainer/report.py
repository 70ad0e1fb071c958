"""Every figure goes to stdout and to the tracker alike."""

from __future__ import annotations

import math
import sys

from .tracking.tracker import Tracker


def fmt(value: float) -> str:
    """A figure with three decimals, or n/a."""
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"


class Reporter:
    """Prints lines and figures, and sends them to the tracker."""

    def __init__(self, tracker: Tracker, stream=None) -> None:
        self.tracker = tracker
        self.stream = stream or sys.stdout

    def say(self, line: str) -> None:
        """A line for the person running the trainer, also in the task's log."""
        print(line, file=self.stream, flush=True)
        self.tracker.log_text(line)

    def figure(self, title: str, series: str, value: float, iteration: int = 0, quiet: bool = False) -> None:
        """A scalar for the tracker (NaN is skipped there), printed unless quiet."""
        if not quiet:
            print(f"  {title} / {series}: {fmt(value)}", file=self.stream, flush=True)
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            self.tracker.log_scalar(title, series, value, iteration)

    def table(self, title: str, series: str, rows: list[list[object]]) -> None:
        """A table, printed aligned and sent as a table."""
        text = [[fmt(c) if isinstance(c, float) else str(c) for c in row] for row in rows]
        widths = [max(len(r[i]) for r in text) for i in range(len(text[0]))]
        print(f"{title} ({series}):", file=self.stream)
        for row in text:
            print("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)), file=self.stream)
        self.stream.flush()
        self.tracker.log_table(title, series, [[c if not (isinstance(c, float) and math.isnan(c)) else "n/a" for c in row] for row in rows])
