#!/bin/bash
# Sequences: a new value each time; _S_ gives back the value of a failed
# command.
. "$TESTLIB"
start_daemon

out=$(for i in 1 2 3; do fl -r '_s_ticket[1]' -- echo; done | tr '\n' ' ')
check "_s_ values 1 2 3" "1 2 3 " "$out"

# The example of FLoM's documentation (spec §3.7): 13 runs, the values
# printed by the echo runs.
run13() {
    for x in true true true echo true true echo false echo false echo true echo; do
        fl -i 1000 -r "$1" -- "$x"
    done | tr '\n' ' '
}
check "transactional _S_: failures give their value back" "4 7 8 9 11 " "$(run13 '_S_a[1]')"
check "non-transactional _s_: values never reused" "4 7 9 11 13 " "$(run13 '_s_a[1]')"

# A command killed by a signal rolls back too (flom exits 128+N).
v1=$(fl -r '_S_k[1]' -- sh -c 'echo $FLOM_LOCKED_ELEMENT')
fl -r '_S_k[1]' -- sh -c 'echo $FLOM_LOCKED_ELEMENT > '"$T"'/killed; kill -TERM $$'
check "killed command: 143" 143 $?
v3=$(fl -r '_S_k[1]' -- sh -c 'echo $FLOM_LOCKED_ELEMENT')
check "value of the killed command handed out again" "$(cat "$T/killed")" "$v3"
check "after value 1" "1 2" "$v1 $(cat "$T/killed")"

# N concurrent holders at most; two holders get different values.
flbg -r '_s_two[2]' -- sh -c "echo \$1 >> $T/two; while [ ! -e $T/go ]; do sleep 0.02; done" x
flbg -r '_s_two[2]' -- sh -c "echo \$1 >> $T/two; while [ ! -e $T/go ]; do sleep 0.02; done" x
wait_until 10 count_ge "$T/two" . 2 || fail "two holders did not start"
check "two holders, values 1 and 2" "1 2" "$(sort -n "$T/two" | tr '\n' ' ' | sed 's/ $//')"
err=$(fl -r '_s_two[2]' -o 0 -- true 2>&1); check "third holder refused" 98 $?
touch "$T/go"; wait "${PIDS[@]}"; PIDS=()

# The resource lingers after its last user (at least 2 s, -i longer), then
# goes away with its state: the sequence starts over.
check "next value while it lingers" 4 "$(fl -r '_s_ticket[1]' -- echo)"
sleep 3.5
check "after the linger the sequence starts again" 1 "$(fl -r '_s_ticket[1]' -- echo)"
fl -i 4000 -r '_s_long[1]' -- true
sleep 3.5
check "-i 4000 keeps it longer than the default linger" 2 "$(fl -r '_s_long[1]' -- echo)"
finish
