"""The validators: one module per kind of choreography file, each turning the TOML tables of its
file into the model (:mod:`..cues`, :mod:`..choreography`) while listing every problem it finds.

A new key of the format is read and checked in the module of the file it is written in (a
keyframe's in :mod:`.keyframe`), and becomes a field of the model's dataclass.
"""
