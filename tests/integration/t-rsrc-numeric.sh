#!/bin/bash
# Numeric resources: at most N units held at once; impossible requests fail.
. "$TESTLIB"
start_daemon

# Four concurrent jobs asking 2 units of gpu[4]: never more than 4 in use.
for i in 1 2 3 4; do
    flbg -r 'gpu[4]' -q 2 -- sh -c "echo +2 >> $T/log; sleep 0.2; echo -2 >> $T/log"
done
wait "${PIDS[@]}"; PIDS=()
peak=$(awk '{ n += $1; if (n > m) m = n } END { print m }' "$T/log")
check "at most 4 units held at once" 4 "$peak"
check "all jobs ran" 8 "$(wc -l < "$T/log")"

err=$(fl -r 'gpu[4]' -q 5 -- echo never 2>&1); rc=$?
check "5 units of 4 are impossible: 99" 99 "$rc"
check "impossible message" "Resource will never satisfy the request, the lock cannot be obtained" "$err"
err=$(fl -r 'gpu[4]' -q 5 -o 0 -- echo never 2>&1); rc=$?
check "impossible also with -o 0" 99 "$rc"

# Busy: 3 units held, 2 more asked without waiting.
flbg -r 'gpu[4]' -q 3 -- sh -c "touch $T/held; while [ ! -e $T/go ]; do sleep 0.02; done"
wait_until 10 test -e "$T/held" || fail "holder did not start"
err=$(fl -r 'gpu[4]' -q 2 -o 0 -- echo never 2>&1); rc=$?
check "3 of 4 held, 2 more without waiting: busy (98)" 98 "$rc"
out=$(fl -r 'gpu[4]' -q 1 -o 0 -- echo one); check "1 more unit fits" "one" "$out"

# Fairness: a queued request for 2 units is not starved by 1-unit requests.
flbg -r 'gpu[4]' -q 2 -- sh -c "echo big >> $T/order"
big=$!
sleep 0.2
err=$(fl -r 'gpu[4]' -q 1 -o 0 -- echo small 2>&1)
check "a 1-unit newcomer does not overtake the queued 2-unit request" "Resource already locked, the lock cannot be obtained" "$err"
touch "$T/go"
wait "$big"; check "the queued 2-unit request ran" "big" "$(cat "$T/order")"

# A request parked until someone creates the resource (-e no) that turns
# out impossible fails with 99; FLoM ran the command without the lock.
flbg -r 'late[2]' -e no -q 3 -- echo ran-without-lock
parked=$!
sleep 0.2
fl -r 'late[2]' -- true
wait "$parked"; rc=$?
check "parked request found impossible on creation: 99, command not run" 99 "$rc"

# -q on a simple resource is ignored (quantity forced to 1).
out=$(fl -r plain -q 3 -- echo plain); check "-q ignored for simple resources" "plain" "$out"
finish
