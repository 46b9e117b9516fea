# Common helpers of the integration tests (sourced by each t-*.sh).
#
# Every test gets its own temporary directory, HOME, system config path and
# socket; it stops only the processes it started, by PID, and never touches
# the default socket. Exit status: 0 pass, 1 fail, 77 skip (automake).

set -u
: "${FLOM:?FLOM must name the flom binary}"

T=$(mktemp -d /tmp/flomt.XXXXXX)
export HOME="$T/home" FLOM_SYSTEM_CONFIG="$T/system.conf"
unset FLOM_TRACE_MASK
mkdir -p "$HOME"
SOCK="$T/sock"
FAILED=0
PIDS=()

# PIDs of the daemons serving a socket path: the processes holding its
# lock file open (found through /proc, never by name).
daemon_pids() {
    local lock="$1.lock" p f
    for p in /proc/[0-9]*; do
        for f in "$p"/fd/*; do
            if [ "$(readlink "$f" 2>/dev/null)" = "$lock" ]; then
                echo "${p#/proc/}"
                break
            fi
        done
    done 2>/dev/null | sort -u
}

cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
    for p in $(daemon_pids "$SOCK"); do kill -9 "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; FAILED=1; }
pass() { echo "ok: $*"; }

# check DESCRIPTION EXPECTED ACTUAL
check() {
    if [ "$2" = "$3" ]; then pass "$1"; else
        fail "$1: expected [$2] got [$3]"; fi
}

# check_match DESCRIPTION REGEX ACTUAL
check_match() {
    if printf '%s' "$3" | grep -Eq -- "$2"; then pass "$1"; else
        fail "$1: [$3] does not match /$2/"; fi
}

# wait_until TIMEOUT_SECONDS COMMAND...: polls a condition (readiness),
# returns 1 if it never became true.
wait_until() {
    local limit=$(( $1 * 100 )) i=0
    shift
    until "$@"; do
        i=$((i + 1))
        [ "$i" -ge "$limit" ] && return 1
        sleep 0.01
    done
}

# Conditions for wait_until (evaluated at each poll).
no_daemon() { [ -z "$(daemon_pids "${1:-$SOCK}")" ]; }
# count_ge FILE REGEX N: FILE has at least N lines matching REGEX.
count_ge() { [ "$(grep -cE -- "$2" "$1" 2>/dev/null)" -ge "$3" ]; }

# Runs flom on the test's socket.
fl() { "$FLOM" -s "$SOCK" "$@"; }
# The same in the background; $! is flom's own PID (not a subshell's),
# so signals sent to it reach flom. Records it for cleanup.
flbg() { "$FLOM" -s "$SOCK" "$@" & PIDS+=($!); }

# Starts a daemon that lives until the test ends (-d -1) and waits for it.
start_daemon() {
    fl -d -1 "$@" -- true || { fail "cannot start a daemon"; return 1; }
}

# Lines of FILE, joined by spaces.
lines() { tr '\n' ' ' < "$1" | sed 's/ $//'; }

finish() {
    if [ "$FAILED" -ne 0 ]; then exit 1; fi
    exit 0
}

require_root() {
    if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root"; exit 77; fi
}
