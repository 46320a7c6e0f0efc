#!/usr/bin/env python3
"""Generate N realistic test reports against the bundled sds checklist, for the benchmark.

Each report has a result for every item of the checklist (190): `pass` with
measurements inside their bounds for the items that apply to its vehicle,
`not_applicable` for the others; quantities are written as bare numbers, as
"<number> <unit>" strings in the registry unit or another unit of the same
dimension, and as {value, unit} maps; evidence entries with sha256; notes on
some results; and a few gaps (a value past its bound, a missing result, a
missing evidence kind). Deterministic for a given --seed.

usage: gen_reports.py --count N --out DIR [--checklist checklists/sds/1.2.0 (default: the latest bundled)] [--seed 1]
"""
import argparse
import glob
import hashlib
import os
import random

import yaml

VEHICLES = [
    {"model": "Example M9", "variant": "EREV 6-seat", "software": "5.2.0",
     "attributes": {"powertrain": "erev", "market": "CN", "category": "M1",
                    "features": ["urban_noa", "electric_door_handles", "ecall", "ota", "dms_camera"]}},
    {"model": "Example Q5", "variant": "BEV AWD", "software": "3.4.2",
     "attributes": {"powertrain": "bev", "market": "EU", "category": "M1",
                    "features": ["highway_noa", "fast_charge", "ecall", "ota", "dms_camera"]}},
    {"model": "Example T7", "variant": "PHEV 4WD", "software": "2.8.1",
     "attributes": {"powertrain": "phev", "market": "EU", "category": "M1", "features": ["ecall"]}},
]
# Another unit of the same dimension: unit -> (other unit, factor from unit to other)
OTHER = {"mm": ("cm", 0.1), "kN": ("N", 1000.0), "km/h": ("m/s", 1 / 3.6), "ms": ("s", 0.001),
         "s": ("ms", 1000.0), "min": ("s", 60.0), "h": ("min", 60.0), "N": ("kN", 0.001),
         "degC": ("K", None), "J": ("kJ", 0.001), "kPa": ("Pa", 1000.0), "V": ("mV", 1000.0),
         "m": ("cm", 100.0), "g": ("m/s2", 9.80665), "Nm": ("N*m", 1.0), "ohm/V": ("Ω/V", 1.0)}


def load_checklist(folder):
    header = yaml.safe_load(open(os.path.join(folder, "checklist.yaml")))
    items = []
    for f in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
        if os.path.basename(f) != "checklist.yaml":
            items += yaml.safe_load(open(f))["items"]
    return header, items


def applies(item, attrs):
    for k, allowed in (item.get("applies_when") or {}).items():
        allowed = allowed if isinstance(allowed, list) else [allowed]
        allowed = [str(a).lower() for a in allowed]
        if k == "features":
            have = [f.lower() for f in attrs.get("features", [])]
            if not all(a in have for a in allowed):
                return False
        elif k in attrs:
            v = attrs[k] if isinstance(attrs[k], list) else [attrs[k]]
            if not any(str(x).lower() in allowed for x in v):
                return False
    return True


def inside(bounds, count):
    lo = max([b["min"] for b in bounds if "min" in b], default=None)
    hi = min([b["max"] for b in bounds if "max" in b], default=None)
    if lo is not None and hi is not None:
        v = lo + (hi - lo) * random.uniform(0.2, 0.8)
    elif lo is not None:
        v = lo * random.uniform(1.05, 1.6) if lo > 0 else lo + random.uniform(0.5, 5)
    elif hi is not None:
        v = hi * random.uniform(0.4, 0.95) if hi > 0 else hi - random.uniform(0.5, 5)
    else:
        v = 1.0
    if count:
        v = float(int(lo if lo is not None and hi is None else (hi if hi is not None else v)))
        if lo is not None and v < lo:
            v = float(int(lo) + 1)
    return v


def quantity(v, unit, count):
    if count:
        return str(int(v))
    r = random.random()
    if r < 0.5:
        return f"{round(v, 3)}"
    if r < 0.7 or unit not in OTHER:
        return f'"{round(v, 3)} {unit}"' if unit != "1" else f"{round(v, 3)}"
    other, factor = OTHER[unit]
    w = v + 273.15 if factor is None else v * factor
    if r < 0.85:
        return f'"{round(w, 6)} {other}"'
    return f'{{value: {round(w, 6)}, unit: "{other}"}}'


def report(i, header, items, out_dir):
    veh = VEHICLES[i % len(VEHICLES)]
    attrs = veh["attributes"]
    gaps = random.sample(["breach", "missing", "evidence", "none", "none"], k=2)
    lines = [
        "sds_report: 1",
        # The exact version the results were written for: a requirement such
        # as "^1.1" would resolve to a later version with other items.
        f'checklist: {{id: sds, version: "{header["version"]}"}}',
        "vehicle:",
        f"  model: {veh['model']}",
        f"  variant: {veh['variant']}",
        f"  software: \"{veh['software']}\"",
        "  attributes: {" + ", ".join(
            f"{k}: [{', '.join(v)}]" if isinstance(v, list) else f"{k}: {v}" for k, v in attrs.items()) + "}",
        f"report: {{id: RPT-BENCH-{i:06d}, issued: 2026-10-30, lab: Example Proving Ground {i % 7}}}",
        "results:",
    ]
    applicable = [it for it in items if applies(it, attrs)]
    missing = random.choice(applicable)["id"] if "missing" in gaps else None
    breach = random.choice([it for it in applicable if isinstance(it.get("acceptance"), list)])["id"] \
        if "breach" in gaps else None
    no_evidence = random.choice([it for it in applicable if it.get("evidence")])["id"] if "evidence" in gaps else None
    for it in items:
        iid = it["id"]
        if iid == missing:
            continue
        if not applies(it, attrs):
            lines += [f"  - item: {iid}", "    status: not_applicable"]
            continue
        days = it.get("validity_days")
        tested = f"2026-{random.randint(4, 10):02d}-{random.randint(1, 28):02d}" if not days or days > 200 else "2026-10-01"
        lines += [f"  - item: {iid}", "    status: pass", f"    tested_on: {tested}"]
        if it.get("retest_on"):
            lines.append(f"    software: \"{veh['software']}\"")
        acc = it.get("acceptance") or []
        if isinstance(acc, dict):
            # `any_of`: meet the first alternative, leave the others out.
            acc = acc["any_of"][0]
        if acc:
            lines.append("    measurements:")
            seen = []
            for b in acc:
                m = b["metric"]
                if m in seen:
                    continue
                seen.append(m)
                unit = header["metrics"][m]["unit"]
                count = unit == "count"
                bounds = [x for x in acc if x["metric"] == m]
                v = inside(bounds, count)
                # Keep to the metric's possible range (an impact speed is never negative).
                possible = header["metrics"][m].get("range") or {}
                if "min" in possible and v < possible["min"]:
                    v = possible["min"]
                if "max" in possible and v > possible["max"]:
                    v = possible["max"]
                if iid == breach and m == acc[0]["metric"]:
                    v = (bounds[0]["max"] + 1) if "max" in bounds[0] else (bounds[0]["min"] - 1)
                lines.append(f"      {m}: {quantity(v, unit, count)}")
        kinds = list(it.get("evidence") or [])
        if iid == no_evidence:
            kinds = kinds[1:]
        if kinds:
            lines.append("    evidence:")
            for n, k in enumerate(kinds):
                path = f"ev/{iid.lower()}-{k}"
                sha = f", sha256: {hashlib.sha256((path + str(i)).encode()).hexdigest()}" if n == 0 else ""
                lines.append(f"      - {{kind: {k}, path: {path}{sha}}}")
        if random.random() < 0.15:
            lines.append(f"    notes: Test run {random.randint(1, 9)} of the campaign; rig {random.choice('ABCD')}, "
                         f"ambient {random.randint(18, 26)} degC, operator initials {random.choice(['JD', 'LW', 'MZ'])}.")
    path = os.path.join(out_dir, f"report-{i:06d}.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return os.path.getsize(path)


def latest_bundled():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "checklists", "sds")
    versions = sorted((v for v in os.listdir(root) if v[:1].isdigit()),
                      key=lambda v: tuple(int(p) for p in v.split(".")))
    return os.path.join(root, versions[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--checklist", default=latest_bundled())
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    random.seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    header, items = load_checklist(a.checklist)
    sizes = [report(i, header, items, a.out) for i in range(a.count)]
    print(f"{a.count} reports in {a.out}: {sum(sizes)} bytes, {min(sizes)}-{max(sizes)} bytes each")


if __name__ == "__main__":
    main()
