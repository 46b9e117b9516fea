#!/bin/bash
# Timestamps: never the same string twice, concurrent or consecutive.
. "$TESTLIB"
start_daemon

fmt='_t_%Y%m%d-%H%M%S#fff[1]'
for i in $(seq 10); do fl -r "$fmt" -- echo; done > "$T/seq"
check "10 consecutive values" 10 "$(sort -u "$T/seq" | wc -l)"
check_match "format applied" '^[0-9]{8}-[0-9]{6}\.[0-9]{3}$' "$(head -1 "$T/seq")"

for i in $(seq 8); do flbg -r '_t_%S#f[3]' -- echo; done > "$T/conc"
wait "${PIDS[@]}"; PIDS=()
check "8 concurrent values, all different" 8 "$(sort -u "$T/conc" | wc -l)"

err=$(fl -r '_t_%Y%m%d[1]' -- echo 2>&1); rc=$?
check "a format without a time unit is refused: 99" 99 "$rc"
check_match "with the recv error FLoM prints" "flom_client_lock: ret_cod=-126" "$err"
finish
