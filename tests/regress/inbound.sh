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
		if [ "$i" -gt "$((WAIT_MAX * 10))" ]; then
			fail "no \"$2\" (x${3:-1}) in the log of $1"
			tail -n 20 "$T/$1.log" | sed 's/^/    /'
			return 1
		fi
		sleep 0.1	# polling a condition, not a fixed wait
	done
}

# sql NAME QUERY: a count the CLI does not show
sql() {
	sqlite3 -cmd ".timeout 10000" "$T/$1.db" "$2"
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
# gw_start_shim NAME SIM: a daemon whose disk fills while $T/full exists
# (the daemon alone runs with the shim: ASan wants to come first otherwise)
gw_start_shim() {
	LD_PRELOAD=$SHIM TAMBULI_ENOSPC_DB=$T/$1.db TAMBULI_ENOSPC_FLAG=$T/full \
	    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	    "$BIN"/tambulid -c "$T/$1.conf" --db "$T/$1.db" \
	    --socket "$T/$1.sock" --modem "$T/$2.tty" >>"$T/$1.log" 2>&1 &
	gw_pid=$!
	pids="$pids $gw_pid"
	gw_wait_ready "$1"
}
# debug NAME on|off: debug lines (and full numbers) from the daemon
# started last, NAME, switched on or off (once each per daemon)
debug() {
	kill -USR2 "$gw_pid"
	wait_log "$1" "debug logging is $2 (SIGUSR2)"
}
gw_start_shim d d1
for i in 1 2 3 4 5 6; do
	sim d1 sms "+1415555030$i" "JOIN" >/dev/null
done
sim d1 wait-sent 6 "$WAIT_MAX" >/dev/null || fail "d1: joins"
id=$(tam d send "Rally moved to City Hall, 6pm" | head -n 1)
sim d1 wait-sent 7 "$WAIT_MAX" >/dev/null || fail "d1: first alert"
touch "$T/full"			# the disk is full from now on
debug d on			# the re-reads are debug lines
sim d1 sms +14155550306 "STOP" >/dev/null
stop_at=$(wc -l <"$T/d1.sent")
# the STOP was read and could not be committed, twice (read again): a
# warning the first time only
wait_log d "from=+14155550306 not processed again"
check "disk full: one warning" 1 \
    "$(grep -c 'from=+14155550306 not processed, will be' "$T/d.log")"
# the log says what was done only once it is on disk
check "disk full: no opt-out logged before it is stored" 0 \
    "$(grep -c 'from=+14155550306 keyword=STOP' "$T/d.log")"
debug d off
rm -f "$T/full"			# room again
wait_bc d "$id"
i=0
until sent_to d1 +14155550306 | grep -q unsubscribed; do
	i=$((i + 1))
	[ "$i" -gt "$((WAIT_MAX * 10))" ] && break
	sleep 0.1	# polling a condition
done
check "disk full: the opt-out logged once, when stored" 1 \
    "$(grep -c 'from=+14\*\*\*\*\*\*\*06 keyword=STOP result=opted-out' \
    "$T/d.log")"
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

# the disk fills while an alert is on its way: its outcome cannot be
# recorded, and its delivery report comes meanwhile.  The report is held
# and recorded once the outcome is (it was matched against nothing and
# dropped: the alert showed undelivered for ever).
sim_start r1 --report-delay 300
cat >"$T/r.conf" <<'EOF2'
[gateway]
organization = Migrant Alliance
reports = yes
EOF2
gw_start_shim r r1
sim r1 sms +14155550311 "JOIN" >/dev/null
# r_count STATE N: N texts of the outbox are in STATE
r_count() {
	[ "$(sql r "SELECT COUNT(*) FROM outbox WHERE state = '$1'")" = "$2" ]
}
wait_until r_count delivered 1 || fail "r: the join's reply not delivered"
sim r1 fault latency 5000 >/dev/null	# the alert takes 5 s to go
id=$(tam r send "Rally at noon" | head -n 1)
wait_until r_count sending 1 || fail "r: the alert not claimed"
touch "$T/full"
wait_log r "outcome not recorded, retrying"
wait_log r "held: a send outcome is not recorded yet"
rm -f "$T/full"
bc_delivered() {
	tam r broadcast show --json "$id" | grep -qF '"delivered":1,'
}
wait_until bc_delivered || fail "disk full: the report never recorded"
tam r broadcast show --json "$id" >"$T/bc.json"
contains "disk full: the report recorded after the outcome" "$T/bc.json" \
    '"delivered":1,'

# a delivery report that comes while the disk stays full is warned about
# once (not every 5 s: a full disk must not fill the journal too), and
# recorded once the disk has room
sim_start q2 --report-delay 2000
cp "$T/r.conf" "$T/r2.conf"
gw_start_shim r2 q2
debug r2 on
sim q2 sms +14155550312 "JOIN" >/dev/null
r2_sent() {
	[ "$(sql r2 "SELECT COUNT(*) FROM outbox WHERE state = 'sent'")" = 1 ]
}
wait_until r2_sent || fail "r2: the join's reply not sent"
touch "$T/full"
wait_log r2 "status-report mr=0 not recorded, will be tried again"
wait_log r2 "status-report mr=0 still not recorded" 2
rm -f "$T/full"
wait_log r2 "status reports: 1 held ones recorded"
check "disk full: one warning for a held report" 1 \
    "$(grep -c 'status-report mr=0 not recorded' "$T/r2.log")"
check "disk full: the held report recorded" 1 \
    "$(sql r2 "SELECT COUNT(*) FROM outbox WHERE state = 'delivered'")"

# a modem that shows texts (+CMT) instead of storing them: a STOP the
# database does not take cannot be read from a SIM again.  It is kept in
# memory and stored once the disk has room; meanwhile its sender gets no
# alert.
sim_start x1 --cnmi-direct
cp "$T/r.conf" "$T/x.conf"
gw_start_shim x x1
sim x1 sms +14155550321 "JOIN" >/dev/null
sim x1 sms +14155550322 "JOIN" >/dev/null
sim x1 wait-sent 2 "$WAIT_MAX" >/dev/null || fail "x1: joins"
touch "$T/full"
sim x1 sms +14155550321 "STOP" >/dev/null
wait_log x "not processed, will be read again"
rm -f "$T/full"
wait_log x "texts shown, not stored, by a modem: 1 held ones stored"
id=$(tam x send "March at noon" | head -n 1)
wait_bc x "$id"
check "+CMT STOP on a full disk: no alert after it" 0 \
    "$(sent_to x1 +14155550321 | grep -c '^March at noon$')"
check "+CMT STOP on a full disk: the other member alerted" 1 \
    "$(sent_to x1 +14155550322 | grep -c '^March at noon$')"
tam x subscribers list --json >"$T/subs.json"
contains "+CMT STOP on a full disk: opted out" "$T/subs.json" \
    '"phone":"+14155550321","status":"opted-out"'
# a JOIN kept in memory and a STOP sent right after it, once the disk has
# room: the JOIN is stored first, so the member ends opted out
touch "$T/full"
sim x1 sms +14155550323 "JOIN" >/dev/null
wait_log x "from=+14*******23 not processed, will be read again"
rm -f "$T/full"
sim x1 sms +14155550323 "STOP" >/dev/null
wait_log x "texts shown, not stored, by a modem: 1 held ones stored" 2
x_done() { sent_to x1 +14155550323 | grep -q "unsubscribed"; }
wait_until x_done || fail "+CMT JOIN then STOP: no confirmation"
tam x subscribers list --json >"$T/subs.json"
contains "+CMT JOIN then STOP: opted out" "$T/subs.json" \
    '"phone":"+14155550323","status":"opted-out"'

# a text not stored whose slot is then emptied (another program, a SIM
# swap) holds its sender back only until the modem has not read it again
# for the order wait (5 minutes, 10 s here): the member gets alerts again
# without a restart
TAMBULID_ORDER_WAIT_SECONDS=10
export TAMBULID_ORDER_WAIT_SECONDS
sim_start v1
cp "$T/r.conf" "$T/v.conf"
gw_start_shim v v1
unset TAMBULID_ORDER_WAIT_SECONDS
sim v1 sms +14155550331 "JOIN" >/dev/null
sim v1 sms +14155550332 "JOIN" >/dev/null
sim v1 wait-sent 2 "$WAIT_MAX" >/dev/null || fail "v1: joins"
touch "$T/full"
sim v1 sms +14155550331 "See you at the vigil" >/dev/null
wait_log v "not processed, will be read again"
sim v1 storage clear >/dev/null
rm -f "$T/full"
id=$(tam v send "Vigil moved to 7pm" | head -n 1)
wait_bc v "$id"
check "text gone from the SIM: its sender alerted" 1 \
    "$(sent_to v1 +14155550331 | grep -c '^Vigil moved to 7pm$')"
contains "text gone from the SIM: said" "$T/v.log" \
    "is gone from the modem's storage; messages to the number go out again"

# ---- floods, JOIN/STOP cycling, forward loops ------------------------------

sim_start f1 --latency 1
cat >"$T/f.conf" <<'EOF2'
[gateway]
organization = Migrant Alliance
contact = +1 415 555 0199
autoreply_limit = 3
forward = +14155550177

[modem own]
device = DEVICE
number = +14155550150
EOF2
sed -i "s|DEVICE|$T/f1.tty|" "$T/f.conf"
gw_start f

# outbox_idle NAME: until nothing is queued or being sent
outbox_idle() {
	i=0
	until [ "$(sql "$1" "SELECT COUNT(*) FROM outbox WHERE state IN \
	    ('queued', 'sending')")" = 0 ]; do
		i=$((i + 1))
		if [ "$i" -gt "$((WAIT_MAX * 10))" ]; then
			fail "outbox of $1 not empty"
			return 1
		fi
		sleep 0.1	# polling a condition
	done
}

# wait_repeats NAME NUMBER N: until the inbox row of NUMBER counts N texts
wait_repeats() {
	i=0
	until tam "$1" inbox --all --json |
	    grep -q "\"from\":\"$2\".*\"repeats\":$(($3 - 1))[,}]"; do
		i=$((i + 1))
		if [ "$i" -gt "$((WAIT_MAX * 10))" ]; then
			fail "inbox of $1: $2 never reached $3 texts"
			tam "$1" inbox --all --json | tr '}' '\n' | grep "$2" |
			    head -3
			return 1
		fi
		sleep 0.1	# polling a condition
	done
}

# 2,000 identical JOINs: one consent event with its count, one inbox row,
# autoreply_limit replies
sim f1 sms-flood 1000 +14155550401 JOIN >/dev/null || fail "sms-flood"
wait_repeats f +14155550401 1000
sim f1 sms-flood 1000 +14155550401 JOIN >/dev/null || fail "sms-flood"
wait_repeats f +14155550401 2000
check "JOIN flood: consent events" "1|opt-in|1999" \
    "$(sql f "SELECT COUNT(*), MIN(event), MAX(repeats) FROM consent_events \
    WHERE phone = '+14155550401'")"
check "JOIN flood: inbox rows" 1 \
    "$(tam f inbox --all --json | tr '}' '\n' | grep -c '"from":"+14155550401"')"
# 2,000 identical questions: one inbox row (counted), forwarded once
sim f1 sms-flood 1000 +14155550402 "Is the rally still on?" >/dev/null ||
    fail "sms-flood"
wait_repeats f +14155550402 1000
sim f1 sms-flood 1000 +14155550402 "Is the rally still on?" >/dev/null ||
    fail "sms-flood"
wait_repeats f +14155550402 2000
tam f inbox --json >"$T/inbox.json"
check "question flood: inbox rows" 1 \
    "$(tr '}' '\n' <"$T/inbox.json" | grep -c '"from":"+14155550402"')"
tam f inbox >"$T/inbox.txt"
contains "question flood: count shown" "$T/inbox.txt" "+14155550402  (x2000)"

# JOIN/STOP cycling: every change in the audit trail, but replies and
# confirmations within autoreply_limit (the first confirmation always)
for i in 1 2 3 4 5; do
	sim f1 sms +14155550403 JOIN >/dev/null
	sim f1 sms +14155550403 STOP >/dev/null
done
i=0
until [ "$(sql f "SELECT COUNT(*) FROM consent_events WHERE \
    phone = '+14155550403'")" = 10 ]; do
	i=$((i + 1))
	[ "$i" -gt "$((WAIT_MAX * 10))" ] && break
	sleep 0.1	# polling a condition
done
check "JOIN/STOP cycling: consent events" "10|5|5" \
    "$(sql f "SELECT COUNT(*), SUM(event = 'opt-in'), SUM(event = 'opt-out') \
    FROM consent_events WHERE phone = '+14155550403' AND repeats = 0")"

# forward loops: texts from the forward number (an organizer's phone, or
# an autoresponder behind it) and from the gateway's own number are kept,
# never forwarded or answered
sim f1 sms +14155550177 "Auto-reply: I am out of the office" >/dev/null
sim f1 sms 4155550150 "From +14155550402: Is the rally still on?" >/dev/null
# forward limit: 5 different texts from one member, 3 forwarded
for i in 1 2 3 4 5; do
	sim f1 sms +14155550404 "question number $i" >/dev/null
done
wait_log f "from=+14*******04 inbox=1 flags=unforwarded" 2
outbox_idle f
sent_to f1 +14155550177 >"$T/fwd"
check "forwards" "From +14155550402: Is the rally still on?
From +14155550404: question number 1
From +14155550404: question number 2
From +14155550404: question number 3" "$(cat "$T/fwd")"
check "JOIN flood: replies" 3 "$(sent_to f1 +14155550401 | grep -c subscribed)"
# (a reply still queued when the STOP comes is dropped: count what was
# queued)
check "JOIN/STOP cycling: replies queued" "2|1" \
    "$(sql f "SELECT SUM(kind = 'reply'), SUM(kind = 'system') FROM outbox \
    WHERE phone = '+14155550403'")"
check "JOIN/STOP cycling: one confirmation" 1 \
    "$(sent_to f1 +14155550403 | grep -c 'you are unsubscribed')"
check "nothing to the gateway's own number" 0 \
    "$(grep -c '"to":"+14155550150"' "$T/f1.sent")"
check "no reply to the forward number" 0 "$(sent_to f1 +14155550177 |
    grep -vc '^From ')"
tam f inbox --json >"$T/inbox.json"
contains "own number kept" "$T/inbox.json" \
    '"from":"+14155550150","text":"From +14155550402: Is the rally still on?"'
contains "forward number kept" "$T/inbox.json" \
    '"from":"+14155550177","text":"Auto-reply: I am out of the office"'
check "over the forward limit: flagged" 2 \
    "$(tr '}' '\n' <"$T/inbox.json" | grep '"from":"+14155550404"' |
    grep -c '"flags":\["unforwarded"\]')"

# a long text whose last part is stored but whose action fails (a trigger
# refusing it stands in for a disk that fills between the two): the last
# part stays on the SIM, and once the database takes it the text is in
# the inbox once (it was lost: the re-read part matched the digest of its
# own completed message and was deleted as a network repeat)
long="Question about the rally on Saturday: is the meeting point still \
the park by the library, and should we bring water and signs for the \
march? Some of us are coming from the east side by bus number 12."
sql f "CREATE TRIGGER no_room BEFORE INSERT ON inbox WHEN NEW.text LIKE \
    'Question about the rally%' BEGIN SELECT RAISE(ABORT, 'no room'); END"
debug f on			# the re-reads are debug lines
check "long text: two parts" "parts 2" \
    "$(sim f1 sms +14155550407 "$long")"
wait_log f "from=+14155550407 part 2/2 not processed again"
check "long text: one warning" 1 \
    "$(grep -c 'from=+14155550407 part 2/2 not processed, will' "$T/f.log")"
debug f off
sql f "DROP TRIGGER no_room"
long_in_inbox() {
	tam f inbox --all --json | grep -qF "\"text\":\"$long\""
}
wait_until long_in_inbox || fail "long text never reached the inbox"
check "long text: kept once" 1 "$(tam f inbox --all --json | tr '}' '\n' |
    grep -cF "\"text\":\"$long\"")"

# ---- order: a STOP sent after a JOIN that was not stored -------------------
# The JOIN fails (a trigger refusing it stands in for a database error)
# and stays in its slot; another member's text leaves a lower slot, and
# the STOP takes it.  Read in slot order the STOP would come first and
# the JOIN after it subscribe the member again: the STOP waits for the
# JOIN instead.
sim_start o1
gw_start o o1
sql o "CREATE TRIGGER no_join BEFORE INSERT ON consent_events WHEN \
    NEW.phone = '+14155550421' AND NEW.event = 'opt-in' BEGIN \
    SELECT RAISE(ABORT, 'no room'); END"
sim o1 sms +14155550422 "Is the rally still on?" >/dev/null
sim o1 sms +14155550421 "JOIN" >/dev/null
wait_log o "from=+14*******21 not processed"
o1_used() {
	sim o1 storage | grep -q "\"used\":$1,"
}
wait_until o1_used 1 || fail "order: the other text is still on the SIM"
# a second later by the network's clock
t0=$(date +%s)
later() {
	[ "$(date +%s)" -gt "$t0" ]
}
wait_until later
sim o1 sms +14155550421 "STOP" >/dev/null
wait_log o "waits for an earlier text from this number"
sql o "DROP TRIGGER no_join"
wait_until o1_used 0 || fail "order: texts left on the SIM"
wait_log o "from=+14*******21 keyword=STOP result=opted-out"
check "order: the STOP after the JOIN wins" "opted-out" \
    "$(sql o "SELECT status FROM subscribers WHERE phone = '+14155550421'")"
check "order: consent in the order sent" "opt-in,opt-out" \
    "$(sql o "SELECT group_concat(event) FROM (SELECT event FROM \
    consent_events WHERE phone = '+14155550421' ORDER BY id)")"

# ---- order: texts are read in the order they arrived ---------------------
# 20 JOIN/STOP pairs from one member between other members' texts, on a
# slow modem: more indications wait than reads are queued, and freed
# slots are taken again, so slot order is not arrival order.  Every
# change must be acted on in the order sent (a repeat means two were
# swapped) and the last one, STOP, must stand.  (Read by a sweep in slot
# order this failed about one run in two.)
sim_start q1 --latency 30
gw_start q q1
i=0
while [ "$i" -lt 20 ]; do
	sim q1 sms "+1415555060$((i % 10))" "hello $i" >/dev/null
	sim q1 sms +14155550431 JOIN >/dev/null
	sim q1 sms "+1415555061$((i % 10))" "hi $i" >/dev/null
	sim q1 sms +14155550431 STOP >/dev/null
	i=$((i + 1))
done
wait_log q "from=+14*******31 keyword=" 40
check "order: no change swapped" "0|40" "$(sql q "SELECT SUM(repeats), \
    COUNT(*) FROM consent_events WHERE phone = '+14155550431'")"
check "order: the last STOP stands" "opted-out" \
    "$(sql q "SELECT status FROM subscribers WHERE phone = '+14155550431'")"

# ---- order: what a sweep finds is acted on oldest first -------------------
# A crash (or a JOIN that could not be stored) leaves texts on the SIM;
# slots are reused, so the STOP a member sent after a JOIN can sit in a
# lower slot.  Started on that SIM, the daemon reads storage in slot
# order (AT+CMGL, or AT+CMGR slot by slot on a Huawei): it must act on
# the JOIN first, by the service centre time stamps, and leave the
# member opted out.  (Handed over in slot order, the JOIN came last and
# subscribed the member again.)  The PDUs, checked by the decoder:
# STOP at 2026-01-15 10:00:05 UTC in slot 0, JOIN five seconds earlier
# in slot 1.
stop_pdu=00040B914151550544F10000621051010050000453EA130A
join_pdu=00040B914151550544F100006210510100000004CA67D209
check "sweep: the STOP PDU" '"text":"STOP","timestamp":"2026-01-15T10:00:05+00:00"' \
    "$(tam q pdu decode "$stop_pdu" | grep -o '"text".*+00:00"')"
check "sweep: the JOIN PDU" '"text":"JOIN","timestamp":"2026-01-15T10:00:00+00:00"' \
    "$(tam q pdu decode "$join_pdu" | grep -o '"text".*+00:00"')"
for pers in generic huawei; do
	sim_start "s$pers" -p "$pers"
	sim "s$pers" pdu "$stop_pdu" >/dev/null
	sim "s$pers" pdu "$join_pdu" >/dev/null
	gw_start "w$pers" "s$pers"
	wait_log "w$pers" "from=+14*******41 keyword=" 2
	check "sweep ($pers): the later STOP stands" "opted-out" \
	    "$(sql "w$pers" "SELECT status FROM subscribers \
	    WHERE phone = '+14155550441'")"
	check "sweep ($pers): consent in the order sent" "opt-in,opt-out" \
	    "$(sql "w$pers" "SELECT group_concat(event) FROM (SELECT event \
	    FROM consent_events WHERE phone = '+14155550441' ORDER BY id)")"
done

# ---- a late answer to a read --------------------------------------------
# The modem answers an AT+CMGR after the read timeout (15 s), and holds
# every command meanwhile.  The late answer must not be taken for the
# next slot's (that text stored under the wrong slot, the wrong slot
# deleted, and the next text, a STOP, lost), and the text whose read
# timed out must still be read.
sim_start l1
gw_start l l1
sim l1 sms +14155550451 JOIN >/dev/null
sim l1 sms +14155550452 JOIN >/dev/null
sim l1 wait-sent 2 "$WAIT_MAX" >/dev/null || fail "late read: joins"
# the welcomes' delivery reports read, so the slow read is a text's
l_delivered() {
	[ "$(sql l "SELECT COUNT(*) FROM outbox WHERE state = 'delivered'")" = 2 ]
}
wait_until l_delivered || fail "late read: welcomes not delivered"
sim l1 fault slow-cmgr 16000 >/dev/null
sim l1 sms +14155550451 "Please call me, the house is flooded" >/dev/null
sim l1 sms +14155550452 STOP >/dev/null
wait_log l "from=+14*******52 keyword=STOP result=opted-out"
in_inbox_once() {
	[ "$(tam l inbox --all --json | tr '}' '\n' |
	    grep -cF '"text":"Please call me, the house is flooded"')" = 1 ]
}
wait_until in_inbox_once || fail "late read: the first text is not in the inbox once"
l1_empty() {
	sim l1 storage | grep -q '"used":0,'
}
wait_until l1_empty || fail "late read: texts left on the SIM"
check "late read: the STOP stands" "opted-out" \
    "$(sql l "SELECT status FROM subscribers WHERE phone = '+14155550452'")"
check "late read: the flood text kept once, from its sender" \
    "+14155550451" "$(sql l "SELECT phone FROM inbox \
    WHERE text = 'Please call me, the house is flooded'")"
l_told() {
	sent_to l1 +14155550452 | grep -q 'no more messages'
}
wait_until l_told || fail "late read: no confirmation"
check "late read: the member told once" 1 \
    "$(sent_to l1 +14155550452 | grep -c 'no more messages')"

# the gateway's own number as its SIM reports it (+CNUM), not configured:
# a text from it (a forward to the gateway's own number comes back) is
# kept, never forwarded or answered (the number is in no forward list)
sim_start c1 --number 4155550160
cat >"$T/c.conf" <<'EOF2'
[gateway]
forward = +14155550177
EOF2
gw_start c c1
sim c1 sms +14155550405 "Where is the meeting?" >/dev/null
sim c1 wait-sent 1 "$WAIT_MAX" >/dev/null || fail "c1: forward"
sim c1 sms +14155550160 "From +14155550405: Where is the meeting?" \
    >/dev/null
sim c1 sms +14155550406 "JOIN" >/dev/null
wait_log c "from=+14*******06 keyword=JOIN"
outbox_idle c
check "own number (+CNUM): forwards" "1|0" \
    "$(grep -c '"text":"From +14155550405' "$T/c1.sent")|$(grep -c \
    '"text":"From +14155550160' "$T/c1.sent")"
tam c inbox --json >"$T/inbox.json"
contains "own number (+CNUM) kept" "$T/inbox.json" \
    '"from":"+14155550160","text":"From +14155550405: Where is the meeting?"'

summary
