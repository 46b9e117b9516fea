#!/bin/bash
# Refused and timed-out requests: exact messages and exit statuses.
. "$TESTLIB"
start_daemon

flbg -r busy -- sh -c "touch $T/held; while [ ! -e $T/release ]; do sleep 0.02; done"
holder=$!
wait_until 10 test -e "$T/held" || fail "holder did not start"

err=$(fl -r busy -o 0 -- echo never 2>&1); rc=$?
check "-o 0 on a busy resource exits 98" 98 "$rc"
check "-o 0 message" "Resource already locked, the lock cannot be obtained" "$err"

err=$(fl -r busy -o 300 -- echo never 2>&1); rc=$?
check "-o 300 times out with 98" 98 "$rc"
check "timeout message" "The lock was not obtained because timeout (300 milliseconds) expired" "$err"

# A compatible request is not refused.
out=$(fl -r busy -l NL -o 0 -- echo nl 2>&1); check "NL is compatible with EX" "nl" "$out"

err=$(fl -r nobody -e no -o 0 -- echo never 2>&1); rc=$?
check "-e no -o 0 on a missing resource exits 96" 96 "$rc"
check "can't wait message" "The resource could be available in the future, but the requester can't wait" "$err"

# -e no with waiting: parked until someone creates the resource.
"$FLOM_WIRE" -t 10000 "$SOCK" lock:later:5:1:0 recv recv recv > "$T/w" &
waiter=$!; PIDS+=($waiter)
wait_until 10 grep -q 'rc="2"' "$T/w" || fail "request was not parked (rc 2)"
out=$(fl -r later -- echo creator); check "creator runs" "creator" "$out"
wait "$waiter"
check_match "parked request granted at step 24 once created" 'step="24"><answer rc="0"/>' "$(cat "$T/w")"

touch "$T/release"; wait "$holder"
out=$(fl -r busy -o 0 -- echo free); check "released resource is free again" "free" "$out"
finish
