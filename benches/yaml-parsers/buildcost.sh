#!/bin/sh
# Clean release build time of a throwaway crate depending on exactly one candidate.
# Usage: ./buildcost.sh   (writes into target/buildcost/, prints a Markdown table)
set -e
here=$(cd "$(dirname "$0")" && pwd)
root="$here/target/buildcost"
mkdir -p "$root"
echo "| crate (default features) | clean release build, wall s | crates compiled |"
echo "|---|---:|---:|"
for spec in 'serde_yaml = "0.9"' 'serde_yaml_ng = "0.10"' 'serde-saphyr = "2.1"' 'saphyr-parser = "0.3.4"' 'yaml-rust2 = "0.13"'; do
  name=$(echo "$spec" | cut -d' ' -f1)
  d="$root/$name"
  rm -rf "$d"; mkdir -p "$d/src"
  printf '[package]\nname = "bc"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n[dependencies]\n%s\n' "$spec" > "$d/Cargo.toml"
  echo 'fn main() {}' > "$d/src/main.rs"
  (cd "$d" && cargo fetch -q)
  start=$(date +%s.%N)
  (cd "$d" && CARGO_TARGET_DIR="$d/target" cargo build --release -q 2>/dev/null)
  end=$(date +%s.%N)
  n=$(cd "$d" && cargo tree --prefix none -e normal,build | sort -u | wc -l)
  printf '| %s | %.1f | %s |\n' "$name" "$(echo "$end - $start" | bc)" "$n"
done
