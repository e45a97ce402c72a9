#!/bin/sh
# tests/regress/organizers.sh — organizers' phones: "tambuli organizers
# add|list|remove|pin"; from a registered phone ALERT <PIN> -> a preview
# with a code -> YES <code> queues the broadcast (author shown, "done"
# texted back), URGENT, STATUS, CANCEL, ASK (a poll); a stranger's ALERT
# is an ordinary text; wrong codes and PINs get "Not accepted.", three
# lock the number (the right PIN too) and the other organizers are told;
# WIPE <PIN> -> a code -> WIPE <code> wipes, the others told first.  The
# PINs and codes are nowhere in the database files or the daemon's log.
. "$(dirname "$0")/lib/common.sh"

A=+14155550101		# organizer Ana
B=+14155550102		# organizer Ben
F=+14155550177		# a forward number (not registered)
M1=+14155553001
M2=+14155553002
M3=+14155553003
M4=+14155553004		# opted out
X=+14155559999		# a stranger
PIN_A=24681357
PIN_B=97531

sim_start p
cat >"$T/g.conf" <<EOF
[gateway]
organization = Migrant Alliance
contact = +1 415 555 0199
forward = $F
EOF
gw_start g p
printf 'phone\n%s\n%s\n%s\n%s\n' "$M1" "$M2" "$M3" "$M4" >"$T/members.csv"
run_expect "import" 0 tam g subscribers import "$T/members.csv"
sim p sms "$M4" "STOP" >/dev/null
optedout() {
	tam g subscribers list --status opted-out | grep -q -- "$M4"
}
wait_until optedout || fail "M4 did not opt out"

# ---- the command line --------------------------------------------------------
run_expect "list, none" 0 tam g organizers list
check "list, none" "no organizers (\"tambuli organizers add NUMBER --name \
NAME --pin -\" adds one)" "$(cat "$T/out")"
run_expect "add" 0 tam g organizers add "$A" --name Ana --pin "$PIN_A"
check "add: says" "organizer $A (Ana) added" "$(cat "$T/out")"
run_expect "add, PIN too short" 2 tam g organizers add "$B" --name Ben \
    --pin 123
check "add, PIN too short: why" \
    "tambuli: organizers add: the PIN must be 4 to 8 digits" "$(cat "$T/err")"
run_expect "add, PIN not digits" 2 tam g organizers add "$B" --name Ben \
    --pin 12ab
run_expect "add, no PIN" 2 tam g organizers add "$B" --name Ben
echo "$PIN_B" >"$T/pin"
run_expect "add, --pin -" 0 tam g organizers add 415-555-0102 --name Ben \
    --pin - <"$T/pin"
check "add, --pin -: normalized" "organizer $B (Ben) added" "$(cat "$T/out")"
run_expect "add twice" 1 tam g organizers add "$A" --name Ana --pin 1111
run_expect "list" 0 tam g organizers list
check "list: two" 2 "$(wc -l <"$T/out")"
contains "list: Ana" "$T/out" "$A"
contains "list: Ben" "$T/out" "Ben"
run_expect "list --json" 0 tam g organizers list --json
check "list --json: no hash" 0 "$(grep -c 'argon' "$T/out")"
contains "list --json" "$T/out" "\"number\":\"$A\",\"name\":\"Ana\""
run_expect "remove, unknown" 1 tam g organizers remove "$X"
run_expect "pin, unknown" 1 tam g organizers pin "$X" --pin 1234
run_expect "pin" 0 tam g organizers pin "$B" --pin - <"$T/pin"
check "pin: says" "organizer $B: new PIN set" "$(cat "$T/out")"
# on a terminal (script(1) gives it one) "--pin -" asks and does not echo
mkfifo "$T/ttyin"
script -qfec "$BIN/tambuli --db $T/g.db --socket $T/g.sock organizers pin \
$B --pin -" "$T/tty.out" <"$T/ttyin" >/dev/null 2>&1 &
tty_pid=$!
exec 9>"$T/ttyin"
asked() {
	grep -q "PIN: " "$T/tty.out" 2>/dev/null
}
wait_until asked || fail "--pin - on a terminal: no prompt"
echo "$PIN_B" >&9
exec 9>&-
wait "$tty_pid"
check "--pin - on a terminal: exit" 0 "$?"
contains "--pin - on a terminal: set" "$T/tty.out" "organizer $B: new PIN set"
check "--pin - on a terminal: not echoed" 0 "$(grep -c "$PIN_B" "$T/tty.out")"
run_expect "add and remove" 0 tam g organizers add "$X" --name Tmp --pin 5555
run_expect "remove" 0 tam g organizers remove "$X"
check "remove: says" "organizer $X removed" "$(cat "$T/out")"

# ---- texting the gateway -----------------------------------------------------
# say NUMBER TEXT: text the gateway, wait for the next text to NUMBER,
# which lands in $reply
count_to() {
	sent_to p "$1" | wc -l
}
more_to() {
	[ "$(count_to "$1")" -gt "$2" ]
}
say() {
	say_n=$(count_to "$1")
	sim p sms "$1" "$2" >/dev/null
	if wait_until more_to "$1" "$say_n"; then
		reply=$(sent_to p "$1" | sed -n "$((say_n + 1))p")
	else
		reply="(nothing)"
	fi
}
code_of() {
	echo "$1" | sed -n 's/.* \([0-9]\{6\}\) .*/\1/p'
}
CODES=""

# a stranger's ALERT: an ordinary text, kept and forwarded, no preview
sim p sms "$X" "ALERT 1111 hello everyone" >/dev/null
fwd_x() {
	sent_to p "$F" | grep -q "From $X: ALERT 1111 hello everyone"
}
wait_until fwd_x || fail "stranger's ALERT: not forwarded as a text"
run_expect "inbox" 0 tam g inbox
contains "stranger's ALERT: in the inbox as sent" "$T/out" \
    "ALERT 1111 hello everyone"
check "stranger's ALERT: no reply" 0 "$(count_to "$X")"

# ALERT -> preview with a code
say "$A" "ALERT $PIN_A Checkpoint at 5th and Main, avoid the area"
code=$(code_of "$reply")
CODES="$CODES $code"
check "ALERT: preview" "Alert to 3 members (list default): 1 SMS each, \
GSM 7-bit, about 12 s. Reply YES $code to send" "$reply"
run_expect "inbox --all" 0 tam g inbox --all
contains "inbox: redacted" "$T/out" \
    "ALERT **** Checkpoint at 5th and Main, avoid the area"
check "inbox: no PIN" 0 "$(grep -c "$PIN_A" "$T/out")"
check "no broadcast before YES" "no broadcasts yet" "$(tam g broadcasts)"

say "$A" "YES 000000"
check "YES, wrong code" "Not accepted." "$reply"
check "still no broadcast" "no broadcasts yet" "$(tam g broadcasts)"
say "$A" "yes $code"
check "YES: queued" "Queued as broadcast 1." "$reply"
wait_bc g 1
ALERT_TEXT="Checkpoint at 5th and Main, avoid the area"
check "ALERT: M1" "$ALERT_TEXT" "$(sent_to p "$M1")"
check "ALERT: M2" "$ALERT_TEXT" "$(sent_to p "$M2")"
check "ALERT: M3" "$ALERT_TEXT" "$(sent_to p "$M3")"
check "ALERT: not the opted-out M4" 0 "$(sent_to p "$M4" |
    grep -c "Checkpoint")"
tam g broadcast show --json 1 >"$T/show"
contains "show --json: author" "$T/show" '"author":"Ana"'
contains "show --json: routine" "$T/show" '"priority":"routine"'
tam g broadcast show 1 >"$T/show"
contains "show: author" "$T/show" "author:     Ana (from their phone)"
tam g broadcasts >"$T/list"

# a long command comes in two parts: the same flow, no PIN in the inbox
LONG="Checkpoint on Route 9 near the market since 6 pm, officers checking papers at both ends of the bridge; take the east road, stay home if you can, share only with people you trust"
say "$A" "ALERT $PIN_A $LONG"
lcode=$(code_of "$reply")
CODES="$CODES $lcode"
check "long ALERT: preview" "Alert to 3 members (list default): 2 SMS each, \
GSM 7-bit, about 24 s. Reply YES $lcode to send" "$reply"
run_expect "inbox --all (long)" 0 tam g inbox --all
check "long ALERT: no PIN in the inbox" 0 "$(grep -c "$PIN_A" "$T/out")"
contains "broadcasts: author" "$T/list" "(by Ana)"
done_to_a() {
	sent_to p "$A" | grep -q "^Broadcast 1 done: 3 sent, 0 failed$"
}
wait_until done_to_a || fail "no \"done\" to Ana: $(sent_to p "$A")"
ok
say "$A" "YES $code"
check "a code is used once" "Not accepted." "$reply"

# URGENT
say "$A" "URGENT $PIN_A Raid reported downtown"
code=$(code_of "$reply")
CODES="$CODES $code"
check "URGENT: preview" "Urgent alert to 3 members (list default): 1 SMS \
each, GSM 7-bit, about 12 s. Reply YES $code to send" "$reply"
say "$A" "YES $code"
check "URGENT: queued" "Queued as broadcast 2." "$reply"
wait_bc g 2
contains "URGENT: urgent" "$(tam g broadcast show --json 2 >"$T/show";
    echo "$T/show")" '"priority":"urgent"'

# STATUS
quiet() {
	[ "$(tam g outbox 2>/dev/null | grep -c queued)" -eq 0 ]
}
say "$A" "STATUS $PIN_A"
case "$reply" in
"1 modem ready, "*" queued, no broadcast running") ok ;;
*) fail "STATUS: [$reply]" ;;
esac

# CANCEL: a scheduled broadcast, an unknown id
run_expect "scheduled" 0 tam g send --at +1h "Meeting tomorrow"
id=$(head -n 1 "$T/out")
check "scheduled: id" 3 "$id"
say "$A" "STATUS $PIN_A"
check "STATUS: running" \
    "1 modem ready, 3 queued, broadcast running: 3" "$reply"
say "$A" "CANCEL $PIN_A 99"
check "CANCEL, unknown id" "Not accepted." "$reply"
say "$A" "CANCEL $PIN_A $id"
check "CANCEL" "Broadcast 3 cancelled." "$reply"
check "CANCEL: state" cancelled "$(bc_state g "$id")"

# ASK: a poll, its HELP answers forwarded
say "$A" "ASK $PIN_A safe,help Typhoon: are you safe? Reply SAFE or HELP"
code=$(code_of "$reply")
CODES="$CODES $code"
check "ASK: preview" "Poll SAFE,HELP to 3 members (list default): 1 SMS \
each, GSM 7-bit, about 12 s. Reply YES $code to send" "$reply"
say "$A" "YES $code"
check "ASK: queued" "Queued as broadcast 4." "$reply"
wait_bc g 4
sim p sms "$M1" "help po" >/dev/null
sim p sms "$M2" "SAFE" >/dev/null
answered() {
	tam g broadcast show --json 4 |
	    grep -q '"answers":{"SAFE":1,"HELP":1}'
}
wait_until answered || fail "ASK: answers: $(tam g broadcast show --json 4)"
help_fwd() {
	sent_to p "$F" | grep -q "From $M1: help po (poll 4: HELP)"
}
wait_until help_fwd || fail "ASK: HELP not forwarded: $(sent_to p "$F")"
ok

# an organizer's ordinary text is a text; its commands are not forwarded
check "commands not forwarded" 0 "$(sent_to p "$F" | grep -c "$A")"

# a command verb from an organizer, but no command (the PIN in the wrong
# place): refused, kept with its digits masked, no keyword, not forwarded
say "$B" "ALERT main 8642 Raid at the market"
check "not a command: refused" "Not accepted." "$reply"
run_expect "inbox --all" 0 tam g inbox --all
contains "not a command: masked" "$T/out" "ALERT main **** Raid at the market"
check "not a command: no digits kept" 0 "$(grep -c 8642 "$T/out")"
check "not a command: not forwarded" 0 "$(sent_to p "$F" |
    grep -c "Raid at the market")"
# from a stranger the same words are an ordinary text, forwarded as sent
sim p sms "$X" "ALERT main 8642 stranger" >/dev/null
fwd_x2() {
	sent_to p "$F" | grep -q "From $X: ALERT main 8642 stranger"
}
wait_until fwd_x2 || fail "a stranger's ALERT main: not forwarded"
# a verb without anything like a PIN is an organizer's ordinary text
sim p sms "$B" "Yes I am coming to the meeting" >/dev/null
fwd_b() {
	sent_to p "$F" | grep -q "From $B: Yes I am coming to the meeting"
}
wait_until fwd_b || fail "an organizer's 'Yes I am coming': not forwarded"

# ---- wrong PINs lock the number ------------------------------------------------
say "$B" "STATUS 00000"
check "wrong PIN 1" "Not accepted." "$reply"
say "$B" "STATUS 11111"
check "wrong PIN 2" "Not accepted." "$reply"
n_a=$(count_to "$A")
say "$B" "ALERT 22222 hi"
check "wrong PIN 3" "Not accepted." "$reply"
wait_until more_to "$A" "$n_a" || fail "Ana not told of the lock-out"
check "the other organizer told" "tambuli: the phone of organizer Ben \
($B) is locked out for 60 minutes after 3 wrong PINs or codes." \
    "$(sent_to p "$A" | sed -n "$((n_a + 1))p")"
contains "the forward number told" "$(sent_to p "$F" >"$T/f"; echo "$T/f")" \
    "organizer Ben ($B) is locked out"
say "$B" "STATUS $PIN_B"
check "locked: the right PIN refused" "Not accepted." "$reply"
run_expect "list: locked" 0 tam g organizers list
contains "list: locked" "$T/out" "locked until"

# a flood of wrong PINs from one number: no more than ORGANIZER_TRIES wait
# for a check at once, every text still gets its "Not accepted.", and one
# lock-out is told
C=+14155550103
run_expect "add Cal" 0 tam g organizers add "$C" --name Cal --pin 86420
n_a=$(count_to "$A")
for i in 1 2 3 4 5 6; do
	sim p sms "$C" "STATUS 1111$i" >/dev/null
done
six_to_c() {
	[ "$(count_to "$C")" -ge 6 ]
}
wait_until six_to_c || fail "flood: $(count_to "$C") replies, not 6"
check "flood: every reply" 6 "$(sent_to p "$C" | grep -c '^Not accepted\.$')"
cal_told() {
	sent_to p "$A" | grep -q "organizer Cal ($C) is locked out"
}
wait_until cal_told || fail "flood: Ana not told of Cal's lock-out"
check "flood: one lock-out told" 1 "$(sent_to p "$A" |
    grep -c "organizer Cal ($C) is locked out")"
run_expect "flood: Cal locked" 0 tam g organizers list
contains "flood: Cal locked" "$T/out" "locked until"

# ---- the remote wipe -------------------------------------------------------
# Ana has two wrong codes this hour (YES 000000, a code used twice): a new
# PIN clears them, so one more wrong PIN does not lock her out
echo "$PIN_A" >"$T/pin"
run_expect "pin clears the attempts" 0 tam g organizers pin "$A" --pin - \
    <"$T/pin"
say "$A" "WIPE 1234"
check "WIPE, wrong PIN" "Not accepted." "$reply"
say "$A" "WIPE $PIN_A"
code=$(code_of "$reply")
CODES="$CODES $code"
check "WIPE: the code" "WIPE destroys every subscriber, text and \
broadcast on the gateway, for good. Reply WIPE $code within 5 minutes to \
wipe. The other organizers will be told." "$reply"
check "WIPE without the code: nothing destroyed" yes \
    "$([ -f "$T/g.db" ] && kill -0 "$gw_pid" 2>/dev/null && echo yes)"
run_expect "still answering" 0 tam g status

# no PIN and no code in the database files or the log
clean() {
	for s in "$PIN_A" "$PIN_B" $CODES; do
		if cat "$T/g.db" "$T/g.db-wal" "$T/g.log" 2>/dev/null |
		    grep -qa -- "$s"; then
			return 1
		fi
	done
	return 0
}
if wait_until clean; then
	ok
else
	for s in "$PIN_A" "$PIN_B" $CODES; do
		for f in "$T/g.db" "$T/g.db-wal" "$T/g.log"; do
			n=$(grep -ca -- "$s" "$f" 2>/dev/null)
			[ "${n:-0}" -gt 0 ] && fail "$s in $(basename "$f")"
		done
	done
fi

n_b=$(count_to "$B")
n_f=$(count_to "$F")
sim p sms "$A" "WIPE $code" >/dev/null
wait "$gw_pid"
check "WIPE: the daemon exits 0" 0 "$?"
check "WIPE: Ben told" "tambuli: Ana ($A) asked for a panic wipe from \
their phone. The gateway's data is being destroyed now." \
    "$(sent_to p "$B" | sed -n "$((n_b + 1))p")"
check "WIPE: the forward number told" 1 "$(sent_to p "$F" |
    sed -n "$((n_f + 1)),\$p" | grep -c "asked for a panic wipe")"
check "WIPE: Ana not told again" 0 "$(sent_to p "$A" |
    grep -c "asked for a panic wipe")"
check "WIPE: the database is gone" "no no" \
    "$([ -e "$T/g.db" ] && echo yes || echo no) \
$([ -e "$T/g.db-wal" ] && echo yes || echo no)"
check "WIPE: log clean" 0 "$(for s in "$PIN_A" "$PIN_B" $CODES; do
	grep -ca -- "$s" "$T/g.log"; done | awk '{ n += $1 } END { print n + 0 }')"

summary
