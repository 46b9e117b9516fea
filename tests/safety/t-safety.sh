#!/bin/bash
# The safety harness, short run (tests/safety/safety.c): protocol clients
# and real flom commands take random modes on three resources through one
# daemon while a killer SIGKILLs clients (and commands under the lock); the
# checker proves from the shared log that no incompatible holders
# overlapped and that every request was served, refused cleanly or killed.
# The long run is `make safety-long`.
. "$TESTLIB"
: "${FLOM_SAFETY:?FLOM_SAFETY must name the safety harness}"

out=$("$FLOM_SAFETY" selftest 2>&1); rc=$?
check "the checker finds every planted overlap and lost request" "0" "$rc"

start_daemon || finish
daemon=$(daemon_pids "$SOCK")

# field NAME: the value of NAME=... in the harness's report
field() { printf '%s\n' "$report" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

report=$("$FLOM_SAFETY" -s "$SOCK" -d "$T" -n 20000 -w 8 -N 300 -W 3 \
    -f "$FLOM" -k 3000 2> "$T/safety.err"); rc=$?
echo "# $report"
sed 's/^/# /' "$T/safety.err" | head -20
check "harness exit status" 0 "$rc"
ends=$(( $(field granted) + $(field busy) + $(field timeouts) + \
    $(field killed) + $(field unstarted) ))
check "each of the 20300 requests was served, refused or killed" 20300 "$ends"
check "no incompatible holders overlapped" 0 "$(field violations)"
check "no request lost" 0 "$(field lost)"
check "no protocol error or unexpected answer" 0 "$(field errors)"
check "every resource free at the end" yes "$(field free)"
check_match "the killer killed clients" '^[1-9]' "$(field kills)"
check "the same daemon served it all" "$daemon" "$(daemon_pids "$SOCK")"
finish
