"""The environment variables that name a file or folder, checked before a command runs.

A value of spaces alone (a variable lost in templating: ``JOURNEYMAPS_CACHE: "${X} "``) was
read as a relative name: ``JOURNEYMAPS_CACHE="   "`` made a folder named three spaces in
the project, the cache in it, for ``git add -A`` to commit. Empty is unset, as for every
variable; spaces alone are refused.
"""

from __future__ import annotations

import os

#: Each variable that names a file or folder journeymaps writes.
PATH_VARIABLES = ("JOURNEYMAPS_CACHE", "JOURNEYMAPS_CACHE_KEY_FILE")


def problem() -> str | None:
    """Why the environment cannot be used as it is, in words; None when it can."""
    for name in PATH_VARIABLES:
        value = os.environ.get(name)
        if value and not value.strip():
            return f"{name} is only spaces ({value!r}): name a file or folder, or leave it unset"
    return None
