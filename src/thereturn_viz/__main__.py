"""``python -m thereturn_viz``."""

import sys

from .cli import main

sys.exit(main())
