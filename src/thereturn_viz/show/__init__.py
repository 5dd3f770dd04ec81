"""The show: the piece as data, and the reading of it. Pure Python and numpy, never pygame.

The model (frozen dataclasses and their pure methods): :mod:`.cues` and :mod:`.tempo` (the cue
sheet and its bars), :mod:`.choreography` (poses, dancers' keyframes, contacts), :mod:`.anatomy`,
with :mod:`.timing`, :mod:`.easing`, :mod:`.effort`, :mod:`.kinematics` and :mod:`.looks`.
Reading it: :mod:`.reading` (a file, safely), :mod:`.validate` (one validator per kind of file),
:mod:`.loader` (a whole folder), all reporting :mod:`.errors`' problems.
"""
