"""The pages made of nothing but what every page depends on: the format's reference and the
page a static host serves for an address with no page (404.html)."""

from __future__ import annotations

from collections.abc import Iterator

from journeymaps.site.site_data import Page, SiteData


def format_page(s: SiteData) -> Iterator[Page]:
    from journeymaps.site.format_keys import key_tables
    from journeymaps.validate import schema

    context = {
        "business_calendar": s.settings.business_calendar.describe(),
        "tables": key_tables(schema("map")),
    }
    yield "format.html", "format.html", context


def not_found(s: SiteData) -> Iterator[Page]:
    """The page a static host (GitHub Pages, Netlify, S3) serves for an address with no page:
    without it, a link to a renamed map ended on the host's own page, with no way back."""
    yield "404.html", "404.html", {}
