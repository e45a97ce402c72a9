#!/bin/sh
# tests/regress/polls.sh — safety check-ins: "tambuli send --ask SAFE,HELP"
# makes a poll; members answer in their own spellings ("safe po",
# "Sáfe!", "help please"), HELP (otherwise the INFO keyword) is an answer
# and is forwarded to the organizers with the member's number, STOP stays
# STOP, and "broadcast show", "answers" count and list who said what.
. "$(dirname "$0")/lib/common.sh"

ORG=+14155550177
M1=+14155553001
M2=+14155553002
M3=+14155553003
M4=+14155553004
M5=+14155553005
M6=+14155553006
X=+14155559999		# not a member

sim_start p
cat >"$T/g.conf" <<EOF
[gateway]
organization = Migrant Alliance
contact = +1 415 555 0199
forward = $ORG
EOF
gw_start g p
printf 'phone\n%s\n%s\n%s\n%s\n%s\n%s\n' "$M1" "$M2" "$M3" "$M4" "$M5" \
    "$M6" >"$T/members.csv"
run_expect "import" 0 tam g subscribers import "$T/members.csv"

# ---- the options are checked before anything is stored ---------------------
run_expect "STOP is no option" 2 tam g send --ask SAFE,STOP "Are you safe?"
check "STOP is no option: why" "tambuli: send: --ask SAFE,STOP: option STOP \
is an opt-out word: a member who texts it is unsubscribed, it can never be \
an answer" "$(cat "$T/err")"
run_expect "the same option twice" 2 tam g send --ask SAFE,safe "Safe?"
check "the same option twice: why" \
    "tambuli: send: --ask SAFE,safe: option SAFE is given twice" \
    "$(cat "$T/err")"
run_expect "two words" 2 tam g send --ask "SAFE,NOT SAFE" "Safe?"
check "two words: why" \
    "tambuli: send: --ask SAFE,NOT SAFE: option NOT SAFE is not one word" \
    "$(cat "$T/err")"
run_expect "alert-on names an option" 2 tam g send --ask SAFE,HELP \
    --alert-on HELPP "Safe?"
check "alert-on: why" \
    "tambuli: send: --alert-on HELPP: HELPP is not an option of the poll" \
    "$(cat "$T/err")"
run_expect "alert-on without ask" 2 tam g send --alert-on HELP "Safe?"
check "alert-on without ask: why" \
    "tambuli: send: --alert-on asks nothing without --ask" "$(cat "$T/err")"
run_expect "ask-for range" 2 tam g send --ask SAFE,HELP --ask-for 1m "Safe?"
check "ask-for range: why" "tambuli: send: --ask-for 1m: expected a \
duration from 5m to 4w, like 12h or 2d" "$(cat "$T/err")"
check "nothing stored" "no broadcasts yet" "$(tam g broadcasts)"

# ---- the preview ---------------------------------------------------------------
run_expect "dry run" 0 tam g -c "$T/g.conf" send --dry-run --ask safe,help \
    "Typhoon: are you safe? Reply SAFE or HELP"
contains "preview: options and window" "$T/out" \
    "poll: answers SAFE, HELP for 1d (until "
contains "preview: forwarded" "$T/out" \
    "poll: HELP answers are forwarded to the organizers (1 number)"
if grep -q "does not name" "$T/out"; then
	fail "preview: the text names both options"
else
	ok
fi
run_expect "dry run, own window" 0 tam g send --dry-run --ask SAFE,HELP \
    --ask-for 12h --alert-on "" "Safe?"
contains "preview: --ask-for" "$T/out" "poll: answers SAFE, HELP for 12h"
contains "preview: an option the text does not name" "$T/out" \
    "note: the text does not name HELP: members may not know to answer it"
if grep -q "forwarded" "$T/out"; then
	fail "preview: --alert-on \"\" forwards nothing"
else
	ok
fi

# ---- the poll --------------------------------------------------------------------
TEXT="Typhoon: are you safe? Reply SAFE or HELP"
run_expect "send --ask" 0 tam g send --ask SAFE,HELP "$TEXT"
id=$(head -n 1 "$T/out")
check "poll id" 1 "$id"
contains "send: preview" "$T/out" "poll: answers SAFE, HELP for 1d"
wait_bc g "$id"
check "everyone got it" 6 "$(grep -c "$TEXT" "$T/p.sent")"

# a member who never got the poll: HELP is INFO as always
sim p sms "$X" "HELP" >/dev/null
sim p sms "$M1" "safe po" >/dev/null
sim p sms "$M2" "Sáfe!" >/dev/null
sim p sms "$M3" "SAFE, salamat" >/dev/null
sim p sms "$M4" "HELP" >/dev/null
sim p sms "$M5" "help po, baha na dito" >/dev/null	# not an answer
sim p sms "$M5" "help po" >/dev/null
sim p sms "$M6" "STOP" >/dev/null
sim p sms "$M2" "I am safe" >/dev/null			# not an answer
# the last answer counts: M1 needs help after all
sim p sms "$M1" "Help please!" >/dev/null

answers_json() {
	tam g broadcast show --json "$id" |
	    sed -n 's/.*\("answers":{[^}]*},"unanswered":[0-9]*\).*/\1/p'
}
all_answered() {
	[ "$(answers_json)" = '"answers":{"SAFE":2,"HELP":3},"unanswered":1' ]
}
wait_until all_answered || fail "answers: $(answers_json)"
check "show --json: answers" \
    '"answers":{"SAFE":2,"HELP":3},"unanswered":1' "$(answers_json)"

# what reached the organizer: the HELP answers with the member's number,
# the ordinary texts as always, never the SAFE answers
has_forwards() {
	[ "$(sent_to p "$ORG" | wc -l)" -ge 5 ]
}
wait_until has_forwards || fail "forwards: $(sent_to p "$ORG")"
sent_to p "$ORG" | LC_ALL=C sort >"$T/fwd"
check "forwards" "From $M1: Help please! (poll 1: HELP)
From $M2: I am safe
From $M4: HELP (poll 1: HELP)
From $M5: help po (poll 1: HELP)
From $M5: help po, baha na dito" "$(cat "$T/fwd")"

# HELP from a poll's recipient is an answer, not a request for INFO;
# from anyone else it is INFO; STOP stays STOP
check "no INFO reply to an answer" "$TEXT" "$(sent_to p "$M4")"
contains "INFO to a non-recipient" "$T/p.sent" \
    "\"to\":\"$X\",\"text\":\"Migrant Alliance alerts. Contact"
wait_until grep -q "\"to\":\"$M6\",\"text\":\"Migrant Alliance: you are unsubscribed" \
    "$T/p.sent" || fail "STOP confirmation"
tam g subscribers list --status opted-out >"$T/optout"
contains "STOP stays STOP" "$T/optout" "$M6"

# the human view
tam g broadcast show "$id" >"$T/show"
contains "show: SAFE" "$T/show" "answers:    SAFE 2"
contains "show: HELP" "$T/show" "            HELP 3 (forwarded to the organizers)"
contains "show: unanswered" "$T/show" "unanswered: 1"
contains "show: window" "$T/show" "poll:       answers taken until "

# who answered what
run_expect "answers HELP" 0 tam g answers "$id" help
check "answers HELP: numbers" "$M1 HELP
$M4 HELP
$M5 HELP" "$(awk 'NR > 1 { print $1, $2 }' "$T/out" | LC_ALL=C sort)"
contains "answers: their words" "$T/out" "help po"
run_expect "answers" 0 tam g answers "$id"
check "answers: all" 5 "$(($(wc -l <"$T/out") - 1))"
run_expect "answers --json" 0 tam g answers --json "$id" SAFE
check "answers --json" 2 "$(grep -o '"option":"SAFE"' "$T/out" | wc -l)"
contains "answers --json: text" "$T/out" "\"phone\":\"$M3\",\"option\":\"SAFE\""
run_expect "answers: no such option" 2 tam g answers "$id" MAYBE
check "answers: no such option: why" \
    "tambuli: answers: MAYBE is not an option of poll 1 (SAFE, HELP)" \
    "$(cat "$T/err")"

# the inbox: HELP answers need an organizer, SAFE ones do not
tam g inbox --json >"$T/inbox"
contains "inbox: HELP answer shown" "$T/inbox" \
    "\"from\":\"$M4\",\"text\":\"HELP\""
if grep -q "safe po" "$T/inbox"; then
	fail "inbox: a SAFE answer is in the default view"
else
	ok
fi

# a broadcast that asks nothing
plain=$(tam g send "Thank you all" | head -n 1)
wait_bc g "$plain"
run_expect "answers of a plain broadcast" 1 tam g answers "$plain"
check "plain: why" \
    "tambuli: answers: broadcast $plain is not a poll (it was sent without --ask)" \
    "$(cat "$T/err")"
if tam g broadcast show --json "$plain" | grep -q answers; then
	fail "plain broadcast: answers in its JSON"
else
	ok
fi

# a member who answered is forgotten: the number and words go, the
# answer stays counted under an anonymous id
run_expect "forget an answerer" 0 tam g subscribers forget "$M3"
check "forgotten: counts stay" \
    '"answers":{"SAFE":2,"HELP":3},"unanswered":1' "$(answers_json)"
run_expect "answers SAFE after forget" 0 tam g answers --json "$id" SAFE
check "forgotten: anonymous" 1 "$(grep -o '"phone":null' "$T/out" | wc -l)"
if grep -q -- "$M3" "$T/out"; then
	fail "forgotten: the number is still listed"
else
	ok
fi
run_expect "answers SAFE human" 0 tam g answers "$id" SAFE
contains "forgotten: shown anonymous" "$T/out" "(anonymous)"

# an option that is also a word flagged for review ("remove me"): the
# answer counts; it went to the inbox flagged, uncounted
run_expect "send --ask KEEP,REMOVE" 0 tam g send --ask KEEP,REMOVE \
    "Keep the checkpoint on the map or remove it? Reply KEEP or REMOVE"
kr=$(head -n 1 "$T/out")
wait_bc g "$kr"
sim p sms "$M1" "keep" >/dev/null
sim p sms "$M2" "remove" >/dev/null
kr_answers() {
	tam g broadcast show --json "$kr" |
	    sed -n 's/.*\("answers":{[^}]*}\).*/\1/p'
}
kr_both() {
	[ "$(kr_answers)" = '"answers":{"KEEP":1,"REMOVE":1}' ]
}
wait_until kr_both || fail "REMOVE answer: $(kr_answers)"
# an answer with a stop sign: counted, and shown to an organizer flagged
sim p sms "$M4" "keep $(printf '\360\237\233\221')" >/dev/null
kr_sign() {
	[ "$(kr_answers)" = '"answers":{"KEEP":2,"REMOVE":1}' ]
}
wait_until kr_sign || fail "stop-sign answer: $(kr_answers)"
tam g inbox --json | tr '{' '\n' | grep -F "\"text\":\"keep " >"$T/kr.in"
contains "stop-sign answer: flagged" "$T/kr.in" '"flags":["review"]'

summary
