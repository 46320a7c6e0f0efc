#!/usr/bin/env bash
# The benchmark of PRODUCT.md §6 and issue 6: generates N reports against the
# bundled checklist and times, side by side on the same files,
#   (a) reading and parsing them with sds's YAML loader alone (`sds debug-parse`),
#   (b) `sds check --format json`, on 1 core and on all cores,
#   (c) check-jsonschema (PyPI) with `sds schema report`, the tool a user would reach for instead,
# then prints files/s, MB/s, the ratios (b)/(a) and (c)/(b), and peak memory.
#
# usage: benches/run.sh [N ...]        (default: 1000 2000 10000)
#        RUNS=5 benches/run.sh 2000     (timed rounds, commands interleaved; default 3)
# Results go to target/bench/; figures belong in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 2000 10000)

need_apt() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
python3 -c 'import yaml' 2>/dev/null || pip install -q pyyaml
command -v check-jsonschema >/dev/null 2>&1 || pip install -q check-jsonschema

cargo build --release -q
sds=target/release/sds
out=target/bench
mkdir -p "$out"
"$sds" schema report > "$out/report.schema.json"

for n in "${counts[@]}"; do
  dir="$out/reports-$n"
  [ -d "$dir" ] || python3 benches/gen_reports.py --count "$n" --out "$dir"
  python3 benches/timeit.py "$out/times-$n.json" "$runs" \
    "parse-1core=$sds debug-parse --jobs 1 $dir" \
    "check-1core=$sds check --format json --jobs 1 --output $out/findings-$n.json $dir" \
    "parse-allcores=$sds debug-parse $dir" \
    "check-allcores=$sds check --format json --output $out/findings-$n.json $dir"
  # Peak memory (max RSS) of one run each.
  /usr/bin/time -f '%M' -o "$out/mem-parse-$n" "$sds" debug-parse "$dir" >/dev/null
  /usr/bin/time -f '%M' -o "$out/mem-check-$n" "$sds" check --format json --output "$out/findings-$n.json" "$dir" || true
  # check-jsonschema once, on at most CJS_FILES files (default 500): it runs
  # at a few files per second, so the full set would take longer than the
  # rest of the benchmark; its figure is per file, compared as a rate.
  cjs_files=${CJS_FILES:-500}
  start=$(date +%s.%N)
  find "$dir" -name '*.yaml' -print0 | sort -z | head -z -n "$cjs_files" \
    | xargs -0 check-jsonschema --schemafile "$out/report.schema.json" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$start $end $(( n < cjs_files ? n : cjs_files ))" > "$out/cjs-$n"
  python3 benches/summarize.py "$out" "$n" "$dir"
done
