#!/bin/sh
# tests/regress/priority.sh — what jumps the queue: a member's text
# forwarded to the organizers and an organizer's reply go ahead of every
# broadcast already queued (urgent ones too); automatic replies go ahead
# of routine broadcasts.  A slow modem (half a second a message) and 60
# recipients: the test looks at the order in which phones received their
# texts, never at times.
. "$(dirname "$0")/lib/common.sh"

ORG=+14155550177
MEMBER=+14155559001

# position SIM PATTERN: the line, in what the modem sent, of the first
# text matching PATTERN, or 0
position() {
	p=$(grep -n -- "$2" "$T/$1.sent" 2>/dev/null | head -n 1 | cut -d: -f1)
	echo "${p:-0}"
}
nsent() {
	if [ -f "$T/$1.sent" ]; then wc -l <"$T/$1.sent"; else echo 0; fi
}
has() {
	grep -q -- "$2" "$T/$1.sent" 2>/dev/null
}
queued() {
	tam g broadcast show --json "$1" |
	    sed -n 's/.*"queued":\([0-9]*\).*/\1/p'
}

# before WHAT PATTERN N: the text is at most the 4th after the N sent
# when it came (a message in flight; a read started before it; a message
# claimed before it was read, one send and one read taking turns; then
# it).  Without priorities it would be the 61st.
before() {
	what=$1
	pattern=$2
	n=$3
	wait_until has p "$pattern" || fail "$what: never sent"
	pos=$(position p "$pattern")
	if [ "$pos" -ge 1 ] && [ "$pos" -le $((n + 4)) ]; then
		ok
	else
		fail "$what: line $pos of what was sent, $n sent when it was queued"
	fi
}

sim_start p --latency 500
cat >"$T/g.conf" <<EOF
[gateway]
organization = Migrant Alliance
forward = $ORG
EOF
gw_start g p
{
	echo phone
	i=0
	while [ "$i" -lt 60 ]; do
		echo "+1415555$((2000 + i))"
		i=$((i + 1))
	done
} >"$T/members.csv"
run_expect "import 60 members" 0 tam g subscribers import "$T/members.csv"

# ---- a routine broadcast of 60 on a slow modem -----------------------------
id=$(tam g send "Routine: meeting moved to Sunday" | head -n 1)
sim p wait-sent 3 "$WAIT_MAX" >/dev/null || fail "the broadcast did not start"

# a member's question while it goes out: forwarded at once (n is counted
# after the text is in, so it can only be larger than when it came)
sim p sms "$MEMBER" "Is the rally still on?" >/dev/null
before "forward" "From $MEMBER: Is the rally still on?" "$(nsent p)"
left=$(queued "$id")
if [ "${left:-0}" -ge 30 ]; then ok; else
	fail "forward: only ${left:-?} broadcast messages were still queued"
fi

# an organizer's reply, the same
run_expect "reply: a control character" 1 tam g reply "$MEMBER" \
    "$(printf 'Yes\033 5pm')"
contains "reply: a control character" "$T/err" \
    "reply: control character U+001B at character 4 of the text: only line breaks can be sent"
run_expect "reply" 0 tam g reply "$MEMBER" "Yes, 5pm at City Hall"
before "organizer's reply" "Yes, 5pm at City Hall" "$(nsent p)"

# an automatic reply (INFO) goes ahead of the routine broadcast too
sim p sms "$MEMBER" "INFO" >/dev/null
before "INFO reply" "Migrant Alliance alerts. Contact" "$(nsent p)"
check "routine broadcast still going" 1 \
    "$([ "$(queued "$id")" -ge 20 ] && echo 1)"
run_expect "cancel the routine broadcast" 0 tam g broadcast cancel "$id"

# ---- an urgent broadcast under way: a forward still goes first -------------
id=$(tam g send --urgent "URGENT: stay indoors" | head -n 1)
wait_until has p "URGENT: stay indoors" ||
    fail "the urgent broadcast did not start"
sim p sms "$MEMBER" "Water is rising on our street" >/dev/null
before "forward during an urgent broadcast" \
    "From $MEMBER: Water is rising on our street" "$(nsent p)"
left=$(queued "$id")
if [ "${left:-0}" -ge 30 ]; then ok; else
	fail "urgent: only ${left:-?} broadcast messages were still queued"
fi
run_expect "cancel the urgent broadcast" 0 tam g broadcast cancel "$id"

summary
