"""Every benchmark at one size, each figure beside its floor.

    python -m bench --size small|full [--dir PATH]

``small`` is a smoke run (a few hundred thousand rows, few repetitions) that
checks every benchmark still works; ``full`` is the reported run (the sizes in
``bench/RESULTS.md``). Seeded databases go to ``--dir`` (default: a temporary
directory, removed afterwards).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import (
    coach,
    commands,
    installs,
    leaderboard,
    live,
    partners,
    seed,
    statements,
    sweep,
    targets,
)

# Per size: (command runs, leaderboard actions and runs, sweep members/actions/runs,
# live commands for the latency and leak figures).
SIZES = {
    "small": {
        "seed": seed.SMALL,
        "command_runs": 30,
        "statement_runs": 200,
        "leaderboard": ["--actions", "50000", "--runs", "10"],
        "coach": ["--actions", "25000", "--runs", "5"],
        "partners": ["--actions", "5000", "--runs", "5"],
        "sweep": ["--members", "5000", "--actions", "50000", "--due", "200", "--runs", "3"],
        "live": ["--latency", "50", "--burst", "100", "--soak", "300"],
        "targets": ["--runs", "30", "--imports", "1"],
        "installs": ["--teams", "1000", "--runs", "500"],
    },
    "full": {
        "seed": seed.FULL,
        "command_runs": 300,
        "statement_runs": 2000,
        "leaderboard": ["--runs", "50"],
        "coach": ["--runs", "50"],
        "partners": ["--runs", "50"],
        "sweep": [],
        "live": ["--latency", "500", "--burst", "1000", "--soak", "100000"],
        "targets": ["--runs", "200", "--imports", "5"],
        "installs": ["--teams", "10000", "--runs", "2000"],
    },
}


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GiB memory, Python {platform.python_version()}"
        f" ({platform.python_implementation()}), {platform.platform()}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    work = args.dir or Path(tempfile.mkdtemp(prefix="peerpath-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"peerpath benchmarks, size {args.size}: {machine()}", flush=True)
    stages = (
        ("commands", lambda: commands.run(size["seed"], size["command_runs"], work / "core.db")),
        ("statements", lambda: statements.run(work / "core.db", size["statement_runs"])),
        (
            "leaderboard",
            lambda: leaderboard.main(["--db", str(work / "board.db"), *size["leaderboard"]]),
        ),
        ("coach", lambda: coach.main(["--db", str(work / "coach.db"), *size["coach"]])),
        (
            "partners",
            lambda: partners.main(["--db", str(work / "partners.db"), *size["partners"]]),
        ),
        ("sweep", lambda: sweep.main(["--dir", str(work), *size["sweep"]])),
        ("live", lambda: live.main(["--db", str(work / "core.db"), *size["live"]])),
        ("targets", lambda: targets.main(["--dir", str(work), *size["targets"]])),
        ("installs", lambda: installs.main(["--dir", str(work), *size["installs"]])),
    )
    for name, stage in stages:
        print(f"\n== {name}", flush=True)
        stage_started = time.perf_counter()
        stage()
        print(f"({name}: {time.perf_counter() - stage_started:.0f} s)", flush=True)
    print(f"\nall benchmarks: {time.perf_counter() - started:.0f} s")
    if args.dir is None:
        shutil.rmtree(work)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
