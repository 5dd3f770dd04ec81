"""Physics: articulated pymunk figures that follow the choreography. Never imports pygame."""
