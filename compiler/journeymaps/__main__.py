"""Allow ``python -m journeymaps``."""

from journeymaps.cli import main

if __name__ == "__main__":  # spawned worker processes import this module again: no second run
    main()
