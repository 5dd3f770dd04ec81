"""Running the piece: the loop, the player, the kiosk, export and bench. Only here: the display."""
