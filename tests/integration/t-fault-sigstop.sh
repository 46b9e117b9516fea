#!/bin/bash
# A client stopped by SIGSTOP keeps what it has: stopped while holding,
# the others wait until it is continued and finishes; stopped while
# queued, it is granted in its turn and whoever queued after it waits for
# it. Nobody is served out of order and nothing is lost.
. "$TESTLIB"
start_daemon || finish
daemon=$(daemon_pids "$SOCK")
# flq NAME FLOM-ARGS...: flom in the background, tracing the messages it
# receives into $T/NAME.trace; queued NAME: the daemon has queued it.
flq() { local n=$1; shift; FLOM_TRACE_MASK=0x80 flbg "$@" 2> "$T/$n.trace"; }
queued() { grep -q 'received:.*rc="1"' "$T/$1.trace"; }
stopped() { [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" = T ]; }

# --- 1. flom and its command stopped while holding
flbg -r stop -- sh -c "echo \$\$ > $T/cmd.pid; while [ ! -e $T/go ]; do sleep 0.02; done; echo holder >> $T/order"
holder=$!
wait_until 10 test -s "$T/cmd.pid" || fail "holder did not start"
cmd=$(cat "$T/cmd.pid")
kill -STOP "$holder" "$cmd"
wait_until 10 stopped "$holder" || fail "holder not stopped"
flq w1 -r stop -- sh -c "echo waiter >> $T/order"
waiter=$!
wait_until 10 queued w1 || fail "waiter not queued"
touch "$T/go"
sleep 0.3
check "the waiter waits while the holder is stopped" "" "$(cat "$T/order" 2>/dev/null)"
check "the daemon is still there" "$daemon" "$(daemon_pids "$SOCK")"
kill -CONT "$cmd" "$holder"
wait "$holder"; rc=$?
check "the continued holder finishes normally" 0 "$rc"
wait "$waiter"; rc=$?
check "then the waiter is served" 0 "$rc"
check "in that order" "holder waiter" "$(lines "$T/order")"

# --- 2. a waiter stopped in the queue is granted in its turn
rm -f "$T/go" "$T/order"
flbg -r q -- sh -c "touch $T/first.held; while [ ! -e $T/go ]; do sleep 0.02; done; echo first >> $T/order"
first=$!
wait_until 10 test -e "$T/first.held" || fail "first holder did not start"
flq w2 -r q -- sh -c "echo stopped >> $T/order"
stopped_waiter=$!
wait_until 10 queued w2 || fail "second client not queued"
kill -STOP "$stopped_waiter"
wait_until 10 stopped "$stopped_waiter" || fail "waiter not stopped"
flq w3 -r q -- sh -c "echo last >> $T/order"
last=$!
wait_until 10 queued w3 || fail "third client not queued"
touch "$T/go"
wait "$first"
sleep 0.3
check "the one queued after a stopped waiter waits for it" "first" "$(lines "$T/order")"
kill -CONT "$stopped_waiter"
wait "$stopped_waiter"; rc1=$?
wait "$last"; rc2=$?
check "both finish normally" "0 0" "$rc1 $rc2"
check "in arrival order" "first stopped last" "$(lines "$T/order")"

# --- 3. the holder's command alone is stopped: flom waits for it
rm -f "$T/order" "$T/cmd.pid"
flbg -r c -- sh -c "echo \$\$ > $T/cmd.pid; sleep 0.1; echo command >> $T/order"
holder=$!
wait_until 10 test -s "$T/cmd.pid" || fail "third holder did not start"
cmd=$(cat "$T/cmd.pid")
kill -STOP "$cmd"
flq w4 -r c -- sh -c "echo waiter >> $T/order"
waiter=$!
wait_until 10 queued w4 || fail "waiter not queued"
sleep 0.3
check "a stopped command keeps the lock" "" "$(cat "$T/order" 2>/dev/null)"
kill -CONT "$cmd"
wait "$holder" "$waiter"
check "the command finishes, then the waiter runs" "command waiter" "$(lines "$T/order")"
check "one daemon served it all" "$daemon" "$(daemon_pids "$SOCK")"
finish
