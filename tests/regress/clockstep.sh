#!/bin/sh
# tests/regress/clockstep.sh — the wall clock is corrected while a
# broadcast goes out (a Pi without a battery clock, then NTP, timesyncd or
# the network's time): stepped back 2 h, the rest of the broadcast still
# goes at once; stepped forward 25 h, none of it expires (its validity
# counts from when it was queued), and the first part of a long text
# waits for the second; a broadcast scheduled for a wall-clock time (send
# --at) follows the corrected clock.  tests/shim/clock.c reads
# the shift of the daemon's and the CLI's wall clock from a file, so the
# clock steps while they run; timers (the monotonic clock) never move.
. "$(dirname "$0")/lib/common.sh"

SHIM=$(pwd)/bin/clockshift.so
if [ ! -f "$SHIM" ]; then
	echo "FAIL: $SHIM is missing (make bin/clockshift.so)"
	exit 1
fi
N=20

# shift GW SECONDS: the wall clock of daemon GW (and its CLI) from now on
shift_clock() {
	echo "$2" >"$T/$1.shift.new"
	mv "$T/$1.shift.new" "$T/$1.shift"
}
# shifted GW COMMAND...: COMMAND with GW's wall clock (and housekeeping
# every 5 s, not every minute)
shifted() {
	sg=$1
	shift
	TAMBULID_HOUSEKEEPING_SECONDS=5 \
	    LD_PRELOAD=$SHIM TAMBULI_TEST_CLOCK_FILE=$T/$sg.shift \
	    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	    "$@"
}
tams() {
	tg=$1
	shift
	shifted "$tg" "$BIN"/tambuli --db "$T/$tg.db" --socket "$T/$tg.sock" \
	    "$@"
}
sql() {
	sqlite3 "$T/$1.db" "$2"
}
# sent_count SIM TEXT: how many phones received TEXT
sent_count() {
	grep -c "$2" "$T/$1.sent" 2>/dev/null
}
sent_at_least() {
	[ "$(sent_count "$1" "$2")" -ge "$3" ]
}
# states GW ID: "state count;" of the broadcast's rows ("sent" whether
# or not its status report came yet)
states() {
	sql "$1" "SELECT st || ' ' || COUNT(*) FROM (SELECT CASE state WHEN
	    'delivered' THEN 'sent' ELSE state END AS st FROM outbox WHERE
	    broadcast_id = $2) GROUP BY st ORDER BY st" | tr '\n' ';'
}
bc_done() {
	[ "$(sql "$1" "SELECT state FROM broadcasts WHERE id = $2")" = done ]
}

# gw_shifted GW SIM SHIFT: a daemon on SIM whose wall clock is SHIFT
# seconds off, with N members who joined by SMS
gw_shifted() {
	shift_clock "$1" "$3"
	shifted "$1" "$BIN"/tambulid --db "$T/$1.db" --socket "$T/$1.sock" \
	    --modem "$T/$2.tty" >>"$T/$1.log" 2>&1 &
	pids="$pids $!"
	gw_wait_ready "$1"
	i=0
	while [ $i -lt $N ]; do
		sim "$2" sms "+1415555$(printf %04d $i)" JOIN >/dev/null
		i=$((i + 1))
	done
	sim "$2" wait-sent $N "$WAIT_MAX" >/dev/null || fail "$1: joins"
}

# ---- stepped back 2 h in the middle of a broadcast ----------------------
sim_start a --latency 300
gw_shifted g a 7200
# a broadcast for a wall-clock time 30 min ahead of the wrong clock: 90
# min after the correction, it must not move with the step
run_expect "back: scheduled send" 0 tams g send --at +30m "Later BACK"
later=$(head -n 1 "$T/out")
at_before=$(sql g "SELECT next_attempt_at FROM outbox WHERE broadcast_id =
    $later LIMIT 1")
run_expect "back: send" 0 tams g send "Alert BACK"
id=$(head -n 1 "$T/out")
wait_until sent_at_least a "Alert BACK" 3 || fail "back: first alerts"
shift_clock g 0
wait_until bc_done g "$id" || fail "back: broadcast not done after the step"
check "back: all alerts sent" "$N" "$(sent_count a "Alert BACK")"
check "back: outcome" "sent $N;" "$(states g "$id")"
check "back: the step logged once" 1 \
    "$(grep -c 'event=clock-step the system clock stepped back by 7200 s' \
    "$T/g.log")"
check "back: scheduled broadcast keeps its wall-clock time" "$at_before" \
    "$(sql g "SELECT next_attempt_at FROM outbox WHERE broadcast_id =
    $later LIMIT 1")"
check "back: scheduled broadcast still waits" "queued $N;" \
    "$(states g "$later")"
check "back: nothing of it sent" 0 "$(sent_count a "Later BACK")"

# ---- stepped forward 25 h in the middle of a broadcast ------------------
# (the default validity is 1 d: on the old clock, all of it expired)
# The first part of a member's long text (tests/regress/codec.sh's) comes
# before the step, the second after a housekeeping run on the new clock:
# the text is in the inbox once, whole (the first part had waited 25 h
# on the new clock: it went to the inbox alone, marked incomplete, and
# the second after it)
P1=440B914151550100F00008712181900000000E0500032A0201004800690020D83D
P2=440B914151550100F00008712181900000000A0500032A0202DE000021
sim_start b --latency 300
gw_shifted h b -90000
parts_waiting() {
	[ "$(sql h "SELECT COUNT(*) FROM inbound_parts")" = "$1" ]
}
sim b pdu 33 "$P1" >/dev/null || fail "forward: sim pdu part 1"
wait_until parts_waiting 1 || fail "forward: first part not stored"
run_expect "forward: send" 0 tams h send "Alert FWD"
id=$(head -n 1 "$T/out")
wait_until sent_at_least b "Alert FWD" 3 || fail "forward: first alerts"
shift_clock h 0
wait_until bc_done h "$id" || fail "forward: broadcast not done"
check "forward: all alerts sent" "$N" "$(sent_count b "Alert FWD")"
check "forward: none expired" "sent $N;" "$(states h "$id")"
check "forward: the step logged once" 1 \
    "$(grep -c 'event=clock-step the system clock stepped forward by 90000 s' \
    "$T/h.log")"
# a wrong PIN from a year ago: the next housekeeping run (every minute,
# 5 s here) forgets it, and has looked at the parts by then
sql h "INSERT INTO organizer_attempts (number, at) VALUES ('+19995550000', 1)"
housekept() {
	[ "$(sql h "SELECT COUNT(*) FROM organizer_attempts")" = 0 ]
}
wait_max=$WAIT_MAX
WAIT_MAX=$((WAIT_MAX + 60))
wait_until housekept || fail "forward: no housekeeping run"
WAIT_MAX=$wait_max
check "forward: the first part still waits" 1 \
    "$(sql h "SELECT COUNT(*) FROM inbound_parts")"
sim b pdu 29 "$P2" >/dev/null || fail "forward: sim pdu part 2"
long_in() {
	[ "$(sql h "SELECT COUNT(*) FROM inbox WHERE phone = '+14155510000'")" \
	    -ge 1 ]
}
wait_until long_in || fail "forward: the long text not in the inbox"
check "forward: the long text whole, once" "Hi 😀!|" \
    "$(sql h "SELECT text || '|' || flags FROM inbox WHERE
    phone = '+14155510000'")"

summary
