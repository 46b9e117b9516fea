#!/bin/bash
# The daemon is killed (SIGKILL) while clients hold and wait: every waiter
# fails at once with a clear error, while the holders still run; each
# holder learns at its unlock that its lock was lost and exits 99 with a
# clear message; the next command starts a fresh daemon.
# (t-core-crash.sh has one waiter of a killed daemon, t-core-daemon.sh the
# holder of a daemon stopped by -X; this is the combination under SIGKILL.)
. "$TESTLIB"
start_daemon || finish
daemon=$(daemon_pids "$SOCK")

# Two holders (EX on one resource, PR on another) that run until told.
holder() { # NAME MODE
    flbg -r "$1" -l "$2" -- sh -c \
        "touch $T/$1.held; while [ ! -e $T/go ]; do sleep 0.02; done; echo $1-done" \
        > "$T/$1.out" 2> "$T/$1.err"
}
holder hx EX; hx=$!
holder hp PR; hp=$!
wait_until 10 test -e "$T/hx.held" -a -e "$T/hp.held" || fail "holders did not start"

# Four waiters, queued behind them (they trace the messages they receive,
# to tell when they are queued).
waiters=()
for i in 1 2 3 4; do
    if [ $((i % 2)) = 1 ]; then r=hx; m=PR; else r=hp; m=EX; fi
    FLOM_TRACE_MASK=0x80 flbg -r $r -l $m -- touch "$T/waiter$i.ran" \
        2> "$T/waiter$i.err"
    waiters+=($!)
done
queued() { grep -q 'received:.*rc="1"' "$T/waiter$1.err"; }
for i in 1 2 3 4; do wait_until 10 queued $i || fail "waiter $i not queued"; done

kill -9 "$daemon"
for i in 1 2 3 4; do
    wait "${waiters[$((i - 1))]}"; rc=$?
    check "waiter $i fails with 99" 99 "$rc"
    check_match "waiter $i says why" "flom_client_lock: ret_cod=-[0-9]+" \
        "$(cat "$T/waiter$i.err")"
    check "waiter $i never ran its command" no \
        "$(test -e "$T/waiter$i.ran" && echo yes || echo no)"
done
check "the waiters failed while the holders still ran" "" \
    "$(cat "$T/hx.out" "$T/hp.out")"

touch "$T/go"
for h in hx hp; do
    if [ $h = hx ]; then wait "$hx"; else wait "$hp"; fi; rc=$?
    check "holder $h: its command ran to the end" "$h-done" "$(cat "$T/$h.out")"
    check "holder $h learns at unlock that its lock was lost: 99" 99 "$rc"
    check_match "holder $h says so" "lock was not held until the end" \
        "$(cat "$T/$h.err")"
done

out=$(fl -r hx -- echo fresh); rc=$?
check "the next command starts a fresh daemon" "0 fresh" "$rc $out"
check_match "a new daemon serves the socket" '^[0-9]+$' "$(daemon_pids "$SOCK")"
finish
