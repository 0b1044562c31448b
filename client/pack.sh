#!/usr/bin/env bash
# Packs the npm package switchboard-client into a tarball and prints its path:
#
#   client/pack.sh [DESTINATION]        (default: client/target)
#
# The package is this directory's package.json, types (switchboard.d.ts) and README, the
# repository's LICENSE, and the client's modules where the server serves them from
# (server/src/main/resources/web): one copy of the code, for the chat page and for npm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
web="$root/server/src/main/resources/web"
command -v npm >/dev/null 2>&1 || { echo "pack.sh: npm is not installed (Debian: apt-get install npm)" >&2; exit 1; }

dest="${1:-$here/target}"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

cp "$here/package.json" "$here/switchboard.d.ts" "$here/README.md" "$root/LICENSE" "$stage/"
# The modules are the .js names of package.json's "files"; a missing one fails here, not in a user's import.
modules="$(node -p 'require(process.argv[1]).files.filter((f) => f.endsWith(".js")).join("\n")' "$here/package.json")"
for name in $modules; do
  cp "$web/$name" "$stage/$name"
done

tarball="$(cd "$stage" && npm pack --pack-destination "$dest" --loglevel=error | tail -n 1)"
echo "$dest/$tarball"
