#!/bin/bash
# The daemon: started on demand without races, lifespan, -x and -X.
. "$TESTLIB"

# 20 clients racing with no daemon: all succeed, exactly one daemon.
for i in $(seq 20); do
    fl -d 3000 -r race -- sh -c "echo $i >> $T/race" &
    PIDS+=($!)
done
rc=0; for p in "${PIDS[@]}"; do wait "$p" || rc=1; done; PIDS=()
check "20 racing clients all succeed" 0 "$rc"
check "20 commands ran" 20 "$(wc -l < "$T/race")"
check "exactly one daemon" 1 "$(daemon_pids "$SOCK" | wc -l)"
check "socket file exists" yes "$(test -S "$SOCK" && echo yes)"

# Clients arriving while a daemon exits start a new one instead of failing:
# a daemon of -d 100 exits 100 ms after each client (no resource is
# created: -e no -o 0 is refused with 96), so clients every ~100 ms keep
# meeting daemons that are on their way out.
fails=0
for i in $(seq 40); do
    "$FLOM" -s "$T/churn" -d 100 -e no -o 0 -r churn -- true 2>> "$T/churn.err"
    [ $? -eq 96 ] || fails=$((fails + 1))
    sleep 0.0$((RANDOM % 5 + 8))
done
check "40 clients meeting exiting daemons: none failed" 0 "$fails"
check "no connect errors" "" "$(grep -v "requester can.t wait" "$T/churn.err")"
wait_until 10 no_daemon "$T/churn" || fail "churn daemon did not exit"

# Lifespan: the daemon of -d 3000 exits by itself when idle.
wait_until 15 no_daemon || fail "daemon did not exit after its lifespan"
check "socket removed at exit" no "$(test -e "$SOCK" && echo yes || echo no)"

# -d -1: stays; -x (quiesce) stops it; no daemon: -x fails with 99.
fl -d -1 -- true
sleep 0.3
check "-d -1 daemon stays" 1 "$(daemon_pids "$SOCK" | wc -l)"
out=$(fl -x); rc=$?
check "-x message" "Starting FLoM daemon quiesce shutdown..." "$out"
check "-x exit status" 0 "$rc"
wait_until 10 no_daemon || fail "quiesce did not stop the daemon"
out=$(fl -x 2>/dev/null); rc=$?
check "-x with no daemon exits 99" 99 "$rc"

# -X while a client holds and another waits.
fl -d -1 -- true
flbg -r imm -- sh -c "touch $T/held; while kill -0 \$PPID 2>/dev/null && [ ! -e $T/go ]; do sleep 0.02; done" 2> "$T/holder.err"
holder=$!
wait_until 10 test -e "$T/held" || fail "holder did not start"
flbg -r imm -- true 2> "$T/waiter.err"
waiter=$!
sleep 0.2
out=$(fl -X); rc=$?
check "-X message" "Starting FLoM daemon immediate shutdown..." "$out"
check "-X exit status" 0 "$rc"
wait "$waiter"; check "waiter fails at once with 99" 99 $?
check_match "waiter message" "flom_client_lock: ret_cod=-126" "$(cat "$T/waiter.err")"
touch "$T/go"; wait "$holder"; rc=$?
check "holder learns at unlock that its lock was lost: 99" 99 "$rc"
check_match "holder message" "lock was not held until the end" "$(cat "$T/holder.err")"
wait_until 10 no_daemon || fail "-X did not stop the daemon"

# A new command after -X starts a fresh daemon.
out=$(fl -- echo again); check "a new daemon after -X" "again" "$out"
fl -X >/dev/null

# Quiesce keeps serving holders: the holder finishes normally.
fl -d -1 -- true
flbg -r q -- sh -c "touch $T/qheld; while [ ! -e $T/qgo ]; do sleep 0.02; done; echo finished" > "$T/q"
qh=$!
wait_until 10 test -e "$T/qheld" || fail "quiesce holder did not start"
fl -x >/dev/null
touch "$T/qgo"; wait "$qh"; rc=$?
check "holder completes after quiesce" "0 finished" "$rc $(cat "$T/q")"
wait_until 10 no_daemon || fail "quiesce did not stop the daemon"
finish
