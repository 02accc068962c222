"""A quarter of the example maps' history, replayed into a fresh git repository.

This repository's own ``maps/`` history is a few days long, so the "What changed" page is
shown on a realistic one: the billing-dispute example as it plausibly was in August, then
the edits a support operations team would have committed since, each dated with
GIT_AUTHOR_DATE / GIT_COMMITTER_DATE and made by one of three people. The last commit is the
example maps exactly as they are in ``maps/`` (moved to ``maps/billing/``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BILLING = "maps/support/billing-dispute.yaml"
MOVED = "maps/billing/billing-dispute.yaml"

PRIYA = ("Priya Shah", "priya@example.com")
MARCO = ("Marco Rossi", "marco@example.com")
DANA = ("Dana Kim", "dana@example.com")


def git(cwd: Path, *args: str, who: tuple[str, str] = PRIYA, when: str = "2026-08-12T10:00:00+00:00") -> str:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": who[0],
        "GIT_AUTHOR_EMAIL": who[1],
        "GIT_COMMITTER_NAME": who[0],
        "GIT_COMMITTER_EMAIL": who[1],
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


#: Each edit, forward in time: (date, author, commit message, [(text now, text after)]).
#: Undone in reverse order, they give the map as it was at the first commit.
EDITS: list[tuple[str, tuple[str, str], str, list[tuple[str, str]]]] = [
    (
        "2026-09-03T09:12:00+00:00",
        MARCO,
        "Billing dispute: Finance owns the invoice review stage",
        [
            (
                "  - id: review\n    name: Invoice review\n    owner: support\n",
                "  - id: review\n    name: Invoice review\n    owner: finance\n",
            )
        ],
    ),
    (
        "2026-09-15T16:40:00+00:00",
        PRIYA,
        "Invoice PDF attached to the billing email: shipped, login pain point resolved",
        [
            (
                "    severity: 2\n    owner: finance\n",
                "    severity: 2\n    status: resolved\n    since: 2026-09-15\n    resolved_by: invoice-pdf-attached\n    owner: finance\n",
            ),
            ("    due: 2026-09-15\n    status: in-progress\n", "    due: 2026-09-15\n    status: shipped\n"),
        ],
    ),
    (
        "2026-09-29T11:05:00+00:00",
        DANA,
        "Invoice review hurts less since the PDF is in the email (CSAT comments, September)",
        [
            (
                '    owner: finance\n    emotion: -3\n    thinking: "We never',
                '    owner: finance\n    emotion: -2\n    thinking: "We never',
            )
        ],
    ),
    (
        "2026-10-08T14:30:00+00:00",
        MARCO,
        "Chargebacks after a week of silence: new stage and pain point (Stripe disputes)",
        [
            (
                "        emotion: -1\n\n  - id: finance-review\n",
                "        emotion: -1\n"
                + "".join(
                    [
                        "    next:\n",
                        "      - finance-review\n",
                        "      - to: chargeback\n",
                        "        label: no answer from Finance after a week\n",
                    ]
                )
                + "\n  - id: finance-review\n",
            ),
            (
                "    next: []\n    end: true\n\nhandoffs:\n",
                "    next: []\n    end: true\n\n@@CHARGEBACK@@handoffs:\n",
            ),
            (
                "    severity: 3\n  - id: surprise-true-up\n",
                "    severity: 3\n@@CHARGEBACK-PAIN@@  - id: surprise-true-up\n",
            ),
            (
                "addresses: [notes-lost-at-handoff]\n",
                "addresses: [notes-lost-at-handoff, chargeback-after-silence]\n",
            ),
        ],
    ),
    (
        "2026-10-20T08:55:00+00:00",
        DANA,
        "Notes lost at the Finance handoff: mitigated with the escalation checklist",
        [
            (
                "    cost_per_contact: 18\n  - id: conflicting-refund-timelines\n",
                "    cost_per_contact: 18\n    status: mitigated\n    since: 2026-10-20\n    owner: finance\n"
                "    root_cause: Finance works in its own queue, which does not show the chat transcript.\n"
                "  - id: conflicting-refund-timelines\n",
            )
        ],
    ),
]


def _blocks(final: str) -> dict[str, str]:
    """The text the chargeback commit adds, cut from the final map."""
    start = final.index("  - id: chargeback\n")
    stage = final[start : final.index("handoffs:\n")]
    p_start = final.index("  - id: chargeback-after-silence\n")
    pain = final[p_start : final.index("  - id: surprise-true-up\n")]
    return {"@@CHARGEBACK@@": stage, "@@CHARGEBACK-PAIN@@": pain}


def _fill(text: str, blocks: dict[str, str]) -> str:
    for mark, block in blocks.items():
        text = text.replace(mark, block)
    return text


def first_version(final: str) -> str:
    """The billing-dispute map at the first commit: every edit undone, newest first."""
    blocks = _blocks(final)
    text = final
    for _date, _who, _message, edits in reversed(EDITS):
        for before, after in reversed(edits):
            after = _fill(after, blocks)
            assert after in text, after[:80]
            text = text.replace(after, before, 1)
    return text


def replay(dest: Path) -> Path:
    """A project in ``dest`` whose history is a quarter of edits to the example maps."""
    shutil.copytree(ROOT / "maps", dest / "maps")
    shutil.copytree(ROOT / "examples" / "metrics", dest / "examples" / "metrics")
    (dest / "journeymaps.toml").write_text(
        'cost-per-contact = 12\nsite-title = "Acme customer journeys"\n\n[measure]\nmetrics = "examples/metrics"\n'
    )
    final = (ROOT / BILLING).read_text()
    blocks = _blocks(final)
    text = first_version(final)
    (dest / BILLING).write_text(text)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", ".")
    git(dest, "commit", "-q", "-m", "Support journey maps: first versions from the August workshop")
    for date, who, message, edits in EDITS:
        for before, after in edits:
            text = text.replace(before, _fill(after, blocks), 1)
        (dest / BILLING).write_text(text)
        git(dest, "commit", "-q", "-am", message, who=who, when=date)
    assert text == final
    (dest / MOVED).parent.mkdir()
    git(dest, "mv", BILLING, MOVED, when="2026-11-12T10:00:00+00:00")
    git(
        dest,
        "commit",
        "-q",
        "-m",
        "Billing maps get their own folder",
        who=MARCO,
        when="2026-11-12T10:00:00+00:00",
    )
    return dest
