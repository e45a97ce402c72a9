#!/bin/sh
# tests/regress/faults.sh — the daemon against a misbehaving modem:
# temporary and permanent +CMS errors, an unplugged stick mid-broadcast,
# a spontaneous reboot, garbage on the line, a +CMTI between AT+CMGS and
# its prompt, full SIM storage at start, a modem that hangs.
. "$(dirname "$0")/lib/common.sh"

# members NAME SIM N: N members text JOIN; waits for their replies
members() {
	before=$(wc -l <"$T/$2.sent" 2>/dev/null || echo 0)
	i=0
	while [ "$i" -lt "$3" ]; do
		sim "$2" sms "+1415555$(printf %04d "$i")" "JOIN" >/dev/null
		i=$((i + 1))
	done
	sim "$2" wait-sent $((before + $3)) "$WAIT_MAX" >/dev/null ||
	    fail "$1: members did not get their JOIN replies"
}

# count_alert SIM TEXT: how many phones received TEXT
count_alert() {
	grep -c "$2" "$T/$1.sent" 2>/dev/null || true
}

# ---- full storage at start: old messages are read and stored ------------
sim_start s1 -p quectel --storage 5
sim s1 sms +14155559901 "Is anyone there?" >/dev/null
sim s1 fault storage-full >/dev/null
gw_start g s1
tam g inbox --json >"$T/inbox.json"
contains "storage full: message read" "$T/inbox.json" "Is anyone there?"
members "storage" s1 3

# ---- a Huawei stick that hangs in AT+CMGL: read slot by slot -------------
sim_start hw -p huawei
sim hw sms +14155559903 "Hola, ¿hay reunión hoy?" >/dev/null
sim hw fault hang-cmgl >/dev/null
gw_start hg hw
tam hg inbox --json >"$T/inbox.json"
contains "huawei: stored message read" "$T/inbox.json" "reunión hoy"
tam hg status >"$T/st"
contains "huawei: ready" "$T/st" "modem modem1: ready"

# ---- temporary error: retried and sent; permanent: recorded --------------
sim s1 fault fail-next 332 >/dev/null
id=$(tam g send "Temp failure test" | head -n 1)
wait_bc g "$id"
check "temporary error retried" 3 "$(count_alert s1 'Temp failure test')"
tam g broadcast show --json "$id" >"$T/bc.json"
contains "temporary error: done" "$T/bc.json" '"state":"done"'
contains "temporary error: none failed" "$T/bc.json" '"failed":0,'

sim s1 fault fail-next 1 >/dev/null
id=$(tam g send "Permanent failure test" | head -n 1)
wait_bc g "$id"
check "permanent error: the others sent" 2 \
    "$(count_alert s1 'Permanent failure test')"
tam g broadcast show --json "$id" >"$T/bc.json"
contains "permanent error recorded" "$T/bc.json" '"failed":1,'

# ---- a +CMTI between AT+CMGS and "> ", garbage, a reboot -----------------
sim s1 fault cmti-race >/dev/null
id=$(tam g send "Race test" | head -n 1)
wait_bc g "$id"
check "cmti race: alerts sent" 3 "$(count_alert s1 'Race test')"
sim s1 fault garbage 64 >/dev/null
sim s1 reboot >/dev/null
sim s1 wait-ready "$WAIT_MAX" >/dev/null || fail "reboot: simulator not ready"
before=$(wc -l <"$T/s1.sent")
sim s1 sms +14155559902 "JOIN" >/dev/null
sim s1 wait-sent $((before + 1)) "$WAIT_MAX" >/dev/null ||
    fail "after reboot and garbage: a JOIN got no reply"
tam g status >"$T/st"
contains "after reboot: ready" "$T/st" "modem modem1: ready"

# ---- unplugged mid-broadcast, plugged back: carries on -------------------
sim_start s2 --latency 150
gw_start h s2
members "unplug" s2 6
before=$(wc -l <"$T/s2.sent")
id=$(tam h send "Unplug test" | head -n 1)
sim s2 wait-sent $((before + 2)) "$WAIT_MAX" >/dev/null
sim s2 unplug >/dev/null
sim s2 replug >/dev/null || fail "replug"
wait_bc h "$id"
n=$(count_alert s2 'Unplug test')
if [ "$n" -ge 6 ] && [ "$n" -le 7 ]; then
	ok
else
	fail "unplug: $n alerts for 6 members (one duplicate allowed)"
fi
contains "unplug logged" "$T/h.log" "lost"

# ---- back under another name: found again by its IMEI --------------------
# A second modem nobody uses sits in the same directory and is probed
# first (its name sorts first): its IMEI differs, so it is not taken.
nowait=1 sim_start a-decoy
before=$(wc -l <"$T/s2.sent")
id=$(tam h send "Renamed test" | head -n 1)
sim s2 wait-sent $((before + 2)) "$WAIT_MAX" >/dev/null
sim s2 unplug >/dev/null
sim s2 replug "$T/s2-renamed.tty" >/dev/null || fail "replug renamed"
wait_bc h "$id"
n=$(count_alert s2 'Renamed test')
if [ "$n" -ge 6 ] && [ "$n" -le 7 ]; then
	ok
else
	fail "renamed port: $n alerts for 6 members (one duplicate allowed)"
fi
contains "renamed port found by IMEI" "$T/h.log" \
    "event=found imei=352099000000003 port=$T/s2-renamed.tty"
check "the other modem was not taken" 0 "$(wc -l <"$T/a-decoy.sent")"

# ---- a modem that stops answering is reset -------------------------------
sim s2 fault hang >/dev/null
id=$(tam h send "Hang test" | head -n 1)
wait_bc h "$id"
check "hang: reset and sent" 6 "$(count_alert s2 'Hang test')"
contains "hang: reset logged" "$T/h.log" "resetting"

summary
