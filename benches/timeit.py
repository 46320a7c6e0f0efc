#!/usr/bin/env python3
"""Times commands in interleaved rounds (a, b, c, d, a, b, ...) after one warm-up
round, so slow phases of a shared machine fall on every command alike; writes
each command's times, median and minimum as JSON.

usage: timeit.py OUT.json ROUNDS NAME=COMMAND ...
"""
import json
import shlex
import statistics
import subprocess
import sys
import time

out, rounds, specs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
cmds = [(s.split("=", 1)[0], shlex.split(s.split("=", 1)[1])) for s in specs]
times = {name: [] for name, _ in cmds}
for r in range(rounds + 1):
    for name, argv in cmds:
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        elapsed = time.perf_counter() - start
        if r > 0:
            times[name].append(elapsed)
results = [{"command": n, "times": t, "median": statistics.median(t), "min": min(t)} for n, t in times.items()]
json.dump({"results": results}, open(out, "w"), indent=1)
