#!/usr/bin/env bash
# Peak memory (max RSS) of `sds check --format F --output FILE` for every
# output format, at 1,000 and 10,000 generated reports (issue 14: every
# format's memory flat from 1,000 to 10,000 reports). Prints a Markdown table
# for docs/performance.md, with the output's size and the wall time.
#
# usage: benches/format_memory.sh [N ...]     (default: 1000 10000)
# Reports are generated once under target/bench/ (benches/gen_reports.py,
# the latest bundled checklist, ~55 KB each).
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 10000)
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
python3 -c 'import yaml' 2>/dev/null || pip install -q pyyaml
# SDS=path/to/sds measures a binary already built.
if [ -z "${SDS:-}" ]; then cargo build --release -q; fi
sds=${SDS:-${CARGO_TARGET_DIR:-target}/release/sds}
out=${CARGO_TARGET_DIR:-target}/bench
mkdir -p "$out"
gen=$(sha256sum benches/gen_reports.py | cut -c1-12)
formats=(json human concise github gitlab sarif junit markdown html)
printf '| format |'; for n in "${counts[@]}"; do printf ' peak RSS, %s reports | output | time |' "$n"; done; echo
printf '|---|'; for _ in "${counts[@]}"; do printf -- '--:|--:|--:|'; done; echo
declare -A cells
for n in "${counts[@]}"; do
  dir="$out/reports-$n-$gen"
  [ -d "$dir" ] || python3 benches/gen_reports.py --count "$n" --out "$dir" >/dev/null
  for f in "${formats[@]}"; do
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$out/mem" "$sds" check --format "$f" --output "$out/out.$f" "$dir" 2>/dev/null || true
    end=$(date +%s.%N)
    kb=$(tail -1 "$out/mem")
    bytes=$(stat -c %s "$out/out.$f")
    cells[$f,$n]=$(python3 -c "print(f'{$kb/1024:.1f} MB | {$bytes/1e6:.1f} MB | {$end-$start:.1f} s')")
  done
done
for f in "${formats[@]}"; do
  printf '| %s |' "$f"
  for n in "${counts[@]}"; do printf ' %s |' "${cells[$f,$n]}"; done
  echo
done
