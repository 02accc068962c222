"""Allow ``python -m journeymaps``; also the ``journeymaps`` command's entry point."""

import sys


def run() -> None:
    """Start the CLI. Ctrl+C while its modules load (a second or more on a busy machine)
    ends the run as it does later: exit 130 and one line, never a traceback."""
    try:
        from journeymaps.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("\njourneymaps: interrupted\n")
        sys.exit(130)
    main()


if __name__ == "__main__":  # spawned worker processes import this module again: no second run
    run()
