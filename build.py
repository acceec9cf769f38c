"""Thin command-line entry: ``python build.py build|serve|pdf|check|new``."""

import sys

from jishi.cli import main

if __name__ == "__main__":
    sys.exit(main())
