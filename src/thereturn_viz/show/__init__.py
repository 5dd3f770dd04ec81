"""The show: cue sheet, time, easing and choreography. Pure Python and numpy, never pygame."""
