#!/usr/bin/env bash
# `make bench`: measures the packed package against the field in Node, Deno and Bun, cold start,
# memory and size, then writes BENCHMARKS.md and bench/chart.svg from this run's numbers.
# Usage: bench/run.sh [--quick]   (--quick: fewer rounds, for a smoke run)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/tools/node_modules/.bin:$PATH"
quick=${1:-}

scratch=$root/target/bench-scratch
rm -rf "$scratch"
mkdir -p "$scratch/results"
cp bench/package.json bench/package-lock.json bench/*.mjs bench/*.cjs "$scratch/"
tarball=$(cd pkg && npm pack --silent --pack-destination "$scratch")
cp bench/baseline/dialnexa-verify-0.1.0-6ba2a16.tgz "$scratch/baseline.tgz"
# The package, and beside it the baseline (the code before the engine rewrite) as `baseline`.
(cd "$scratch" && npm ci --no-audit --no-fund --loglevel=error &&
    npm install --no-save --no-audit --no-fund --loglevel=error "./$tarball" "baseline@file:./baseline.tgz")

cd "$scratch"
echo "== throughput: Node"; node throughput.mjs results/node.json $quick
echo "== throughput: Deno"; DENO_NO_UPDATE_CHECK=1 deno run -A throughput.mjs results/deno.json $quick
echo "== throughput: Bun"; bun throughput.mjs results/bun.json $quick
echo "== cold start"; node cold.mjs results/cold.json $quick --node node \
    --node "$root/tools/node22/node_modules/.bin/node" --node "$root/tools/node24/node_modules/.bin/node"
echo "== memory"; node --expose-gc memory.mjs results/memory.json $quick
echo "== constant time (dudect)"; node dudect.mjs results/dudect.json $quick
# The load test drives the examples' Express and Fastify receivers (examples/node_modules links pkg/).
echo "== load"; (cd "$root" && node bench/load.mjs "$scratch/results/load.json" $quick)
wasm=node_modules/dialnexa-verify/dist/dialnexa_verify.wasm
files=$(for f in dist/node.mjs dist/node.cjs dist/core.js dist/cli.js dist/integrations/node.js dist/integrations/fastify.js dist/integrations/hono.js dist/integrations/lambda.js index.d.ts; do
    p=node_modules/dialnexa-verify/$f
    printf '{ "name": "%s", "bytes": %s, "gzipBytes": %s },' "$f" "$(stat -c %s "$p")" "$(gzip -9 -c "$p" | wc -c)"
done)
cat > results/size.json <<JSON
{ "wasmBytes": $(stat -c %s "$wasm"), "wasmGzipBytes": $(gzip -9 -c "$wasm" | wc -c), "tarballBytes": $(stat -c %s "$tarball"), "files": [${files%,}] }
JSON
cd "$root"
node bench/report.mjs "$scratch/results" "$quick"
