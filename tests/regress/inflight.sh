#!/bin/sh
# tests/regress/inflight.sh — the message in flight on a modem.
#
# One message in flight per number, whatever the modem: a member's STOP,
# read on one modem while an alert to them is being submitted on another,
# is confirmed only once the alert has gone (the alert, then the
# confirmation, then silence).  A modem lost in the middle of a
# submission (a USB brown-out as the radio transmits) does not count an
# attempt: a message through seven lost ports and one temporary error is
# sent, not failed "after 8 attempts"; but only ten losses go uncounted
# (a message that itself brings the modem down must not go round for
# ever): the eleventh counts as a temporary failure.
. "$(dirname "$0")/lib/common.sh"

# q NAME SQL: a query on the database of daemon NAME
q() {
	sqlite3 "$T/$1.db" "$2"
}

# ---- STOP while the member's alert is in flight on another modem -------
sim_start s1 --latency 4000	# slow: the alert is in flight for 4 s
sim_start s2
gw_start g s1 s2
X=+14155550123
sim s2 sms $X JOIN >/dev/null
joined() {
	[ "$(q g "SELECT count(*) FROM outbox WHERE phone = '$X' AND \
	    state IN ('sent', 'delivered')")" = 1 ]
}
wait_until joined || fail "stop: the JOIN was not answered"
id=$(tam g send "Evacuation route B is closed, use route C" | head -n 1)
alert_on_s1() {
	[ "$(q g "SELECT modem FROM outbox WHERE broadcast_id = $id AND \
	    state = 'sending'")" = modem1 ]
}
wait_until alert_on_s1 || fail "stop: the alert is not in flight on modem1"
sim s2 sms $X STOP >/dev/null
# what the phone sees, in the order it sees it: each text is appended
# when it first shows in either modem's sent file
: >"$T/order"
seen() {
	for m in s1 s2; do
		sent_to $m $X
	done | while IFS= read -r line; do
		grep -qxF -- "$line" "$T/order" || printf '%s\n' "$line" \
		    >>"$T/order"
	done
}
all_gone() {
	seen
	bc_finished g "$id" && [ "$(q g "SELECT count(*) FROM outbox WHERE \
	    state IN ('queued', 'sending')")" = 0 ] &&
	    grep -q 'no more messages' "$T/order"
}
wait_until all_gone || fail "stop: not finished"
check "stop: alert, then one confirmation, then nothing" \
    "1 you are subscribed
2 Evacuation route B is closed, use route C
3 you are unsubscribed" \
    "$(sed -e 's/^[^:]*: \(you are [a-z]*\).*/\1/' "$T/order" | nl -w1 -s' ')"
check "stop: the opt-out stored" opted-out \
    "$(q g "SELECT status FROM subscribers WHERE phone = '$X'")"
kill "$gw_pid"
wait "$gw_pid" 2>/dev/null
sim s1 quit >/dev/null
sim s2 quit >/dev/null

# ---- seven lost ports, then a temporary error: sent, not given up -------
sim_start s --latency 1500	# a submission takes 1.5 s
gw_start h s
Y=+14155550777
sim s sms $Y JOIN >/dev/null
sim s wait-sent 1 "$WAIT_MAX" >/dev/null || fail "lost: JOIN not answered"
in_flight() {
	[ "$(q h "SELECT state FROM outbox WHERE id = $row")" = sending ]
}
# lose N [FAULT...]: the port goes N times while the row is being
# submitted; FAULT is set on the modem before the last replug is used
lose() {
	k=0
	while [ "$k" -lt "$1" ]; do
		wait_until in_flight || fail "lost: not in flight ($k)"
		sim s unplug >/dev/null
		sim s replug >/dev/null
		k=$((k + 1))
		[ "$k" -eq "$1" ] && [ $# -gt 1 ] &&
		    sim s fault "$2" "$3" >/dev/null
		sim s wait-ready "$WAIT_MAX" >/dev/null
		gw_wait_ready h
	done
}
id=$(tam h send "Shelter open at the school" | head -n 1)
row=$(q h "SELECT id FROM outbox WHERE broadcast_id = $id")
lose 7 fail-next 38
wait_bc h "$id"
check "lost: broadcast state" "done" "$(bc_state h "$id")"
tam h broadcast show --json "$id" >"$T/bc.json"
contains "lost: sent" "$T/bc.json" '"sent":1,'
contains "lost: none failed" "$T/bc.json" '"failed":0,'
# the +CMS 38 was the one attempt that failed; the second went out
check "lost: row" "sent|2" "$(q h "SELECT replace(state, 'delivered', 'sent') || '|' || attempts FROM \
    outbox WHERE id = $row")"
check "lost: the phone got it once" 1 \
    "$(sent_to s $Y | grep -c 'Shelter open at the school')"
check "lost: seven losses logged" 7 \
    "$(grep -c "outbox=$row .*result=lost" "$T/h.log")"

# ---- eleven lost ports: the eleventh counts --------------------------------
id=$(tam h send "Second shelter open" | head -n 1)
row=$(q h "SELECT id FROM outbox WHERE broadcast_id = $id")
lose 11
wait_bc h "$id"
check "cap: row" "sent|2" "$(q h "SELECT replace(state, 'delivered', \
    'sent') || '|' || attempts FROM outbox WHERE id = $row")"
check "cap: ten losses uncounted" 10 \
    "$(grep -c "outbox=$row .*result=lost" "$T/h.log")"
check "cap: the eleventh a temporary failure" 1 \
    "$(grep -c "outbox=$row .*result=tempfail" "$T/h.log")"
check "cap: the phone got it once" 1 \
    "$(sent_to s $Y | grep -c 'Second shelter open')"

summary
