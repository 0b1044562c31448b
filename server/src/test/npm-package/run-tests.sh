#!/usr/bin/env bash
# Checks the npm package switchboard-client (client/): packs it with client/pack.sh, checks the
# tarball's files, installs it into a scratch project (offline: it has no dependencies), compiles
# TypeScript programs against its declarations with tsc --noEmit (without and with the DOM
# library), and imports it by name with Node, comparing its exports with the declared ones.
# The server module's build runs it in Maven's test phase, with the project's version:
#
#   run-tests.sh MAVEN_VERSION
#
# TypeScript comes from this directory's lockfile: npm ci here (./switchboard test and .ci/run do).
# Without node, npm or TypeScript the test fails, saying what to install, as the centrifuge client's
# tests do: it is never skipped, so a build that says it passed has run it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
version="${1:?usage: run-tests.sh MAVEN_VERSION}"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "[ERROR] the npm package's tests need node and npm, which are not installed (Debian: apt-get install nodejs npm)." >&2
  exit 1
fi
if [ ! -x "$here/node_modules/.bin/tsc" ]; then
  echo "[ERROR] the npm package's tests need TypeScript, which is not installed: run npm ci in server/src/test/npm-package (./switchboard test and .ci/run do)." >&2
  exit 1
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
tarball="$("$root/client/pack.sh" "$scratch/pack")"
echo "packed $(basename "$tarball")"

expected="LICENSE README.md chat-client.js emitter.js package.json reconnecting-socket.js resume.js switchboard.d.ts switchboard.js"
actual="$(tar tzf "$tarball" | sed 's:^package/::' | sort | tr '\n' ' ' | sed 's/ $//')"
if [ "$actual" != "$expected" ]; then
  echo "[ERROR] the tarball holds: $actual; expected: $expected" >&2
  exit 1
fi

app="$scratch/app"
mkdir "$app"
echo '{ "name": "scratch-app", "private": true, "type": "module" }' >"$app/package.json"
(cd "$app" && npm install --offline --no-audit --no-fund --loglevel=error "$tarball" >/dev/null)
cp "$here"/usage.ts "$here"/usage-dom.ts "$here"/tsconfig.json "$here"/tsconfig.dom.json "$here"/check-exports.mjs "$app/"

"$here/node_modules/.bin/tsc" -p "$app/tsconfig.json"
"$here/node_modules/.bin/tsc" -p "$app/tsconfig.dom.json"
echo "tsc --noEmit: the declarations and the programs using them compile, misuses refused"
(cd "$app" && node check-exports.mjs "$here" "$version")
