#!/bin/bash
# The issue's seed scenario: two hosts joined by one link with IPv6
# link-local addresses only. A daemon on A's link-local address, also
# answering discovery on ff02::1; B reaches it by address with -n, by
# address with a %zone (with and without brackets), by host name, and by
# discovery, and all of them serialise with A's own commands.
. "$TESTLIB"
. "${BASH_SOURCE[0]%/*}/netns-lib.sh"

host A; host B
link A eth0 B eth0
addr A eth0 fe80::a:bd/64
addr B eth0 fe80::b:1/64
hosts_file B "fe80::a:bd hostA"

# The daemon, exactly as the user starts it (default ports: our netns).
fl_on A -a fe80::a:bd -n eth0 -A ff02::1 -d -1 -- true
check "daemon started on A" 0 $?
check_match "A listens on its link-local address" '\[fe80::a:bd\]%eth0:28015' \
    "$(on A ss -Hltn)"
check_match "A answers discovery on UDP 28015" ':28015' "$(on A ss -Hlun)"

# A's own command holds the default resource...
fl_on A -a fe80::a:bd -n eth0 -d 0 -- sh -c \
    "echo A-start >> $T/order; touch $T/held; while [ ! -e $T/go ]; do sleep 0.02; done; echo A-end >> $T/order" &
PIDS+=($!); holder=$!
wait_until 10 test -e "$T/held" || fail "A's holder did not start"

# ...and every way B reaches the daemon meets that lock.
for form in "-a fe80::a:bd -n eth0" "-a fe80::a:bd%eth0" "-a [fe80::a:bd%eth0]" \
    "-a hostA" "-A ff02::1"; do
    # shellcheck disable=SC2086
    err=$(fl_on B $form -d 0 -o 0 -- ls 2>&1 >/dev/null); rc=$?
    check "B '$form' meets A's lock" "98 Resource already locked, the lock cannot be obtained" "$rc $err"
done

# B waits behind A (through discovery) and runs after A releases.
fl_on B -A ff02::1 -d 0 -- sh -c "echo B >> $T/order" &
PIDS+=($!); waiter=$!
conns_ge() { [ "$(on A ss -tnH state established "( sport = :28015 )" | wc -l)" -ge "$1" ]; }
wait_until 10 conns_ge 2 || fail "B's waiter did not reach the daemon"
touch "$T/go"; wait "$holder"; wait "$waiter"
check "B waited for A" "A-start A-end B" "$(lines "$T/order")"

# Now free: the seed's three commands from B, and A's own.
out=$(fl_on B -a fe80::a:bd -n eth0 -d 0 -- ls /); check "B: -a fe80::a:bd -n eth0 -- ls" 0 $?
check_match "ls ran" 'proc' "$out"
fl_on B -a hostA -d 0 -- ls / >/dev/null; check "B: -a hostA -- ls" 0 $?
fl_on B -A ff02::1 -d 0 -- ls / >/dev/null; check "B: -A ff02::1 -- ls" 0 $?
fl_on A -a fe80::a:bd -d 0 -- true; check "A: its own link-local address, no -n" 0 $?

# The reply advertises the daemon's configured address, byte-exact.
out=$(fl_on B -V -A ff02::1 -d 0 -- true | grep '^reply from')
check "discovery reply" \
    "reply from ff02::1/28015 is '<?xml version=\"1.0\" encoding=\"UTF-8\" ?><msg level=\"3\" verb=\"4\" step=\"16\"><network address=\"fe80::a:bd\" port=\"28015\"/></msg>'" \
    "$out"

# Without an interface a link-local address reaches nobody: a clear hint.
host C
err=$(fl_on C -a fe80::a:bd -d 0 -- true 2>&1); rc=$?
check "C (no link): exit 99" 99 "$rc"
check_match "C: says how to give the interface" "give one with -n IFACE or as 'fe80::a:bd%IFACE'" "$err"

# Shutdown from B through discovery.
out=$(fl_on B -A ff02::1 -x); check "B: -x through discovery" "0 Starting FLoM daemon quiesce shutdown..." "$? $out"
wait_until 10 no_flom A || fail "the daemon on A did not stop"
err=$(fl_on B -A ff02::1 -d 0 -- true 2>&1); rc=$?
check "nobody answers: 99 and FLoM's message" \
    "99 flom_client_connect: ret_cod=-105 (ERROR: 'connect' function returned an error condition)" "$rc $err"
finish
