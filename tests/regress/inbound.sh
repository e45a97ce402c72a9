#!/bin/sh
# tests/regress/inbound.sh — what happens to the texts members send, under
# stress: a STOP read while the disk is full holds every send to its
# sender until it is committed; forwards never loop; floods of identical
# texts are counted, not stored one by one.
. "$(dirname "$0")/lib/common.sh"

SHIM=$(pwd)/bin/enospc.so
if [ ! -f "$SHIM" ]; then
	echo "FAIL: $SHIM is missing (make bin/enospc.so)"
	exit 1
fi

# wait_log NAME TEXT [COUNT]: until the daemon's log has COUNT lines
# containing TEXT
wait_log() {
	i=0
	until [ "$(grep -cF -- "$2" "$T/$1.log")" -ge "${3:-1}" ]; do
		i=$((i + 1))
		if [ "$i" -gt 300 ]; then
			fail "no \"$2\" (x${3:-1}) in the log of $1"
			tail -n 20 "$T/$1.log" | sed 's/^/    /'
			return 1
		fi
		sleep 0.1	# polling a condition, not a fixed wait
	done
}

# sql NAME QUERY: a count the CLI does not show
sql() {
	sqlite3 "$T/$1.db" "$2"
}

# ---- STOP while the disk is full ------------------------------------------
#
# A broadcast goes out through a slow modem; the disk fills; the last
# member texts STOP, which cannot be committed (it stays on the SIM); the
# disk frees.  The member must get no alert after the STOP, only its
# confirmation, and the rest of the broadcast completes.

sim_start d1 --latency 150
cat >"$T/d.conf" <<'EOF2'
[gateway]
organization = Migrant Alliance
contact = +1 415 555 0199
EOF2
# the daemon alone runs with the shim (ASan wants to come first otherwise)
LD_PRELOAD=$SHIM TAMBULI_ENOSPC_DB=$T/d.db TAMBULI_ENOSPC_FLAG=$T/full \
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    "$BIN"/tambulid -c "$T/d.conf" --db "$T/d.db" --socket "$T/d.sock" \
    --modem "$T/d1.tty" >>"$T/d.log" 2>&1 &
pids="$pids $!"
gw_wait_ready d
for i in 1 2 3 4 5 6; do
	sim d1 sms "+1415555030$i" "JOIN" >/dev/null
done
sim d1 wait-sent 6 30 >/dev/null || fail "d1: joins"
id=$(tam d send "Rally moved to City Hall, 6pm" | head -n 1)
sim d1 wait-sent 7 30 >/dev/null || fail "d1: first alert"
touch "$T/full"			# the disk is full from now on
sim d1 sms +14155550306 "STOP" >/dev/null
stop_at=$(wc -l <"$T/d1.sent")
# the STOP was read and could not be committed, twice (read again)
wait_log d "from=+14*******06 not processed" 2
rm -f "$T/full"			# room again
wait_bc d "$id"
i=0
until sent_to d1 +14155550306 | grep -q unsubscribed; do
	i=$((i + 1))
	[ "$i" -gt 300 ] && break
	sleep 0.1	# polling a condition
done
check "disk full: nothing but the confirmation after STOP" \
    "Migrant Alliance: you are unsubscribed and will get no more messages. Text JOIN to subscribe again." \
    "$(tail -n +$((stop_at + 1)) "$T/d1.sent" |
    grep '"to":"+14155550306"' |
    sed -e 's/.*"text":"\(\([^"\\]\|\\.\)*\)".*/\1/')"
for i in 1 2 3 4 5; do
	check "disk full: alert to member $i" 1 \
	    "$(sent_to d1 "+1415555030$i" | grep -c 'Rally moved')"
done
tam d broadcast show --json "$id" >"$T/bc.json"
contains "disk full: broadcast counts" "$T/bc.json" '"recipients":6'
contains "disk full: broadcast counts" "$T/bc.json" '"failed":0,'
contains "disk full: broadcast counts" "$T/bc.json" '"skipped":1'
tam d subscribers list --json >"$T/subs.json"
contains "disk full: opted out" "$T/subs.json" \
    '"phone":"+14155550306","status":"opted-out"'

summary
