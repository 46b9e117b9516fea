#!/bin/bash
# The integration tests with every daemon under valgrind (`make
# valgrind-daemon`). flom starts the flomd it finds next to itself, so a
# directory with a copy of flom and a flomd script that execs valgrind on
# the real one runs every auto-started daemon under memcheck, without any
# change to the code (FLOM_READY_FD and the readiness pipe pass through
# exec). At the end of each test its daemons get SIGTERM, so that they exit
# normally and valgrind checks for leaks. Prints a summary; exit status 0
# when no daemon had an error or a definite or indirect leak.
#
#   valgrind-daemon.sh BUILDDIR SRCDIR
set -u
build=$1 src=$2
dir=$(mktemp -d /tmp/flom-vg.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin" "$dir/logs"
chmod 755 "$dir" "$dir/bin"
chmod 1777 "$dir/logs" # tests run some commands as another user
cp "$build/src/flom" "$dir/bin/flom"
cat > "$dir/bin/flomd" <<EOF
#!/bin/sh
G_SLICE=always-malloc G_DEBUG=gc-friendly exec valgrind --leak-check=full \\
    --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect \\
    --log-file=$dir/logs/vg.%p "$build/src/flomd" "\$@"
EOF
chmod +x "$dir/bin/flomd"
cat > "$dir/lib.sh" <<EOF
. "$src/tests/lib.sh"
vg_cleanup() {
    local p
    for p in \$(daemon_pids "\$SOCK"); do kill -TERM "\$p" 2>/dev/null; done
    wait_until 60 no_daemon
    cleanup
}
trap vg_cleanup EXIT
EOF

failed_tests=0
for t in "$src"/tests/integration/t-*.sh "$src"/tests/safety/t-safety.sh; do
    name=$(basename "$t" .sh)
    # valgrind itself needs more descriptors than that test leaves
    [ "$name" = t-fault-fd-limit ] && continue
    FLOM="$dir/bin/flom" FLOM_WIRE="$build/tests/tools/flom-wire" \
        FLOM_SAFETY="$build/tests/safety/safety" \
        FLOM_API_CHECK="$build/tests/tools/api-check" TESTLIB="$dir/lib.sh" \
        bash "$t" > "$dir/$name.out" 2>&1
    bad=$(grep -c '^not ok' "$dir/$name.out")
    echo "$name: $(grep -c '^ok' "$dir/$name.out") ok, $bad not ok"
    [ "$bad" -ne 0 ] && { failed_tests=$((failed_tests + 1)); grep '^not ok' "$dir/$name.out" | head -5; }
done

logs=$(ls "$dir"/logs | wc -l)
clean=$(grep -l 'ERROR SUMMARY: 0 errors' "$dir"/logs/* | wc -l)
errors=$(grep -l 'ERROR SUMMARY: [1-9]' "$dir"/logs/* | wc -l)
leaks=$(grep -lE '(definitely|indirectly) lost: [1-9]' "$dir"/logs/* | wc -l)
for f in $(grep -lE 'ERROR SUMMARY: [1-9]|(definitely|indirectly) lost: [1-9]' "$dir"/logs/*); do
    echo "--- $f"; head -60 "$f"
done
echo "valgrind: $logs daemons, $clean exited with 0 errors," \
    "$((logs - clean - errors)) killed (SIGKILL, no summary)," \
    "$errors with errors, $leaks with leaks; $failed_tests tests with failures"
[ "$errors" -eq 0 ] && [ "$leaks" -eq 0 ]
