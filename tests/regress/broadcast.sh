#!/bin/sh
# tests/regress/broadcast.sh — the broadcast engine: two modems with
# different caps, delivery reports, scheduled and expiring alerts (their
# waits on conditions, never on how long a step took),
# per-language variants, STOP during an urgent broadcast, repeated kill -9.
. "$(dirname "$0")/lib/common.sh"

# total: lines in every simulator's record (replies may leave through any
# modem)
total() {
	cat "$T"/*.sent 2>/dev/null | wc -l
}

# join SIM FROM COUNT [WORD]: COUNT members text WORD (JOIN) to SIM;
# waits for their replies, through whichever modem.  Numbers are FROM,
# FROM+1, ...
join() {
	before=$(total)
	i=0
	while [ "$i" -lt "$3" ]; do
		sim "$1" sms "+$(($2 + i))" "${4:-JOIN}" >/dev/null
		i=$((i + 1))
	done
	wait_until at_least "$((before + $3))" ||
	    fail "$1: members did not get their JOIN replies"
}
at_least() {
	[ "$(total)" -ge "$1" ]
}

count() {
	grep -c "$2" "$T/$1.sent" 2>/dev/null || true
}

# ---- two modems, different caps ------------------------------------------
sim_start a --latency 20
sim_start b --latency 20
cat >"$T/g.conf" <<EOF
[gateway]
organization = Migrant Alliance
reports = yes

[modem a]
device = $T/a.tty
per_hour = 3

[modem b]
device = $T/b.tty
EOF
gw_start g
join b 14155551000 12
id=$(tam g send "Caps test" | head -n 1)
wait_bc g "$id"
na=$(count a "Caps test")
nb=$(count b "Caps test")
check "caps: all sent" 12 $((na + nb))
if [ "$na" -le 3 ]; then ok; else fail "caps: modem a sent $na, cap 3"; fi
tam g status >"$T/st"
contains "caps: status shows the cap" "$T/st" "(cap 3)"

# ---- delivery reports ----------------------------------------------------
# bc_has NAME ID TEXT: the broadcast's JSON has TEXT
bc_has() {
	tam "$1" broadcast show --json "$2" | grep -qF -- "$3"
}
wait_until bc_has g "$id" '"delivered":12,'
tam g broadcast show --json "$id" >"$T/bc.json"
contains "reports: delivered" "$T/bc.json" '"delivered":12,'
sim b fault report 70 1 >/dev/null
sim a fault report 70 1 >/dev/null
id=$(tam g send "Report failure test" | head -n 1)
wait_bc g "$id"
wait_until bc_has g "$id" '"failed":1,'
tam g broadcast show --json "$id" >"$T/bc.json"
contains "reports: a failed delivery" "$T/bc.json" '"failed":1,'

# ---- scheduled --------------------------------------------------------------
# Nothing leaves before its time, however slow the machine: the times the
# simulators recorded are compared with the time the broadcast was
# scheduled for, not with how long the test waited.
id=$(tam g send --at +3s "Scheduled test" | head -n 1)
at=$(sqlite3 "$T/g.db" "SELECT scheduled_at FROM broadcasts WHERE id = $id")
tam g broadcast show --json "$id" >"$T/bc.json"
if [ "$(date +%s)" -lt "$at" ]; then
	contains "scheduled: waits" "$T/bc.json" '"state":"queued"'
else
	ok	# the show itself ran past the time: nothing to tell
fi
wait_bc g "$id"
check "scheduled: sent later" 12 "$(($(count a 'Scheduled test') +
    $(count b 'Scheduled test')))"
# sent_times: the epoch seconds each "Scheduled test" was recorded at
sent_times() {
	grep -h 'Scheduled test' "$T/a.sent" "$T/b.sent" |
	    sed -n 's/.*"time":"\([^"]*\)".*/\1/p' |
	    while read -r t; do date -d "$t" +%s; done
}
early=0
for t in $(sent_times); do
	[ "$t" -lt "$at" ] && early=$((early + 1))
done
check "scheduled: none before its time" 0 "$early"
check "scheduled: every send has a time" 12 "$(sent_times | wc -l)"

# ---- per-language variants ------------------------------------------------
join b 5215512349000 2 UNIRSE
id=$(tam g send --text-es "Prueba de variantes" "Variant test" | head -n 1)
wait_bc g "$id"
check "variants: Spanish" 2 "$(($(count a 'Prueba de variantes') +
    $(count b 'Prueba de variantes')))"
check "variants: default" 12 "$(($(count a 'Variant test') +
    $(count b 'Variant test')))"

# ---- control characters -----------------------------------------------------
# refused where the text is typed, naming the character and its place
run_expect "send: a control character" 1 tam g send \
    "$(printf 'Rally\033[2J moved')"
contains "send: a control character" "$T/err" \
    "send: control character U+001B at character 6 of the text: only line breaks can be sent"
run_expect "send --text-es: a control character" 1 tam g send \
    --text-es "$(printf 'Hola \302\233 todos')" "Hello"
contains "send --text-es: a control character" "$T/err" \
    "send: --text-es: control character U+009B at character 6:"
# a date a 32-bit clock cannot count (armhf: 2038), or ten years ahead
run_expect "send --at: far ahead" 2 tam g send --at "2099-01-01 00:00" \
    "Hello"
if grep -qE -- "--at 2099-01-01 00:00: (more than 10 years ahead|beyond \
the dates this system's clock can count)" "$T/err"; then ok; else
	fail "send --at far ahead: $(cat "$T/err")"
fi
run_expect "send --at: +600w" 2 tam g send --at +600w "Hello"
contains "send --at +600w: why" "$T/err" \
    "send: --at +600w: more than 10 years ahead"
check "send: nothing queued for them" 0 \
    "$(tam g broadcasts | grep -c 'Rally\|Hello')"
# one already stored (an older version, an organizer's phone) is shown
# with '?' for them, never sent to the terminal as it is
sqlite3 "$T/g.db" "UPDATE broadcasts SET text = 'Evil' || char(27) || \
    '[2J' || char(10) || 'two' || char(13) || 'x' WHERE id = $id"
tam g broadcasts >"$T/out"
contains "broadcasts: control characters shown as ?" "$T/out" \
    "Evil?[2J?two?x"
tam g broadcast show "$id" >"$T/out"
contains "broadcast show: control characters shown as ?" "$T/out" \
    "text:       Evil?[2J
two?x"
check "no escape reaches the terminal" 0 \
    "$(cat "$T/out" | tr -d '\n' | tr -d '[:print:]' | wc -c)"

# ---- expiry: a capped modem cannot send in time ---------------------------
# The three JOIN replies use up the day's cap (a day: no window ends
# during the test but at midnight).  The alert is sent only once the
# daemon itself has counted them (its rows say sent, not just the
# simulator's record), and then waits on conditions only, however long
# the 2 s take to pass on a slow machine.
sim_start c --latency 20
cat >"$T/e.conf" <<EOF
[modem c]
device = $T/c.tty
per_day = 3
EOF
gw_start e
join c 14155552000 3
replies_counted() {
	[ "$(sqlite3 "$T/e.db" "SELECT count(*) FROM outbox WHERE modem = \
	    'c' AND state IN ('sent', 'delivered')")" = 3 ]
}
wait_until replies_counted || fail "expiry: the JOIN replies not counted"
id=$(tam e send --expires 2s "Expiry test" | head -n 1)
wait_bc e "$id"
tam e broadcast show --json "$id" >"$T/bc.json"
contains "expiry: expired" "$T/bc.json" '"expired":3,'
check "expiry: nothing sent" 0 "$(count c 'Expiry test')"

# ---- STOP during an urgent broadcast -------------------------------------
sim_start d --latency 150
gw_start h d
join d 14155553000 8
id=$(tam h send --urgent "Urgent test" | head -n 1)
sim d sms +14155553007 "ALTO" >/dev/null
wait_bc h "$id"
check "urgent: nothing after STOP" 0 "$(sent_to d +14155553007 |
    grep -c 'Urgent test')"

# ---- kill -9 at three moments, restart each time ---------------------------
before=$(wc -l <"$T/d.sent")
id=$(tam h send "Crash test" | head -n 1)
for k in 1 2 3; do
	sim d wait-sent $((before + 2 * k)) "$WAIT_MAX" >/dev/null
	kill -9 "$gw_pid"
	wait "$gw_pid" 2>/dev/null
	gw_start h d
done
wait_bc h "$id"
dup=0
for i in 0 1 2 3 4 5 6; do
	c=$(sent_to d "+1415555300$i" | grep -c "Crash test")
	if [ "$c" -lt 1 ]; then
		fail "kill -9: +1415555300$i never got the alert"
	fi
	dup=$((dup + c - 1))
done
# at most one duplicate per crash (one modem: one message in flight)
if [ "$dup" -le 3 ]; then ok; else fail "kill -9: $dup duplicates"; fi
check "kill -9: opted-out member" 0 "$(sent_to d +14155553007 |
    grep -c 'Crash test')"

# ---- kill -9 while the modem still works on a submission --------------------
# The modem answers the dead daemon's AT+CMGS only after the new daemon
# has started probing it.  That late "+CMGS:" and OK are not the answers
# to the new daemon's commands: taken for them, every answer after was
# one behind, the SIM check read a bare OK ("SIM not usable: OK") and the
# modem was given up for 30 s, the alert waiting.
sim d fault latency 3000 >/dev/null
id=$(tam h send "Late answer test" | head -n 1)
sim_busy() {
	sim d status | grep -q '"state":"busy"'
}
wait_until sim_busy || fail "late answer: no submission reached the modem"
kill -9 "$gw_pid"
wait "$gw_pid" 2>/dev/null
sim d fault latency 150 >/dev/null	# the next ones; not the one under way
lines=$(wc -l <"$T/h.log")
gw_start h d
wait_bc h "$id"
check "late answer: the modem not given up" 0 \
    "$(tail -n +$((lines + 1)) "$T/h.log" | grep -c 'state=failed')"
got=0
for i in 0 1 2 3 4 5 6; do
	[ "$(sent_to d "+1415555300$i" | grep -c "Late answer test")" -ge 1 ] &&
	    got=$((got + 1))
done
check "late answer: every member got the alert" 7 "$got"

summary
