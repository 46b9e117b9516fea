#!/bin/bash
# Signals sent to flom reach the command; flom waits for it, then unlocks.
. "$TESTLIB"
start_daemon

# SIGTERM to flom: forwarded; the command traps it and finishes cleanly.
flbg -r sig -- sh -c "trap 'echo got-term >> $T/log; exit 3' TERM; touch $T/started; while :; do sleep 0.05; done"
pid=$!
wait_until 10 test -e "$T/started" || fail "command did not start"
kill -TERM "$pid"
wait "$pid"; rc=$?
check "flom exits with the command's status after forwarding SIGTERM" 3 "$rc"
check "the command received SIGTERM" "got-term" "$(cat "$T/log")"
out=$(fl -r sig -o 0 -- echo free 2>&1); check "lock released after the command ended" "free" "$out"

# SIGINT and SIGHUP too; an untrapped command dies: 128+N.
for s in INT HUP; do
    rm -f "$T/started"
    # (a script starts background jobs with SIGINT ignored: undo that)
    env --default-signal=INT,HUP "$FLOM" -s "$SOCK" -r sig -- sh -c "touch $T/started; exec sleep 30" &
    pid=$!; PIDS+=($pid)
    wait_until 10 test -e "$T/started" || fail "command did not start"
    sleep 0.1 # let sh exec sleep
    kill -"$s" "$pid"; wait "$pid"; rc=$?
    check "SIG$s forwarded: command killed, flom exits 128+N" $((128 + $(kill -l "$s"))) "$rc"
done

# A signal flom was started with ignored (nohup) stays ignored for the
# command, as with FLoM; one sent to flom still reaches the command, which
# ignores it.
out=$(nohup "$FLOM" -s "$SOCK" -r sig -- sh -c 'kill -HUP $$; echo survived' 2>/dev/null)
check "nohup: SIGHUP stays ignored for the command" "survived" "$out"
rm -f "$T/started"
nohup "$FLOM" -s "$SOCK" -r sig -- sh -c "touch $T/started; sleep 0.5; echo still-here" > "$T/nohup.out" 2>/dev/null &
pid=$!; PIDS+=($pid)
wait_until 10 test -e "$T/started" || fail "nohup command did not start"
kill -HUP "$pid"; wait "$pid"; rc=$?
check "nohup: SIGHUP sent to flom does not kill the command" "0 still-here" "$rc $(cat "$T/nohup.out")"

# --ignore-signal: flom ignores SIGTERM; a SIGTERM to the whole process
# group kills only the command; flom unlocks and exits 128+15.
rm -f "$T/started"
setsid "$FLOM" -s "$SOCK" -r sig --ignore-signal SIGTERM -- sh -c "touch $T/started; exec sleep 30" &
pid=$!; PIDS+=($pid)
wait_until 10 test -e "$T/started" || fail "command did not start"
sleep 0.1
kill -TERM -- -"$pid"
wait "$pid"; rc=$?
check "--ignore-signal: flom survives and reports the command's death" 143 "$rc"
out=$(fl -r sig -o 0 -- echo free 2>&1); check "lock released" "free" "$out"
finish
