# Common helpers of the integration tests (sourced by each t-*.sh).
# Results are written in TAP (one "ok N - ..." line per check, the plan at
# the end), so `make check` counts checks, not scripts.
#
# Every test gets its own temporary directory, HOME, system config path and
# socket; it stops only the processes it started, by PID, and never touches
# the default socket.

set -u
: "${FLOM:?FLOM must name the flom binary}"

T=$(mktemp -d /tmp/flomt.XXXXXX)
export HOME="$T/home" FLOM_SYSTEM_CONFIG="$T/system.conf"
unset FLOM_TRACE_MASK
mkdir -p "$HOME"
SOCK="$T/sock"
FAILED=0
NCHECKS=0
PIDS=()

# PIDs of the daemons serving a socket path: the processes holding its
# lock file open (found through /proc, never by name). One find, not one
# readlink per descriptor: that took seconds on a busy machine, long
# enough for a daemon's lifespan to run out under a test's feet.
daemon_pids() {
    find /proc/[0-9]*/fd -maxdepth 1 -lname "$1.lock" 2>/dev/null |
        cut -d/ -f3 | sort -u
}

cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
    for p in $(daemon_pids "$SOCK"); do kill -9 "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT

fail() {
    NCHECKS=$((NCHECKS + 1)); FAILED=1
    echo "not ok $NCHECKS - $*" | head -c 2000; echo
}
pass() { NCHECKS=$((NCHECKS + 1)); echo "ok $NCHECKS - $*"; }

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

# run ARGS...: runs flom, leaving stdout in $out, stderr in $err, status in
# $rc.
run() {
    "$FLOM" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
}

# dump ARGS...: the -V dump of a run that stops at the connection.
dump() { run -V -d 0 -s "$T/nosock" "$@" -- true; }

# has_line DESCRIPTION LINE TEXT: TEXT contains LINE as a whole line.
has_line() {
    if printf '%s\n' "$3" | grep -Fxq -- "$2"; then pass "$1"; else
        fail "$1: no line [$2] in [$3]"; fi
}

# Lines of FILE, joined by spaces.
lines() { tr '\n' ' ' < "$1" | sed 's/ $//'; }

# Ends the test: the TAP plan. A script that dies before it has no plan,
# which the harness reports as an error.
finish() {
    echo "1..$NCHECKS"
    exit 0
}

# skip REASON: the rest of the script is skipped.
skip() {
    if [ "$NCHECKS" -eq 0 ]; then echo "1..0 # SKIP $*"; exit 0; fi
    NCHECKS=$((NCHECKS + 1)); echo "ok $NCHECKS # SKIP $*"; finish
}

require_root() {
    if [ "$(id -u)" -ne 0 ]; then skip "needs root"; fi
}
