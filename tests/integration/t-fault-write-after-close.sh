#!/bin/bash
# A client that goes on writing after the daemon half-closed its connection
# (answers rc=-14 invalid name and rc=5 can't wait are followed by the
# daemon's half-close, spec §5.6.6-7): the daemon cannot answer it any
# more, so it closes the connection, and it must not spin on a socket that
# stays writable while the client keeps it open.
. "$TESTLIB"
start_daemon || finish
daemon=$(daemon_pids "$SOCK")
cpu() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$daemon/stat"; }
# the daemon has no connection left, only its listener
no_conn() { [ "$(ls -l "/proc/$daemon/fd" | grep -c socket:)" = 1 ]; }

# one_case NAME LOCK-STEP RC: the refused request, then another one
one_case() {
    mkfifo "$T/$1.fifo"
    # the client keeps its connection open until its standard input closes
    "$FLOM_WIRE" -t 5000 "$SOCK" "$2" recv lock:after recv print:done hold \
        > "$T/$1.out" < "$T/$1.fifo" &
    PIDS+=($!)
    exec 3> "$T/$1.fifo"
    wait_until 10 grep -q done "$T/$1.out" || fail "$1: client did not finish"
    check_match "$1: the refusal" "$3" "$(sed -n 1p "$T/$1.out")"
    check "$1: a request after the half-close: the daemon closes" yes \
        "$(wait_until 10 no_conn && echo yes)"
    c0=$(cpu); sleep 1; c1=$(cpu)
    check "$1: the daemon does not spin (CPU ticks in one second < 10)" yes \
        "$([ $((c1 - c0)) -lt 10 ] && echo yes || echo "no: $((c1 - c0))")"
    exec 3>&-
}
one_case invalid-name "lock:a b" 'rc="-14"'
one_case cant-wait lock:nothere:5:0:0 'rc="5"'
out=$(fl -r after -- echo served)
check "the daemon serves as before" "served" "$out"
check "the same daemon" yes "$(kill -0 "$daemon" && echo yes)"
finish
