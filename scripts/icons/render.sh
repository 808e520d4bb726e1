#!/bin/sh
# Renders the PNG icons (web app manifest, Apple touch icon) from app/icon.svg and
# scripts/icons/maskable.svg (the same mark inside the maskable safe zone, full bleed)
# with headless Chromium, so no image tool beyond the browser the tests use is needed.
# Run from the repository root: sh scripts/icons/render.sh
set -eu
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
render() { # svg size out
  printf '<html><body style="margin:0"><img src="%s" width="%s" height="%s" style="display:block"></body></html>' \
    "file://$root/$1" "$2" "$2" >"$tmp/page.html"
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --default-background-color=00000000 --window-size="$2,$2" \
    --screenshot="$root/$3" "file://$tmp/page.html" >/dev/null 2>&1
}
render app/icon.svg 192 public/icons/icon-192.png
render app/icon.svg 512 public/icons/icon-512.png
render scripts/icons/maskable.svg 512 public/icons/maskable-512.png
render scripts/icons/maskable.svg 180 app/apple-icon.png
