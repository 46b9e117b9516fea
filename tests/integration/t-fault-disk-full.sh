#!/bin/bash
# Disk full: the daemon writes nothing in normal operation but its trace
# file, so a daemon tracing everything (-t, FLOM_TRACE_MASK) onto a full
# file system must keep serving: locks, queues, grants, and it neither
# dies nor spins. The full file system is a 64 KiB tmpfs in a mount
# namespace of the daemon's own (root only).
. "$TESTLIB"
require_root
mkdir -p "$T/full"
# The daemon is started inside the namespace and stays in it; the socket
# is outside, so the test's clients reach it as usual.
unshare -m --propagation private bash -c '
    mount -t tmpfs -o size=64k tmpfs "$1/full" || exit 3
    dd if=/dev/zero of="$1/full/filler" bs=4k 2>/dev/null
    FLOM_TRACE_MASK=0xffffffff exec "$2" -s "$3" -t "$1/full/trace" -d -1 -- true
' _ "$T" "$FLOM" "$SOCK" 2> "$T/start.err"
rc=$?
[ "$rc" = 3 ] && skip "cannot mount a tmpfs in a private namespace"
check "a tracing daemon starts on a full file system" 0 "$rc"
daemon=$(daemon_pids "$SOCK")
check_match "it runs" '^[0-9]+$' "$daemon"
trace=$(ls -l "/proc/$daemon/fd" 2>/dev/null | grep -c "$T/full/trace")
check "it has its trace file open" 1 "$trace"
check "and the file system is full" 0 \
    "$(nsenter -t "$daemon" -m df --output=avail -k "$T/full" | tail -1 | tr -d ' ')"

# Serving: 30 short locks, then a holder and queued waiters.
rc=0
for i in $(seq 30); do fl -r df -- true || rc=$?; done
check "30 locks while every trace line fails to be written" 0 "$rc"
flbg -r q -- sh -c "touch $T/held; while [ ! -e $T/go ]; do sleep 0.02; done; echo holder >> $T/order"
holder=$!
wait_until 10 test -e "$T/held" || fail "holder did not start"
waiters=()
for i in 1 2 3; do
    flbg -r q -l PR -- sh -c "echo reader >> $T/order"
    waiters+=($!)
done
sleep 0.2
touch "$T/go"
rc=0; for p in "$holder" "${waiters[@]}"; do wait "$p" || rc=$?; done
check "holder and queued readers all served" 0 "$rc"
check "in order" "holder reader reader reader" "$(lines "$T/order")"
check "the same daemon still serves" "$daemon" "$(daemon_pids "$SOCK")"
state=$(sed 's/.*) \(.\).*/\1/' "/proc/$daemon/stat")
check_match "and is idle, not spinning" '^[SD]$' "$state"
finish
