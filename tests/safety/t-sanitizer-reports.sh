#!/bin/bash
# Only under ./configure --enable-sanitizers, and after every other test
# (Makefile.am orders it so): the reports that ASan, LSan and UBSan wrote
# for any process of the test suite, the daemons included. Each report
# fails this test and is shown; it is then moved aside into seen/, so that
# the next `make check` starts clean.
. "$TESTLIB"
: "${SAN_LOG_DIR:?SAN_LOG_DIR is set by make check under --enable-sanitizers}"
mkdir -p "$SAN_LOG_DIR/seen"
n=0
for f in "$SAN_LOG_DIR"/*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    fail "sanitizer report $(basename "$f"): $(grep -m1 -E 'ERROR|SUMMARY|runtime error' "$f")"
    sed 's/^/# /' "$f" | head -40
    mv "$f" "$SAN_LOG_DIR/seen/"
done
[ "$n" -eq 0 ] && pass "no sanitizer report from any process of the test suite"
finish
