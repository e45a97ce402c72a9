#!/bin/sh
# tests/regress/priv.sh — least privilege: started as root, tambulid hands
# its files to the configured user and becomes it (keeping the serial
# devices' group); organizers in the configured group, as a supplementary
# group, use every command; nobody else reads the store; loose
# permissions are tightened.  Needs root (creates two throwaway users and
# a group, removed on exit); as another user it checks only what it can.
. "$(dirname "$0")/lib/common.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null 2>&1; then
	# without root only the refusal paths can be checked
	printf '[gateway]\nuser = nosuch-user\n' >"$T/n.conf"
	run_expect "not root: user = is ignored" 0 "$BIN"/tambulid -n \
	    -c "$T/n.conf"
	summary
	exit $?
fi

u=tbq$$
o=tbo$$
x=tbx$$
g=tbg$$
groupadd --system "$g" || exit 1
useradd --system --no-create-home --shell /usr/sbin/nologin "$u" || exit 1
useradd --system --no-create-home --shell /usr/sbin/nologin -G "$g" "$o" ||
    exit 1
useradd --system --no-create-home --shell /usr/sbin/nologin "$x" || exit 1
drop_users() {
	userdel "$u" 2>/dev/null
	userdel "$o" 2>/dev/null
	userdel "$x" 2>/dev/null
	groupdel "$g" 2>/dev/null
}
trap 'drop_users; cleanup' EXIT
as() { # as USER COMMAND...: run as a user with all its groups
	who=$1
	shift
	setpriv --reuid="$who" --regid="$(id -g "$who")" --init-groups "$@"
}

# the state directory as the service unit makes it: the user's, the
# organizers' group, set-group-id
chmod 711 "$T"
mkdir "$T/state"
chown "$u:$g" "$T/state"
chmod 2770 "$T/state"

# ---- a user that does not exist: refused before anything is created -----
cat >"$T/bad.conf" <<EOF
[gateway]
user = no-such-user-$$
database = $T/state/bad.db
socket = $T/state/bad.sock
EOF
run_expect "no such user: refused" 1 "$BIN"/tambulid -c "$T/bad.conf"
contains "no such user: why" "$T/err" "there is no user no-such-user-$$ to run as"
check "no such user: nothing created" "" "$(ls "$T/state")"

# ---- a database left world-readable is tightened -------------------------
sim_start a
tty=$(readlink -f "$T/a.tty")
chgrp dialout "$tty"
chmod 660 "$tty"
cat >"$T/g.conf" <<EOF
[gateway]
user = $u
group = $g
database = $T/state/g.db
socket = $T/state/g.sock

[modem a]
device = $T/a.tty
EOF
"$BIN"/tambulid -c "$T/g.conf" >>"$T/g.log" 2>&1 &
gw_pid=$!
pids="$pids $gw_pid"
tamc() { "$BIN"/tambuli -c "$T/g.conf" "$@"; }
ready() { tamc status 2>/dev/null | grep -q ': ready'; }
answers() { tamc status >/dev/null 2>&1; }
if ! wait_until ready; then
	fail "daemon as $u not ready:"
	sed 's/^/    /' "$T/g.log" | tail -20
fi
uid=$(id -u "$u")
check "runs as the user" "$uid" "$(awk '/^Uid:/ { print $2 }' /proc/$gw_pid/status)"
check "keeps no root uid" "$uid" "$(awk '/^Uid:/ { print $4 }' /proc/$gw_pid/status)"
dialout=$(getent group dialout | cut -d: -f3)
case " $(awk '/^Groups:/ { $1 = ""; print }' /proc/$gw_pid/status) " in
*" $dialout "*) ok ;;
*) fail "the daemon dropped the dialout group" ;;
esac
contains "dropping logged" "$T/g.log" "running as user=$u uid=$uid"
check "database owner and mode" "$u $g 660" "$(stat -c '%U %G %a' "$T/state/g.db")"
check "socket owner and mode" "$u $g 660" "$(stat -c '%U %G %a' "$T/state/g.sock")"

# an organizer (the group is a supplementary one) uses every command
run_expect "organizer: subscribers add" 0 as "$o" "$BIN"/tambuli \
    -c "$T/g.conf" subscribers add +14155550101
run_expect "organizer: status" 0 as "$o" "$BIN"/tambuli -c "$T/g.conf" status
run_expect "organizer: send" 0 as "$o" "$BIN"/tambuli -c "$T/g.conf" \
    send "Priv test"
got_alert() { [ -n "$(sent_to a +14155550101)" ]; }
wait_until got_alert || fail "the organizer's alert was not sent"
check "organizer's alert delivered" "Priv test" "$(sent_to a +14155550101)"
# anybody else: no access to the members' numbers
run_expect "outsider: refused" 1 as "$x" "$BIN"/tambuli -c "$T/g.conf" \
    subscribers list
run_expect "outsider: no socket" 1 as "$x" "$BIN"/tambuli -c "$T/g.conf" \
    status

# a modem unplugged and plugged back is opened again without root
sim a unplug >/dev/null
sim a replug >/dev/null
# the new pty is root's: give it to dialout, as udev would ("replug"
# answers once the new port exists)
t2=$(readlink -f "$T/a.tty")
chgrp dialout "$t2"
chmod 660 "$t2"
wait_until ready || fail "modem not back after a replug"
kill "$gw_pid"
wait "$gw_pid" 2>/dev/null

# ---- looser permissions are tightened at start, with a warning ---------
chmod 0644 "$T/state/g.db"
"$BIN"/tambulid -c "$T/g.conf" >>"$T/g2.log" 2>&1 &
gw_pid=$!
pids="$pids $gw_pid"
wait_until answers || fail "daemon did not restart"
check "tightened" "660" "$(stat -c %a "$T/state/g.db")"
contains "tightening logged" "$T/g2.log" "was mode 0644: tightened to 0660"
kill "$gw_pid"
wait "$gw_pid" 2>/dev/null

# ---- user = root: stays root, on purpose, and says so --------------------
sed -i "s/^user = .*/user = root/" "$T/g.conf"
"$BIN"/tambulid -c "$T/g.conf" >>"$T/g3.log" 2>&1 &
gw_pid=$!
pids="$pids $gw_pid"
wait_until answers || fail "daemon as root did not start"
check "user = root: root" 0 "$(awk '/^Uid:/ { print $2 }' /proc/$gw_pid/status)"
contains "user = root: warned" "$T/g3.log" "running as root (user = root)"
kill "$gw_pid"
wait "$gw_pid" 2>/dev/null

# ---- a link planted in the state directory (writable by the group) is
# never followed by a daemon started as root ------------------------------
sed -i "s/^user = .*/user = $u/" "$T/g.conf"
printf 'root:secret\n' >"$T/victim"
chmod 600 "$T/victim"
rm -f "$T/state/g.db.lock"
ln -s "$T/victim" "$T/state/g.db.lock"
run_expect "linked lock file: refused" 1 "$BIN"/tambulid -c "$T/g.conf"
contains "linked lock file: why" "$T/err" "g.db.lock: a symbolic link: refusing to follow it"
check "linked lock file: target untouched" "root:secret 600 root" \
    "$(cat "$T/victim") $(stat -c '%a %U' "$T/victim")"
rm -f "$T/state/g.db.lock" "$T/state/g.db-shm"
ln -s "$T/victim" "$T/state/g.db-shm"
run_expect "linked -shm: refused" 1 "$BIN"/tambulid -c "$T/g.conf"
check "linked -shm: target untouched" "root:secret 600 root" \
    "$(cat "$T/victim") $(stat -c '%a %U' "$T/victim")"

summary
