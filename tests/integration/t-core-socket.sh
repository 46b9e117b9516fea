#!/bin/bash
# Socket modes and ownership. The default socket is per login name, so the
# test runs flom as a temporary user of its own (root needed).
. "$TESTLIB"

# -s: mode from the umask (a group can share it).
(umask 007; fl -d -1 -- true)
check "-s socket mode follows the umask" "srwxrwx---" "$(stat -c %A "$SOCK")"
fl -X >/dev/null

require_root
user="flomt$$"
useradd -M -d "$HOME" -s /bin/sh "$user" 2>/dev/null || skip "useradd failed"
def="/tmp/flom-$user"
trap 'for p in $(daemon_pids "$def"); do kill -9 $p; done; rm -f "$def" "$def.lock"; userdel "$user" 2>/dev/null; cleanup' EXIT
chmod 755 "$T" "$HOME"
as_user() { setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups env HOME="$HOME" FLOM_SYSTEM_CONFIG="$FLOM_SYSTEM_CONFIG" "$FLOM" "$@"; }

out=$(as_user -d 3000 -- echo default); check "default socket works" "default" "$out"
check "default socket is mode 0600" "srw-------" "$(stat -c %A "$def")"
check "default socket owned by the user" "$user" "$(stat -c %U "$def")"
as_user -X >/dev/null
wait_until 10 no_daemon "$def" || fail "daemon did not stop"

# A socket planted by another user (root here) is refused.
rm -f "$def" "$def.lock"
"$FLOM" -s "$def" -d -1 -- true
for p in $(daemon_pids "$def"); do kill -9 "$p"; done
err=$(as_user -- echo never 2>&1); rc=$?
check "foreign socket refused with 99" 99 "$rc"
check_match "refusal names the socket and its owner" "socket '$def' belongs to uid 0" "$err"
rm -f "$def" "$def.lock"
touch "$def.lock"
err=$(as_user -- echo never 2>&1); rc=$?
check "foreign lock file refused with 99" 99 "$rc"
check_match "refusal names the lock file" "lock file '$def.lock' belongs to uid 0" "$err"
finish
