"""``@record``: a frozen dataclass to the type checker, a plain one at run time.

The compiler's values (the model, diagnostics, settings, findings) are never changed once
made, and mypy holds every module to that: assigning a field of a ``@record`` is an error, as
for ``@dataclass(frozen=True)``. At run time the check cost too much for what it caught
nowhere else (issue 18):

- every instance set each of its fields through ``object.__setattr__``, about 4 times the
  time of a plain dataclass to make one (a third of modelling a map);
- every class generated a ``__setattr__`` and a ``__delattr__`` at import: a frozen class
  of 10 fields took ~1.3 ms to define against ~0.7 ms, and ``journeymaps lint`` defines 45
  dataclasses before reading a file, most of them frozen (29 ms of a 105 ms run; 20 ms now).
  One-file lint is the pre-commit and editor case, where start-up is the wait.

Instances hash by their fields as frozen ones do (``unsafe_hash``: the fields never change).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:  # only the type checker reads it; typing_extensions is not a dependency

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorator: decorator


_T = TypeVar("_T")


@overload
def record(cls: type[_T], /) -> type[_T]: ...


@overload
def record(*, slots: bool = False) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T] | None = None, /, *, slots: bool = False) -> Any:
    """``@record`` or ``@record(slots=True)``: see the module's docstring."""

    def wrap(c: type[_T]) -> type[_T]:
        return dataclass(c, slots=slots, unsafe_hash=True)

    return wrap if cls is None else wrap(cls)
