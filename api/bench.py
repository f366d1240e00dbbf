"""Benchmarks: scripts that print figures and ratios (never timed unit tests).

    python -m api.bench world [--size large] [--repeat 3] [--json]

``world`` builds the demo world and reports the time against the 60-second target.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time

from features.demo import SIZES, build_world

WORLD_TARGET_SECONDS = 60.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_world(size: str = "large", repeat: int = 1, seed: int = 7) -> dict[str, object]:
    """Build the world ``repeat`` times; report the median and the ratio to the target."""
    times = []
    summary: dict[str, object] = {}
    for _ in range(repeat):
        started = time.perf_counter()
        world = build_world(size, seed=seed)
        times.append(time.perf_counter() - started)
        summary = world.summary()
    median = statistics.median(times)
    return {
        "benchmark": "world",
        "size": size,
        "tasks": summary["tasks"],
        "jobseekers": summary["jobseekers"],
        "proposals": summary["proposals"],
        "build_seconds": round(median, 2),
        "target_seconds": WORLD_TARGET_SECONDS,
        "target_ratio": round(WORLD_TARGET_SECONDS / median, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m api.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="what", required=True)
    world = sub.add_parser("world", help="time the demo-world generator")
    world.add_argument("--size", choices=list(SIZES), default="large")
    world.add_argument("--repeat", type=int, default=1)
    world.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = bench_world(args.size, args.repeat)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"demo world '{result['size']}': {result['tasks']} tasks, {result['jobseekers']} "
            f"jobseekers, {result['proposals']} proposals"
        )
        print(
            f"  built in {result['build_seconds']} s (median of {args.repeat}); target "
            f"{WORLD_TARGET_SECONDS:.0f} s, {result['target_ratio']}x under it"
        )
        print(f"  peak memory {result['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
