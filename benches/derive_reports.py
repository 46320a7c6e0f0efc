#!/usr/bin/env python3
"""Issue 15's end-to-end figure: `sds check` of a report naming 20 ISO-MME
datasets against the same report without data (target: within 2x).

    cargo build --release
    python3 benches/derive_reports.py [--runs 10] [--sds target/release/sds]

Builds target/bench-derive/: a checklist of 20 crash items whose metrics
carry `derive`, 20 dataset copies (the six fixtures of tests/fixtures/isomme,
cycled, so each path is a distinct dataset read once), `with-data.yaml`
(each result names its dataset and states the values the data gives) and
`without-data.yaml` (the same values, no data). Prints the median wall time
of each over the runs and the ratio.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "tests", "fixtures", "isomme")
OUT = os.path.join(ROOT, "target", "bench-derive")
METRICS = ["hic15", "head_a3ms", "chest_deflection", "femur_force", "tibia_index"]
UNITS = {"hic15": "1", "head_a3ms": "g", "chest_deflection": "mm", "femur_force": "N",
         "tibia_index": "1"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--sds", default=os.path.join(ROOT, "target", "release", "sds"))
    a = ap.parse_args()
    expected = json.load(open(os.path.join(FIX, "expected.json")))
    names = sorted(expected)
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, "data"))
    metrics = {}
    items, with_data, without = [], [], []
    for i in range(20):
        name = names[i % len(names)]
        e = expected[name]
        src = os.path.join(FIX, e["path"])
        ext = ".zip" if src.endswith(".zip") else ""
        dst = f"data/d{i:02d}{ext}"
        (shutil.copy if ext else shutil.copytree)(src, os.path.join(OUT, dst))
        item = f"SDS-CRASH-{i + 1:03d}"
        bounds = []
        lines = []
        for m in METRICS:
            x = e["expected"][m]
            metrics[m] = {"unit": UNITS[m], "derive": x["derive"]}
            bounds.append(f"      - {{metric: {m}, max: {x['value'] * 2:.3f}}}")
            lines.append(f"      {m}: {{value: {x['value']:.4f}, unit: \"{UNITS[m]}\"}}")
        items.append(f"  - id: {item}\n    domain: CRASH\n    title: Crash test {i + 1}\n"
                     f"    scenario: {{description: synthetic}}\n    severity: major\n"
                     f"    acceptance:\n" + "\n".join(bounds) + "\n")
        head = f"  - item: {item}\n    status: pass\n    tested_on: 2026-11-01\n"
        body = "    measurements:\n" + "\n".join(lines) + "\n"
        with_data.append(head + f"    data: {{path: {dst}, position: \"11\"}}\n" + body)
        without.append(head + body)
    reg = "\n".join(f"  {m}:\n    unit: \"{v['unit']}\"\n    derive: {json.dumps(v['derive'])}"
                    for m, v in metrics.items())
    checklist = (f"sds_checklist: 1\nid: bench-derive\nversion: \"1.0.0\"\ntitle: bench\n"
                 f"total_points: 20\nevidence_kinds: [test_report]\n"
                 f"domains: [{{id: CRASH, title: Crash}}]\nmetrics:\n{reg}\nitems:\n" + "".join(items))
    open(os.path.join(OUT, "checklist.yaml"), "w").write(checklist)
    top = ("sds_report: 1\nchecklist: {id: bench-derive, version: \"1.0.0\"}\n"
           "vehicle: {software: \"1.0\"}\nreport: {id: BENCH, issued: 2026-11-30}\nresults:\n")
    open(os.path.join(OUT, "with-data.yaml"), "w").write(top + "".join(with_data))
    open(os.path.join(OUT, "without-data.yaml"), "w").write(top + "".join(without))
    times = {}
    for report in ("without-data.yaml", "with-data.yaml"):
        cmd = [a.sds, "check", "--jobs", "1", "--checklist", os.path.join(OUT, "checklist.yaml"),
               "--format", "json", os.path.join(OUT, report)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        v = json.loads(r.stdout)
        codes = [f["code"] for f in v["reports"][0]["findings"]]
        derived = len(v["reports"][0].get("derived", []))
        assert r.returncode == 0, (report, codes)
        ts = []
        for _ in range(a.runs):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            ts.append(time.perf_counter() - t)
        times[report] = statistics.median(ts)
        print(f"{report}: median {times[report] * 1000:.1f} ms over {a.runs} runs, "
              f"{derived} values derived, findings {codes or 'none'}")
    print(f"ratio with/without data: {times['with-data.yaml'] / times['without-data.yaml']:.2f}")


if __name__ == "__main__":
    main()
