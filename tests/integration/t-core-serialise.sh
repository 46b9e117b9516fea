#!/bin/bash
# Concurrent commands on the same resource never interleave; readers share.
. "$TESTLIB"
start_daemon

for i in 1 2 3 4 5 6; do
    fl -- sh -c "echo start $i; sleep 0.1; echo end $i" >> "$T/out" &
    PIDS+=($!)
done
wait "${PIDS[@]}"; PIDS=()
bad=$(awk '/^start/ { if (open) print "nested"; open=$2 }
           /^end/ { if (open != $2) print "mismatch"; open="" }' "$T/out")
check "six concurrent commands never interleave" "" "$bad"
check "all six ran" 12 "$(wc -l < "$T/out")"

# PR holders run together: three readers that each wait for the others.
for i in 1 2 3; do
    fl -l PR -r db -- sh -c "touch $T/r$i; for k in \$(seq 500); do [ -e $T/r1 ] && [ -e $T/r2 ] && [ -e $T/r3 ] && exit 0; sleep 0.01; done; exit 1" &
    PIDS+=($!)
done
rc=0; for p in "${PIDS[@]}"; do wait "$p" || rc=1; done; PIDS=()
check "three PR readers hold the lock at the same time" 0 "$rc"

# An EX writer waits for the readers to finish.
fl -l PR -r db -- sh -c "touch $T/reading; sleep 0.5; echo reader-done >> $T/order" &
PIDS+=($!)
wait_until 10 test -e "$T/reading" || fail "reader did not start"
fl -l EX -r db -- sh -c "echo writer >> $T/order"
wait "${PIDS[@]}"; PIDS=()
check "EX writer runs after the PR reader" "reader-done writer" "$(lines "$T/order")"
finish
