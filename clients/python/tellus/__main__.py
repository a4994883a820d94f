"""``python -m tellus``: the same as the ``tellus`` command."""
import sys

from .cli import main

sys.exit(main())
