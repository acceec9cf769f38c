"""Thin command-line entry: ``python build.py build|serve|pdf|check|new``."""

import sys

if __name__ == "__main__":
    try:
        from jishi.cli import main

        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C while Python was still starting: nothing was written
        sys.exit(130)
