#!/usr/bin/env bash
# Runs every fuzz target (fuzz/, cargo-fuzz on nightly) and prints its execution count.
# Usage: tools/fuzz.sh <seconds per target>      e.g. 10 for make test, 300 for make fuzz
#        tools/fuzz.sh --runs <executions per target>
# New inputs go to target/fuzz-corpus/<target>; the checked-in seeds in fuzz/corpus are read only.
# A crash stops the run with its input saved under fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
limit="-max_total_time=${1:-10}"
[ "${1:-}" = "--runs" ] && limit="-runs=$2"
cargo +nightly fuzz build -O
passed=0
for target in $(cargo +nightly fuzz list); do
    mkdir -p "target/fuzz-corpus/$target"
    log=$(mktemp)
    if cargo +nightly fuzz run -O "$target" "target/fuzz-corpus/$target" "fuzz/corpus/$target" -- \
        "$limit" -print_final_stats=1 >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "fuzz $target: $runs executions, no crash"
        passed=$((passed + 1))
    else
        tail -n 40 "$log"
        echo "fuzz $target: FAILED (the input is in fuzz/artifacts/$target/)" >&2
        rm -f "$log"
        exit 1
    fi
    rm -f "$log"
done
echo "fuzz: $passed passed, 0 failed"
