#!/usr/bin/env bash
# Runs the JavaScript client's unit tests (switchboard.js) with Node's built-in test runner: no npm
# packages. The server module's build calls this in Maven's test phase.
set -euo pipefail
here="${BASH_SOURCE[0]%/*}"
[ "$here" != "${BASH_SOURCE[0]}" ] || here=.
cd "$here"

if ! command -v node >/dev/null 2>&1; then
  echo "[WARNING] SKIPPED the switchboard.js unit tests: node is not installed (Debian: apt-get install nodejs)." >&2
  exit 0
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 18 ]; then
  echo "[ERROR] the switchboard.js unit tests need Node 18 or newer; this node is $(node --version)." >&2
  exit 1
fi
echo "switchboard.js unit tests, node $(node --version)"
exec node --test --test-reporter=spec ./*.test.mjs
