# Helpers of the multi-host tests (sourced after $TESTLIB): "hosts" are
# network namespaces joined by veth pairs, all made and removed by the
# test itself. Names carry the test's PID so that concurrent tests never
# meet; the EXIT trap kills the processes inside our namespaces (by PID,
# as listed by `ip netns pids` for namespaces only we created), deletes
# the namespaces and their /etc/netns files, then runs lib.sh's cleanup.
#
# Addresses: link-local, 192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32.

require_root
command -v ip >/dev/null 2>&1 || skip "needs ip (iproute2)"
command -v ss >/dev/null 2>&1 || skip "needs ss (iproute2)"
# Root in a container may still lack CAP_SYS_ADMIN/CAP_NET_ADMIN.
ip netns add "fl$$probe" 2>/dev/null ||
    skip "cannot create network namespaces here (needs CAP_SYS_ADMIN and CAP_NET_ADMIN)"
ip netns del "fl$$probe"

NS_PREFIX="fl$$"
NS_LIST=()

ns_name() { echo "$NS_PREFIX$1"; }

netns_cleanup() {
    local ns p
    for ns in "${NS_LIST[@]}"; do
        for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    done
    for ns in "${NS_LIST[@]}"; do
        ip netns del "$ns" 2>/dev/null
        rm -rf "/etc/netns/$ns"
    done
    cleanup
}
trap netns_cleanup EXIT

# host NAME: a new namespace with its loopback up.
host() {
    local ns
    ns=$(ns_name "$1")
    ip netns add "$ns" || { echo "Bail out! cannot create namespace $ns"; exit 1; }
    NS_LIST+=("$ns")
    ip -n "$ns" link set lo up
}

# link HOST1 IF1 HOST2 IF2: a veth pair between two hosts, up, with no
# automatic IPv6 address (tests add theirs without duplicate detection,
# so nothing is "tentative").
LINKS=0
link() {
    local a b x y
    a=$(ns_name "$1"); b=$(ns_name "$3")
    LINKS=$((LINKS + 1)); x="v$$l$LINKS"; y="w$$l$LINKS"
    ip link add "$x" type veth peer name "$y" || exit 1
    ip link set "$x" netns "$a" && ip link set "$y" netns "$b" || exit 1
    ip -n "$a" link set "$x" name "$2" && ip -n "$b" link set "$y" name "$4"
    ip -n "$a" link set "$2" addrgenmode none
    ip -n "$b" link set "$4" addrgenmode none
    ip -n "$a" link set "$2" up && ip -n "$b" link set "$4" up
}

# addr HOST IFACE ADDR/PREFIX
addr() {
    local ns
    ns=$(ns_name "$1")
    case "$3" in
    *:*) ip -n "$ns" -6 addr add "$3" dev "$2" nodad ;;
    *) ip -n "$ns" addr add "$3" dev "$2" ;;
    esac
}

# hosts_file HOST LINE...: the /etc/hosts that `ip netns exec` shows.
hosts_file() {
    local ns
    ns=$(ns_name "$1"); shift
    mkdir -p "/etc/netns/$ns"
    printf '%s\n' "127.0.0.1 localhost" "::1 localhost" "$@" > "/etc/netns/$ns/hosts"
}

# on HOST CMD...: runs CMD inside HOST.
on() {
    local ns
    ns=$(ns_name "$1"); shift
    ip netns exec "$ns" "$@"
}

# fl_on HOST ARGS...: flom inside HOST.
fl_on() {
    local h="$1"; shift
    on "$h" "$FLOM" "$@"
}

# Conditions for wait_until.
# tcp_listening HOST PORT
tcp_listening() { [ -n "$(on "$1" ss -Hltn "sport = :$2" 2>/dev/null)" ]; }
# udp_bound HOST PORT
udp_bound() { [ -n "$(on "$1" ss -Hlun "sport = :$2" 2>/dev/null)" ]; }
# no_flom HOST: no flom or flomd process left in HOST.
no_flom() {
    local p
    for p in $(ip netns pids "$(ns_name "$1")" 2>/dev/null); do
        case "$(cat "/proc/$p/comm" 2>/dev/null)" in flom*) return 1 ;; esac
    done
    return 0
}
# flom_count HOST: how many flom/flomd processes run in HOST.
flom_count() {
    local p n=0
    for p in $(ip netns pids "$(ns_name "$1")" 2>/dev/null); do
        case "$(cat "/proc/$p/comm" 2>/dev/null)" in flom*) n=$((n + 1)) ;; esac
    done
    echo "$n"
}

# stop_daemons HOST: kills the flom processes of HOST (ours: we made it).
stop_daemons() {
    local p
    for p in $(ip netns pids "$(ns_name "$1")" 2>/dev/null); do
        case "$(cat "/proc/$p/comm" 2>/dev/null)" in flom*) kill -9 "$p" ;; esac
    done
    wait_until 10 no_flom "$1"
}

# A random high port (the namespaces are ours, but two tests may share
# nothing anyway).
rand_port() { echo $((20000 + RANDOM % 40000)); }
