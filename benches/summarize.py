#!/usr/bin/env python3
"""Prints the figures of one benchmark size from the files benches/run.sh wrote."""
import json
import os
import sys

out, n, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
times = {r["command"]: r for r in json.load(open(os.path.join(out, f"times-{n}.json")))["results"]}
# The minimum of interleaved rounds: on a shared machine, noise only ever adds time.
med = {k: v["min"] for k, v in times.items()}
fields = open(os.path.join(out, f"cjs-{n}")).read().split()
start, end = float(fields[0]), float(fields[1])
cjs_n = int(fields[2]) if len(fields) > 2 else n
# check-jsonschema runs on cjs_n of the n files; scale its time to all n.
cjs = (end - start) * n / cjs_n
mem = {k: int(open(os.path.join(out, f"mem-{k}-{n}")).read().split()[-1]) for k in ("parse", "check")}
cores = os.cpu_count()

print(f"\n## {n} reports, {size / 1e6:.1f} MB ({size / n / 1024:.1f} KiB each), {cores} cores, best of {len(times['parse-1core']['times'])} interleaved rounds")
print("| command | seconds | files/s | MB/s |")
print("|---|---:|---:|---:|")
rows = [("(a) parse only, 1 core", "parse-1core"), ("(b) sds check --format json, 1 core", "check-1core"),
        ("(a) parse only, all cores", "parse-allcores"), ("(b) sds check --format json, all cores", "check-allcores")]
for label, key in rows:
    t = med[key]
    print(f"| {label} | {t:.2f} | {n / t:.0f} | {size / 1e6 / t:.1f} |")
note = "" if cjs_n == n else f" (timed on {cjs_n} files, scaled)"
print(f"| (c) check-jsonschema, schema only{note} | {cjs:.2f} | {n / cjs:.1f} | {size / 1e6 / cjs:.2f} |")
print()
print(f"- (b)/(a), 1 core: **{med['check-1core'] / med['parse-1core']:.2f}**")
print(f"- (b)/(a), all cores: **{med['check-allcores'] / med['parse-allcores']:.2f}**")
print(f"- all cores vs 1 core, check: {med['check-1core'] / med['check-allcores']:.2f}x faster")
print(f"- (c)/(b), all cores: **{cjs / med['check-allcores']:.1f}**")
print(f"- peak memory (max RSS): parse {mem['parse'] / 1024:.1f} MiB, check {mem['check'] / 1024:.1f} MiB")
