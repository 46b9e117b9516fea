#!/bin/bash
# Resource sets: each command gets one free element, as its last argument
# and in FLOM_LOCKED_ELEMENT.
. "$TESTLIB"
start_daemon

out=$(fl -r red.green.blue -- echo); check "element appended as the last argument" "red" "$out"
out=$(fl -r red.green.blue -- sh -c 'echo "$FLOM_LOCKED_ELEMENT"'); check "element in FLOM_LOCKED_ELEMENT (rotation goes on)" "green" "$out"
out=$(fl -V -r red.green.blue -- true); check_match "-V prints the locked element" "Locked element is 'blue'" "$out"

# Three concurrent holders get three different elements; a fourth waits.
for i in 1 2 3; do
    flbg -r a.b.c -- sh -c "echo \$FLOM_LOCKED_ELEMENT >> $T/got; while [ ! -e $T/go ]; do sleep 0.02; done"
done
wait_until 10 count_ge "$T/got" . 3 || fail "three holders did not start"
check "three holders, three elements" "a b c" "$(sort "$T/got" | tr '\n' ' ' | sed 's/ $//')"
err=$(fl -r a.b.c -o 0 -- echo never 2>&1); rc=$?
check "all elements busy: 98" 98 "$rc"
flbg -r a.b.c -- sh -c "echo fourth:\$1 >> $T/fourth" x
fourth=$!
sleep 0.2
touch "$T/go"
wait "$fourth"
check_match "a waiter gets the element freed first" "^fourth:[abc]$" "$(cat "$T/fourth")"

out=$(fl -r red.green.blue -l PR -- echo); check_match "lock mode is ignored for sets" "^(red|green|blue)$" "$out"
finish
