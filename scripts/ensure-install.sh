#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than package-lock.json, so that
# `npm start` and `npm test` work on a fresh clone with nothing else typed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "switchyard: installing npm dependencies from package-lock.json..."
  # `npm ci` installs exactly the lock and never rewrites it, so a fresh clone stays clean. The lock
  # is committed as `npm install` writes it (biome's binaries for every platform included).
  npm ci --no-audit --no-fund
  # Install scripts (the project's Node binary, esbuild) change package folders after npm wrote its
  # record of the tree (node_modules/.package-lock.json), so the next npm command, `npx switchyard`
  # included, would re-read the whole tree and print engine warnings under an older system Node. One
  # npm command on the project's Node rewrites that record.
  PATH="$PWD/node_modules/.bin:$PATH" npm exec --no -- node -e 0
fi
