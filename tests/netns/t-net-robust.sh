#!/bin/bash
# The daemon on the network side: bad or foreign datagrams on the
# discovery port are ignored and logged (FLoM closed its listener), a flood
# of them is logged sparingly, and discovery keeps working; a daemon that
# cannot listen says which address and why.
. "$TESTLIB"
. "${BASH_SOURCE[0]%/*}/netns-lib.sh"

FLOMD=${FLOMD:-${FLOM%/*}/flomd}
[ -x "$FLOMD" ] || skip "no flomd next to $FLOM"

host A; host B
link A eth0 B eth0
addr A eth0 192.0.2.1/24; addr A eth0 fe80::a:1/64
addr B eth0 192.0.2.2/24; addr B eth0 fe80::b:1/64

# flomd by hand in A, its log events traced to a file we can read.
on A env FLOM_TRACE_MASK=0x10 "$FLOMD" -a 192.0.2.1 -A ff02::1 -d -1 2> "$T/A.log" &
PIDS+=($!)
wait_until 10 tcp_listening A 28015 || fail "flomd did not listen"
wait_until 10 udp_bound A 28015 || fail "flomd did not bind the discovery port"

# udp TEXT: one datagram from B to A's discovery port.
udp() { on B bash -c 'printf "%s" "$1" > /dev/udp/fe80::a:1%eth0/28015' _ "$1"; }
X='<?xml version="1.0" encoding="UTF-8" ?>'
udp "garbage"
udp "$X<msg level=\"3\" verb=\"4\" step=\"16\"><network address=\"\" port=\"1\"/></msg>"
udp "$X<msg level=\"3\" verb=\"1\" step=\"8\"><resource name=\"YWJj\" mode=\"5\" wait=\"1\" create=\"1\" lifespan=\"0\"/></msg>"
udp "$X<msg level=\"9\" verb=\"4\" step=\"8\"></msg>"
udp "$(head -c 1500 /dev/zero | tr '\0' x)"
fl_on B --debug-feature=ipv6.multicast.client -A ff02::1 -D 1 -I 200 >/dev/null 2>&1
check "the debug client's HELLO gets no answer from a daemon" 1 $?
wait_until 10 count_ge "$T/A.log" "ignored a datagram" 6 || fail "not every bad datagram was logged"
log=$(cat "$T/A.log")
check_match "garbage: logged" "ignored a datagram of 7 bytes from fe80::b:1%eth0/[0-9]+ on the discovery port: not a FLoM message" "$log"
check_match "a reply: logged" "ignored a datagram of 109 bytes .*: not a discovery request" "$log"
check_match "a lock request: logged" "ignored a datagram of 143 bytes .*: not a discovery request" "$log"
check_match "wrong level: logged" "ignored a datagram of 78 bytes .*: wrong protocol level" "$log"
check_match "oversized: logged" "ignored a datagram of more than 1024 bytes .*: too long" "$log"
check_match "HELLO: logged" "ignored a datagram of 5 bytes .*: not a FLoM message" "$log"

out=$(fl_on B -A ff02::1 -d 0 -- echo alive); rc=$?
check "discovery still works" "0 alive" "$rc $out"
check_match "the query is logged (FLM005I)" "FLM005I auto-discovery query received from fe80::b:1%eth0/[0-9]+" \
    "$(cat "$T/A.log")"

# A flood: at most 10 messages a minute, the daemon keeps answering.
for i in $(seq 50); do udp "junk $i"; done
out=$(fl_on B -A ff02::1 -d 0 -- echo still); rc=$?
check "discovery works during a flood" "0 still" "$rc $out"
# 56 bad datagrams so far: 10 logged (20 if a minute went by meanwhile)
n=$(grep -c 'ignored a datagram' "$T/A.log")
check "bad datagrams logged at most 10 times a minute" yes \
    "$([ "$n" -ge 10 ] && [ "$n" -le 20 ] && echo yes || echo "no: $n")"

# Garbage over TCP closes that connection only.
if [ -n "${FLOM_WIRE:-}" ]; then
    out=$(on B "$FLOM_WIRE" 192.0.2.1:28015 junk:2000 recv)
    check "TCP garbage: the daemon closes that connection" EOF "$out"
fi
out=$(fl_on B -a 192.0.2.1 -d 0 -- echo tcp); check "TCP still served" "0 tcp" "$? $out"

# A daemon that cannot listen says where and why.
err=$(on B "$FLOMD" -a 192.0.2.1 -d -1 2>&1)
check "flomd on an address of another host" \
    "flomd: cannot listen on 192.0.2.1 port 28015: Cannot assign requested address" "$err"
err=$(on A "$FLOMD" -a 192.0.2.1 -d -1 2>&1)
check "flomd where another daemon listens" \
    "flomd: 192.0.2.1 port 28015: Address already in use (another daemon serves there)" "$err"
check "the first daemon is unharmed" 1 "$(on A ss -Hltn "sport = :28015" | wc -l)"
finish
