#!/bin/sh
# tests/regress/notify.sh — tambulid speaks systemd's notification
# protocol when $NOTIFY_SOCKET is set: READY=1 once the database is open
# and the control socket listens, STATUS= lines when modems or the queue
# change, WATCHDOG=1 repeatedly when $WATCHDOG_USEC is set, STOPPING=1 at
# SIGTERM.  bin/notify_recv stands in for systemd.
. "$(dirname "$0")/lib/common.sh"

if [ ! -x bin/notify_recv ]; then
	echo "FAIL: bin/notify_recv is missing (make bin/notify_recv)"
	exit 1
fi

# recv_start NAME SOCKET [CTL]: the receiver, its lines in $T/NAME.notify
recv_start() {
	rm -f "$T/$1.rfifo"
	mkfifo "$T/$1.rfifo"
	bin/notify_recv "$2" ${3:-} 120 >"$T/$1.rfifo" 2>"$T/$1.rerr" &
	pids="$pids $!"
	rpid=$!
	# "bound" first, then everything into the file
	{ read -r line; echo "$line"; cat; } <"$T/$1.rfifo" >"$T/$1.notify" &
	pids="$pids $!"
	i=0
	until grep -q '^bound$' "$T/$1.notify" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt "$((WAIT_MAX * 10))" ] && { fail "notify_recv $1 did not start"; cat "$T/$1.rerr"; return 1; }
		sleep 0.1	# polling a condition, not a fixed wait
	done
}

# wait_line NAME PATTERN [COUNT]: until COUNT lines (1) match
wait_line() {
	i=0
	while [ "$(grep -c -- "$2" "$T/$1.notify" 2>/dev/null)" -lt "${3:-1}" ]; do
		i=$((i + 1))
		if [ "$i" -gt "$((WAIT_MAX * 10))" ]; then
			fail "$1: no ${3:-1} lines matching '$2' in:"
			sed 's/^/    /' "$T/$1.notify" | tail -20
			return 1
		fi
		sleep 0.1	# polling a condition, not a fixed wait
	done
	ok
}

# 1. one modem, a watchdog of 200 ms: WATCHDOG=1 every 100 ms
sim_start m1
recv_start a "$T/a.nsock" "$T/a.sock"
NOTIFY_SOCKET="$T/a.nsock" WATCHDOG_USEC=200000 \
    "$BIN"/tambulid --db "$T/a.db" --socket "$T/a.sock" \
    --modem "$T/m1.tty" >>"$T/a.log" 2>&1 &
apid=$!
pids="$pids $apid"
wait_line a '^READY=1$'
# the control socket listened when READY=1 arrived
check "ctl at READY" "ctl: listening" "$(grep '^ctl:' "$T/a.notify" | head -n 1)"
wait_line a '^WATCHDOG=1$' 3
gw_wait_ready a
wait_line a '^STATUS=1 modem ready, 0 queued$'
# SIGTERM: STOPPING=1, and the daemon exits cleanly
kill -TERM "$apid"
wait "$apid"
check "exit status after SIGTERM" 0 $?
wait_line a '^STOPPING=1$'
# READY=1 came once, before STOPPING=1
check "READY=1 count" 1 "$(grep -c '^READY=1$' "$T/a.notify")"
check "READY before STOPPING" "READY=1 STOPPING=1" \
    "$(grep -E '^(READY|STOPPING)=1$' "$T/a.notify" | tr '\n' ' ' | sed 's/ $//')"

# 2. no modem, an abstract socket, no watchdog: the status follows the
# queue (a send nudges the daemon), and nothing else is sent
recv_start b "@tambuli-test-$$"
NOTIFY_SOCKET="@tambuli-test-$$" \
    "$BIN"/tambulid --db "$T/b.db" --socket "$T/b.sock" \
    >>"$T/b.log" 2>&1 &
bpid=$!
pids="$pids $bpid"
wait_line b '^READY=1$'
check "status without modems" "STATUS=no modems configured, 0 queued" \
    "$(grep '^STATUS=' "$T/b.notify" | head -n 1)"
run_expect "subscribe 1" 0 tam b subscribers add +14155550101
run_expect "subscribe 2" 0 tam b subscribers add +14155550102
run_expect "send" 0 tam b send "Rally at 5pm"
wait_line b '^STATUS=no modems configured, 2 queued$'
check "no watchdog without WATCHDOG_USEC" 0 \
    "$(grep -c '^WATCHDOG=1$' "$T/b.notify")"
kill -TERM "$bpid"
wait "$bpid"
wait_line b '^STOPPING=1$'

# 3. a watchdog meant for another process (WATCHDOG_PID) is not ours
recv_start c "$T/c.nsock"
NOTIFY_SOCKET="$T/c.nsock" WATCHDOG_USEC=100000 WATCHDOG_PID=1 \
    "$BIN"/tambulid --db "$T/c.db" --socket "$T/c.sock" \
    >>"$T/c.log" 2>&1 &
cpid=$!
pids="$pids $cpid"
wait_line c '^READY=1$'
run_expect "status c" 0 tam c status
kill -TERM "$cpid"
wait "$cpid"
wait_line c '^STOPPING=1$'
check "no watchdog for WATCHDOG_PID=1" 0 \
    "$(grep -c '^WATCHDOG=1$' "$T/c.notify")"

summary
