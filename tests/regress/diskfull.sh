#!/bin/sh
# tests/regress/diskfull.sh — a real full disk, not a shim: the state
# directory on a small tmpfs that another program's file fills.  Members
# text JOIN until commits fail with "database or disk is full"; their
# texts stay on the SIM, `tambuli status` says the database cannot be
# written; the other file goes, and every JOIN is stored and answered
# once, the SIM emptied.  While the disk stays full the held texts are
# read again every 5 s: each is logged once at warning level, not at
# every re-read, and one line says when they are all stored.  Needs root
# (mount); as another user it is not run.
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
# -d: the debug lines say when the SIM is read again
"$BIN"/tambulid -d --db "$T/small/g.db" --socket "$T/g.sock" \
    --modem "$T/s.tty" >>"$T/g.log" 2>&1 &
pids="$pids $!"
gw_wait_ready g
# another program fills the disk but for about 200 kB
free_kb() {
	df -k "$T/small" | awk 'NR == 2 { print $4 }'
}
dd if=/dev/zero of="$T/small/other" bs=1k count=$(($(free_kb) - 200)) \
    2>/dev/null
# join TO: members text JOIN, from +14155550<i> up to +14155550<TO - 1>
join() {
	while [ "$i" -lt "$1" ]; do
		sim s sms "+14155550$i" "JOIN" >/dev/null
		i=$((i + 1))
	done
}
started=$(date +%s)
n=40
i=100
join 130
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
# the disk quite full: the last JOINs fail, and stay held while the SIM
# is read again three times
dd if=/dev/zero of="$T/small/rest" bs=1k 2>/dev/null
rereads() {
	grep -c 'reading storage again' "$T/g.log"
}
swept=$(rereads)
join $((100 + n))
read_thrice() {
	[ "$(rereads)" -ge $((swept + 3)) ]
}
wait_until read_thrice || fail "the SIM was not read again while full"
rm -f "$T/small/other" "$T/small/rest"
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

# ---- the log: each held text once, not at every re-read ------------------
grep 'not processed, will be read again' "$T/g.log" |
    grep -o 'from=[^ ]*' >"$T/warned"
warned=$(wc -l <"$T/warned")
[ "$warned" -gt 0 ] || fail "no text was held"
check "each held text warned about once" "" "$(sort "$T/warned" | uniq -d)"
check "every held text said stored" "$warned" "$(sed -n \
    's/.*held texts: \([0-9]*\) stored, none waits on a SIM now$/\1/p' \
    "$T/g.log" | awk '{ s += $1 } END { print s + 0 }')"
# and the texts still held at most once a minute, all of them in one line
told=$(grep -c 'held texts: [0-9]* not stored yet' "$T/g.log")
bound=$((($(date +%s) - started) / 60))
[ "$told" -le "$bound" ] ||
    fail "held texts said again $told times in $bound minutes"
summary
