#!/bin/sh
# tests/regress/inflight.sh — the message in flight on a modem.
#
# One message in flight per number, whatever the modem: a member's STOP,
# read on one modem while an alert to them is being submitted on another,
# is confirmed only once the alert has gone (the alert, then the
# confirmation, then silence).
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
summary
