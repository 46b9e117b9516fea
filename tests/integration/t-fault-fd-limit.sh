#!/bin/bash
# A daemon out of file descriptors (ulimit -n 16, both limits, so flomd
# cannot raise it) with more clients than descriptors: the clients beyond
# the limit wait in the listen backlog (or time out cleanly), the daemon
# pauses accepting instead of spinning on a listener that stays readable,
# keeps running, and serves every one of them once descriptors are free.
. "$TESTLIB"
( ulimit -n 16 && start_daemon ) || { fail "cannot start a daemon"; finish; }
daemon=$(daemon_pids "$SOCK")
check "the daemon runs with 16 descriptors" 16 \
    "$(awk '/^Max open files/ { print $4 }' "/proc/$daemon/limits")"
nfds() { ls "/proc/$daemon/fd" 2>/dev/null | wc -l; }
# CPU time of the daemon (user + system), in clock ticks
cpu() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$daemon/stat"; }

flbg -r fd -- sh -c "touch $T/held; while [ ! -e $T/go ]; do sleep 0.02; done; echo holder >> $T/order"
holder=$!
wait_until 10 test -e "$T/held" || fail "holder did not start"

# 24 waiters: most of them beyond the limit
waiters=()
for i in $(seq 24); do
    flbg -r fd -- sh -c "echo w >> $T/order"
    waiters+=($!)
done
# one that gives up after 300 ms while the daemon cannot even accept it
fl -r fd -o 300 -- true 2> "$T/timeout.err" & timeout_client=$!
# (a function, so that wait_until counts the descriptors at every poll)
at_limit() { [ "$(nfds)" -ge 16 ]; }
wait_until 20 at_limit || fail "the daemon never ran out of descriptors"

# The episode: two seconds at the limit, with clients waiting to be
# accepted. A daemon that backs off uses next to nothing; one that spins
# on accept() takes a third of a core or more (less than a whole one only
# because each failed accept is logged), so 10% is a generous bound.
t0=$(date +%s%N); c0=$(cpu)
sleep 2
c1=$(cpu); t1=$(date +%s%N)
ticks=$(( c1 - c0 )); wall=$(( (t1 - t0) * $(getconf CLK_TCK) / 1000000000 ))
echo "# daemon CPU: $ticks ticks in $wall ticks of wall time"
check "the daemon does not spin at the limit (CPU < 10% of wall time)" yes \
    "$([ $((ticks * 10)) -lt "$wall" ] && echo yes || echo "no: $ticks of $wall")"
check "the daemon is still running" "$daemon" "$(daemon_pids "$SOCK")"

wait "$timeout_client"; rc=$?
check "a client with a timeout fails cleanly with 98" 98 "$rc"
check_match "and says why" "timeout \(300 milliseconds\) expired" "$(cat "$T/timeout.err")"

touch "$T/go"
wait "$holder"; rc=$?
check "the holder finishes" 0 "$rc"
rc=0; for p in "${waiters[@]}"; do wait "$p" || rc=$?; done
check "every waiter is served once descriptors are free" 0 "$rc"
check "25 commands ran, the holder first" "holder 24" \
    "$(head -1 "$T/order") $(grep -c w "$T/order")"
out=$(fl -r other -- echo still-serving)
check "the same daemon serves new clients" "still-serving $daemon" \
    "$out $(daemon_pids "$SOCK")"
finish
