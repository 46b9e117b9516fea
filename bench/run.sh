#!/bin/bash
# flom benchmarks: every claim about speed is this command, printing numbers.
#
#   bench/run.sh [--quick] [FLOM_BINARY]     (or: make bench / make bench-quick)
#
# Sections: latency of `flom -- true` (warm daemon over a UNIX socket and
# TCP, cold start) against flock(1) and true; protocol throughput with the
# C load generator against flomd and against a bare epoll server (the
# floor); clients queued on one resource (up to 10,000); concurrent shell
# loops. Helpers (built by make): CMDTIME, LOADGEN, FLOOR, by default in
# the bench/ directory of FLOM_BINARY's build tree. BENCH_SECTIONS picks
# sections (default "latency cold throughput scale loops"), BENCH_RUNS the
# runs per latency, BENCH_PIN=0 leaves the throughput processes where the
# scheduler puts them. Prints tables; never fails on timing. Writes only in a temporary directory, and stops only the
# daemons it started. bench/RESULTS.md explains the numbers.
set -u
QUICK=0
[ "${1:-}" = --quick ] && { QUICK=1; shift; }
FLOM=${1:-$(dirname "$0")/../src/flom}
BUILD=$(cd "$(dirname "$FLOM")/.." && pwd)
CMDTIME=${CMDTIME:-$BUILD/bench/cmdtime}
LOADGEN=${LOADGEN:-$BUILD/bench/loadgen}
FLOOR=${FLOOR:-$BUILD/bench/floor}
if [ $QUICK = 1 ]; then
    N=${BENCH_RUNS:-100} LAT_ROUNDS=2 COLD=10 SECS=0.5 KS="1 32" QUEUES="1000"
    LOOP_KS="1 4" LOOP_N=20
else
    N=${BENCH_RUNS:-1000} LAT_ROUNDS=5 COLD=40 SECS=2 KS="1 8 32 256"
    QUEUES="2000 5000 10000" LOOP_KS="1 4 16" LOOP_N=100
fi
T=$(mktemp -d /tmp/flombench.XXXXXX)
export HOME="$T" FLOM_SYSTEM_CONFIG="$T/none" # no user or system config
SOCK="$T/sock"
DAEMONS=() # "PID FLOM-OPTIONS..." of every daemon we started
FLOOR_PID= FLOORX_PID= FLOORQ_PID=
# Throughput runs with the servers on CPU 0 and the loader on CPU 1: on a
# virtual machine a wake-up across CPUs costs tens of µs, and where the
# scheduler puts the two processes would decide the numbers (BENCH_PIN=0:
# let it).
SERVER_CPU= LOADER_CPU=
if [ "${BENCH_PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
    SERVER_CPU=0 LOADER_CPU=1
fi

# ------------------------------------------------------------ daemons

# Stops one daemon: with -X, then by the PID we noted (0: unknown).
stop_daemon() {
    local pid=$1
    shift
    "$FLOM" "$@" -X >/dev/null 2>&1
    [ "$pid" -gt 0 ] || return 0
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.02
    done
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = flomd ] && kill "$pid"
}

cleanup() {
    local d pid
    for d in "${DAEMONS[@]}"; do
        # shellcheck disable=SC2086 # "PID OPTION VALUE..."
        stop_daemon $d
    done
    for pid in $FLOOR_PID $FLOORX_PID $FLOORQ_PID; do
        kill "$pid" 2>/dev/null
    done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts a daemon that stays, and notes its PID (SO_PEERCRED).
start_unix_daemon() { # SOCKET [COMMAND-PREFIX...]
    local s=$1 pid
    shift
    "$@" "$FLOM" -s "$s" -d -1 -- true || return 1
    pid=$("$LOADGEN" pid -s "$s") || pid=0
    DAEMONS+=("$pid -s $s")
}

stop_last_daemon() {
    # shellcheck disable=SC2086
    stop_daemon ${DAEMONS[-1]}
    unset 'DAEMONS[-1]'
}

# A TCP port on 127.0.0.1 where nothing answers.
free_port() {
    local p
    for _ in $(seq 20); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# Starts a TCP daemon on 127.0.0.1 and sets TCP_PORT, or fails. (Not in
# a subshell: DAEMONS must remember it.)
start_tcp_daemon() {
    local port pid
    TCP_PORT=
    port=$(free_port) || return 1
    "$FLOM" -a 127.0.0.1 -p "$port" -d -1 -- true 2>/dev/null || return 1
    pid=$(ss -Hltnp "sport = :$port" 2>/dev/null |
        sed -n 's/.*"flomd",pid=\([0-9]*\).*/\1/p' | head -1)
    DAEMONS+=("${pid:-0} -a 127.0.0.1 -p $port")
    TCP_PORT=$port
}

# ------------------------------------------------------------ helpers

kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; } # KEY LINE
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
measure() { # RUNS COMMAND...
    local n=$1
    shift
    "$CMDTIME" -n "$n" -w 10 -- "$@"
}
usec_since() { local e=$EPOCHREALTIME; echo $((${e/./} - ${1/./})); }
section() { printf '\n== %s\n' "$1"; }

# Runs a command on a CPU ("" = wherever the scheduler puts it).
on_cpu() {
    local cpu=$1
    shift
    if [ -n "$cpu" ]; then taskset -c "$cpu" "$@"; else "$@"; fi
}

load() { on_cpu "$LOADER_CPU" "$LOADGEN" "$@" -t "$SECS"; }

# Starts bench/floor in the background and notes its PID in VAR.
start_floor() { # VAR SOCKET CPU [-x]
    local var=$1 sock=$2 cpu=$3 pid
    shift 3
    pid=$(on_cpu "$cpu" "$FLOOR" "$@" -s "$sock" -b) || {
        echo "floor: cannot start"
        return 1
    }
    printf -v "$var" '%s' "$pid"
}

# Median and p99 of the numbers in a file, one a line.
stats() {
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        p = int(NR * 0.99); if (p < 1) p = 1
        printf "%d %d\n", v[int((NR + 1) / 2)], v[p] }'
}

machine() {
    echo "flom benchmarks, $([ $QUICK = 1 ] && echo quick || echo full) run, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr)"
    echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# ------------------------------------------------------------ latency

latency_row() { # LABEL FILE: one "median p90 p99 failures" line a round
    local m p90 p99 f
    read -r m p90 p99 f < <(round_medians "$2")
    printf '%-32s %8s %8s %8s\n' "$1" "$m" "$p90" "$p99"
    [ "$f" = 0 ] || echo "  warning: $f runs failed"
}

# Each column's median over the rounds (failures: their sum).
round_medians() {
    local i
    for i in 1 2 3; do
        cut -d' ' -f"$i" "$1" | sort -n | awk '{ v[NR] = $1 } END { printf "%d ", v[int((NR + 1) / 2)] }'
    done
    awk '{ f += $4 } END { print f + 0 }' "$1"
}

median_of() { round_medians "$1" | cut -d' ' -f1; }

# Rounds alternate the commands, so that a change in the machine's load
# during the run (other jobs) touches them all alike.
latency() {
    local r per=$((N / LAT_ROUNDS)) tcp=""
    section "latency: wall time of one command in µs, $N runs each in $LAT_ROUNDS rounds, warm daemon"
    start_unix_daemon "$SOCK"
    start_tcp_daemon && tcp=1
    : >"$T/l.true" ; : >"$T/l.flock" ; : >"$T/l.unix" ; : >"$T/l.tcp"
    for r in $(seq "$LAT_ROUNDS"); do
        measure "$per" true >>"$T/l.true"
        measure "$per" flock "$T/flock.lock" true >>"$T/l.flock"
        measure "$per" "$FLOM" -s "$SOCK" -- true >>"$T/l.unix"
        [ -n "$tcp" ] && measure "$per" "$FLOM" -a 127.0.0.1 -p "$TCP_PORT" -- true >>"$T/l.tcp"
    done
    printf '%-32s %8s %8s %8s\n' "command (median of rounds)" median p90 p99
    latency_row "true" "$T/l.true"
    latency_row "flock FILE true" "$T/l.flock"
    latency_row "flom -- true (UNIX socket)" "$T/l.unix"
    if [ -n "$tcp" ]; then
        latency_row "flom -- true (TCP 127.0.0.1)" "$T/l.tcp"
    else
        echo "TCP: not available in this build"
    fi
    echo
    echo "flom/flock (UNIX) = $(ratio "$(median_of "$T/l.unix")" "$(median_of "$T/l.flock")")   goal <= 1.10 (FLoM 1.7.2: 2.5-2.6)"
    [ -n "$tcp" ] && echo "flom/flock (TCP)  = $(ratio "$(median_of "$T/l.tcp")" "$(median_of "$T/l.flock")")"
    echo "flom/true         = $(ratio "$(median_of "$T/l.unix")" "$(median_of "$T/l.true")")"
    echo "flock/true        = $(ratio "$(median_of "$T/l.flock")" "$(median_of "$T/l.true")")"
}

# One cold start: nothing serves the fresh socket, flom starts flomd.
cold_once() {
    local s=$EPOCHREALTIME
    "$FLOM" -s "$1" -- true || echo "warning: a cold run failed" >&2
    usec_since "$s" >>"$T/cold"
    DAEMONS+=("$("$LOADGEN" pid -s "$1" || echo 0) -s $1")
    stop_last_daemon
}

cold() {
    local s
    section "cold start: flom -- true with no daemon running, µs, $COLD runs"
    : >"$T/cold"
    : >"$T/true"
    for i in $(seq "$COLD"); do
        cold_once "$T/cold$i"
        s=$EPOCHREALTIME
        /bin/true
        usec_since "$s" >>"$T/true"
    done
    printf '%-32s %8s %8s\n' command median p99
    # shellcheck disable=SC2046
    printf '%-32s %8s %8s\n' "/bin/true (same shell loop)" $(stats "$T/true")
    # shellcheck disable=SC2046
    printf '%-32s %8s %8s\n' "flom -- true (starts flomd)" $(stats "$T/cold")
}

# --------------------------------------------------------- throughput

tp_header() {
    printf '%-8s %4s %-9s %8s %7s %7s %6s | %8s %6s | %8s %6s\n' "$@"
}

tp_row() { # MODE K RESOURCES FLOM-LINE FLOOR-LINE FLOOR-X-LINE
    local x=- xr=-
    if [ -n "$6" ]; then
        x=$(kv cps "$6") xr=$(ratio "$(kv cps "$4")" "$x")
    fi
    tp_header "$1" "$2" "$3" "$(kv cps "$4")" "$(kv p50_us "$4")" \
        "$(kv p99_us "$4")" "$(kv server_cpu_us "$4")" "$(kv cps "$5")" \
        "$(ratio "$(kv cps "$4")" "$(kv cps "$5")")" "$x" "$xr"
    [ "$(kv errors "$4")" = 0 ] || echo "  warning: flom errors: $4"
}

throughput() {
    local mode k fl flx f ts="$T/tsock"
    section "throughput: cycles/s, latency µs, flomd CPU µs/cycle; $SECS s each, one loader thread"
    echo "cycle = connect, lock (EX, wait), grant, unlock, shutdown, EOF, close (a FLoM client);"
    echo "persist = lock, grant, unlock on one connection; shared = one resource, distinct = one each;"
    echo "floor = bench/floor, a bare epoll server that grants every lock (no lock at all);"
    echo "floor -x = the same with one exclusive FIFO lock, the floor of a shared resource"
    echo "placement: servers on CPU ${SERVER_CPU:-any}, loader on CPU ${LOADER_CPU:-any}"
    start_floor FLOOR_PID "$T/floor.sock" "$SERVER_CPU" || return
    start_floor FLOORX_PID "$T/floorx.sock" "$SERVER_CPU" -x || return
    start_unix_daemon "$ts" on_cpu "$SERVER_CPU" || return
    tp_header mode K resources "flom/s" p50 p99 cpu "floor/s" ratio "floor-x/s" ratio
    for mode in cycle persist; do
        for k in $KS; do
            fl=$(load "$mode" -k "$k" -s "$T/floor.sock")
            flx=$(load "$mode" -k "$k" -s "$T/floorx.sock")
            f=$(load "$mode" -k "$k" -s "$ts")
            tp_row "$mode" "$k" shared "$f" "$fl" "$flx"
            f=$(load "$mode" -k "$k" -d -s "$ts")
            tp_row "$mode" "$k" distinct "$f" "$fl" ""
        done
    done
    stop_last_daemon
    echo
    echo "goals: cycle >= 0.80 x floor; persist well beyond the cycle floor"
    echo "(FLoM 1.7.2 here: 7,000-9,000 cycles/s with 1 worker, 6,700-10,800 with 32 on one resource)"
}

# -------------------------------------------------------------- scale

queue_row() { # LABEL LINE FLOM-REFERENCE
    local rss hwm
    rss=$(awk -v k="$(kv rss_kib "$2")" 'BEGIN { printf "%.1f", k / 1024 }')
    hwm=$(awk -v k="$(kv hwm_kib "$2")" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '%-16s %6s %7s %7s %8s %6s %4s %7s %7s %3s %6s | %s\n' "$1" "$(kv n "$2")" \
        "$(kv enqueue_s "$2")" "$(kv drain_s "$2")" "$(kv per_grant_us "$2")" \
        "$(kv server_cpu_us "$2")" "$(kv fifo "$2")" "$rss" "$hwm" \
        "$(kv threads "$2")" "$(kv fds "$2")" "$3"
    [ "$(kv errors "$2")" = 0 ] || echo "  warning: $2"
}

# N clients queue on a fresh flomd, then drain. CPUs: "" = any.
queue_flom() { # LABEL N SERVER-CPU LOADER-CPU NOTE
    local s="$T/queue$2"
    start_unix_daemon "$s" on_cpu "$3" || return
    queue_row "$1" "$(on_cpu "$4" "$LOADGEN" queue -n "$2" -s "$s")" "$5"
    stop_last_daemon
}

# The same against floor -x: what the round trip per grant costs alone.
queue_floor() { # LABEL N SERVER-CPU LOADER-CPU
    start_floor FLOORQ_PID "$T/floorq.sock" "$3" -x || return
    queue_row "$1" "$(on_cpu "$4" "$LOADGEN" queue -n "$2" -s "$T/floorq.sock" \
        -P "$FLOORQ_PID")" "(no lock manager: the round trips alone)"
    kill "$FLOORQ_PID"
    FLOORQ_PID=
}

flom_queue_ref() {
    case $1 in
    2000) echo "FLoM: drain ~2 s, 10.5 MiB" ;;
    5000) echo "FLoM: drain ~40 s" ;;
    10000) echo "FLoM: drain ~287 s, 36 MiB" ;;
    esac
}

scale() {
    local n
    section "scale: N clients queued on one EX resource while one holds it, then released"
    echo "each waiter, when granted, unlocks and disconnects; RSS/threads/fds of the server at"
    echo "the peak; cpu = the server's CPU time per grant while draining"
    printf '%-16s %6s %7s %7s %8s %6s %4s %7s %7s %3s %6s |\n' "" N "queue s" "drain s" \
        "µs/grant" cpu FIFO "RSS MiB" "HWM MiB" thr fds
    for n in $QUEUES; do
        queue_flom "flom" "$n" "" "" "$(flom_queue_ref "$n")"
    done
    n=${QUEUES##* }
    queue_floor "floor -x" "$n" "" ""
    if [ $QUICK = 0 ] && [ -n "$SERVER_CPU" ]; then
        queue_flom "flom, CPUs 0/1" "$n" 0 1 "(flomd on CPU 0, loader on CPU 1)"
        queue_floor "floor -x, 0/1" "$n" 0 1
        queue_flom "flom, CPU 0" "$n" 0 0 "(flomd and loader both on CPU 0)"
        queue_floor "floor -x, CPU 0" "$n" 0 0
    fi
    echo
    echo "goal: 10,000 drained in FIFO order in < 0.2 s (10x faster than FLoM drains 2,000),"
    echo "one thread, RSS <= FLoM's (10.5 MiB at 2,000, 36 MiB at 10,000)"
}

# -------------------------------------------------------- shell loops

# K shell loops run LOOP_N times each: prints commands per second.
shell_loops() { # K COMMAND...
    local k=$1 s=$EPOCHREALTIME
    shift
    for _ in $(seq "$k"); do
        (for _ in $(seq "$LOOP_N"); do "$@" >/dev/null || echo "warning: $* failed" >&2; done) &
    done
    wait
    awk -v n=$((k * LOOP_N)) -v us="$(usec_since "$s")" 'BEGIN { printf "%.0f", n * 1e6 / us }'
}

loops() {
    local k a b
    section "shell loops: K concurrent loops of $LOOP_N commands on one lock, commands/s"
    printf '%4s %12s %12s %8s\n' K "flom -r R" "flock FILE" ratio
    for k in $LOOP_KS; do
        a=$(shell_loops "$k" "$FLOM" -s "$SOCK" -r bench -- true)
        b=$(shell_loops "$k" flock "$T/loop.lock" true)
        printf '%4s %12s %12s %8s\n' "$k" "$a" "$b" "$(ratio "$a" "$b")"
    done
}

for tool in "$FLOM" "$CMDTIME" "$LOADGEN" "$FLOOR"; do
    [ -x "$tool" ] || { echo "missing $tool (run: make bench)" >&2; exit 2; }
done
machine
for s in ${BENCH_SECTIONS:-latency cold throughput scale loops}; do
    case $s in
    latency | cold | throughput | scale | loops) "$s" ;;
    *) echo "unknown section '$s'" >&2 ;;
    esac
done
