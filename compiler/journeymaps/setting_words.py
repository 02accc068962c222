"""A settings change in a reviewer's words: each setting's value before and after
("cost-per-contact $12 → $25"), and what a new price does to the costs a diff lists.

A pull request that changed the price of a contact said only "cost-per-contact" beside a
journey's cost of inaction that nearly doubled: the reader could not tell the price from the
pain, nor that the costs listed count both sides at the new price (cost_changes.money_changes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

from journeymaps.settings import Settings

#: The prices a diff's money lines use: what each prices, and per what.
PRICES = {
    "cost-per-contact": ("cost of inaction", "a contact"),
    "value-per-customer": ("revenue at risk", "a customer"),
}
#: A value longer than this is left out: the setting's name is said, its value is in the file.
LONGEST = 60


#: Settings fields that are not settings a file writes.
NOT_SETTINGS = frozenset({"root", "file", "paths_at"})


def keys(was: Settings, now: Settings) -> list[str]:
    """The settings that differ, as a settings file names them (``rules.missing-owner``)."""
    out = []
    for f in fields(Settings):
        if f.name in NOT_SETTINGS:
            continue
        a, b, key = getattr(was, f.name), getattr(now, f.name), f.name.replace("_", "-")
        if isinstance(a, dict) and isinstance(b, dict):
            out += [f"{key}.{k}" for k in sorted(a.keys() | b.keys(), key=str) if a.get(k) != b.get(k)]
        elif is_dataclass(a) and type(a) is type(b) and a != b:  # a table: [measure] metrics = ...
            out += [
                f"{key}.{g.name.replace('_', '-')}"
                for g in fields(a)
                if getattr(a, g.name) != getattr(b, g.name)
            ]
        elif a != b:
            out.append(key)
    return out


def _value(settings: Settings, key: str) -> Any:
    """A setting's value as the file names it: ``cost-per-contact``, ``rules.stale-map``."""
    name, _, inner = key.partition(".")
    value = getattr(settings, name.replace("-", "_"), None)
    if inner:
        return value.get(inner) if isinstance(value, Mapping) else None
    return value


def _words(key: str, value: Any, currency: str) -> str | None:
    """A value in words, or None when it has none short enough (a table, a calendar)."""
    if value is None:
        return "default" if "." in key else "unset"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        if key in PRICES:
            return f"{currency}{value:,.0f}" if value == int(value) else f"{currency}{value:,.2f}"
        return f"{value:g}"
    if isinstance(value, str):
        words = value
    elif isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
        words = ", ".join(value) or "none"
    else:
        return None
    return words if len(words) <= LONGEST else None


def price(settings: Settings, key: str) -> str | None:
    """``at $25 a contact``: the price a cost is counted at (None when there is none)."""
    amount = _value(settings, key)
    if amount is None:
        return None
    return f"at {_words(key, amount, settings.currency)} {PRICES[key][1]}"


def values(was: Settings, now: Settings, keys: list[str]) -> dict[str, tuple[str, str]]:
    """Each changed setting that has short words, by key: (before, after)."""
    out = {}
    for key in keys:
        a = _words(key, _value(was, key), was.currency)
        b = _words(key, _value(now, key), now.currency)
        # Alike in words ("default → default": a metrics folder named from a settings file
        # that moved): the name alone says it changed.
        if a is not None and b is not None and a != b:
            out[key] = (a, b)
    return out


def changed(keys: list[str], shown: Mapping[str, tuple[str, str]]) -> str:
    """``cost-per-contact $12 → $25, exclude``: each setting, with its values when short."""
    return ", ".join(f"{k} {shown[k][0]} → {shown[k][1]}" if k in shown else k for k in keys)


def price_notes(
    shown: Mapping[str, tuple[str, str]], now: Settings, where: str = "this comparison"
) -> list[str]:
    """What a new price does to the costs a diff lists (``where``), which count both sides at
    HEAD's."""
    out = []
    for key, (what, per) in PRICES.items():
        if key not in shown:
            continue
        price = _value(now, key)
        if price is None:
            out.append(f"{key} unset: no journey's {what} is counted any more")
        else:
            out.append(
                f"a new {key.replace('-', ' ')} changes every journey's {what}; "
                f"the {what} {where} lists counts both sides at {shown[key][1]} {per}"
            )
    return out
