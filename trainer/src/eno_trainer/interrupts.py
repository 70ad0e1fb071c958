"""A stop asked for by a signal, kept where the run can see it. The signal handler raises at once,
but code the run calls (the ClearML SDK's reporting, for one) has bare `except:` clauses that can
swallow that exception; the run also checks here between epochs and before publishing."""

from __future__ import annotations

import signal


class RunInterruptedError(BaseException):
    """SIGTERM or SIGINT arrived. A BaseException, like KeyboardInterrupt: code that catches
    Exception broadly does not swallow it."""


_stop: str | None = None


def request_stop(signum: int) -> RunInterruptedError:
    """Records that a signal asked the run to stop; returns the error to raise."""
    global _stop
    _stop = f"interrupted by {signal.Signals(signum).name}"
    return RunInterruptedError(_stop)


def raise_if_stopped() -> None:
    """Raises RunInterruptedError when a signal asked the run to stop, even if its first raise was swallowed."""
    if _stop is not None:
        raise RunInterruptedError(_stop)
