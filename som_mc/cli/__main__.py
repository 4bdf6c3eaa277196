"""``python -m som_mc.cli``: the same as ``som-mc``."""

import sys

from som_mc.cli import main

sys.exit(main())
