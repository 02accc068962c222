"""Allow ``python -m journeymaps``."""

from journeymaps.cli import main

main()
