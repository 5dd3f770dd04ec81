"""The air and the dust it carries. numpy only, seeded, never pygame."""
