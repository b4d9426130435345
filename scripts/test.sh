#!/usr/bin/env bash
# `npm test`: lint, typecheck, then every test (unit, integration, and cluster tests against a real
# control plane built from source and cached), ending with the line `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }

step "lint (biome)"
npx biome check . || { echo "lint failed: run 'npm run format' for formatting issues"; echo "0 passed, 1 failed"; exit 1; }
step "typecheck (tsc)"
npx tsc -p . || { echo "typecheck failed"; echo "0 passed, 1 failed"; exit 1; }
step "control plane binaries (cached after the first build)"
bash scripts/cluster/build.sh || { echo "building the control plane failed"; echo "0 passed, 1 failed"; exit 1; }
step "headless chromium for the status page test (Debian's package)"
bash scripts/ensure-chromium.sh || { echo "chromium is required for the browser test"; echo "0 passed, 1 failed"; exit 1; }
step "tests (vitest: unit, integration, cluster)"
rm -f .vitest-report.json
npx vitest run --reporter=default --reporter=json --outputFile=.vitest-report.json "$@"
rc=$?
# CI reads this plain closing line; vitest's own summary is not in that form.
node - "$rc" <<'EOF'
const fs = require('node:fs');
if (!fs.existsSync('.vitest-report.json')) { console.log('0 passed, 1 failed'); process.exit(0); }
const r = JSON.parse(fs.readFileSync('.vitest-report.json', 'utf8'));
// A file that failed outside any test (import error, failing hook) counts as one failure.
const broken = (r.testResults ?? []).filter((t) => t.status === 'failed' && !t.assertionResults.some((a) => a.status === 'failed')).length;
// vitest exiting non-zero with no failed test (an unhandled error, a failed setup) is one failure too.
const failed = r.numFailedTests + broken || (Number(process.argv[2]) !== 0 ? 1 : 0);
console.log(r.numPassedTests + ' passed, ' + failed + ' failed');
EOF
exit $rc
