"""The Return: a rehearsal-studio duet re-created as a living, self-scored scene."""

__version__ = "0.1.0"
