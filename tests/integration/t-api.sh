#!/bin/bash
# The C API (libflom, spec §9): a program written for FLoM's <flom.h>
# (tests/tools/api-check) against a daemon started by the flom command.
. "$TESTLIB"
: "${FLOM_API_CHECK:?FLOM_API_CHECK must name the api-check program}"

# api SCENARIO [ARG...]: runs a scenario, its output in $T/<scenario>.out.
api() {
    local out="$T/$1.out"
    "$FLOM_API_CHECK" "$@" > "$out" 2> "$T/$1.err" ||
        fail "api-check $1 exited with $?: $(cat "$T/$1.err")"
    CUR="$out"
}
# val KEY: the value printed for KEY by the last scenario.
val() { sed -n "s/^$1=//p" "$CUR" | head -n 1; }
# expect KEY VALUE...: several "key value" pairs of the last scenario.
expect() {
    while [ "$#" -ge 2 ]; do
        check "$SCEN: $1" "$2" "$(val "$1")"
        shift 2
    done
}

# ------------------------------------------------------------- no daemon
SCEN=defaults
api defaults
expect init.rc 0 init.state 22 clean.rc 0 clean.state 26 new.ok 1
for h in static dynamic; do
    expect $h.discovery_attempts 2 $h.discovery_timeout 500 \
        $h.discovery_ttl 1 $h.lock_mode 5 $h.multicast_address '(null)' \
        $h.multicast_port 28015 $h.network_interface '(null)' \
        $h.resource_create 1 $h.resource_idle_lifespan 0 \
        $h.resource_name _RESOURCE $h.resource_quantity 1 \
        $h.resource_timeout -1 $h.socket_name "/tmp/flom-$(id -un)" \
        $h.trace_filename '(null)' $h.unicast_address '(null)' \
        $h.unicast_port 28015 $h.tls_certificate '(null)' \
        $h.tls_private_key '(null)' $h.tls_ca_certificate '(null)' \
        $h.tls_check_peer_id 0 $h.locked_element '(null)'
done

SCEN=nodaemon
FLOM_API_SOCKET="$T/nosock" api nodaemon
expect lock.rc -105 lock.state 22 lock_again.rc -105 lock_again.state 22 \
    unlock.rc -17 unlock.state 22 clean.rc 0 clean.state 26
check "nodaemon: the API started no daemon" no \
    "$([ -e "$T/nosock" ] && echo yes || echo no)"

SCEN=setters
api setters
expect attempts_neg 3 attempts_zero 1 timeout_neg 7 timeout_zero 0 \
    ttl_neg 2 ttl_zero 1 mport_neg 5 uport_neg 6 \
    idle_neg 9 idle_zero 9 quantity_neg 3 quantity_zero 3 rtimeout_neg -5 \
    create_seven 7 create_zero 0 mode_pr 3 peer_id_five 5 \
    socket_108.rc -9 socket_107.rc 0 \
    unicast.rc 0 unicast.socket '(null)' unicast.unicast 127.0.0.1 \
    unicast.multicast '(null)' \
    multicast.rc 0 multicast.socket '(null)' multicast.unicast '(null)' \
    multicast.multicast 224.0.0.1 \
    socket.rc 0 socket.socket /tmp/x socket.unicast '(null)' \
    socket.multicast '(null)' \
    socket_null.rc 0 none.socket '(null)' none.unicast '(null)' \
    none.multicast '(null)' none_lock.rc -1 none_lock.state 22 \
    if_bad.rc -20 if_bad.value '(null)' \
    null_init.rc -4 null_lock.rc -4 null_unlock.rc -4 null_clean.rc -4 \
    null_set.rc -4 null_get 0 null_element '(null)'
if grep -q ' lo$' /proc/net/if_inet6 2>/dev/null; then
    expect if_lo.rc 0 if_lo.value lo
else
    expect if_lo.rc -20 if_lo.value '(null)'
fi

# ------------------------------------------------------------ with daemon
start_daemon
# The scenarios below find the daemon through FLOM_API_SOCKET, which
# api-check passes to flom_handle_set_socket_name().
export FLOM_API_SOCKET="$SOCK"

SCEN=states
api states
expect bad_name.rc 0 bad_name.name _RESOURCE reserved_name.rc 0 \
    good_name.rc 0 good_name.name apple \
    lock.rc 0 lock.state 24 lock.element '(null)' \
    locked_set_timeout.rc 11 locked_set_timeout.value -1 \
    locked_set_name.rc 11 locked_set_socket.rc 11 locked_set_mode.rc 11 \
    relock.rc -17 relock.state 24 \
    busy.rc 4 busy.state 23 \
    connected_set_mode.rc 0 connected_set_name.rc 0 \
    connected_set_attempts.rc 11 connected_set_socket.rc 11 \
    connected_clean.rc -17 connected_clean.state 23 \
    connected_unlock.rc 0 connected_unlock.state 25 \
    disconnected_clean.rc 0 disconnected_clean.state 26 \
    timeout.rc 9 timeout.state 23 \
    cant_wait.rc 5 cant_wait.state 23 impossible.rc 6 impossible.state 23 \
    rollback_simple.rc 12 rollback_simple.state 25 \
    unlock_disconnected.rc -17 unlock_disconnected.state 25 \
    lock_from_disconnected.rc 0 lock_from_disconnected.state 24 \
    clean_locked.rc 0 clean_locked.state 26 \
    clean_cleaned.rc -17 clean_cleaned.state 26 \
    lock_cleaned.rc -17 lock_cleaned.state 26 \
    released.rc 0 released.state 24

SCEN=set
api set
expect static_lock.rc 0 static_lock.state 24 static_element red \
    static_unlock.rc 0 static_unlock.state 25 \
    static_element_after_unlock '(null)' static_clean.rc 0 \
    dynamic_lock.rc 0 dynamic_element green dynamic_unlock.rc 0

SCEN=sequence
ulimit -c 0
api sequence
expect first.rc 0 first.element 1 first_unlock.rc 0 \
    child_lock.rc 0 child_element 2 child_signal 6 \
    after_abort.rc 0 after_abort.element 2 \
    rollback.rc 0 rollback.state 25 after_rollback.element 2 \
    commit.rc 0 after_commit.element 3

SCEN=tls
mkdir -p "$T/pki" && touch "$T/pki/cert.pem" "$T/pki/key.pem" "$T/pki/ca.pem"
cd "$T/pki" && api tls cert.pem ./key.pem ../pki/ca.pem missing.pem
cd - > /dev/null
pki=$(realpath "$T/pki")
expect missing.rc -125 missing.value '(null)' \
    cert.rc 0 cert.value "$pki/cert.pem" \
    peer_id_lock.rc -24 peer_id_lock.state 22 \
    key.rc 0 key.value "$pki/key.pem" ca.rc 0 ca.value "$pki/ca.pem" \
    tls_lock.rc -413 tls_lock.state 22 \
    unset.rc 0 plain_lock.rc 0 plain_lock.state 24

SCEN=trace
echo "stale line" > "$T/api.trace"
FLOM_TRACE_MASK=0x80000 api trace "$T/api.trace"
expect set.rc 0 set.value "$T/api.trace" lock.rc 0 locked_set.rc 0 \
    unlock.rc 0
# Set again while LOCKED: the file was truncated once more, so it holds
# the unlock but not the lock.
check_match "trace: API calls traced to the file" \
    "api: handle .* unlock \(rollback=0\): rc=0" \
    "$(cat "$T/api.trace" 2>/dev/null)"
check "trace: the file is truncated at each set" "" \
    "$(grep -e 'stale line' -e "lock 'traced'" "$T/api.trace")"

SCEN=threads
api threads
expect granted 160 overlaps 0

# The library reads ~/.flom (without FLOM_API_SOCKET: the file's socket).
unset FLOM_API_SOCKET
SCEN=config
printf '[Daemon]\nSocketName=%s\n[Resource]\nName=fromfile\nTimeout=1234\n' \
    "$SOCK" > "$HOME/.flom"
api config
expect new.ok 1 init.rc 0 config.socket_name "$SOCK" \
    config.resource_name fromfile config.resource_timeout 1234 \
    lock.rc 0 lock.state 24 unlock.rc 0

# A broken user file: the library says so on stderr, handles fail.
SCEN=broken-config
printf '[Resource]\nCreate=maybe\n' > "$HOME/.flom"
api config
expect new.ok 0 init.rc -5
check_match "broken-config: the file is named on stderr" "$HOME/\.flom" \
    "$(cat "$T/config.err")"

# Local and network transports at once (spec §1.5): refused on stderr,
# stdout left to the program.
printf '[Daemon]\nSocketName=%s\nUnicastAddress=127.0.0.1\n' "$SOCK" \
    > "$HOME/.flom"
api config
expect new.ok 0 init.rc -5
check_match "broken-config: the conflict is explained on stderr" \
    "at the same time" "$(cat "$T/config.err")"
check "broken-config: nothing on stdout but the results" "" \
    "$(grep -v '^[a-z_.]*=' "$T/config.out")"
rm -f "$HOME/.flom"
finish
