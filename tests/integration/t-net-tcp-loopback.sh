#!/bin/bash
# TCP daemons on the loopback (127.0.0.1, ::1), no root needed: auto-start,
# -d 0, serialisation across address spellings, keepalive on accepted
# sockets (IPv4 and IPv6), -x over TCP, lifespan.
. "$TESTLIB"
command -v ss >/dev/null 2>&1 || skip "needs ss (iproute2)"

# PIDs of the processes listening on TCP port $1 (through /proc: the
# socket inodes of the listener, then the descriptors that hold them).
tcp_pids() {
    local port inodes p f
    port=$(printf ':%04X' "$1")
    inodes=$(awk -v p="$port" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null)
    [ -z "$inodes" ] && return 0
    for p in /proc/[0-9]*; do
        for f in "$p"/fd/*; do
            case " $(echo $inodes) " in
            *" $(readlink "$f" 2>/dev/null | sed -n 's/^socket:\[\(.*\)\]$/\1/p') "*)
                echo "${p#/proc/}"; break ;;
            esac
        done
    done 2>/dev/null | sort -u
}
listening() { [ -n "$(tcp_pids "$1")" ]; }
not_listening() { [ -z "$(tcp_pids "$1")" ]; }

# A free high port: nothing listens there now.
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        not_listening "$p" && { echo "$p"; return; }
    done
}

# Our daemons die with the test, whatever happens.
tcp_cleanup() {
    local p
    for p in $(tcp_pids "$P4") $(tcp_pids "$P6"); do kill -9 "$p" 2>/dev/null; done
    cleanup
}
trap tcp_cleanup EXIT

P4=$(free_port)
P6=$(free_port)
fl4() { "$FLOM" -a "$1" -p "$P4" "${@:2}"; }

# Nobody listens and -d 0: FLoM's connect error, exit 99.
out=$(fl4 127.0.0.1 -d 0 -- true 2>&1); rc=$?
check "-d 0, no daemon: exit 99" 99 "$rc"
check "-d 0, no daemon: message" \
    "flom_client_connect: ret_cod=-105 (ERROR: 'connect' function returned an error condition)" "$out"

# Auto-start on 127.0.0.1 with keepalive settings the daemon inherits.
out=$(fl4 127.0.0.1 -d -1 --tcp-keepalive-time=30 -- echo started); rc=$?
check "auto-start on 127.0.0.1" "0 started" "$rc $out"
check "one daemon listens on the port" 1 "$(tcp_pids "$P4" | wc -l)"

# A holder; the other spellings of the same address meet the same lock.
fl4 127.0.0.1 -r net -- sh -c "touch $T/held; while [ ! -e $T/go ]; do sleep 0.02; done" &
PIDS+=($!); holder=$!
wait_until 10 test -e "$T/held" || fail "holder did not start"
for a in 127.0.0.1 ::ffff:127.0.0.1 '[::ffff:127.0.0.1]'; do
    err=$(fl4 "$a" -r net -o 0 -d 0 -- true 2>&1); rc=$?
    check "$a sees the lock: busy 98" "98 Resource already locked, the lock cannot be obtained" "$rc $err"
done
ka=$(ss -tnoH state established "( sport = :$P4 )" 2>/dev/null)
check_match "keepalive set by the daemon (IPv4)" 'timer:\(keepalive,(2[0-9]|30)sec' "$ka"
touch "$T/go"; wait "$holder"
check "holder done" 0 $?
out=$(fl4 ::ffff:127.0.0.1 -r net -o 0 -d 0 -- echo free); rc=$?
check "free after release (IPv4-mapped client)" "0 free" "$rc $out"

# Commands queue in order behind a holder: FIFO over TCP.
fl4 127.0.0.1 -r q -- sh -c "echo h >> $T/order; touch $T/qheld; while [ ! -e $T/qgo ]; do sleep 0.02; done" &
PIDS+=($!); h=$!
wait_until 10 test -e "$T/qheld" || fail "queue holder did not start"
fl4 127.0.0.1 -r q -- sh -c "echo w >> $T/order" & PIDS+=($!); w=$!
clients_ge() { [ "$(ss -tnH state established "( dport = :$P4 )" 2>/dev/null | wc -l)" -ge "$1" ]; }
wait_until 10 clients_ge 2 || fail "waiter did not connect"
touch "$T/qgo"; wait "$h"; wait "$w"
check "waiter ran after the holder" "h w" "$(lines "$T/order")"

# -x over TCP stops it.
out=$(fl4 127.0.0.1 -x); rc=$?
check "-x over TCP" "0 Starting FLoM daemon quiesce shutdown..." "$rc $out"
wait_until 10 not_listening "$P4" || fail "-x did not stop the TCP daemon"
out=$(fl4 127.0.0.1 -x 2>/dev/null); rc=$?
check "-x with no TCP daemon: 99" 99 "$rc"

# IPv6 loopback, brackets, a lifespan: the daemon leaves when idle.
fl6() { "$FLOM" -a "$1" -p "$P6" "${@:2}"; }
out=$(fl6 ::1 -d 1000 --tcp-keepalive-time=20 -- echo v6); rc=$?
check "auto-start on ::1" "0 v6" "$rc $out"
fl6 '[::1]' -r k -d 0 -- sh -c "ss -tnoH state established '( sport = :$P6 )' > $T/ka6"
check_match "keepalive set by the daemon (IPv6)" 'timer:\(keepalive,(1[0-9]|20)sec' "$(cat "$T/ka6")"
out=$(fl6 '[::1]' -d 0 -- echo brackets); rc=$?
check "[::1] reaches it" "0 brackets" "$rc $out"
wait_until 15 not_listening "$P6" || fail "the -d 1000 daemon did not leave when idle"
out=$(fl6 ::1 -d 0 -- true 2>&1); rc=$?
check "gone: -d 0 fails with 99" 99 "$rc"

# A port number beyond 65535 does not resolve: -110, exit 99.
out=$("$FLOM" -a 127.0.0.1 -p 70000 -d 0 -- true 2>&1); rc=$?
check "port 70000: exit 99" 99 "$rc"
finish
