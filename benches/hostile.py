#!/usr/bin/env python3
"""Hostile inputs (issue 11; PRODUCT.md §6): generated at run time, each at
growing sizes, timed with their peak memory (max RSS from /usr/bin/time).
Shows that time grows linearly with the input and memory stays within 8x the
input plus a fixed floor, and that the human format costs at most 3x JSON.

usage: python3 benches/hostile.py [--quick]     (after `cargo build --release`)
Writes target/bench/hostile/results.json and prints a Markdown table for
docs/performance.md.
"""
import hashlib
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SDS = os.path.join(ROOT, "target", "release", "sds")
MINI = os.path.join(ROOT, "tests", "fixtures", "checklists", "mini")
OUT = os.path.join(ROOT, "target", "bench", "hostile")
QUICK = "--quick" in sys.argv

HEADER = {
    "sds_report": 1,
    "checklist": {"id": "mini", "version": "^1.0"},
    "vehicle": {
        "model": "Example M9",
        "software": "4.2.1",
        "attributes": {"powertrain": "erev", "market": "CN"},
    },
    "report": {"id": "RPT-HOSTILE", "issued": "2025-09-30"},
}


def write(name, text):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def run(args, stdin=None):
    """Wall time (s) and max RSS (KiB) of one sds run; its exit code."""
    cmd = ["/usr/bin/time", "-f", "%M", "-o", os.path.join(OUT, "rss"), SDS] + args
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=stdin)
    elapsed = time.perf_counter() - start
    with open(os.path.join(OUT, "rss")) as f:
        rss = int(f.read().split()[-1])
    return elapsed, rss, p.returncode


def best(args, rounds=5):
    runs = [run(args) for _ in range(rounds)]
    return min(r[0] for r in runs), max(r[1] for r in runs), runs[0][2]


def many_findings(n):
    """n results naming unknown items (SDS011 each), one per line."""
    results = "".join(f"  - {{item: SDS-NOPE-{i:06d}, status: pass}}\n" for i in range(n))
    return write(f"findings-{n}.yaml", "sds_report: 1\nchecklist: {id: mini, version: \"^1.0\"}\n"
                 "vehicle: {model: M, software: \"4.2.1\", attributes: {powertrain: erev, market: CN}}\n"
                 "report: {id: RPT-MANY, issued: 2025-09-30}\nresults:\n" + results)


def long_line(n):
    """Minified JSON, one line: n unknown-item results, findings at every column."""
    doc = dict(HEADER, results=[{"item": f"SDS-NOPE-{i:06d}", "status": "pass"} for i in range(n)])
    return write(f"longline-{n}.json", json.dumps(doc, separators=(",", ":")))


def aliases(mb):
    """One string of mb/2 MB aliased 1,600 times (refused by the byte budget)."""
    s = "x" * (mb * 1024 * 1024 // 2)
    return write(f"aliases-{mb}mb.yaml", f"sds_report: 1\nlong: &s \"{s}\"\ncopies: [{', '.join(['*s'] * 1600)}]\n")


def invalid_values(mb):
    """mb MB of tiny values (`0,0,0,...`): refused at the value cap."""
    n = mb * 1024 * 1024 // 2
    return write(f"values-{mb}mb.json", '{"sds_report": 1, "results": [' + ",".join(["0"] * n) + "]}")


def invalid_strings(mb):
    """mb MB of schema-invalid results: long strings where mappings belong (SDS002 each)."""
    one = "y" * (256 * 1024)
    n = mb * 4
    doc = dict(HEADER, results=[one] * n)
    return write(f"strings-{mb}mb.json", json.dumps(doc))


def deep(levels):
    return write(f"deep-{levels}.yaml", "sds_report: 1\nx:\n  " + "- " * levels + "1\n")


def evidence(refs):
    """refs reports in one folder, each naming one 64 MB evidence file, with --verify-evidence."""
    folder = os.path.join(OUT, f"evidence-{refs}")
    os.makedirs(os.path.join(folder, "evidence"), exist_ok=True)
    blob = os.path.join(folder, "evidence", "big.bin")
    if not os.path.exists(blob):
        with open(blob, "wb") as f:
            f.write(b"\0" * (64 * 1024 * 1024))
    sha = hashlib.sha256(open(blob, "rb").read()).hexdigest()
    base = open(os.path.join(ROOT, "tests", "fixtures", "reports", "pass.yaml")).read()
    text = base.replace("- {kind: test_report, path: evidence/crash-001.pdf}",
                        f"- {{kind: test_report, path: evidence/big.bin, sha256: \"{sha}\"}}")
    assert text != base
    for i in range(refs):
        with open(os.path.join(folder, f"r{i:04d}.yaml"), "w") as f:
            f.write(text.replace("RPT-PASS", f"RPT-{i:04d}"))
    return folder


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = []
    only = os.environ.get("CASES", "")

    def row(case, path, args, note=""):
        size = os.path.getsize(path) if os.path.isfile(path) else sum(
            os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs if f.endswith(".yaml"))
        t, rss, code = best(["check", "--checklist", MINI] + args + [path])
        ratio = rss * 1024 / size if size else 0
        rows.append({"case": case, "bytes": size, "seconds": round(t, 3), "max_rss_kib": rss,
                     "rss_per_byte": round(ratio, 2), "exit": code, "note": note})
        print(f"{case:42} {size/1e6:8.2f} MB {t:7.3f} s {rss/1024:8.1f} MiB exit {code} {note}", flush=True)
        return t

    floor_path = write("tiny.yaml", open(os.path.join(ROOT, "tests", "fixtures", "reports", "pass.yaml")).read())
    row("floor: the passing fixture", floor_path, ["--format", "json"])

    sizes = [] if only and "findings" not in only else [5000, 10000, 20000] if not QUICK else [2000, 4000]
    for n in sizes:
        # Above the default value cap (100,000) from about 19,000 results: raised here,
        # since this case measures rendering, not the cap.
        p = many_findings(n)
        tj = row(f"{n} findings, json", p, ["--format", "json", "--max-values", "200000"])
        th = row(f"{n} findings, human", p, ["--format", "human", "--max-values", "200000"])
        rows[-1]["note"] = f"human/json {th / tj:.2f}x"
        print(f"    human/json = {th / tj:.2f}x")
    for n in ([] if only and "line" not in only else [5000, 10000, 20000] if not QUICK else [2000, 4000]):
        p = long_line(n)
        tj = row(f"one line, {n} findings, json", p, ["--format", "json", "--max-values", "200000"])
        th = row(f"one line, {n} findings, human", p, ["--format", "human", "--max-values", "200000"])
        rows[-1]["note"] = f"human/json {th / tj:.2f}x"
    for mb in ([1, 4] if not QUICK else [1]):
        row(f"{mb} MB: one string aliased 1,600 times", aliases(mb), ["--format", "json"])
    for mb in ([8, 32, 60] if not QUICK else [8]):
        row(f"{mb} MB of tiny values (0,0,0,...)", invalid_values(mb), ["--format", "json"])
    for mb in ([8, 32, 60] if not QUICK else [8]):
        row(f"{mb} MB schema-invalid (long strings), json", invalid_strings(mb), ["--format", "json"])
        row(f"{mb} MB schema-invalid (long strings), human", os.path.join(OUT, f"strings-{mb}mb.json"), ["--format", "human"])
    row("511 levels (at the ceiling)", deep(511), ["--format", "json", "--max-depth", "512"])
    row("40,000 levels", deep(40000), ["--format", "json", "--max-depth", "512"])
    for refs in ([1, 100] if not QUICK else [1, 20]):
        row(f"evidence: one 64 MB file named by {refs} reports", evidence(refs), ["--format", "json", "--verify-evidence"])

    json.dump({"results": rows}, open(os.path.join(OUT, "results.json"), "w"), indent=1)
    print("\n| case | input | time | max RSS | RSS / input | exit | note |\n|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['case']} | {r['bytes']/1e6:.2f} MB | {r['seconds']:.3f} s | {r['max_rss_kib']/1024:.1f} MiB "
              f"| {r['rss_per_byte']:.1f}x | {r['exit']} | {r['note']} |")


if __name__ == "__main__":
    main()
