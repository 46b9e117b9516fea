#!/bin/bash
# Running a command under a lock: output, exit statuses, 128+N, exec errors.
. "$TESTLIB"

out=$(fl -- echo hello); check "echo under the lock" "hello" "$out"
fl -- sh -c 'exit 7'; check "command status passed through" 7 $?
fl -- sh -c 'exit 0'; check "status 0" 0 $?
fl -- sh -c 'kill -TERM $$'; check "killed by SIGTERM gives 128+15" 143 $?
fl -- sh -c 'kill -KILL $$'; check "killed by SIGKILL gives 128+9" 137 $?
err=$(fl -- /nonexistent/cmd 2>&1 >/dev/null); rc=$?
check "command that cannot run exits 97" 97 "$rc"
check_match "and says why" "unable to execute command '/nonexistent/cmd'" "$err"
err=$(fl 2>&1); rc=$?
check "no command exits 97" 97 "$rc"
check "no command message" "No command to execute!" "$err"
err=$(fl -- 2>&1); rc=$?
check "bare -- exits 97" 97 "$rc"
out=$(fl echo a b); check "words before -- form the command" "a b" "$out"
out=$(fl -- sh -c 'echo "$0 $1"' x y); check "arguments after --" "x y" "$out"

# The command does not inherit the daemon connection.
n=$(fl -- sh -c 'ls -l /proc/$$/fd | grep -c socket'); check "no socket leaked to the command" 0 "$n"

# Nothing running and -d 0: connect error, exit 99.
err=$("$FLOM" -s "$T/none" -d 0 -- true 2>&1); rc=$?
check "-d 0 without daemon exits 99" 99 "$rc"
check "-d 0 message" "flom_client_connect: ret_cod=-105 (ERROR: 'connect' function returned an error condition)" "$err"

# Features not built yet say so instead of being skipped silently.
touch "$T/c.pem"
err=$(fl --tls-certificate="$T/c.pem" --tls-private-key="$T/c.pem" --tls-ca-certificate="$T/c.pem" -- echo never 2>&1); rc=$?
check "TLS configured: 99, command not run" 99 "$rc"
check_match "TLS: clear message" "TLS is not supported by this build" "$err"
err=$(fl -m "$T" -- echo vfs 2>&1); rc=$?
check "-m: the command runs" "0" "$rc"
check_match "-m: warning" "virtual file system \(-m\) is not supported" "$err"

# stdin and stdout of the command are flom's.
out=$(echo piped | fl -- cat); check "stdin reaches the command" "piped" "$out"
finish
