"""Command-line entry points: `python -m commands.<name> --help`."""
