#!/bin/sh
# tests/regress/clock.sh — the network's time (NITZ) as the modems hear it:
# "tambuli status" shows it with the system clock's offset, "tambuli
# doctor" fails when they differ by more than 2 minutes, warns when no
# modem has a network time.  The simulated network's time is shifted, not
# this machine's clock.
. "$(dirname "$0")/lib/common.sh"

# doctor_conf NAME SIM: a configuration for daemon NAME on simulator SIM
doctor_conf() {
	cat >"$T/$1.dconf" <<EOC
[gateway]
database = $T/$1.db
socket = $T/$1.sock

[modem $2]
device = $T/$2.tty
EOC
}

# has_clock GW: the daemon's first modem has a confirmed network time
has_clock() {
	tam "$1" status --json 2>/dev/null | grep -q '"confirmed":true'
}

# json_offset GW: the first modem's "offset"
json_offset() {
	tam "$1" status --json | sed -n 's/.*"offset":\(-\{0,1\}[0-9]*\).*/\1/p'
}

# ---- a network 3 hours ahead of the system clock ------------------------
sim_start a --network-time +3h
gw_start g a
wait_until has_clock g || fail "no network time from modem a"
run_expect "status" 0 tam g status
contains "status: clock line" "$T/out" "(NITZ), system clock 3 h behind"
off=$(json_offset g)
if [ -n "$off" ] && [ "$off" -le -10797 ] && [ "$off" -ge -10803 ]; then
	ok
else
	fail "status --json: offset [$off], expected -10800 +- 3"
fi
run_expect "status --json" 0 tam g status --json
contains "status --json: source" "$T/out" '"tz_minutes":480,"source":"nitz","confirmed":true}'
doctor_conf g a
run_expect "doctor: clock 3 h behind the network" 1 "$BIN"/tambuli \
    -c "$T/g.dconf" doctor
contains "doctor: network time fails" "$T/out" "fail  network time  the system clock is 3 h behind: the network says"
contains "doctor: what to do" "$T/out" "set set_clock = yes in [gateway]"

# ---- a network within 30 s of the system clock --------------------------
sim_start b --network-time +20s
gw_start h b
wait_until has_clock h || fail "no network time from modem b"
doctor_conf h b
run_expect "doctor: clock right" 0 "$BIN"/tambuli -c "$T/h.dconf" doctor
contains "doctor: network time ok" "$T/out" "ok    network time  the system clock is"
contains "doctor: network time ok, behind" "$T/out" " s behind (network "

# ---- a network that sends no NITZ: the modem's clock reads 2004 ---------
sim_start c --network-time none
gw_start i c
run_expect "status, no NITZ" 0 tam i status
contains "status: no network time" "$T/out" "clock: no network time from this modem"
run_expect "status --json, no NITZ" 0 tam i status --json
contains "status --json: clock null" "$T/out" '"clock":null'
doctor_conf i c
"$BIN"/tambuli -c "$T/i.dconf" doctor >"$T/out" 2>&1
contains "doctor: warns" "$T/out" "warn  network time  no modem has the network's time"
if grep -q "fail  network time" "$T/out"; then
	fail "doctor: no NITZ must not fail the network time"
else
	ok
fi

# ---- each vendor's report: SIMCom *PSUTTZ, Quectel +QLTS, Huawei ^NWTIME -
sim_start s -p simcom --network-time 2026-12-04T10:00:00+08:00
sim_start q -p quectel --network-time 2026-12-04T10:00:00-05:30
sim_start w -p huawei --network-time 2026-12-04T10:00:00+05:45
gw_start v s q w
all_clocks() {
	[ "$(tam v status --json | grep -o '"confirmed":true' | wc -l)" -eq 3 ]
}
wait_until all_clocks || fail "vendors: not every modem has a network time"
run_expect "status, vendors" 0 tam v status
check "vendors: SIMCom" 1 "$(grep -c 'clock: network 2026-12-04 10:0[0-9]:[0-9][0-9] +08:00 (NITZ)' "$T/out")"
check "vendors: Quectel" 1 "$(grep -c 'clock: network 2026-12-04 10:0[0-9]:[0-9][0-9] -05:30 (NITZ)' "$T/out")"
check "vendors: Huawei" 1 "$(grep -c 'clock: network 2026-12-04 10:0[0-9]:[0-9][0-9] +05:45 (NITZ)' "$T/out")"

# ---- the simulated network changes its time: a new NITZ is heard -------
sim a network-time -2h >/dev/null || fail "modemsim ctl network-time"
moved() {
	o=$(json_offset g)
	[ -n "$o" ] && [ "$o" -ge 7197 ] && [ "$o" -le 7203 ]
}
wait_until moved || fail "status: offset after a new NITZ is [$(json_offset g)]"

summary
