"""Channel switches: counted per journey; one that loses context is reported (JM404)."""

from __future__ import annotations

from conftest import BASE, TODAY, at, rules_of, write_files
from journeymaps.lint import lint
from journeymaps.settings import Settings

# chat → (backstage work, no channel) → email → email → phone on a branch → chat again
SWITCHES = BASE.replace(
    "    name: One\n",
    "    name: One\n"
    "    steps:\n"
    "      - {id: chat, name: Reports it in chat, channel: chat}\n"
    "      - {id: work, name: Finance looks, lane: backstage}\n"
    "      - {id: mail, name: Asked again by email, channel: email, context: CONTEXT}\n"
    "      - {id: mail2, name: Sends the contract, channel: email, context: lost}\n",
).replace(
    "    name: Two\n",
    "    name: Two\n"
    "    steps:\n"
    "      - {id: call, name: Calls the hotline, channel: phone, context: carried}\n"
    "      - {id: back, name: Back to chat, channel: chat}\n",
)


def test_each_change_of_channel_is_counted_through_steps_without_one(project) -> None:
    found = project({"m.yaml": SWITCHES.replace("CONTEXT", "carried")})
    assert "channel-switch-context-lost" not in rules_of(found)  # mail2 stays on email: no switch


def test_a_switch_that_loses_context_is_reported_at_the_step(project) -> None:
    found = project({"m.yaml": SWITCHES.replace("CONTEXT", "lost")})
    assert [d.message for d in found if d.rule == "channel-switch-context-lost"] == [
        "the customer switches from chat (one.chat) to email (one.mail) and must repeat themselves:"
        " the context is lost"
    ]
    assert at(found, "channel-switch-context-lost") == [(12, 73)]  # at the step's context: lost


def test_the_model_lists_the_switches_in_journey_order(tmp_path) -> None:
    write_files(tmp_path / "maps", {"m.yaml": SWITCHES.replace("CONTEXT", "lost")})
    report = lint([tmp_path / "maps"], Settings(root=tmp_path), TODAY, tmp_path)
    assert report.project is not None
    (m,) = report.project.maps
    assert [(a.ref, b.ref) for a, b in m.channel_switches()] == [
        ("one.chat", "one.mail"),
        ("one.mail2", "two.call"),
        ("two.call", "two.back"),
    ]
