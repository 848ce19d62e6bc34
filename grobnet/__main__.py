"""``python -m grobnet`` is the command line interface."""
import sys

from grobnet.cli import main

sys.exit(main())
