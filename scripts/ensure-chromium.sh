#!/usr/bin/env bash
# The status page is tested in a real headless browser: Debian's chromium (playwright-core drives it;
# no browser is downloaded). Installs it when missing and we may (root, apt available).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the status page browser test (apt-get)..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
else
  echo "chromium is missing: install it (Debian: apt-get install chromium) to run the browser test" >&2
  exit 1
fi
