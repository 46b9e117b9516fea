#!/bin/bash
# Writes the seed corpora of the fuzz targets from real messages (the
# byte-exact examples of spec §5.10, as flom and FLoM send them):
#   fuzz/corpus/proto/  one stream per file, for fuzz-proto
#   fuzz/corpus/conn/   scripts of client operations, for fuzz-conn (the
#                       format is described at the top of fuzz-conn.c)
# The files are committed; run this again only to change them.
set -eu
cd "$(dirname "$0")"
rm -rf corpus && mkdir -p corpus/proto corpus/conn

H='<?xml version="1.0" encoding="UTF-8" ?>'
P='3d1219c7c4c5404aaa1f6d2a48adfda4'
lock() { # NAME_B64 ATTRS
    printf '%s<msg level="3" verb="1" step="8"><session peerid="%s"/><resource name="%s" %s/></msg>' \
        "$H" "$P" "$1" "$2"
}
unlock() { printf '%s<msg level="3" verb="2" step="8"><resource name="%s" rollback="%s" /></msg>' "$H" "$1" "$2"; }
answer() { # STEP RC [ELEMENT]
    if [ "$1" = 16 ]; then s="<session peerid=\"$P\"/>"; else s=; fi
    e=${3+ element=\"$3\"}
    printf '%s<msg level="3" verb="1" step="%s">%s<answer rc="%s"%s/></msg>' "$H" "$1" "$s" "$2" "$e"
}
shutdown_msg() { printf '%s<msg level="3" verb="5" step="8"><session peerid="%s"/><shutdown immediate="%s"/></msg>' "$H" "$P" "$1"; }

LOCK_ABC_EX=$(lock YWJj 'mode="5" wait="1" create="1" lifespan="0"')
LOCK_ABC_PR=$(lock YWJj 'mode="3" wait="1" create="1" lifespan="0"')
LOCK_ABC_NOWAIT=$(lock YWJj 'mode="5" wait="0" create="1" lifespan="0"')
LOCK_FOO=$(lock Zm9vWzNd 'wait="1" quantity="2" create="1" lifespan="0"')
LOCK_HIER=$(lock L2EvYg== 'mode="3" wait="0" create="1" lifespan="2000"')
LOCK_HIER_A=$(lock L2E= 'mode="5" wait="1" create="1" lifespan="0"')
LOCK_SET=$(lock cmVkLmdyZWVuLmJsdWU= 'wait="1" create="0" lifespan="0"')
LOCK_SET_CREATE=$(lock cmVkLmdyZWVuLmJsdWU= 'wait="1" create="1" lifespan="0"')
LOCK_SEQ=$(lock X1Nfc2VxWzJd 'wait="1" create="1" lifespan="0"')
LOCK_TS=$(lock X3RfJUglTSVTWzFd 'wait="1" create="1" lifespan="0"')
UNLOCK_ABC=$(unlock YWJj 0)
UNLOCK_SEQ=$(unlock X1Nfc2VxWzJd 1)

# --- fuzz-proto: the §5.10 examples, one stream each, and two streams
n=0
p() { n=$((n + 1)); printf '%s' "$1" > "corpus/proto/$(printf '%02d' $n)-$2"; }
p "$LOCK_ABC_EX" lock-simple
p "$LOCK_FOO" lock-numeric
p "$LOCK_HIER" lock-hier
p "$LOCK_SET" lock-set
p "$(answer 16 0)" granted
p "$(answer 16 0 red)" granted-element
p "$(answer 16 1)$(answer 24 0 3)" queued-then-granted
p "$(answer 24 0)" deferred
p "$UNLOCK_ABC" unlock
p "$UNLOCK_SEQ" unlock-rollback
p "$H<msg level=\"3\" verb=\"4\" step=\"8\"></msg>" discover
p "$H<msg level=\"3\" verb=\"4\" step=\"16\"><network address=\"\" port=\"36947\"/></msg>" discover-reply
p "$H<msg level=\"3\" verb=\"4\" step=\"16\"><network address=\"192.168.1.10\" port=\"28015\"/></msg>" discover-reply-address
p "$(shutdown_msg 0)" quiesce
p "$(shutdown_msg 1)" immediate
p "$(answer 16 -14)" invalid-name
p "$(answer 16 4)$(answer 16 5)$(answer 16 6)$(answer 16 2)" refusals
p "$LOCK_ABC_EX$UNLOCK_ABC" lock-unlock-stream
p "  $LOCK_SEQ $UNLOCK_SEQ" whitespace-stream

# --- fuzz-conn: scripts. op = action << 2 | connection
w() { # CONN TEXT...: write TEXT to CONN in chunks of at most 255 bytes
    local c=$1 t=$2 k
    while [ -n "$t" ]; do
        k=${t:0:255}
        t=${t:255}
        printf "\\x$(printf %02x "$c")\\x$(printf %02x ${#k})%s" "$k"
    done
}
half() { printf "\\x$(printf %02x $((4 + $1)))"; }
closec() { printf "\\x$(printf %02x $((8 + $1)))"; }
readc() { printf "\\x$(printf %02x $((12 + $1)))"; }
# (c runs in a pipeline's subshell: it numbers by the files already there)
c() { cat > "corpus/conn/$(printf '%02d' $(( $(ls corpus/conn | wc -l) + 1 )))-$1"; }

{ w 0 "$LOCK_ABC_EX"; readc 0; w 0 "$UNLOCK_ABC"; half 0; readc 0; } | c lock-unlock
{ w 0 "$LOCK_ABC_EX"; w 1 "$LOCK_ABC_EX"; w 2 "$LOCK_ABC_PR"; w 0 "$UNLOCK_ABC";
  readc 1; w 1 "$UNLOCK_ABC"; readc 2; closec 2; half 0; half 1; } | c queue
{ w 0 "$LOCK_ABC_PR"; w 1 "$LOCK_ABC_PR"; w 2 "$LOCK_ABC_NOWAIT"; closec 0; closec 1; } | c shared-busy
{ w 0 "$LOCK_FOO"; w 1 "$LOCK_FOO"; closec 0; readc 1; w 1 "$(unlock Zm9vWzNd 0)"; } | c numeric
{ w 0 "$LOCK_SET"; w 1 "$LOCK_SET_CREATE"; readc 0; readc 1; closec 1; closec 0; } | c incubator
{ w 0 "$LOCK_HIER"; w 1 "$LOCK_HIER_A"; w 2 "$LOCK_HIER"; closec 0; readc 1; } | c hierarchical
{ w 0 "$LOCK_SEQ"; w 1 "$LOCK_SEQ"; w 2 "$LOCK_SEQ"; w 0 "$UNLOCK_SEQ"; closec 1; readc 2; } | c sequence
{ w 0 "$LOCK_TS"; w 1 "$LOCK_TS"; closec 0; readc 1; } | c timestamp
{ w 0 "${LOCK_ABC_EX:0:100}"; w 0 "${LOCK_ABC_EX:100}$UNLOCK_ABC"; half 0; } | c split-and-joined
{ w 3 "$(shutdown_msg 0)"; w 0 "$LOCK_ABC_EX"; w 0 "$LOCK_ABC_EX"; } | c quiesce-and-second-lock
{ w 0 "$LOCK_ABC_EX"; w 0 "$(unlock Zm9vWzNd 0)"; w 1 "$LOCK_ABC_EX"; readc 1; } | c wrong-unlock
{ w 0 "$H<msg level=\"2\" verb=\"1\" step=\"8\"></msg>"; w 1 "$(answer 16 0)"; w 2 "xxxx"; } | c bad-messages
echo "wrote $n proto seeds and $(ls corpus/conn | wc -l) conn seeds"
