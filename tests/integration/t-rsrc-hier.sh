#!/bin/bash
# Hierarchical resources: a node conflicts with its ancestors and its
# descendants, never with its siblings.
. "$TESTLIB"
start_daemon

flbg -r /data/projA -l EX -- sh -c "touch $T/held; while [ ! -e $T/go ]; do sleep 0.02; done"
holder=$!
wait_until 10 test -e "$T/held" || fail "holder did not start"

busy() { fl -r "$1" -l "${2:-EX}" -o 0 -- true 2>/dev/null; echo $?; }
check "/data conflicts with /data/projA" 98 "$(busy /data)"
check "/data/projA/x conflicts with /data/projA" 98 "$(busy /data/projA/x)"
check "/data/projA itself is busy" 98 "$(busy /data/projA)"
check "/data/projB is free" 0 "$(busy /data/projB)"
check "/other is free" 0 "$(busy /other)"
check "NL on the ancestor is compatible" 0 "$(busy /data NL)"

# A request queued on /data/projA/x does not hold back the sibling
# subtree /data/projB; one queued on /data does (it conflicts with it).
flbg -r /data/projA/x -- sh -c "echo child >> $T/order"
child=$!
sleep 0.2
check "/data/projB free while /data/projA/x waits" 0 "$(busy /data/projB)"
flbg -r /data -- sh -c "echo parent >> $T/order"
parent=$!
sleep 0.2
check "/data/projB waits behind a queued /data (fair)" 98 "$(busy /data/projB)"
touch "$T/go"; wait "$holder" "$child" "$parent"
check "the waiters ran in arrival order" "child parent" "$(lines "$T/order")"

# A holder killed without unlocking frees exactly its node (FLoM leaked it).
flbg -r /h/c -- sh -c "touch $T/hc; while kill -0 \$PPID 2>/dev/null; do sleep 0.05; done"
hc=$!
wait_until 10 test -e "$T/hc" || fail "/h/c holder did not start"
check "/h/c busy while held" 98 "$(busy /h/c)"
kill -9 "$hc"; wait "$hc" 2>/dev/null
out=$(fl -r /h -o 2000 -- echo free 2>&1); check "/h free after the /h/c holder was killed" "free" "$out"
check "/h/c free again" 0 "$(busy /h/c)"
finish
