#!/bin/bash
# The IPv6 multicast debug probes between two hosts: FLoM's exact output
# when multicast passes; with a firewall dropping it (ip6tables DROP,
# ip6tables REJECT, nft drop) or with an interface-local ff01:: group, the
# client gives up after the attempts, explains, and exits 1 instead of
# waiting forever.
. "$TESTLIB"
. "${BASH_SOURCE[0]%/*}/netns-lib.sh"

host A; host B
link A eth0 B eth0
addr A eth0 fe80::a:1/64
addr B eth0 fe80::b:1/64

# Starts the server on A in the background, ready when its port is bound.
server() {
    on A "$FLOM" --debug-feature=ipv6.multicast.server "$@" > "$T/srv.out" 2> "$T/srv.err" &
    SRV=$!; PIDS+=($SRV)
    wait_until 10 udp_bound A 28015 || fail "the server did not bind"
}
stop_server() { kill -9 "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null; }
# client ARGS: runs the client on B, bounded in time (124 = it hung).
client() {
    timeout 30 ip netns exec "$(ns_name B)" "$FLOM" \
        --debug-feature=ipv6.multicast.client "$@" > "$T/cli.out" 2> "$T/cli.err"
}

server -A ff02::1
client -A ff02::1; rc=$?
check "client exit status" 0 "$rc"
check "client output" "Sent datagram is 'HELLO'
Arrived datagram is 'WELCOME'" "$(cat "$T/cli.out")"
wait "$SRV"; check "server exit status" 0 $?
check "server output" "Arrived datagram is 'HELLO'
Sent datagram is 'WELCOME'" "$(cat "$T/srv.out")"

# Names are case-insensitive; -n pins the interface on both sides.
server -A ff02::1 -n eth0
client -A ff02::1 -n eth0 --debug-feature=IPv6.Multicast.Client; rc=$?
check "mixed-case name and -n: exit 0" "0 Arrived datagram is 'WELCOME'" "$rc $(tail -1 "$T/cli.out")"
wait "$SRV"; check "server with -n: exit 0" 0 $?

# silenced LABEL: the client gave up with the diagnostic, in bounded time.
silenced() {
    check "$1: client exit 1 (not a hang)" 1 "$rc"
    check "$1: stdout" "Sent datagram is 'HELLO'" "$(cat "$T/cli.out")"
    check_match "$1: what was tried" \
        "no answer to 'HELLO' sent to \[ff0[12]::1\]:28015 on eth0 \(hop limit 1\), 2 attempt\(s\) of 300 ms" \
        "$(cat "$T/cli.err")"
    check_match "$1: names the firewall" "ip6tables REJECT or DROP rule, or an nft rule" \
        "$(cat "$T/cli.err")"
    check "$1: server got nothing" "" "$(cat "$T/srv.out")"
}

if command -v ip6tables >/dev/null 2>&1; then
    for target in DROP REJECT; do
        on A ip6tables -A INPUT -p udp --dport 28015 -j "$target"
        server -A ff02::1
        client -A ff02::1 -I 300; rc=$?
        silenced "ip6tables $target"
        stop_server
        on A ip6tables -F INPUT
    done
else
    pass "ip6tables DROP and REJECT # SKIP ip6tables is not installed"
fi

if command -v nft >/dev/null 2>&1; then
    on A nft -f - <<'EOF'
table inet fltest {
    chain input {
        type filter hook input priority 0; policy accept;
        meta l4proto udp udp dport 28015 drop
    }
}
EOF
    server -A ff02::1
    client -A ff02::1 -I 300; rc=$?
    silenced "nft drop"
    stop_server
    on A nft delete table inet fltest
else
    pass "nft drop # SKIP nft is not installed"
fi

# --discovery-ttl reaches the wire: A drops datagrams with a hop limit
# below 3, so the default (1) is silenced and 3 passes.
if command -v ip6tables >/dev/null 2>&1 && on A ip6tables -A INPUT -p udp \
    --dport 28015 -m hl --hl-lt 3 -j DROP 2>/dev/null; then
    server -A ff02::1
    client -A ff02::1 -I 300; rc=$?
    check "hop limit 1 below the rule's 3: exit 1" 1 "$rc"
    client -A ff02::1 --discovery-ttl=3 -D 3 -I 300; rc=$?
    check "--discovery-ttl=3 passes: exit 0" 0 "$rc"
    wait "$SRV"
    on A ip6tables -F INPUT
else
    pass "hop limit # SKIP no ip6tables hl match"
fi

# -D and -I: what was tried is what was asked.
client -A ff02::1 -D 3 -I 100; rc=$?
check_match "-D 3 -I 100: reported" "\(hop limit 1\), 3 attempt\(s\) of 100 ms" \
    "$rc $(cat "$T/cli.err")"

# ff01:: never leaves the host: the diagnostic says so.
server -A ff01::1
client -A ff01::1 -I 300; rc=$?
silenced "ff01::1 between hosts"
check_match "ff01: explained" "ff01::1 is an interface-local \(ff01::\) group: it never leaves this host" \
    "$(cat "$T/cli.err")"
stop_server

# Multicast passes again once the rules are gone.
server -A ff02::1
client -A ff02::1; rc=$?
check "after the firewall is gone: exit 0" 0 "$rc"
wait "$SRV"

# Failures: an IPv4 group, no group, TLS (not built), an unknown name.
for args in "-A 224.0.0.1" "" ; do
    # shellcheck disable=SC2086
    client $args -I 100; rc=$?
    check "client '$args': exit 1" 1 "$rc"
    check "client '$args': nothing on stdout" "" "$(cat "$T/cli.out")"
done
out=$(fl_on B --debug-feature=tls.server 2>&1); rc=$?
check_match "tls.server: exit 1 and a message" "^1 flom: TLS is not available" "$rc $out"
out=$(fl_on B --debug-feature=nonsense 2>&1); rc=$?
check_match "unknown probe: exit 1" "^1 flom: unknown debug feature 'nonsense'" "$rc $out"
finish
