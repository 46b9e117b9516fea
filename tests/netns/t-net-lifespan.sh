#!/bin/bash
# The network rows of the lifespan truth table (spec §4.3), between two
# hosts: what the client does when nothing answers, what daemon it starts,
# and whether that daemon leaves when idle. Plus: a daemon that cannot
# bind is explained; concurrent auto-starts make one multicast daemon.
. "$TESTLIB"
. "${BASH_SOURCE[0]%/*}/netns-lib.sh"

host A; host B
link A eth0 B eth0
addr A eth0 192.0.2.1/24; addr A eth0 fe80::a:1/64
addr B eth0 192.0.2.2/24; addr B eth0 fe80::b:1/64

NOBODY="99 flom_client_connect: ret_cod=-105 (ERROR: 'connect' function returned an error condition)"
udp_free() { ! udp_bound "$@"; }
tcp_free() { ! tcp_listening "$@"; }

# Lifespan 0: nothing answers -> exit 99, no daemon anywhere.
err=$(fl_on B -A ff02::1 -d 0 -- true 2>&1)
check "- M 0: error, exit 99" "$NOBODY" "$? $err"
err=$(fl_on B -a 192.0.2.1 -d 0 -- true 2>&1)
check "A - 0: error, exit 99" "$NOBODY" "$? $err"
out=$(fl_on B -V -a 192.0.2.1 -A ff02::1 -d 0 -- true 2>&1 | grep -v '^\[')
check "A M 0: TCP only (M unused), exit 99" "${NOBODY#99 }" "$out"
check "no daemon was started" "0 0" "$(flom_count A) $(flom_count B)"
# -D and -I: three attempts, each reported (-V) as FLoM does.
out=$(fl_on B -V -A ff02::1 -D 3 -I 100 -d 0 -- true 2>/dev/null | grep -v '^\[' | cut -c1-40)
check "-D 3: three requests, three timeouts" \
    "sending UDP multicast datagram to ff02::
no reply from ff02::1/28015
sending UDP multicast datagram to ff02::
no reply from ff02::1/28015
sending UDP multicast datagram to ff02::
no reply from ff02::1/28015" "$out"

# - M >0: a daemon on the wildcard address and an ephemeral port,
# answering on M; B finds it; it leaves when idle.
out=$(fl_on A -A ff02::1 -P 7000 -d 1500 -- echo m); rc=$?
check "- M >0: starts a daemon" "0 m" "$rc $out"
check_match "- M >0: dual-stack wildcard, ephemeral port" '\*:[0-9]+ ' "$(on A ss -Hltn)"
out=$(fl_on B -V -A ff02::1 -P 7000 -d 0 -- echo b | grep -E '^(reply|b$)')
check_match "- M >0: B discovers it (address \"\")" '<network address="" port="[0-9]+"/></msg>.
b$' "$out"
wait_until 20 udp_free A 7000 || fail "- M >0: the daemon did not leave when idle"

# - M <0 next to - M >0: the timed one leaves, the other stays.
fl_on A -A ff02::1 -P 7001 -d -1 -- true; check "- M <0: starts a daemon" 0 $?
fl_on A -A ff02::1 -P 7002 -d 1000 -- true
wait_until 20 udp_free A 7002 || fail "- M 1000: did not leave when idle"
check "- M <0: still there after the timed one left" yes \
    "$(udp_bound A 7001 && echo yes)"

# A - >0: a daemon bound to A:port, used by B, leaves when idle.
out=$(fl_on A -a 192.0.2.1 -p 7100 -d 1500 -- echo a); rc=$?
check "A - >0: starts a daemon" "0 a" "$rc $out"
check_match "A - >0: bound to A:port" '192\.0\.2\.1:7100 ' "$(on A ss -Hltn)"
out=$(fl_on B -a 192.0.2.1 -p 7100 -d 0 -- echo b); check "A - >0: B uses it" "0 b" "$? $out"
wait_until 20 tcp_free A 7100 || fail "A - >0: the daemon did not leave when idle"
fl_on A -a 192.0.2.1 -p 7101 -d -1 -- true; check "A - <0: starts a daemon" 0 $?

# A is not an address of the starting host: the daemon cannot bind; the
# client says which address and why, then FLoM's -2.
err=$(fl_on B -a 192.0.2.1 -p 7200 -d 1000 -- true 2>&1); rc=$?
check "A not local: exit 99" 99 "$rc"
check "A not local: explained" \
    "flom: cannot start a daemon listening on 192.0.2.1 port 7200: Cannot assign requested address (it is not an address of this host)
flom_client_connect: ret_cod=-2 (ERROR: flom command was not able to start a new daemon and/or connect to it)" "$err"
check "A not local: no daemon left on B" 0 "$(flom_count B)"

# A M <0: bound to A, also answering on M, advertising A.
fl_on A -a 192.0.2.1 -p 7300 -A ff02::1 -P 7301 -d -1 -- true
check "A M <0: starts a daemon" 0 $?
out=$(fl_on B -V -A ff02::1 -P 7301 -d 0 -- echo b | grep -E '^(reply|b$)')
check "A M <0: B discovers it, advertised address A" \
    "reply from ff02::1/7301 is '<?xml version=\"1.0\" encoding=\"UTF-8\" ?><msg level=\"3\" verb=\"4\" step=\"16\"><network address=\"192.0.2.1\" port=\"7300\"/></msg>'
b" "$out"
# A M >0: the same, leaving when idle.
fl_on A -a 192.0.2.1 -p 7400 -A ff02::1 -P 7401 -d 1000 -- true
check "A M >0: starts a daemon" 0 $?
wait_until 20 tcp_free A 7400 || fail "A M >0: the daemon did not leave when idle"
check "A M >0: its discovery went with it" yes "$(udp_free A 7401 && echo yes)"

# Ten clients of one host find nobody at once: one daemon answers.
for i in $(seq 10); do
    fl_on A -A ff02::1 -P 7500 -d 2000 -r race -- sh -c "echo $i >> $T/race" &
    PIDS+=($!)
done
rc=0; for p in "${PIDS[@]}"; do wait "$p" || rc=1; done; PIDS=()
check "10 racing multicast clients succeed" "0 10" "$rc $(wc -l < "$T/race")"
check "exactly one daemon answers" 1 "$(on A ss -Hlun "sport = :7500" | wc -l)"
finish
