#!/bin/bash
# The safety harness, long run (`make safety-long`): 1,000,000 lock
# requests by default, 99% from protocol clients and 1% through the real
# flom binary, with the killer on. Prints the harness's report; exit status
# 0 only with no violation.
#
#   long.sh SAFETY FLOM [CYCLES]
set -u
safety=$1 flom=$2 cycles=${3:-1000000}
flom_cycles=$((cycles / 100))
dir=$(mktemp -d /tmp/flom-safety.XXXXXX)
sock="$dir/sock"
trap '"$flom" -s "$sock" -X >/dev/null 2>&1; rm -rf "$dir"' EXIT

"$flom" -s "$sock" -d -1 -- true || { echo "cannot start a daemon"; exit 1; }
echo "safety-long: $cycles requests ($flom_cycles through flom), log in $dir"
start=$(date +%s)
"$safety" -s "$sock" -d "$dir" -n $((cycles - flom_cycles)) -w 8 \
    -N "$flom_cycles" -W 3 -f "$flom" -k 2000
rc=$?
echo "safety-long: exit status $rc after $(( $(date +%s) - start )) s"
exit $rc
