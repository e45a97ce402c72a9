#!/bin/sh
# tests/regress/soak.sh — unplug and replug the modem again and again:
# the daemon comes back every time and leaks no file descriptors.
. "$(dirname "$0")/lib/common.sh"

CYCLES=${SOAK_CYCLES:-8}

sim_start s
gw_start g s
fds() {
	ls "/proc/$gw_pid/fd" 2>/dev/null | wc -l
}
noticed() {
	tam g status 2>/dev/null | grep -qE 'modem1: (backoff|opening)'
}
before=$(fds)
c=0
while [ "$c" -lt "$CYCLES" ]; do
	sim s unplug >/dev/null
	# wait until the daemon has noticed, then plug back in
	wait_until noticed
	sim s replug >/dev/null || fail "replug $c"
	gw_wait_ready g || break
	c=$((c + 1))
done
check "soak: cycles" "$CYCLES" "$c"
check "soak: file descriptors" "$before" "$(fds)"
n=$(wc -l <"$T/s.sent" 2>/dev/null || echo 0)
sim s sms +14155550111 "JOIN" >/dev/null
sim s wait-sent $((n + 1)) "$WAIT_MAX" >/dev/null || fail "soak: no reply after"
summary
