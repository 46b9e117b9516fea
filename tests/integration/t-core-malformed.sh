#!/bin/bash
# Bad input closes only the offending connection; the daemon keeps serving.
. "$TESTLIB"
start_daemon
pid=$(daemon_pids "$SOCK")

# A holder that must keep its lock through all of this.
flbg -r keep -- sh -c "touch $T/held; while [ ! -e $T/go ]; do sleep 0.02; done"
holder=$!
wait_until 10 test -e "$T/held" || fail "holder did not start"

W() { "$FLOM_WIRE" -t 3000 "$SOCK" "$@"; }
check "garbage is answered by a close" EOF "$(W 'send:hello, this is not xml</msg>' recv)"
check "1 MiB without terminator: connection closed" EOF "$(W junk:1048576 recv 2>/dev/null | tail -1)"
check "oversized message: connection closed" EOF "$(W "send:<?xml version=\"1.0\" encoding=\"UTF-8\" ?><msg level=\"3\" verb=\"1\" step=\"8\">$(head -c 2000 /dev/zero | tr '\0' 'a')</msg>" recv)"
check "wrong level: closed" EOF "$(W 'send:<?xml version="1.0" encoding="UTF-8" ?><msg level="2" verb="1" step="8"><resource name="YWJj" mode="5" wait="1" create="1" lifespan="0"/></msg>' recv)"
check "unknown verb: closed" EOF "$(W 'send:<?xml version="1.0" encoding="UTF-8" ?><msg level="3" verb="9" step="8"></msg>' recv)"
check "unlock as first message: closed" EOF "$(W 'unlock:keep' recv)"
check "a lock/16 from a client: closed" EOF "$(W 'send:<?xml version="1.0" encoding="UTF-8" ?><msg level="3" verb="1" step="16"><answer rc="0"/></msg>' recv)"
check "not well-formed XML: closed" EOF "$(W 'send:<?xml version="1.0" encoding="UTF-8" ?><msg level="3" verb="1" step="8"><resource name=YWJj/></msg>' recv)"
check_match "invalid name is refused with rc -14" 'rc="-14"' "$(W 'send:<?xml version="1.0" encoding="UTF-8" ?><msg level="3" verb="1" step="8"><session peerid=""/><resource name="MTIz" mode="5" wait="1" create="1" lifespan="0"/></msg>' recv)"
check "unlock of another resource: closed" EOF "$(W lock:other expect:rc=\"0\" unlock:keep recv | tail -1)"

# A half message keeps only its own connection waiting.
"$FLOM_WIRE" -t 3000 "$SOCK" 'send:<?xml version="1.0" encoding="UTF-8" ?><msg level="3" ver' hold < <(sleep 3) &
half=$!; PIDS+=($half)
out=$(fl -r other -o 2000 -- echo served); check "served while another connection sent half a message" "served" "$out"

# Concatenated messages in one write: lock + unlock work.
out=$(W "send:$(printf '%s' '<?xml version="1.0" encoding="UTF-8" ?><msg level="3" verb="1" step="8"><session peerid=""/><resource name="Y29uY2F0" mode="5" wait="1" create="1" lifespan="0"/></msg><?xml version="1.0" encoding="UTF-8" ?><msg level="3" verb="2" step="8"><resource name="Y29uY2F0" rollback="0" /></msg>')" recv)
check_match "lock and unlock in one write" 'rc="0"' "$out"
out=$(fl -r concat -o 0 -- echo free 2>&1); check "and the unlock was applied" "free" "$out"

# Leading whitespace before a message is tolerated.
check_match "leading whitespace" 'rc="0"' "$(W 'send:\n  <?xml version="1.0" encoding="UTF-8" ?><msg level="3" verb="1" step="8"><session peerid=""/><resource name="d3M=" mode="5" wait="1" create="1" lifespan="0"/></msg>' recv)"

check "same daemon still running" "$pid" "$(daemon_pids "$SOCK")"
out=$(fl -r keep -o 0 -- echo x 2>&1)
check "holder still holds its lock" "Resource already locked, the lock cannot be obtained" "$out"
touch "$T/go"; wait "$holder"; check "holder finishes normally" 0 $?
finish
