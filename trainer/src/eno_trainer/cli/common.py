"""What both entry scripts share: logging set-up and turning errors into exit statuses."""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable

from ..errors import EXIT_FAILED, EXIT_INTERRUPTED, TrainerError
from ..interrupts import RunInterruptedError, request_stop


def _interrupt(signum: int, _frame: object) -> None:
    raise request_stop(signum)


def install_interrupt_handlers() -> None:
    """SIGTERM and SIGINT stop the run where it is. Called again after Task.init, whose own handlers
    would otherwise only mark the task stopped and let the run go on (and publish)."""
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)


def run_main(name: str, body: Callable[[], int], on_failure: Callable[[str], None] | None = None) -> int:
    """Runs `body`; a TrainerError or an interruption is one line on stderr and its exit status."""
    logging.basicConfig(level=logging.WARNING, format=f"{name}: %(name)s: %(message)s")
    install_interrupt_handlers()
    try:
        return body()
    except TrainerError as error:
        message, code = str(error), error.exit_code
    except RunInterruptedError as error:
        message, code = f"{error}; nothing was published", EXIT_INTERRUPTED
    except Exception as error:  # a bug: say what, keep the traceback for the log
        logging.getLogger(name).exception("unexpected error")
        message, code = f"unexpected error: {error}", EXIT_FAILED
    print(f"{name}: error: {message}", file=sys.stderr, flush=True)
    if on_failure:
        try:
            on_failure(message)
        except Exception as error:  # the server may be the problem
            print(f"{name}: the task could not be marked failed: {error}", file=sys.stderr)
    return code
