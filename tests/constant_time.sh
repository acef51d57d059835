#!/usr/bin/env bash
# Constant-time evidence for the native Rust core, deterministic: valgrind's callgrind counts the
# instructions executed inside `Verifier::verify`, `check_api_key` (the stored hash, then the
# stored key ID, differing) and `ApiKey::matches_secret` (through the probe in
# examples/ct_probe.rs) when the compared value differs from the right one in its first byte,
# its last byte, or not at all. The three counts of each must be identical.
#
# What this shows: for these inputs, in this build (x86-64, --release), the instructions executed
# do not depend on where, or whether, the compared values differ; and the plain `==` control
# shows that the method does see such a dependence when there is one. It does not prove constant
# time for every input, compiler or CPU (instruction counts say nothing of cache or of
# instructions whose timing depends on their operands). The `secret_len` lines document that
# `matches_secret` grows with the stored secret's length in SHA-256 blocks, as its docs say.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --example ct_probe
probe=target/release/examples/ct_probe

count() { # function, argument
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect="ct_probe::$1" "$probe" "$2" 2>&1 |
        sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'
}

passed=0
failed=0
for pair in verify:verify check_key:key check_key:key_id matches_secret:secret; do
    fn=${pair%%:*}
    arg=${pair##*:}
    equal=$(count "$fn" "$arg-equal")
    first=$(count "$fn" "$arg-first")
    last=$(count "$fn" "$arg-last")
    echo "$fn, $arg differs (100 calls): $equal instructions when equal, $first when the first byte differs, $last when the last byte differs"
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
# Documented, not constant: matches_secret's count steps with the stored secret's SHA-256 blocks.
line="matches_secret by stored secret length (100 calls):"
for len in 14 55 56 119 120 256; do
    line="$line ${len} B: $(count matches_secret "secret_len-$len"),"
done
echo "${line%,}"
echo "constant time: $passed passed, $failed failed"
[ "$failed" = 0 ]
