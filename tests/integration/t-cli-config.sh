#!/bin/bash
# Configuration files and their precedence (spec §2 with the core issue's
# decisions): system file ($FLOM_SYSTEM_CONFIG) < ~/.flom < -c FILE <
# command line, no mandatory groups, plain booleans, errors that name the
# file and the key. No daemon is started: runs stop in the option pipeline
# or fail to connect with -d 0 on a private socket path.
. "$TESTLIB"

NOSOCK="$T/nosock"
SRCDIR="$(cd "$(dirname "$0")/../.." && pwd)"


# dump_only ARGS...: the -V dump of a run that stops at the configuration
# check (printed after the dump), for runs whose lifespan is not 0 and
# which must not start a daemon.
dump_only() { run -V -s "$NOSOCK" --tls-check-peer-id=yes "$@" -- true; }


# ----------------------------------------------------------- precedence
cat >"$FLOM_SYSTEM_CONFIG" <<'EOF'
[Resource]
Timeout=11
IdleLifespan=111
[Daemon]
UnicastPort=1111
MulticastPort=1112
[Network]
DiscoveryTimeout=1113
EOF
cat >"$HOME/.flom" <<'EOF'
[Resource]
Timeout=22
IdleLifespan=222
[Daemon]
UnicastPort=2222
EOF
cat >"$T/custom.conf" <<'EOF'
[Resource]
Timeout=33
[Daemon]
Lifespan=231
EOF

dump_only -c "$T/custom.conf"
check "stopped by the check" "Configuration is not valid, cannot go on!" "$err"
has_line "system file value" "[Network]/DiscoveryTimeout=1113" "$out"
has_line "system file value not overridden" "[Daemon]/MulticastPort=1112" "$out"
has_line "user file over system file" "[Daemon]/UnicastPort=2222" "$out"
has_line "user file over system file (2)" "[Resource]/IdleLifespan=222" "$out"
has_line "-c file over user file" "[Resource]/Timeout=33" "$out"
has_line "-c file value" "[Daemon]/Lifespan=231" "$out"
check "Lifespan lines in order" "[Daemon]/Lifespan=231" "$(grep Lifespan "$T/out" | tail -1)"

dump -c "$T/custom.conf" -o 44 -i 0
has_line "command line over -c file" "[Resource]/Timeout=44" "$out"
has_line "command line -d over the file" "[Daemon]/Lifespan=0" "$out"
has_line "-i 0 wins over a file value" "[Resource]/IdleLifespan=0" "$out"

# A command-line value equal to the build default still wins (FLoM's
# "sentinel" quirk is not reproduced).
cat >"$T/nondefault.conf" <<'EOF'
[Resource]
Timeout=100
Quantity=5
Create=no
LockMode=PR
[Daemon]
Lifespan=3000
UnicastPort=1
MulticastPort=2
[Network]
DiscoveryAttempts=9
DiscoveryTimeout=9
DiscoveryTTL=9
TcpKeepaliveTime=9
TcpKeepaliveIntvl=9
TcpKeepaliveProbes=9
[Monitor]
IgnoredSignals=SIGINT;SIGHUP
EOF
dump_only -c "$T/nondefault.conf" -d 5000 -o -1 -q 0 -e yes -l EX \
    -p 28015 -P 28015 -D 2 -I 500 --discovery-ttl=1 \
    --tcp-keepalive-time=60 --tcp-keepalive-intvl=10 \
    --tcp-keepalive-probes=6 --ignore-signal SIGTERM
for line in "[Daemon]/Lifespan=5000" "[Resource]/Timeout=-1" \
    "[Resource]/Quantity=1" "[Resource]/Create=1" "[Resource]/LockMode=5" \
    "[Daemon]/UnicastPort=28015" "[Daemon]/MulticastPort=28015" \
    "[Network]/DiscoveryAttempts=2" "[Network]/DiscoveryTimeout=500" \
    "[Network]/DiscoveryTTL=1" "[Network]/TcpKeepaliveTime=60" \
    "[Network]/TcpKeepaliveIntvl=10" "[Network]/TcpKeepaliveProbes=6" \
    "[Monitor]/IgnoredSignals='SIGTERM'"; do
    has_line "default on the command line wins: $line" "$line" "$out"
done
dump -c "$T/nondefault.conf"
has_line "file signal list" "[Monitor]/IgnoredSignals='SIGHUP;SIGINT'" "$out"
has_line "file lock mode" "[Resource]/LockMode=3" "$out"
rm -f "$FLOM_SYSTEM_CONFIG" "$HOME/.flom"

# Verbose from a file, and -V cannot be turned off by it.
printf '[Trace]\nVerbose=yes\n' >"$T/verbose.conf"
run -c "$T/verbose.conf" -d 0 -s "$NOSOCK" -- true
has_line "Verbose=yes in a file dumps" "[Trace]/Verbose=1" "$out"
printf '[Trace]\nVerbose=no\n' >"$T/quiet.conf"
run -V -c "$T/quiet.conf" -d 0 -s "$NOSOCK" -- true
has_line "-V wins over Verbose=no" "[Trace]/Verbose=1" "$out"

# ------------------------------------------------------ leniency
printf '[Trace]\nAppendTraceFile=true\n' >"$T/nogroups.conf"
dump -c "$T/nogroups.conf"
check "file without [Resource]/[Daemon]/[Network] is fine" 99 "$rc"
has_line "its value is read" "[Trace]/AppendTraceFile=1" "$out"
: >"$T/empty.conf"
dump -c "$T/empty.conf"
has_line "empty file is fine" "[Resource]/Name='_RESOURCE'" "$out"
cat >"$T/unknown.conf" <<'EOF'
[Bogus]
Lifespan=abc
[Daemon]
NoSuchKey=1
lifespan=abc
[Resource]
Wait=whatever
Name=MYRES
EOF
dump -c "$T/unknown.conf"
has_line "unknown groups and keys ignored" "[Resource]/Name='MYRES'" "$out"

# The example of spec §2.5, valid for FLoM as for flom.
cat >"$T/flom-example.conf" <<'EOF'
[Trace]
[Resource]
Name=MYRES
[Daemon]
[Monitor]
IgnoredSignals=SIGQUIT;SIGTERM
[Network]
EOF
dump -c "$T/flom-example.conf"
has_line "FLoM example: name" "[Resource]/Name='MYRES'" "$out"
has_line "FLoM example: signals" "[Monitor]/IgnoredSignals='SIGQUIT;SIGTERM'" "$out"

# The sample etc/flom.conf has everything commented out.
if [ -f "$SRCDIR/etc/flom.conf" ]; then
    dump
    defaults="$out"
    dump -c "$SRCDIR/etc/flom.conf"
    check "sample etc/flom.conf changes nothing" "$defaults" "$out"
fi

# Booleans in files: every spelling, any case.
for v in yes Yes TRUE on 1; do
    printf '[Resource]\nCreate=%s\n' "$v" >"$T/b.conf"
    dump -e no -c "$T/b.conf"
    has_line "command line over Create=$v" "[Resource]/Create=0" "$out"
    dump -c "$T/b.conf"
    has_line "Create=$v" "[Resource]/Create=1" "$out"
done
for v in no NO false Off 0; do
    printf '[Resource]\nCreate=%s\n' "$v" >"$T/b.conf"
    dump -c "$T/b.conf"
    has_line "Create=$v" "[Resource]/Create=0" "$out"
done

# A system file that cannot be read as a key file is skipped.
mkdir "$T/sysdir"
FLOM_SYSTEM_CONFIG="$T/sysdir" "$FLOM" -V -d 0 -s "$NOSOCK" -- true >"$T/out" 2>/dev/null
has_line "unreadable system file skipped" "[Daemon]/Lifespan=0" "$(cat "$T/out")"

# ---------------------------------------------------------------- errors
run -c "$T/missing.conf" -d 0 -- true
check "-c missing exits 99" 99 "$rc"
check "-c missing stdout" "ERROR: error while loading file '$T/missing.conf'" "$out"
check "-c missing stderr" "flom_config_init: ret_cod=-203" "$err"
printf 'not a key file\n' >"$T/garbage.conf"
run -c "$T/garbage.conf" -d 0 -- true
check "-c unparseable" "99 ERROR: error while loading file '$T/garbage.conf'" "$rc $out"
run -c garbage.conf -d 0 -- true
check "-c relative path kept in the message" "ERROR: error while loading file 'garbage.conf'" "$out"

bool_error() { # FILE KEY GROUP VALUE
    echo "ERROR: invalid configuration found in file '$1': key '$2' in group '$3': '$4' is not a boolean (use yes/no, true/false, on/off, 1/0)"
}
printf '[Resource]\nCreate=maybe\n' >"$T/bad.conf"
run -c "$T/bad.conf" -d 0 -- true
check "bad boolean in -c exits 99" 99 "$rc"
check "bad boolean names file and key" "$(bool_error "$T/bad.conf" Create Resource maybe)" "$out"
check "bad boolean stderr" "flom_config_init: ret_cod=-5" "$err"

printf '[TLS]\nTlsCheckPeerId=y\n' >"$FLOM_SYSTEM_CONFIG"
run -V -d 0 -- true
check "bad boolean in the system file" "99 $(bool_error "$FLOM_SYSTEM_CONFIG" TlsCheckPeerId TLS y)" "$rc $out"
check "system file error stderr" "flom_config_init: ret_cod=-5" "$err"
rm -f "$FLOM_SYSTEM_CONFIG"

printf '[Trace]\nAppendTraceFile=enable\n' >"$HOME/.flom"
run --unique-id
check "--unique-id does not read the files" 0 "$rc"
run -d 0 -- true
check "bad boolean in ~/.flom" "99 $(bool_error "$HOME/.flom" AppendTraceFile Trace enable)" "$rc $out"
rm -f "$HOME/.flom"

printf '[Resource]\nTimeout=abc\n' >"$T/int.conf"
run -c "$T/int.conf" -d 0 -- true
check "bad integer exits 99" 99 "$rc"
check_match "bad integer: GLib's message names the key" 'Timeout.*Resource' "$(sed -n 1p "$T/out")"
check "bad integer: ERROR line names file and key" "ERROR: invalid configuration found in file '$T/int.conf': key 'Timeout' in group 'Resource': 'abc' is not an integer" "$(sed -n 2p "$T/out")"
check "bad integer stderr" "flom_config_init: ret_cod=-5" "$err"

bad_value() { # DESCRIPTION CONTENT KEY RC
    printf '%b' "$2" >"$T/v.conf"
    run -c "$T/v.conf" -d 0 -- true
    check "$1 exits 99" 99 "$rc"
    check_match "$1 names file and key" "^ERROR: invalid configuration found in file '$T/v.conf': key '$3'" "$out"
    check "$1 stderr" "flom_config_init: ret_cod=$4" "$err"
}
bad_value "bad lock mode" '[Resource]\nLockMode=XYZ\n' LockMode -5
bad_value "reserved name" '[Resource]\nName=_RESOURCE\n' Name -5
bad_value "invalid name" '[Resource]\nName=a_b\n' Name -5
bad_value "socket too long" "[Daemon]\nSocketName=/$(printf 's%.0s' $(seq 1 110))\n" SocketName -5
bad_value "VFS dir missing" '[Daemon]\nMountPointVFS=/no/such/dir\n' MountPointVFS -5
bad_value "TLS file missing" '[TLS]\nTlsCaCertificate=/no/such/ca.pem\n' TlsCaCertificate -125

# Later layers are not read after an error in an earlier one.
printf '[Resource]\nCreate=maybe\n' >"$HOME/.flom"
run -c "$T/missing.conf" -d 0 -- true
check "the first failing layer is reported" "$(bool_error "$HOME/.flom" Create Resource maybe)" "$out"
rm -f "$HOME/.flom"

# Command-line check after files: socket from a file and -a on the command
# line collide.
printf '[Daemon]\nSocketName=%s\n' "$NOSOCK" >"$T/sock.conf"
run -c "$T/sock.conf" -a 127.0.0.1 -d 0 -- true
check "file socket + -a exits 99" 99 "$rc"
check "file socket + -a stderr" "Configuration is not valid, cannot go on!" "$err"

finish
