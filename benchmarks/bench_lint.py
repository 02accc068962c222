"""Benchmark: ``journeymaps lint`` against a bare PyYAML (libyaml) parse and check-jsonschema.

    python benchmarks/bench_lint.py [--maps 1000] [--repeat 3]

Generates N realistic maps of about 13 KB (stages, steps, evidence, KPIs, handoffs, pain
points, opportunities) and times, best of --repeat runs:

- parse:   reading every file and ``yaml.load(..., Loader=yaml.CSafeLoader)``, in process
- lint:    the whole lint pipeline (load, schema, model, every rule), in process
- lint-cli: ``journeymaps lint`` as a command, start-up included
- check-jsonschema: the same files against the same schema, as a command

Goals (issue 2): lint <= 2x parse, lint-cli <= 0.15x check-jsonschema.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TEAMS = ["support", "tier-2", "product", "identity", "engineering", "finance", "success"]
LANES = ["customer", "frontstage", "backstage", "support", "physical-evidence"]
CHANNELS = ["web", "app", "email", "chat", "phone", "status-page", "community"]
WORDS = (
    "customer admin invoice reset email login ticket agent macro refund seat outage status "
    "page escalation verify identity billing survey chat queue priority account workspace"
).split()


def _sentence(rng: random.Random, n: int = 9) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate_map(i: int, rng: random.Random) -> str:
    """One valid, realistic map of roughly 13 KB."""
    lines = [
        "# yaml-language-server: $schema=../schema/journey-map.schema.json",
        f"id: journey-{i:04d}",
        f"title: Journey {i} {_sentence(rng, 4)}",
        "state: current",
        f"owner: {rng.choice(TEAMS)}",
        "reviewed: 2026-11-10",
        "persona: {name: Workspace admin, archetype: developer/admin}",
        f"scenario: >\n  {_sentence(rng, 20)}\n  {_sentence(rng, 20)}",
        f"goal: {_sentence(rng, 10)}",
        "stages:",
    ]
    stage_ids = [f"stage-{s}" for s in range(6)]
    steps: list[tuple[str, str, str]] = []
    for s, sid in enumerate(stage_ids):
        owner = rng.choice(TEAMS)
        lines += [
            f"  - id: {sid}",
            f"    name: Stage {s} {_sentence(rng, 3)}",
            f"    owner: {owner}",
            f"    emotion: {rng.randint(-3, 3)}",
            f'    thinking: "{_sentence(rng, 8)}"',
            "    evidence:",
            "      - source: zendesk",
            "        kind: tickets",
            f'        ref: "tag:{rng.choice(WORDS)}_{s}"',
            "        as_of: 2026-10-30",
            f"        note: {_sentence(rng, 8)}",
            "    kpis:",
            f"      - {{name: {rng.choice(WORDS)} rate, current: {rng.random():.2f}, target: {rng.random():.2f}}}",
            "    steps:",
        ]
        for t in range(4):
            step_id = f"step-{s}-{t}"
            lane = rng.choice(LANES[:2])
            steps.append((sid, step_id, owner))
            lines += [
                f"      - id: {step_id}",
                f"        name: {_sentence(rng, 5)}",
                f"        lane: {lane}",
                f"        channel: {rng.choice(CHANNELS)}",
                f"        does: {_sentence(rng, 7)}",
                f'        thinks: "{_sentence(rng, 7)}"',
                f"        emotion: {rng.randint(-3, 3)}",
            ]
        if s == 3:
            lines += [
                "    next:",
                "      - to: stage-1",
                "        label: reopened",
                "        breaker: auto-escalate after 2 replies",
                "      - stage-4",
            ]
    lines.append("handoffs:")
    for h in range(3):
        a, b = steps[h * 4 + 3], steps[h * 4 + 4]
        lines += [f"  - {{from: {a[0]}.{a[1]}, to: {b[0]}.{b[1]}, sla: 4h, context: carried}}"]
    lines.append("pain_points:")
    for p in range(8):
        sid, step_id, _ = rng.choice(steps)
        lines += [
            f"  - id: pain-{p}",
            f"    at: {sid}.{step_id}",
            f"    kind: {rng.choice(['technical', 'process', 'emotional'])}",
            f"    summary: {_sentence(rng, 9)}",
            f"    volume: {rng.randint(10, 900)}",
            f"    severity: {rng.randint(1, 5)}",
        ]
    lines.append("opportunities:")
    for o in range(8):
        lines += [
            f"  - id: opportunity-{o}",
            f"    addresses: [pain-{o}]",
            f"    believe: {_sentence(rng, 10)}",
            f"    will: {_sentence(rng, 8)}",
            f"    signal: {_sentence(rng, 10)}",
            f"    impact: {rng.choice(['high', 'medium', 'low'])}",
            f"    effort: {rng.choice(['high', 'medium', 'low'])}",
            f"    owner: {rng.choice(TEAMS)}",
            "    due: 2027-03-31",
            "    status: planned",
        ]
    return "\n".join(lines) + "\n"


def generate(folder: Path, n: int) -> int:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(42)
    total = 0
    for i in range(n):
        text = generate_map(i, rng)
        total += len(text.encode())
        (folder / f"journey-{i:04d}.yaml").write_text(text, "utf-8")
    return total


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--maps", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-check-jsonschema", action="store_true")
    args = parser.parse_args()

    from journeymaps.lint import lint
    from journeymaps.settings import Settings

    work = ROOT / "benchmarks" / ".work"
    folder = work / "maps"
    size = generate(folder, args.maps)
    files = sorted(folder.glob("*.yaml"))
    print(
        f"{args.maps} maps, {size / args.maps / 1024:.1f} KB each on average, libyaml: {yaml.__with_libyaml__}"
    )

    def parse() -> None:
        for f in files:
            yaml.load(f.read_text("utf-8"), Loader=yaml.CSafeLoader)

    today = dt.date(2026, 11, 22)

    def run_lint() -> None:
        report = lint([folder], Settings(root=work), today, work)
        assert report.maps == args.maps, report.maps
        errors = [d for d in report.diagnostics if d.severity.value == "error"]
        assert not errors, errors[:3]

    exe = Path(sys.executable).parent
    cli = [str(exe / "journeymaps"), "lint", str(folder), "--exit-zero", "--today", str(today)]

    def run_cli() -> None:
        subprocess.run(cli, check=True, stdout=subprocess.DEVNULL, cwd=work)

    t_parse = best_of(args.repeat, parse)
    t_lint = best_of(args.repeat, run_lint)
    t_cli = best_of(args.repeat, run_cli)
    print(f"parse (CSafeLoader)     {t_parse:7.3f} s")
    print(f"lint (in process)       {t_lint:7.3f} s   {t_lint / t_parse:5.2f}x parse   (goal <= 2x)")
    print(f"lint (command)          {t_cli:7.3f} s   {t_cli / t_parse:5.2f}x parse")
    if not args.skip_check_jsonschema:
        checker = exe / "check-jsonschema"
        schema = ROOT / "schema" / "journey-map.schema.json"
        command = [str(checker), "--schemafile", str(schema), *map(str, files)]
        t_check = best_of(1, lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL))
        print(
            f"check-jsonschema        {t_check:7.3f} s   lint command is {t_cli / t_check:5.3f}x of it (goal <= 0.15x)"
        )


if __name__ == "__main__":
    main()
