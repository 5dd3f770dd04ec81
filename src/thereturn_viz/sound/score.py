"""What is played when. Until the composition lands, the score is silence of the piece's length.

The public contract: :func:`render_score` returns ``(rate, samples)`` with ``samples`` an int16
array of shape ``(n, 2)`` covering ``0 .. sheet.duration`` exactly.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..show.choreography import Choreography

RATE = 48_000


def render_score(choreography: Choreography) -> tuple[int, NDArray[np.int16]]:
    n = round(choreography.sheet.duration * RATE)
    return RATE, np.zeros((n, 2), np.int16)
