#!/usr/bin/env python3
"""Times short commands fairly on a busy machine: runs them in turns (A B C D, A B C D, ...)
so that a burst of load from elsewhere hits all of them alike, and reports per command the
median, p90, min and max wall time and the median CPU time (user + system, from wait4),
which load from elsewhere barely changes.

Usage: bench/interleave.py RUNS WARMUP < COMMANDS.json
COMMANDS.json: [{"name": ..., "argv": [...], "env": {...}}, ...]; env is added to ours.
Prints one JSON object per command. A command that exits non-zero fails the whole run.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> None:
    runs, warmup = int(sys.argv[1]), int(sys.argv[2])
    commands = json.load(sys.stdin)
    wall = {c["name"]: [] for c in commands}
    cpu = {c["name"]: [] for c in commands}
    for turn in range(warmup + runs):
        for c in commands:
            env = dict(os.environ, **c.get("env", {}))
            with tempfile.TemporaryFile() as err:
                start = time.perf_counter()
                p = subprocess.Popen(c["argv"], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=err)
                _, status, usage = os.wait4(p.pid, 0)
                elapsed = time.perf_counter() - start
                p.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
                if p.returncode != 0:
                    err.seek(0)
                    sys.exit(f"interleave.py: {c['name']} exited {p.returncode}: {err.read().decode(errors='replace')}")
            if turn >= warmup:
                wall[c["name"]].append(elapsed * 1000)
                cpu[c["name"]].append((usage.ru_utime + usage.ru_stime) * 1000)
    for c in commands:
        w = wall[c["name"]]
        print(json.dumps({"name": c["name"], "runs": len(w), "median_ms": statistics.median(w),
                          "p90_ms": percentile(w, 90), "min_ms": min(w), "max_ms": max(w),
                          "cpu_median_ms": statistics.median(cpu[c["name"]])}))


if __name__ == "__main__":
    main()
