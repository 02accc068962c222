"""contacts-counted-twice (JM607), revenue-at-risk-unpriced (JM608), and the money they guard."""

from __future__ import annotations

from pathlib import Path

from conftest import BASE, TODAY, at, rules_of, write_files
from journeymaps.lint import lint
from journeymaps.money import total
from journeymaps.settings import Settings
from journeymaps.site.pages import ranked_pains


def pains(*rows: str) -> str:
    return (
        BASE
        + "pain_points:\n"
        + "".join(f"  - {{{r}}}\n" for r in rows)
        + (
            "opportunities: [{id: o, addresses: [a, b], believe: B, will: W, signal: S, owner: support,"
            " due: 2027-01-01}]\n"
        )
    )


TICKETS = 'evidence: [{source: zendesk, kind: tickets, ref: "tag:slow"}]'


def test_two_pain_points_counting_the_same_tickets_are_reported(project) -> None:
    found = project(
        {
            "m.yaml": pains(
                f"id: a, at: one, kind: process, summary: A, volume: 350, {TICKETS}",
                f"id: b, at: one, kind: emotional, summary: B, volume: 350, {TICKETS}",
            )
        }
    )
    assert [d.message for d in found if d.rule == "contacts-counted-twice"] == [
        "pain points 'a' and 'b' count the same tickets (zendesk tag:slow) at one: every total would pay"
        " for them twice; add same_contacts_as: [a] (or give each its own evidence)"
    ]
    assert at(found, "contacts-counted-twice") == [(17, 59)]  # the second one's volume


def test_linked_pain_points_or_other_places_are_not_reported(project) -> None:
    linked = pains(
        f"id: a, at: one, kind: process, summary: A, volume: 350, same_contacts_as: [b], {TICKETS}",
        f"id: b, at: one, kind: emotional, summary: B, volume: 350, {TICKETS}",
    )
    elsewhere = pains(
        f"id: a, at: one, kind: process, summary: A, volume: 350, {TICKETS}",
        f"id: b, at: two, kind: emotional, summary: B, volume: 350, {TICKETS}",
    )
    assert rules_of(project({"m.yaml": linked})) == []
    assert rules_of(project({"m.yaml": elsewhere})) == []


def test_same_contacts_in_two_units_and_unknown_links_are_reported(project) -> None:
    found = project(
        {
            "m.yaml": pains(
                "id: a, at: one, kind: process, summary: A, volume: 350, same_contacts_as: [b, c, a]",
                "id: b, at: one, kind: emotional, summary: B, volume: 60, volume_unit: customers",
            )
        }
    )
    messages = [d.message for d in found]
    assert (
        "same_contacts_as: 'a' counts contacts and 'b' counts customers: the same contacts are counted"
        " in one unit"
    ) in messages
    assert any(m.startswith("same_contacts_as: no pain point 'c' in this map") for m in messages)
    assert "same_contacts_as: 'a' is this pain point itself" in messages


def test_customers_at_risk_without_a_value(project) -> None:
    found = project(
        {
            "m.yaml": pains(
                "id: a, at: one, kind: process, summary: A, customers_at_risk: 12",
                "id: b, at: one, kind: process, summary: B, customers_at_risk: 2, revenue_at_risk: 900",
            )
        }
    )
    assert [d.message for d in found if d.rule == "revenue-at-risk-unpriced"] == [
        "pain point 'a' has 12 customers at risk but no value: add value_per_customer here or"
        " value-per-customer in the project settings",
        "pain point 'b' gives both revenue_at_risk and customers_at_risk: the stated amount is shown; keep one",
    ]


def test_the_value_per_customer_setting_prices_them(project, tmp_path) -> None:
    (tmp_path / "journeymaps.toml").write_text("value-per-customer = 1000\n")
    found = project(
        {
            "m.yaml": pains(
                "id: a, at: one, kind: process, summary: A, customers_at_risk: 12",
                "id: b, at: two, kind: process, summary: B",
            )
        }
    )
    assert "revenue-at-risk-unpriced" not in rules_of(found)


def test_groups_are_transitive_and_each_total_counts_them_once(tmp_path: Path) -> None:
    """A~B and B~C: one group, counted as its largest member."""
    write_files(
        tmp_path / "maps",
        {
            "m.yaml": pains(
                "id: a, at: one, kind: process, summary: A, volume: 100, same_contacts_as: [b]",
                "id: b, at: one, kind: process, summary: B, volume: 300, same_contacts_as: [c]",
                "id: c, at: two, kind: process, summary: C, volume: 200",
                "id: d, at: two, kind: process, summary: D, volume: 50, revenue_at_risk: 7000",
            )
        },
    )
    report = lint([tmp_path / "maps"], Settings(root=tmp_path), TODAY, tmp_path)
    assert report.project is not None
    ranked = ranked_pains(report.project.maps, Settings(root=tmp_path, cost_per_contact=10))
    t = total(ranked)
    assert t.contact_cost == (300 + 50) * 10 * 12  # not (100 + 300 + 200 + 50)
    assert t.revenue_at_risk == 7000
    assert [g.summaries for g in t.shared] == [("A", "B", "C")]
    assert t.shared[0].saved == (100 + 200) * 10 * 12
