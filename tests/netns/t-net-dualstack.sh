#!/bin/bash
# Two hosts with IPv4 and global IPv6 addresses. A daemon on "::" serves
# IPv4 and IPv6 clients (dual stack); every address form reaches the same
# daemon; keepalive is set on accepted IPv4 and IPv6 connections; IPv4
# multicast discovery; an IPv6 discovery advertising an IPv4 address.
. "$TESTLIB"
. "${BASH_SOURCE[0]%/*}/netns-lib.sh"

host A; host B
link A eth0 B eth0
addr A eth0 192.0.2.1/24; addr A eth0 2001:db8::1/64; addr A eth0 fe80::a:1/64
addr B eth0 192.0.2.2/24; addr B eth0 2001:db8::2/64; addr B eth0 fe80::b:1/64
hosts_file B "192.0.2.1 hostA" "2001:db8::1 hostA" "192.0.2.1 hostA4" \
    "2001:db8::1 hostA6"

fl_on A -a :: -A 239.255.0.1 -d -1 --tcp-keepalive-time=40 -- true
check "dual-stack daemon started on A" 0 $?
# ss writes "*" for an IPv6 wildcard socket that takes IPv4 too
check_match "A listens dual-stack on *:28015" '^LISTEN .* \*:28015 ' "$(on A ss -Hltn)"

# A holder from B over IPv4, then every form meets its lock.
fl_on B -a 192.0.2.1 -d 0 -- sh -c \
    "touch $T/held; while [ ! -e $T/go ]; do sleep 0.02; done" &
PIDS+=($!); holder=$!
wait_until 10 test -e "$T/held" || fail "holder did not start"
for a in 192.0.2.1 2001:db8::1 '[2001:db8::1]' ::ffff:192.0.2.1 hostA hostA4 hostA6; do
    err=$(fl_on B -a "$a" -d 0 -o 0 -- true 2>&1); rc=$?
    check "B -a $a meets the lock" "98 Resource already locked, the lock cannot be obtained" "$rc $err"
done
err=$(fl_on B -A 239.255.0.1 -d 0 -o 0 -- true 2>&1); rc=$?
check "B -A 239.255.0.1 (IPv4 discovery) meets the lock" \
    "98 Resource already locked, the lock cannot be obtained" "$rc $err"

# Keepalive from the daemon's configuration, on IPv4 and IPv6 sockets.
ka4=$(on A ss -tnoH state established "( sport = :28015 and src 192.0.2.1 )")
check_match "keepalive on an accepted IPv4 connection" 'timer:\(keepalive,(3[0-9]|40)sec' "$ka4"
fl_on B -a 2001:db8::1 -r other -d 0 -- sh -c \
    "ip netns exec $(ns_name A) ss -tnoH state established '( sport = :28015 and src [2001:db8::1] )' > $T/ka6"
check_match "keepalive on an accepted IPv6 connection" 'timer:\(keepalive,(3[0-9]|40)sec' "$(cat "$T/ka6")"
touch "$T/go"; wait "$holder"; check "holder done" 0 $?

# A wildcard daemon advertises "": the client uses the reply's source.
out=$(fl_on B -V -A 239.255.0.1 -d 0 -- echo ran | grep -v '^\[')
check "IPv4 discovery: request, reply, command" \
    "sending UDP multicast datagram to 239.255.0.1/28015 ('<?xml version=\"1.0\" encoding=\"UTF-8\" ?><msg level=\"3\" verb=\"4\" step=\"8\"></msg>')
reply from 239.255.0.1/28015 is '<?xml version=\"1.0\" encoding=\"UTF-8\" ?><msg level=\"3\" verb=\"4\" step=\"16\"><network address=\"\" port=\"28015\"/></msg>'
ran" "$out"
fl_on B -a hostA6 -x >/dev/null; check "-x over IPv6" 0 $?
wait_until 10 no_flom A || fail "the dual-stack daemon did not stop"

# An IPv4 daemon found through an IPv6 group advertises its IPv4 address.
fl_on A -a 192.0.2.1 -p 5000 -A ff02::1 -P 5001 -d -1 -- true
check "IPv4 daemon answering an IPv6 group started" 0 $?
out=$(fl_on B -V -A ff02::1 -P 5001 -d 0 -- echo mixed | grep -E '^(reply|mixed)')
check "IPv6 discovery of an IPv4 daemon" \
    "reply from ff02::1/5001 is '<?xml version=\"1.0\" encoding=\"UTF-8\" ?><msg level=\"3\" verb=\"4\" step=\"16\"><network address=\"192.0.2.1\" port=\"5000\"/></msg>'
mixed" "$out"
check_match "bound to 192.0.2.1:5000 only" '192\.0\.2\.1:5000' "$(on A ss -Hltn)"
err=$(fl_on B -a 2001:db8::1 -p 5000 -d 0 -- true 2>&1); rc=$?
check "not reachable on its IPv6 address" 99 "$rc"
finish
