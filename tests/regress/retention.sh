#!/bin/sh
# tests/regress/retention.sh — retention with a shifted clock: members
# join by SMS, text, get an alert, one stops; the daemon restarts 91 days
# later (tests/shim/clock.c moves its wall clock, not its timers) and the
# purge at start deletes what names a person, keeps the broadcast's counts
# and turns the old opt-out into a marker that still refuses the number.
. "$(dirname "$0")/lib/common.sh"

SHIM=$(pwd)/bin/clockshift.so
if [ ! -f "$SHIM" ]; then
	echo "FAIL: $SHIM is missing (make bin/clockshift.so)"
	exit 1
fi
SHIFT=$((91 * 86400))

sql() {
	sqlite3 "$T/r.db" "$1"
}
# the programs with the wall clock 91 days ahead (ASan wants to come
# first otherwise)
shifted() {
	LD_PRELOAD=$SHIM TAMBULI_TEST_CLOCK_SHIFT=$SHIFT \
	    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	    "$@"
}
tams() {
	shifted "$BIN"/tambuli --db "$T/r.db" --socket "$T/r.sock" "$@"
}
outbox_idle() {
	[ "$(sql "SELECT COUNT(*) FROM outbox WHERE state IN ('queued',
	    'sending')")" = 0 ]
}
delivered() {
	[ "$(sql "SELECT COUNT(*) FROM outbox WHERE broadcast_id = $1 AND
	    state = 'delivered'")" = "$2" ]
}
questions() {
	[ "$(sql "SELECT COUNT(*) FROM inbox WHERE keyword IS NULL")" = "$1" ]
}
status_is() {
	[ "$(sql "SELECT status FROM subscribers WHERE phone = '$1'")" = "$2" ]
}
purged() {
	tams status >"$T/status" 2>&1
	grep -q "last purge $(shifted date +%Y-%m-%d)" "$T/status"
}

A=+14155550501
B=+14155550502
C=+14155550503

sim_start r1
cat >"$T/r.conf" <<'EOF2'
[gateway]
organization = Migrant Alliance
contact = +1 415 555 0199
EOF2
gw_start r r1

# ---- 91 days ago -----------------------------------------------------------
for p in $A $B $C; do
	sim r1 sms "$p" "JOIN" >/dev/null
done
sim r1 wait-sent 3 "$WAIT_MAX" >/dev/null || fail "joins"
sim r1 sms $A "Where is the meeting on Friday?" >/dev/null
sim r1 sms $B "Can I bring my kids?" >/dev/null
wait_until questions 2 ||
    fail "the two questions are not in the inbox"
run_expect "reply" 0 tam r reply $A "City Hall, 6pm"
sim r1 wait-sent 4 "$WAIT_MAX" >/dev/null || fail "reply"
id=$(tam r send "Rally moved to City Hall, 6pm" | head -n 1)
wait_bc r "$id"
wait_until delivered "$id" 3 || fail "delivery reports"
sim r1 sms $C "STOP" >/dev/null
wait_until status_is $C opted-out || fail "STOP"
wait_until outbox_idle || fail "the STOP confirmation is not sent"
tam r broadcast show --json "$id" >"$T/before.json"
contains "counts before" "$T/before.json" '"recipients":3'
contains "counts before" "$T/before.json" '"sent":3,"delivered":3,"failed":0'
check "rows before" "8|0" "$(sql "SELECT COUNT(*) FROM outbox")|$(sql \
    "SELECT COUNT(*) FROM optout_marks")"
# the purge at this start found nothing old
first_purge() {
	tam r status >"$T/status0" 2>&1
	grep -q "last purge" "$T/status0"
}
wait_until first_purge || fail "no purge at the first start"
contains "status: nothing to purge yet" "$T/status0" \
    "removed 0 inbox texts, 0 outbox rows, 0 numbers (now markers), 0 consent texts"

# ---- 91 days later ---------------------------------------------------------
kill "$gw_pid"
wait "$gw_pid" 2>/dev/null
shifted "$BIN"/tambulid -c "$T/r.conf" --db "$T/r.db" --socket "$T/r.sock" \
    --modem "$T/r1.tty" >>"$T/r.log" 2>&1 &
gw_pid=$!
pids="$pids $gw_pid"
if ! wait_until purged; then
	fail "no purge at start with the clock 91 days ahead"
	sed 's/^/    /' "$T/status"
	tail -n 20 "$T/r.log" | sed 's/^/    /'
fi
contains "status: what the purge removed" "$T/status" \
    "retention: 90 days; last purge "
# 5 texts (3 JOIN, the answered question, STOP); 8 sends (3 JOIN replies,
# the organizer's reply, 3 alerts, the STOP confirmation);
# C; the texts of 3 opt-ins and 1 opt-out
contains "status: what the purge removed" "$T/status" \
    "removed 5 inbox texts, 8 outbox rows, 1 number (now markers), 4 consent texts"
tams status --json >"$T/status.json"
contains "status --json" "$T/status.json" \
    '"retention":{"days":90,"seconds":7776000,"last_run":'
contains "status --json" "$T/status.json" \
    '"removed":{"inbox":5,"outbox":8,"numbers":1,"consent_texts":4}}'
contains "log" "$T/r.log" \
    "retention: removed 5 inbox texts, 8 outbox rows, 1 numbers (now markers), 4 consent texts"

# the question nobody answered stays; everything else that was handled goes
check "inbox after" "$B|Can I bring my kids?" \
    "$(sql "SELECT phone, text FROM inbox ORDER BY id")"
check "outbox after" "0|0" "$(sql "SELECT COUNT(*) FROM outbox")|$(sql \
    "SELECT COUNT(*) FROM outbox_parts")"
# the counts shown are exactly the same
tams broadcast show --json "$id" >"$T/after.json"
check "broadcast show --json after" "$(cat "$T/before.json")" \
    "$(cat "$T/after.json")"
check "gone counts" "0|0|0|3|0|0|0|0" "$(sql "SELECT gone_queued,
    gone_sending, gone_sent, gone_delivered, gone_failed, gone_expired,
    gone_skipped, gone_cancelled FROM broadcasts WHERE id = $id")"
# C is a marker, A and B are intact members
check "subscribers after" "$A|active|default
$B|active|default" "$(sql "SELECT s.phone, s.status, l.name FROM subscribers s
    JOIN memberships m ON m.subscriber_id = s.id JOIN lists l ON
    l.id = m.list_id ORDER BY s.phone")"
check "marker" "1" "$(sql "SELECT COUNT(*) FROM optout_marks")"
# consent: time, kind, keyword kept; no free text; C's events name the marker
check "consent texts" "0" \
    "$(sql "SELECT COUNT(*) FROM consent_events WHERE text IS NOT NULL")"
check "consent of C" "0|2" "$(sql "SELECT COUNT(*) FROM consent_events WHERE
    phone = '$C'")|$(sql "SELECT COUNT(*) FROM consent_events WHERE
    phone LIKE '#%' AND length(phone) = 65")"
check "consent kept" "opt-in|JOIN
opt-in|JOIN
opt-in|JOIN
opt-out|STOP" "$(sql "SELECT event, keyword FROM consent_events ORDER BY id")"
check "no number of C left" "0" "$(sql "SELECT (SELECT COUNT(*) FROM inbox
    WHERE phone = '$C') + (SELECT COUNT(*) FROM outbox WHERE phone = '$C') +
    (SELECT COUNT(*) FROM subscribers WHERE phone = '$C') +
    (SELECT COUNT(*) FROM consent_events WHERE phone = '$C')")"

# the marker still refuses the number, and no alert reaches it
run_expect "add the opted-out number" 1 tams subscribers add $C
contains "add the opted-out number" "$T/err" \
    "$C: this number asked not to be contacted: only the member can rejoin, by texting JOIN"
run_expect "reply to the opted-out number" 1 tams reply $C "hello"
contains "reply to the opted-out number" "$T/err" \
    "opted out: $C receives nothing until they text JOIN again"
before=$(wc -l <"$T/r1.sent")
id2=$(tams send "Second alert: march at noon" | head -n 1)
wait_bc r "$id2"
tams broadcast show --json "$id2" >"$T/bc2.json"
contains "new broadcast" "$T/bc2.json" '"recipients":2'
check "new broadcast: sends" "$A
$B" "$(tail -n +$((before + 1)) "$T/r1.sent" | grep 'Second alert' |
    sed 's/.*"to":"\([^"]*\)".*/\1/' | sort)"
check "no alert to the marker" "0" "$(sent_to r1 $C | grep -c 'Second alert')"

# the member's own JOIN lifts the marker
sim r1 sms $C "JOIN" >/dev/null
wait_until status_is $C active || fail "C's own JOIN"
check "marker lifted" "0" "$(sql "SELECT COUNT(*) FROM optout_marks")"

summary
