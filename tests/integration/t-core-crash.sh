#!/bin/bash
# A holder or waiter that dies loses its hold or its place at once.
. "$TESTLIB"
start_daemon

flbg -r crash -- sh -c "touch $T/held; while kill -0 \$PPID 2>/dev/null; do sleep 0.05; done"
holder=$!
wait_until 10 test -e "$T/held" || fail "holder did not start"

flbg -r crash -- sh -c "echo waiter-ran > $T/waiter"
waiter=$!
sleep 0.2
check "waiter waits while the holder lives" "" "$(cat "$T/waiter" 2>/dev/null)"

kill -9 "$holder"
wait "$waiter"; rc=$?
check "waiter granted after kill -9 of the holder" 0 "$rc"
check "waiter ran" "waiter-ran" "$(cat "$T/waiter")"

# A queued waiter that dies leaves the queue; the next one is served.
flbg -r crash2 -- sh -c "touch $T/h2; while [ ! -e $T/go2 ]; do sleep 0.02; done"
h2=$!
wait_until 10 test -e "$T/h2" || fail "second holder did not start"
"$FLOM_WIRE" -t 20000 "$SOCK" lock:crash2 recv hold > "$T/dead" < <(sleep 60) &
dead=$!; PIDS+=($dead)
wait_until 10 grep -q 'rc="1"' "$T/dead" || fail "doomed waiter not queued"
flbg -r crash2 -- echo next > "$T/next"
next=$!
sleep 0.2
kill -9 "$dead"
touch "$T/go2"
wait "$next"; check "next waiter served after a queued one died" "next" "$(cat "$T/next")"

# Daemon killed while a client waits: the waiter fails at once, exit 99.
flbg -r crash3 -- sh -c "touch $T/h3; while kill -0 \$PPID 2>/dev/null; do sleep 0.05; done"
h3=$!
wait_until 10 test -e "$T/h3" || fail "third holder did not start"
fl -r crash3 -- true 2> "$T/err3" &
w3=$!
sleep 0.2
for p in $(daemon_pids "$SOCK"); do kill -9 "$p"; done
wait "$w3"; rc=$?
check "waiter fails with 99 when the daemon dies" 99 "$rc"
check_match "waiter says why" "flom_client_lock: ret_cod=-126" "$(cat "$T/err3")"
kill -9 "$h3" 2>/dev/null
finish
