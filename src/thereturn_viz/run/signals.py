"""Stopping work from a signal handler by raising, where the raise is not lost.

Export stops its drawing on SIGINT and SIGTERM by raising from the signal's handler, the quickest
way out of whatever the main thread is doing. Python runs the handler between two lines of
Python code, and some of those lines run inside pymunk's solver, which calls back into Python
(the figures' weight is read in such a callback every step). An exception raised there is
printed as "Exception ignored" and swallowed, and the export drew on to the end: the suite's
signal test failed that way about one run in five on a loaded machine. So a stop that would be
raised inside a callback is raised a millisecond later instead (SIGALRM), outside it.
"""

from __future__ import annotations

import signal
from types import FrameType

from ..physics.solver import called_back

#: How long a stop waits to be raised again when it falls inside the solver's callback (s): a
#: callback takes microseconds, so the next try almost always lands outside.
RETRY = 0.001


def raise_outside_callbacks(stop: BaseException, frame: FrameType | None) -> None:
    """Raise ``stop`` now, or, if ``frame`` runs inside pymunk's callback, from a SIGALRM a
    moment later (tried again the same way until it lands outside)."""
    if not called_back(frame):
        raise stop

    def again(signum: int, later: FrameType | None) -> None:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        raise_outside_callbacks(stop, later)

    signal.signal(signal.SIGALRM, again)
    signal.setitimer(signal.ITIMER_REAL, RETRY)


def cancel_pending() -> None:
    """Forget a stop still waiting to be raised again: called where the work that stops ends, so
    a retry armed in its last millisecond cannot raise outside the code that catches it."""
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
