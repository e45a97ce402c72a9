#!/bin/sh
# tests/regress/orgflood.sh — organizer commands piling up behind a PIN
# check that has not finished (a slow Pi, or a flood of forged texts):
# the check is held at a gate (tests/shim/pingate.c) so the queue can be
# seen.  A number never has more than 3 commands waiting (its fourth is
# refused at once); the queue holds 16 in all, and a command beyond that
# is refused at once, not dropped in silence; a real organizer's command
# queued before the flood is answered once the checks run; the flooding
# numbers end locked out.
. "$(dirname "$0")/lib/common.sh"

SHIM=$(pwd)/bin/pingate.so
if [ ! -f "$SHIM" ]; then
	echo "FAIL: $SHIM is missing (make bin/pingate.so)"
	exit 1
fi
# Under qemu-user (make cross-check) the daemon is an ARM program behind a
# wrapper script, out of reach of a native LD_PRELOAD shim.
if [ "$(head -c 2 "$BIN/tambulid")" = "#!" ]; then
	echo "orgflood: not run: $BIN/tambulid is a wrapper (qemu-user)," \
	    "which the native PIN-check shim cannot reach"
	summary
	exit
fi

A=+14155550101		# floods with a wrong PIN (or someone forging it)
B=+14155550102		# a real organizer, right PIN
G=+14155550107		# comes when the queue is full
PIN=24681357

sim_start p
cat >"$T/g.conf" <<EOF2
[gateway]
organization = Migrant Alliance
EOF2
touch "$T/gate"			# every PIN check waits from now on
LD_PRELOAD=$SHIM TAMBULI_PIN_GATE=$T/gate TAMBULI_PIN_STARTED=$T/started \
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    "$BIN"/tambulid -c "$T/g.conf" --db "$T/g.db" --socket "$T/g.sock" \
    --modem "$T/p.tty" >>"$T/g.log" 2>&1 &
gw_pid=$!
pids="$pids $gw_pid"
gw_wait_ready g
for i in 1 2 3 4 5 6 7; do
	run_expect "add organizer $i" 0 tam g organizers add "+1415555010$i" \
	    --name "Org$i" --pin "$PIN"
done

count_to() {
	sent_to p "$1" | wc -l
}
refused_to() {
	sent_to p "$1" | grep -c '^Not accepted\.$'
}
at_least() { # at_least N COMMAND...: the command prints N or more
	n=$1
	shift
	[ "$("$@")" -ge "$n" ]
}
checks_started() {
	cat "$T/started" 2>/dev/null | wc -l
}
logged() {
	grep -cF -- "$1" "$T/g.log"
}

# ---- one number: three wait, the fourth and fifth are refused at once ------
for i in 1 2 3 4 5; do
	sim p sms "$A" "STATUS 1357924$i" >/dev/null
done
wait_until at_least 1 checks_started || fail "no PIN check started"
wait_until at_least 2 refused_to "$A" ||
    fail "flood: $(refused_to "$A") early refusals, not 2"
check "flood: refused while the checks wait" 2 "$(refused_to "$A")"
check "flood: why, in the log" 2 \
    "$(logged 'organizer=Org1 result=refused reason="PIN checks waiting"')"
check "flood: one check at a time" 1 "$(checks_started)"

# ---- a real command waits its turn -------------------------------------------
sim p sms "$B" "STATUS $PIN" >/dev/null
wait_until at_least 1 logged "organizer=Org2 command=STATUS" ||
    fail "Org2's STATUS not read"
check "a real command: no answer before its check" 0 "$(count_to "$B")"

# ---- the queue is full at 16: more is refused at once ------------------------
# 3 (Org1) + 1 (Org2) + 3 each from Org3..Org6 = 16 waiting
for o in 3 4 5 6; do
	for i in 1 2 3; do
		sim p sms "+1415555010$o" "STATUS 1111$o$i" >/dev/null
	done
done
sim p sms "$G" "STATUS 77770" >/dev/null
sim p sms "$G" "STATUS 77771" >/dev/null
wait_until at_least 2 refused_to "$G" ||
    fail "queue full: $(refused_to "$G") refusals to Org7, not 2"
check "queue full: refused at once" 2 "$(refused_to "$G")"
check "queue full: logged" 2 "$(logged 'PIN checks waiting already')"
check "queue full: still one check started" 1 "$(checks_started)"
for o in 3 4 5 6; do
	check "queue full: Org$o waits, unanswered" 0 \
	    "$(count_to "+1415555010$o")"
done

# ---- the gate opens: every waiting check runs, in order ----------------------
rm -f "$T/gate"
answered() {
	sent_to p "$B" | grep -q '^1 modem ready, '
}
wait_until answered || fail "Org2's STATUS never answered"
check "the real command answered, once" 1 \
    "$(sent_to p "$B" | grep -c '^1 modem ready, ')"
check "the real command: not refused" 0 "$(refused_to "$B")"
wait_until at_least 16 checks_started ||
    fail "$(checks_started) checks ran, not 16"
a_done() {
	[ "$(refused_to "$A")" -ge 5 ]
}
wait_until a_done || fail "Org1: $(refused_to "$A") refusals, not 5"
check "Org1: every text refused" 5 "$(refused_to "$A")"
locked() {
	tam g organizers list | grep -F -- "$1" | grep -q "locked until"
}
for o in 1 3 4 5 6; do
	wait_until locked "+1415555010$o" || fail "Org$o not locked out"
done
told() {
	sent_to p "$B" | grep -q "organizer Org6 (+14155550106) is locked out"
}
wait_until told || fail "Org2 not told of Org6's lock-out"
check "Org7 not locked (its texts were never checked)" 1 \
    "$(tam g organizers list | grep -F -- "$G" | grep -vc "locked until")"
check "16 checks in all" 16 "$(checks_started)"
check "the PIN is not in the log" 0 "$(logged "$PIN")"

summary
