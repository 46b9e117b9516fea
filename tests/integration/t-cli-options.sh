#!/bin/bash
# The command line on its own (spec §1): one-shot outputs, parse errors,
# option validation messages and streams, the configuration check, the -V
# dump. No daemon is started: every run stops in the option pipeline or
# fails to connect with -d 0 on a private socket path.
. "$TESTLIB"

NOSOCK="$T/nosock"




# ------------------------------------------------------------- one-shots
run -v
check "-v exits 0" 0 "$rc"
check "-v block" "FLoM: Free Lock Manager
Copyright (c) 2013-2024, Christian Ferrari; all rights reserved.
License: GPL (GNU Public License) version 2
Package name: flom; package version: 1.7.2; release date: 2024-03-02
TLS supported protocol(s): All TLS protocols
Access https://github.com/tiian/flom for project community activities
Documentation is available at http://www.tiian.org/flom/" "$out"
check "-v prints nothing on stderr" "" "$err"
version_block="$out"

run --version -c "$T/missing.conf" -- false
check "--version ignores the rest" 0 "$rc"
check "--version block" "$version_block" "$out"

"$FLOM" --signal-list >"$T/sig"; rc=$?
check "--signal-list exits 0" 0 "$rc"
{
    for n in $(seq 1 31); do
        name=$(sed -n "${n}p" <<'EOF'
SIGHUP
SIGINT
SIGQUIT
SIGILL
SIGTRAP
SIGABRT
SIGBUS
SIGFPE
SIGKILL
SIGUSR1
SIGSEGV
SIGUSR2
SIGPIPE
SIGALRM
SIGTERM
SIGSTKFLT
SIGCHLD
SIGCONT
SIGSTOP
SIGTSTP
SIGTTIN
SIGTTOU
SIGURG
SIGXCPU
SIGXFSZ
SIGVTALRM
SIGPROF
SIGWINCH
SIGIO
SIGPWR
SIGSYS
EOF
)
        printf '%d) %s\t' "$n" "$name"
        [ $((n % 4)) -eq 0 ] && printf '\n'
    done
    printf '\n'
} >"$T/sig.expected"
if cmp -s "$T/sig" "$T/sig.expected"; then pass "--signal-list bytes"; else
    fail "--signal-list bytes differ: $(od -c "$T/sig" | head -3)"; fi
check "--signal-list last line" "$(printf '29) SIGIO\t30) SIGPWR\t31) SIGSYS\t')" \
    "$(sed -n 8p "$T/sig")"

run -v --signal-list
check "-v --signal-list exits 0" 0 "$rc"
check "-v then the signal list" "$version_block
$(cat "$T/sig.expected")" "$out"

run --unique-id -c "$T/missing.conf"
check "--unique-id exits 0 even with a bad -c" 0 "$rc"
if [ -r /etc/machine-id ] && grep -Eqx '[0-9a-f]{32}' /etc/machine-id; then
    check "--unique-id is the machine id" "$(cat /etc/machine-id)" "$out"
else
    check_match "--unique-id is 32 hex chars or empty" '^([0-9a-f]{32})?$' "$out"
fi

run -h
check "-h exits 0" 0 "$rc"
check "-h first line" "Usage:" "$(sed -n 1p "$T/out")"
check_match "-h synopsis" '^  flom \[OPTION.+\] \[-- command to execute\]$' \
    "$(sed -n 2p "$T/out")"
for opt in --version --verbose --config-file --resource-name \
    --resource-timeout --resource-quantity --resource-create \
    --resource-idle-lifespan --lock-mode --socket-name --daemon-lifespan \
    --unicast-address --unicast-port --multicast-address --multicast-port \
    --mount-point-vfs --network-interface --discovery-attempts \
    --discovery-timeout --discovery-ttl --tcp-keepalive-time \
    --tcp-keepalive-intvl --tcp-keepalive-probes --tls-certificate \
    --tls-private-key --tls-ca-certificate --tls-check-peer-id \
    --ignore-signal --signal-list --daemon-trace-file --command-trace-file \
    --append-trace-file --quiesce-exit --immediate-exit --unique-id \
    --debug-feature; do
    check_match "-h lists $opt" "$opt" "$out"
done

# -------------------------------------------------------- parse errors
run -z
check "unknown option exits 99" 99 "$rc"
check "unknown option message" "option parsing failed: Unknown option -z" "$err"
check "unknown option: nothing on stdout" "" "$out"
run --no-such-option
check "unknown long option" "option parsing failed: Unknown option --no-such-option" "$err"
run -r
check "missing argument exits 99" 99 "$rc"
check "missing argument message" "option parsing failed: Missing argument for -r" "$err"
run -o abc -- true
check "bad integer exits 99" 99 "$rc"
check_match "bad integer message" '^option parsing failed: Cannot parse integer value .+abc.+ for -o$' "$err"
run --resource-timeout=1x
check_match "bad integer, long option" 'for --resource-timeout$' "$err"

# ---------------------------------------------- validation, in order
run -r 123 -- true
check "-r 123 exits 99" 99 "$rc"
check "-r 123 stdout" "ERROR: '123' is not a valid name for a resource" "$out"
check "-r 123 stderr" "flom_config_set_resource_name: ret_cod=-14" "$err"
run -r _RESOURCE -- true
check "-r _RESOURCE exits 99" 99 "$rc"
check "-r _RESOURCE stdout" "ERROR: '_RESOURCE' is a reserved resource name and can not be set by user" "$out"
check "-r _RESOURCE stderr" "flom_config_set_resource_name: ret_cod=-14" "$err"

run -e maybe -- true
check "-e maybe exits 99" 99 "$rc"
check "-e maybe on stdout" "resource-create: 'maybe' is an invalid value" "$out"
check "-e maybe: nothing on stderr" "" "$err"
run echo -e x
check "words before -- do not hide options" "resource-create: 'x' is an invalid value" "$out"
for v in y n enable none 2 ''; do
    run -e "$v" -- true
    check "-e '$v' is invalid" "99 resource-create: '$v' is an invalid value" "$rc $out"
done
run -l XYZ -- true
check "-l XYZ exits 99" 99 "$rc"
check "-l XYZ on stderr" "lock-mode: 'XYZ' is an invalid value" "$err"
run --tls-check-peer-id=maybe -- true
check "--tls-check-peer-id=maybe exits 99" 99 "$rc"
check "--tls-check-peer-id=maybe on stdout" "tls-check-peer-id: 'maybe' is an invalid value" "$out"
run --append-trace-file=sometimes -- true
check "--append-trace-file=sometimes exits 99" 99 "$rc"
check "--append-trace-file on stderr" "append-trace-file: 'sometimes' is an invalid value" "$err"

long=$(printf 's%.0s' $(seq 1 108))
run -s "$T/$long" -- true
check "long -s exits 99" 99 "$rc"
check "long -s messages" "socket-name: '$T/$long' is an invalid value
flom_client_connect: ret_cod=-9 (ERROR: the process has been stopped to avoid a buffer overflow)" "$err"
run -m "$T/no-such-dir" -- true
check "-m missing dir exits 99" 99 "$rc"
check "-m messages" "mount-point-vfs: '$T/no-such-dir' is an invalid value
flom_client_connect: ret_cod=-121 (ERROR: 'opendir' function returned an error condition)" "$err"
for o in tls-certificate tls-private-key tls-ca-certificate; do
    run --$o="$T/no-such.pem" -- true
    check "--$o missing file" "99 $o: '$T/no-such.pem' is not a valid value" "$rc $err"
done

# The first invalid value in FLoM's order is reported, not the first typed.
run -e maybe -l bogus -r 123 -- true
check "resource name is checked first" "ERROR: '123' is not a valid name for a resource" "$out"
run -e maybe -l bogus -- true
check "lock mode before resource create" "lock-mode: 'bogus' is an invalid value" "$err"
check "and resource create not reported" "" "$out"

run -q -3 -r 'n[5]' -V -d 0 -s "$NOSOCK" -- true
check "negative -q note" "Resource quantity ignored because negative values (-3) are meaningless" \
    "$(sed -n 1p "$T/err")"
has_line "negative -q keeps the quantity" "[Resource]/Quantity=1" "$out"

# ------------------------------------------------- configuration check
run -s "$T/x" -a 127.0.0.1 -- true
check "-s with -a exits 99" 99 "$rc"
check "-s with -a stdout" "ERROR: flom can not be configured for local (UNIX socket) and network (TCP-UDP/IP) communication at the same time." "$out"
check "-s with -a stderr" "Configuration is not valid, cannot go on!" "$err"
run -s "$T/x" -A 224.0.0.1 -- true
check "-s with -A exits 99" 99 "$rc"
check "-s with -A stderr" "Configuration is not valid, cannot go on!" "$err"
run --tls-check-peer-id=yes -- true
check "peer id without TLS exits 99" 99 "$rc"
check "peer id without TLS stdout" "ERROR: TLS check peer id can not be specified without full TLS configuration." "$out"
check "peer id without TLS stderr" "Configuration is not valid, cannot go on!" "$err"
touch "$T/a.pem"
run --tls-check-peer-id=on --tls-certificate="$T/a.pem" --tls-private-key="$T/a.pem" -- true
check "peer id with an incomplete TLS set" 99 "$rc"

# ------------------------------------------------------------ -V dump
dump
check "dump run stops at the connection" 99 "$rc"
check "-V dump of the defaults" "[Trace]/DaemonTraceFile=''
[Trace]/CommandTraceFile=''
[Trace]/AppendTraceFile=0
[Trace]/Verbose=1
[Resource]/Name='_RESOURCE'
[Resource]/Timeout=-1
[Resource]/Quantity=1
[Resource]/LockMode=5
[Resource]/Create=1
[Resource]/IdleLifespan=0
[Daemon]/SocketName='$NOSOCK'
[Daemon]/Lifespan=0
[Daemon]/UnicastAddress=''
[Daemon]/UnicastPort=28015
[Daemon]/MulticastAddress=''
[Daemon]/MulticastPort=28015
[Daemon]/MountPointVFS=''
[Monitor]/IgnoredSignals=''
[Network]/NetworkInterface=''
[Network]/DiscoveryAttempts=2
[Network]/DiscoveryTimeout=500
[Network]/DiscoveryTTL=1
[Network]/TcpKeepaliveTime=60
[Network]/TcpKeepaliveIntvl=10
[Network]/TcpKeepaliveProbes=6
[TLS]/TlsCertificate=''
[TLS]/TlsPrivateKey=''
[TLS]/TlsCaCertificate=''
[TLS]/TlsCheckPeerId=0" "$out"
check "dump run: connect error" "flom_client_connect: ret_cod=-105 (ERROR: 'connect' function returned an error condition)" "$err"

# Without -s the dump shows the socket unset: the default is picked later.
run -V -d 0 -a 127.0.0.1 -p 1 -- true
has_line "dump before the check: no default socket" "[Daemon]/SocketName=''" "$out"
has_line "-a in the dump" "[Daemon]/UnicastAddress='127.0.0.1'" "$out"
has_line "-p in the dump" "[Daemon]/UnicastPort=1" "$out"

dump -l PR -q 22 -o 1500 -i -700 -e off -r 'a.b'
has_line "-l PR" "[Resource]/LockMode=3" "$out"
has_line "dump shows -q unadjusted" "[Resource]/Quantity=22" "$out"
has_line "-o" "[Resource]/Timeout=1500" "$out"
has_line "-i negative -> absolute" "[Resource]/IdleLifespan=700" "$out"
has_line "-e off" "[Resource]/Create=0" "$out"
has_line "-r" "[Resource]/Name='a.b'" "$out"
check_match "forced EX warning when verbose" "This resource type \(3\) support only exclusive lock mode; specified value \(3\) will be ignored" "$err"
check_match "forced quantity warning when verbose" "This resource type \(3\) does not support quantity lock option; specified value \(22\) will be ignored" "$err"

run -l PR -q 22 -r 'a.b' -d 0 -s "$NOSOCK" -- true
check "no warnings without -V" "flom_client_connect: ret_cod=-105 (ERROR: 'connect' function returned an error condition)" "$err"

for spelling in nlx NullLock nl; do
    dump -l "$spelling"; has_line "-l $spelling is NL" "[Resource]/LockMode=0" "$out"
done
dump -l ProtectedWrite; has_line "-l ProtectedWrite is PW" "[Resource]/LockMode=4" "$out"
dump -l cw; has_line "-l cw is CW" "[Resource]/LockMode=2" "$out"

for v in yes YES true On 1; do
    dump -e no --tls-check-peer-id=no --append-trace-file="$v"
    has_line "--append-trace-file=$v" "[Trace]/AppendTraceFile=1" "$out"
done
for v in no False OFF 0; do
    dump -e "$v"; has_line "-e $v" "[Resource]/Create=0" "$out"
done

dump -D 0 --discovery-ttl 0 -I -9 -P -81 --tcp-keepalive-time=-5 \
    --tcp-keepalive-intvl 7 --tcp-keepalive-probes -2
has_line "-D 0 -> 1" "[Network]/DiscoveryAttempts=1" "$out"
has_line "--discovery-ttl 0 -> 1" "[Network]/DiscoveryTTL=1" "$out"
has_line "-I negative" "[Network]/DiscoveryTimeout=9" "$out"
has_line "-P negative" "[Daemon]/MulticastPort=81" "$out"
has_line "keepalive time" "[Network]/TcpKeepaliveTime=5" "$out"
has_line "keepalive intvl" "[Network]/TcpKeepaliveIntvl=7" "$out"
has_line "keepalive probes" "[Network]/TcpKeepaliveProbes=2" "$out"

dump --ignore-signal SIGTERM --ignore-signal 3 --ignore-signal TERM --ignore-signal 99
has_line "--ignore-signal accumulates, bad tokens ignored" "[Monitor]/IgnoredSignals='SIGQUIT;SIGTERM'" "$out"

dump -n no-such-interface0
has_line "-n without IPv6 is ignored" "[Network]/NetworkInterface=''" "$out"
check "-n ignored silently" "flom_client_connect: ret_cod=-105 (ERROR: 'connect' function returned an error condition)" "$err"

dump -m "$T" -t /tmp/d.trc -T "$T/c.trc"
has_line "-m" "[Daemon]/MountPointVFS='$T'" "$out"
has_line "-t" "[Trace]/DaemonTraceFile='/tmp/d.trc'" "$out"
has_line "-T" "[Trace]/CommandTraceFile='$T/c.trc'" "$out"

ln -s "$T/a.pem" "$T/link.pem"
dump --tls-certificate="$T/link.pem"
has_line "TLS paths are realpath-resolved" "[TLS]/TlsCertificate='$(realpath "$T/a.pem")'" "$out"

# A command trace file gets the traces instead of stderr.
FLOM_TRACE_MASK=0xffffffff "$FLOM" -d 0 -s "$NOSOCK" -T "$T/trace" -- true 2>"$T/err2"
if [ -s "$T/trace" ]; then pass "-T receives the traces"; else fail "-T trace file is empty"; fi

finish
