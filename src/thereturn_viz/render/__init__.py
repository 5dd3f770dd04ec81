"""Render: FrameState -> pygame.Surface. Surfaces and draw calls only, never display or events."""
