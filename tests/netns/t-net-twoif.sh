#!/bin/bash
# Hosts with several interfaces, where FLoM made users guess one:
#
#   D --eth0-- B --eth1-- A --eth2-- C
#
# The client B asks on every interface, so it finds the daemon A behind its
# second interface, and connects with the scope the reply came in on; the
# daemon A hears discovery on all its interfaces, so C finds it too. A
# link-local host name needs no interface either.
. "$TESTLIB"
. "${BASH_SOURCE[0]%/*}/netns-lib.sh"

host A; host B; host C; host D
link B eth0 D eth0          # B's first interface leads nowhere useful
link B eth1 A eth1
link A eth2 C eth0
addr B eth0 fe80::b:0/64; addr D eth0 fe80::d:0/64
addr B eth0 198.51.100.2/25; addr D eth0 198.51.100.3/25
addr B eth1 fe80::b:1/64; addr A eth1 fe80::a:1/64
addr B eth1 192.0.2.2/24; addr A eth1 192.0.2.1/24
addr A eth2 fe80::a:2/64; addr C eth0 fe80::c:0/64
addr A eth2 198.51.100.129/25; addr C eth0 198.51.100.130/25
hosts_file B "fe80::a:1 hostA"

# A multicast-only daemon on A (wildcard address, ephemeral port).
fl_on A -A ff02::1 -d -1 -- true
check "multicast daemon started on A" 0 $?

out=$(fl_on B -V -A ff02::1 -d 0 -- echo found | grep -E '^(reply|found)')
check_match "B finds A behind its second interface" \
    "^reply from ff02::1/28015 is '.*<network address=\"\" port=\"[0-9]+\"/></msg>'
found$" "$out"
out=$(fl_on C -A ff02::1 -d 0 -- echo found); rc=$?
check "C finds A through A's other interface" "0 found" "$rc $out"

# B and C share A's locks.
fl_on B -A ff02::1 -d 0 -- sh -c \
    "touch $T/held; while [ ! -e $T/go ]; do sleep 0.02; done" &
PIDS+=($!); holder=$!
wait_until 10 test -e "$T/held" || fail "holder did not start"
err=$(fl_on C -A ff02::1 -d 0 -o 0 -- true 2>&1); rc=$?
check "C meets B's lock" "98 Resource already locked, the lock cannot be obtained" "$rc $err"
touch "$T/go"; wait "$holder"; check "holder done" 0 $?

# -n restricts discovery to one interface.
err=$(fl_on B -n eth0 -A ff02::1 -d 0 -- true 2>&1); rc=$?
check "B -n eth0: nobody there, 99" 99 "$rc"
out=$(fl_on B -n eth1 -A ff02::1 -d 0 -- echo eth1); rc=$?
check "B -n eth1: found" "0 eth1" "$rc $out"

# A link-local host name: B tries its links at once, eth1 answers.
port=$(on A ss -Hltn | awk '{ sub(/.*:/, "", $4); print $4; exit }')
out=$(fl_on B -a hostA -p "$port" -d 0 -- echo by-name); rc=$?
check "B -a hostA (link-local, no interface given)" "0 by-name" "$rc $out"

# The same with IPv4 multicast: the group is asked on both of B's links.
fl_on A -A 239.255.0.2 -P 6000 -d -1 -- true
check "IPv4 multicast daemon started on A" 0 $?
out=$(fl_on B -A 239.255.0.2 -P 6000 -d 0 -- echo v4); rc=$?
check "B finds the IPv4 daemon behind eth1" "0 v4" "$rc $out"
out=$(fl_on C -A 239.255.0.2 -P 6000 -d 0 -- echo v4); rc=$?
check "C finds the IPv4 daemon through eth2" "0 v4" "$rc $out"
finish
