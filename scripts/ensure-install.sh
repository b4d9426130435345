#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than package-lock.json, so that
# `npm start` and `npm test` work on a fresh clone with nothing else typed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "switchyard: installing npm dependencies from package-lock.json..."
  # Not `npm ci`: the registry this project is built against does not serve biome's binaries for
  # other platforms (Android, macOS, Windows), so npm cannot record them in the lock file and `npm ci`
  # refuses the lock as incomplete. `npm install` installs the locked versions all the same.
  npm install --no-audit --no-fund
fi
