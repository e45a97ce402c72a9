#!/bin/sh
# tests/regress/forget.sh — forgetting a member for real: after
# "subscribers forget", or the member's own FORGET ME / BORRAR, the
# number's digits and the member's texts are nowhere in the database file,
# its -wal or its -shm (the raw bytes are searched), the broadcasts keep
# their counts, and the number cannot be added again (a marker) until the
# member texts JOIN.
. "$(dirname "$0")/lib/common.sh"

M=+14155550142		# the member who is forgotten
O=+14155550143		# another member, who stays
ORG=+14155550177	# the organizer's phone (forwards)

# raw_hits TEXT: lines of the database's raw files holding TEXT (in any
# case: hex digits are stored either way)
raw_hits() {
	cat "$T/f.db" "$T/f.db-wal" "$T/f.db-shm" 2>/dev/null |
	    LC_ALL=C grep -a -c -i -F -- "$1"
}
sql() {
	sqlite3 "$T/f.db" "$1"
}
wal_size() {
	if [ -f "$T/f.db-wal" ]; then
		stat -c %s "$T/f.db-wal"
	else
		echo 0
	fi
}
# nothing of the member in the raw files: the digits and a word of each
# of their texts
check_gone() {
	for w in 4155550142 Wombat Quokka Bilby; do
		check "$1: no \"$w\" in the raw files" 0 "$(raw_hits "$w")"
	done
	check "$1: the -wal is truncated" 0 "$(wal_size)"
}
# the daemon has sent N texts and every one is final (delivered)
all_final() {
	[ "$(wc -l <"$T/f1.sent")" -ge "$1" ] &&
	    [ "$(sql "SELECT count(*) FROM outbox WHERE state IN ('queued', \
	    'sending', 'sent')")" = 0 ]
}

sim_start f1
cat >"$T/f.conf" <<'EOF'
[gateway]
organization = Migrant Alliance
contact = +1 415 555 0199
forward = +14155550177
EOF
gw_start f f1

# ---- a member's traces: JOIN, texts (one in parts), forwards, an alert ----

sim f1 sms "$M" "JOIN" >/dev/null
sim f1 sms "$O" "JOIN" >/dev/null
sim f1 wait-sent 2 "$WAIT_MAX" >/dev/null || fail "no replies to JOIN"
sim f1 sms "$M" "Wombat seen near the clinic this morning" >/dev/null
long="Quokka: the landlord came again today and said that everyone in the building has to show papers by Friday or leave. Bilby, my neighbour, is scared. What can we do? Is there a lawyer who speaks Spanish?"
parts=$(sim f1 sms "$M" "$long")
check "the long text comes in parts" "parts 2" "$parts"
# two forwards to the organizer
sim f1 wait-sent 4 "$WAIT_MAX" >/dev/null || fail "no forwards"
check "forward quotes the member" 1 \
    "$(sent_to f1 "$ORG" | grep -c "^From $M: Wombat")"
id=$(tam f send "Rally at City Hall tomorrow, 5pm" | head -n 1)
wait_bc f "$id"
wait_until all_final 6 || fail "texts not all delivered: $(sql \
    "SELECT group_concat(state) FROM outbox")"
check "the alert reached the member" 1 \
    "$(sent_to f1 "$M" | grep -c '^Rally at City Hall')"
tam f broadcast show "$id" >"$T/before" 2>&1
tam f broadcasts >"$T/before.list" 2>&1
contains "broadcast delivered to both" "$T/before" "delivered:  2"
check "the number is in the raw files before" 1 \
    "$([ "$(raw_hits 4155550142)" -gt 0 ] && echo 1)"

# texts the gateway cannot decode (UCS-2 with an odd number of octets)
# are kept as raw PDUs, which hold the sender's number as semi-octets:
# the member's, international (TOA 91) and national (TOA 81), and the
# other member's
SO_M=4151550541F2	# +14155550142
SO_MN=1455551024	# 4155550142
SO_O=4151550541F3	# +14155550143
for pdu in 00040B91${SO_M}00086221129100000003004100 \
    00040A81${SO_MN}0008622112910000000300410A \
    00040B91${SO_O}00086221129100000003004100; do
	sim f1 pdu "$pdu" >/dev/null || fail "sim pdu $pdu"
done
undecodable() {
	[ "$(sql "SELECT count(*) FROM inbox WHERE phone = 'unknown' AND \
	    flags = 'undecodable'")" = "$1" ]
}
wait_until undecodable 3 || fail "undecodable texts not stored: $(sql \
    "SELECT count(*) FROM inbox WHERE phone = 'unknown'")"
for so in $SO_M $SO_MN $SO_O; do
	check "undecodable: $so in the raw files before" 1 \
	    "$([ "$(raw_hits "$so")" -gt 0 ] && echo 1)"
done

# ---- subscribers forget, the daemon running -------------------------------

run_expect "forget" 0 tam f subscribers forget "$M"
contains "forget says so" "$T/out" "forgotten: $M ("
check_gone "forget"
check "the other member is still there" 1 \
    "$([ "$(raw_hits 4155550143)" -gt 0 ] && echo 1)"
check "forget: no $SO_M (semi-octets) in the raw files" 0 \
    "$(raw_hits "$SO_M")"
check "forget: no $SO_MN (national semi-octets) in the raw files" 0 \
    "$(raw_hits "$SO_MN")"
check "the other member's undecodable text stays" 1 \
    "$(sql "SELECT count(*) FROM inbox WHERE phone = 'unknown' AND \
    text LIKE '%$SO_O%'")"
check "no other undecodable text stays" 1 \
    "$(sql "SELECT count(*) FROM inbox WHERE phone = 'unknown'")"
tam f broadcast show "$id" >"$T/after" 2>&1
check "broadcast show unchanged" "$(cat "$T/before")" "$(cat "$T/after")"
tam f broadcasts >"$T/after.list" 2>&1
check "broadcasts unchanged" "$(cat "$T/before.list")" \
    "$(cat "$T/after.list")"
check "one marker" 1 "$(sql "SELECT count(*) FROM optout_marks")"

# organizers cannot add it back
run_expect "add refused" 1 tam f subscribers add "$M"
check "add refused" "tambuli: $M: this number asked not to be contacted: \
only the member can rejoin, by texting JOIN" "$(cat "$T/err")"
printf 'phone,language\n%s,en\n' "$M" >"$T/add.csv"
run_expect "import refused" 0 tam f subscribers import "$T/add.csv"
check "import refused" "imported 0, already subscribed 0, skipped 1 (opted \
out), 0 bad rows" "$(cat "$T/out")"
check "import refused: why" "$T/add.csv:2: skipped $M: this number asked \
not to be contacted (only the member can rejoin, by texting JOIN)" \
    "$(cat "$T/err")"
printf 'phone,status\n%s,opted-out\n' "$M" >"$T/out.csv"
run_expect "import opted-out row" 0 tam f subscribers import "$T/out.csv"
check_gone "import of an opted-out row"

# forgetting again: nothing left
run_expect "forget again" 0 tam f subscribers forget "$M"
check "forget again" "not found: $M (marked: it will not be added again)" \
    "$(cat "$T/out")"

# the member's own JOIN: a new subscriber, the marker gone
n=$(wc -l <"$T/f1.sent")
sim f1 sms "$M" "JOIN" >/dev/null
sim f1 wait-sent $((n + 1)) "$WAIT_MAX" >/dev/null || fail "no reply to JOIN"
check "JOIN again" "Migrant Alliance: you are subscribed to our alerts. \
Text STOP to stop, INFO for help." "$(sent_to f1 "$M" | tail -n 1)"
tam f subscribers list >"$T/out" 2>&1
contains "a new subscriber" "$T/out" "$M      active"
check "the marker is gone" 0 "$(sql "SELECT count(*) FROM optout_marks")"

# ---- the member's FORGET ME ----------------------------------------------

n=$(wc -l <"$T/f1.sent")
sim f1 sms "$M" "Bilby and Quokka say hi" >/dev/null
sim f1 wait-sent $((n + 1)) "$WAIT_MAX" >/dev/null || fail "no forward"
sim f1 sms "$M" "Please forget me!" >/dev/null
sim f1 wait-sent $((n + 2)) "$WAIT_MAX" >/dev/null ||
    fail "no confirmation of FORGET"
check "FORGET ME confirmed" "Migrant Alliance: your number and messages are \
deleted and you will get no more messages. Text JOIN to subscribe again." \
    "$(sent_to f1 "$M" | tail -n 1)"
# the confirmation, once gone, is forgotten too
gone() {
	[ "$(sql "SELECT count(*) FROM outbox WHERE phone = '$M'")" = 0 ] &&
	    [ "$(wal_size)" = 0 ]
}
wait_until gone || fail "the confirmation is still stored"
check_gone "FORGET ME"
check "FORGET ME is not in the inbox" 0 "$(raw_hits "forget me")"
check "FORGET ME leaves a marker" 1 \
    "$(sql "SELECT count(*) FROM optout_marks")"
contains "log: forgotten" "$T/f.log" "keyword=FORGET ME result=forgotten"
check "the log never names the number" 0 \
    "$(grep -c 4155550142 "$T/f.log")"
# no alert for a forgotten member
n=$(wc -l <"$T/f1.sent")
id=$(tam f send "Second alert" | head -n 1)
wait_bc f "$id"
check "no alert after FORGET ME" 0 "$(sent_to f1 "$M" | grep -c Second)"
# a second FORGET from a forgotten number: silence
sim f1 sms "$M" "forget me" >/dev/null
sim f1 sms "$O" "INFO" >/dev/null	# answered after the FORGET
sim f1 wait-sent $((n + 2)) "$WAIT_MAX" >/dev/null || fail "no INFO reply"
check "second FORGET is silent" 1 \
    "$(sent_to f1 "$M" | grep -c 'are deleted')"
# nor does a STOP: the marker says it already, nothing names the number
n=$(wc -l <"$T/f1.sent")
sim f1 sms "$M" "STOP" >/dev/null
sim f1 sms "$O" "INFO" >/dev/null	# answered after the STOP
sim f1 wait-sent $((n + 1)) "$WAIT_MAX" >/dev/null || fail "no INFO reply"
check "STOP after FORGET is silent" 0 "$(sent_to f1 "$M" | grep -c unsub)"
check "STOP after FORGET stores nothing" 0 "$(raw_hits 4155550142)"
contains "STOP after FORGET: log" "$T/f.log" \
    "keyword=STOP result=forgotten-already"

# BORRAR in Spanish, from a number never seen
n=$(wc -l <"$T/f1.sent")
sim f1 sms +5215512349876 "Borrar por favor" >/dev/null
sim f1 wait-sent $((n + 1)) "$WAIT_MAX" >/dev/null || fail "no BORRAR reply"
check "BORRAR confirmed" "Migrant Alliance: borramos tu numero y tus \
mensajes y ya no te enviaremos nada. Para volver a suscribirte responde \
UNIRSE." "$(sent_to f1 +5215512349876)"
gone_es() {
	[ "$(sql "SELECT count(*) FROM outbox WHERE phone LIKE '+52%'")" = 0 ]
}
wait_until gone_es || fail "the BORRAR confirmation is still stored"
wait_until gone || fail "the -wal is not truncated after BORRAR"
check "BORRAR: no digits left" 0 "$(raw_hits 5215512349876)"
# BURAHIN in Tagalog
n=$(wc -l <"$T/f1.sent")
sim f1 sms +639171230099 "Burahin po" >/dev/null
sim f1 wait-sent $((n + 1)) "$WAIT_MAX" >/dev/null || fail "no BURAHIN reply"
check "BURAHIN confirmed" "Migrant Alliance: binura na namin ang numero at \
mga mensahe mo at wala ka nang matatanggap. I-text ang SALI para sumali \
muli." "$(sent_to f1 +639171230099)"
# every confirmation is one GSM 7-bit segment
for num in "$M" +5215512349876 +639171230099; do
	text=$(sent_to f1 "$num" | grep -E 'deleted|borramos|binura' |
	    tail -n 1)
	"$BIN"/tambuli pdu plan "$text" >"$T/plan" 2>&1
	check "confirmation to $num: one GSM 7-bit segment" \
	    "encoding:   GSM 7-bit
segments:   1" "$(sed -n '2,3p' "$T/plan")"
done
gone_tl() {
	[ "$(sql "SELECT count(*) FROM outbox WHERE phone LIKE '+63%'")" = 0 ]
}
wait_until gone_tl || fail "the BURAHIN confirmation is still stored"
wait_until gone || fail "the -wal is not truncated after BURAHIN"
check "BURAHIN: no digits left" 0 "$(raw_hits 639171230099)"

# ---- the CLI with the daemon stopped, --file -------------------------------

kill "$gw_pid"
wait "$gw_pid" 2>/dev/null
run_expect "forget: no argument" 2 tam f subscribers forget
run_expect "forget: bad number" 1 tam f subscribers forget "call me"
check "forget: bad number" \
    "tambuli: invalid number 'call me': invalid character 'c' in number" \
    "$(cat "$T/err")"
run_expect "forget: missing file" 1 tam f subscribers forget --file \
    "$T/none.csv"
check "forget: missing file" \
    "tambuli: $T/none.csv: No such file or directory" "$(cat "$T/err")"
check "forget: missing file: no summary" "" "$(cat "$T/out")"
printf 'Name,Phone\nAna,%s\nBen,+1 415 555 0199\nCy,call me\n' "$O" \
    >"$T/f.csv"
run_expect "forget --file" 1 tam f subscribers forget --file "$T/f.csv"
check "forget --file" "forgotten: $O (" "$(head -n 1 "$T/out" | cut -c1-25)"
check "forget --file: unknown" \
    "not found: +14155550199 (marked: it will not be added again)
forgotten 1, not found 1, 1 bad row" "$(tail -n 2 "$T/out")"
check "forget --file: bad row" "$T/f.csv:4: invalid number 'call me': \
invalid character 'c' in number" "$(cat "$T/err")"
check "forget --file: no digits left" 0 "$(raw_hits 4155550143)"
check "forget --file: -wal truncated" 0 "$(wal_size)"
# a file without a header: the first column
printf '%s\n' "$O" >"$T/plain.csv"
run_expect "forget --file, no header" 0 tam f subscribers forget --file \
    "$T/plain.csv"
check "forget --file, no header" "not found: $O (marked: it will not be \
added again)
forgotten 0, not found 1, 0 bad rows" "$(cat "$T/out")"
check "the subscribers are gone" "no subscribers" \
    "$(tam f subscribers list 2>&1)"

# a reader holding an old snapshot keeps the log from being truncated:
# the command says so (exit 1) rather than claim the number is gone
tam f subscribers add +14155550150 >/dev/null
mkfifo "$T/reader.fifo"
sqlite3 "$T/f.db" <"$T/reader.fifo" >"$T/reader.out" 2>&1 &
reader=$!
pids="$pids $reader"
exec 3>"$T/reader.fifo"
echo "BEGIN; SELECT count(*) FROM subscribers;" >&3
reader_in() {
	[ "$(cat "$T/reader.out")" = 1 ]
}
wait_until reader_in || fail "the reader did not start"
run_expect "forget, log held by a reader" 1 tam f subscribers forget \
    +14155550150
check "forget, log held by a reader: out" "forgotten: +14155550150 (3 rows \
removed)" "$(cat "$T/out")"
contains "forget, log held by a reader: err" "$T/err" \
    "tambuli: the rows are deleted, but copies remain in the write-ahead \
log (checkpoint: another program is still reading an older state of the \
database): run the command again"
exec 3>&-
wait "$reader"
run_expect "forget again, reader gone" 0 tam f subscribers forget \
    +14155550150
check "forget again, reader gone" 0 "$(raw_hits 4155550150)"
check "forget again, reader gone: -wal truncated" 0 "$(wal_size)"

summary
