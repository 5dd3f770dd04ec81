"""The score: composition, synthesis and the clocks. numpy and scipy, never pygame."""
