#!/bin/sh
# tests/regress/diskfull.sh — a real full disk, not a shim: the state
# directory on a small tmpfs that another program's file fills.  Members
# text JOIN until commits fail with "database or disk is full"; their
# texts stay on the SIM, `tambuli status` says the database cannot be
# written; the other file goes, and every JOIN is stored and answered
# once, the SIM emptied.  Needs root (mount); as another user it is not
# run.
#
# usage: tests/regress/diskfull.sh   (needs "$BIN"/tambulid, tambuli,
# modemsim)
. "$(dirname "$0")/lib/common.sh"

if [ "$(id -u)" -ne 0 ] || ! mkdir "$T/small" ||
    ! mount -t tmpfs -o size=4m tmpfs "$T/small" 2>/dev/null; then
	echo "diskfull: not run: needs root and mount -t tmpfs"
	summary
	exit
fi
trap 'umount -l "$T/small" 2>/dev/null; cleanup' EXIT

# tam NAME ARGS...: the database is on the small disk
tam() {
	shift
	"$BIN"/tambuli --db "$T/small/g.db" --socket "$T/g.sock" "$@"
}

sim_start s
"$BIN"/tambulid --db "$T/small/g.db" --socket "$T/g.sock" \
    --modem "$T/s.tty" >>"$T/g.log" 2>&1 &
pids="$pids $!"
gw_wait_ready g
# another program fills the disk but for about 200 kB
free_kb() {
	df -k "$T/small" | awk 'NR == 2 { print $4 }'
}
dd if=/dev/zero of="$T/small/other" bs=1k count=$(($(free_kb) - 200)) \
    2>/dev/null
n=40
i=100
while [ "$i" -lt $((100 + n)) ]; do
	sim s sms "+14155550$i" "JOIN" >/dev/null
	i=$((i + 1))
done
status_full() {
	tam g status >"$T/status" 2>&1 && grep -q \
	    "^database: cannot be written: commit: database or disk is full; " \
	    "$T/status"
}
if wait_until status_full; then
	ok
else
	fail "status never said the disk is full:"
	sed 's/^/    /' "$T/status"
fi
rm -f "$T/small/other"
sim s wait-sent "$n" "$WAIT_MAX" >/dev/null ||
    fail "$(wc -l <"$T/s.sent") of $n JOINs answered"
check "every JOIN answered once" "$n|$n" \
    "$(grep -c 'subscribed' "$T/s.sent")|$(grep -o '"to":"[^"]*"' \
    "$T/s.sent" | sort -u | wc -l)"
check "every member stored" "$n" \
    "$(tam g subscribers list | grep -c '^+14155550')"
sim_empty() {
	sim s storage | grep -q '"used":0,'
}
wait_until sim_empty || fail "the SIM still holds texts"
status_clear() {
	tam g status >"$T/status" 2>&1 &&
	    ! grep -q 'cannot be written' "$T/status"
}
wait_until status_clear || fail "status: still says the disk is full"
tam g status --json >"$T/status.json"
contains "status: nothing held" "$T/status.json" \
    '"not_stored":0,"database_error":null'
summary
