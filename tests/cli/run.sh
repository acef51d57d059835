#!/usr/bin/env bash
# Tests the command line of the *packed* npm package: `npm pack` pkg/, install the tarball into a
# scratch project, then run tests/cli/*.test.mjs there (node:test). Every test spawns the installed
# bin (node_modules/.bin/dialnexa-verify, npx, Deno, Bun); none imports the CLI's source.
# Usage: tests/cli/run.sh [test-file-name...]   (default: every tests/cli/*.test.mjs)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
export PATH="$root/tools/node_modules/.bin:$PATH"

scratch=$root/target/cli-scratch
rm -rf "$scratch"
mkdir -p "$scratch"
tarball=$(cd "$root/pkg" && npm pack --silent --pack-destination "$scratch")
cat > "$scratch/package.json" <<JSON
{ "name": "cli-scratch", "private": true, "type": "module" }
JSON
(cd "$scratch" && npm install --silent --no-audit --no-fund --ignore-scripts "./$tarball")
cp tests/cli/*.mjs "$scratch/"
# The example receiver, run as users run it: beside an installed dialnexa-verify.
if [ -f examples/node-http/server.mjs ]; then cp examples/node-http/server.mjs "$scratch/example-node-http.mjs"; fi

files=("$@")
[ ${#files[@]} -gt 0 ] || files=($(cd "$scratch" && ls ./*.test.mjs))
cd "$scratch"
node --test --test-reporter=spec --test-concurrency=2 "${files[@]}"
