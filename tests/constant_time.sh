#!/usr/bin/env bash
# Constant-time evidence for the native Rust core, deterministic: valgrind's callgrind counts the
# instructions executed inside `Verifier::verify` and `check_api_key` (through the probe in
# examples/ct_probe.rs) when the compared value differs from the right one in its first byte,
# its last byte, or not at all. The three counts must be identical.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --example ct_probe
probe=target/release/examples/ct_probe

count() { # function, case
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect="ct_probe::$1" "$probe" "$2" 2>&1 |
        sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'
}

passed=0
failed=0
for pair in "verify:verify" "check_key:key"; do
    fn=${pair%%:*}
    case=${pair##*:}
    equal=$(count "$fn" "$case-equal")
    first=$(count "$fn" "$case-first")
    last=$(count "$fn" "$case-last")
    echo "$fn (100 calls): $equal instructions when equal, $first when the first byte differs, $last when the last byte differs"
    if [ -n "$equal" ] && [ "$equal" != 0 ] && [ "$equal" = "$first" ] && [ "$first" = "$last" ]; then
        passed=$((passed + 1))
    else
        echo "  instruction counts differ (or were not collected)" >&2
        failed=$((failed + 1))
    fi
done
# The control: an early-exit comparison must show different counts, or the method proves nothing.
equal=$(count naive naive-equal)
first=$(count naive naive-first)
last=$(count naive naive-last)
echo "control, plain == on the hex (100 calls): $equal instructions when equal, $first when the first byte differs, $last when the last byte differs"
if [ -n "$first" ] && [ "$first" != "$last" ]; then
    passed=$((passed + 1))
else
    echo "  the control shows no difference: the measurement cannot detect a leak" >&2
    failed=$((failed + 1))
fi
echo "constant time: $passed passed, $failed failed"
[ "$failed" = 0 ]
