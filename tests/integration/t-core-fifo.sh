#!/bin/bash
# Fair FIFO granting: waiters are served in arrival order; a compatible
# newcomer does not overtake a queued writer (no writer starvation).
. "$TESTLIB"
start_daemon

until_file() { while [ ! -e "$1" ]; do sleep 0.02; done; }

# An EX holder, then PR, EX, PR waiters queued in this order; each holds
# its grant until the test releases it.
"$FLOM_WIRE" -t 20000 "$SOCK" lock:fifo:5 expect:rc=\"0\" print:H hold >> "$T/all" < <(until_file "$T/rel_H") &
PIDS+=($!)
wait_until 10 grep -q '^H$' "$T/all" || fail "holder not granted"

queue() { # NAME MODE
    local n
    n=$(grep -c 'rc="1"' "$T/all")
    "$FLOM_WIRE" -t 20000 "$SOCK" "lock:fifo:$2" recv recv "print:$1" hold >> "$T/all" < <(until_file "$T/rel_$1") &
    PIDS+=($!)
    wait_until 10 count_ge "$T/all" 'rc="1"' $((n + 1)) || fail "$1 not queued"
}
queue w1 3
queue w2 5
queue w3 3

touch "$T/rel_H"
wait_until 10 grep -q '^w1$' "$T/all" || fail "w1 not granted"
# w1 (PR) holds, w2 (EX) waits: a PR newcomer is compatible with the holder
# but must not overtake the queued writer.
out=$(fl -r fifo -l PR -o 0 -- echo overtook 2>&1)
check "PR newcomer does not overtake a queued EX" "Resource already locked, the lock cannot be obtained" "$out"
sleep 0.2
check "w3 (PR) waits behind w2 (EX) although compatible with w1" "" "$(grep -E '^w3$' "$T/all")"

touch "$T/rel_w1"
wait_until 10 grep -q '^w2$' "$T/all" || fail "w2 not granted"
touch "$T/rel_w2"
wait_until 10 grep -q '^w3$' "$T/all" || fail "w3 not granted"
touch "$T/rel_w3"
wait "${PIDS[@]}"; PIDS=()
check "grants in arrival order" "H w1 w2 w3" "$(grep -E '^(H|w[0-9])$' "$T/all" | tr '\n' ' ' | sed 's/ $//')"
check "three deferred grants" 3 "$(grep -c 'step="24"><answer rc="0"/>' "$T/all")"
finish
