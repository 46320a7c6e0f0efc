#!/usr/bin/env bash
# Renders an HTML page of `sds check --format html` to a PNG with headless
# Chromium, to look at the page as a browser draws it (the item grid, the
# legend, the bars), and checks that the PNG is real and not blank.
#
# usage: scripts/html-screenshot.sh PAGE.html [OUT.png] [WIDTHxHEIGHT]
#   OUT.png defaults to PAGE.png beside the page; the window to 1400x2000.
#
# Installs Debian's `chromium` when no Chromium is on PATH (needs root or sudo).
# The browser runs with networking features off and a throwaway profile: the
# page is self-contained, so nothing should be fetched anyway.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 || $1 == -h || $1 == --help ]]; then
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi

page=$1
out=${2:-${page%.*}.png}
size=${3:-1400x2000}
[[ -f $page ]] || { echo "error: no such file: $page" >&2; exit 2; }
[[ $size =~ ^[0-9]+x[0-9]+$ ]] || { echo "error: size must be WIDTHxHEIGHT, got $size" >&2; exit 2; }

browser=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [[ -z $browser ]]; then
    echo "chromium not found; installing Debian's chromium" >&2
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
    browser=chromium
fi

abs_page=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
mkdir -p "$(dirname "$out")"
abs_out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$abs_out"

"$browser" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync \
    --no-first-run --hide-scrollbars --user-data-dir="$profile" \
    --screenshot="$abs_out" --window-size="${size/x/,}" \
    "file://$abs_page" >/dev/null 2>&1 || true

# The check: a PNG, and not a trivial one. A blank page of this size
# compresses to a few KB; the grid alone makes it far larger.
if [[ ! -s $abs_out ]]; then
    echo "error: $browser wrote no screenshot to $abs_out" >&2
    exit 1
fi
magic=$(head -c 8 "$abs_out" | od -An -tx1 | tr -d ' \n')
if [[ $magic != 89504e470d0a1a0a ]]; then
    echo "error: $abs_out is not a PNG" >&2
    exit 1
fi
bytes=$(wc -c <"$abs_out")
min=${SDS_SCREENSHOT_MIN_BYTES:-20000}
if (( bytes < min )); then
    echo "error: $abs_out is only $bytes bytes (< $min): the page looks blank" >&2
    exit 1
fi
echo "$abs_out ($bytes bytes)"
