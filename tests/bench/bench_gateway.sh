#!/bin/sh
# tests/bench/bench_gateway.sh — measured figures for the gateway,
# tambulid against simulated modems (modemsim).  "make bench" runs it
# after bin/bench_codec.  It prints figures and ratios against the
# targets; it never fails on slow numbers, only when something is broken
# (a daemon or a simulator does not start, messages never arrive).
#
#   1. overhead: messages/s through one zero-latency modem, and the
#      daemon's CPU time per message (/proc/PID/stat utime+stime)
#   2. throughput with 1, 2 and 4 modems at a fixed submission latency,
#      as a fraction of the modems' limit (N * 1000/latency msg/s)
#   3. latency from "tambuli send" returning to the first AT+CMGS the
#      modem reads
#   4. queueing a broadcast to 100,000 subscribers (the CLI, wall clock)
#   5. the daemon's peak memory (VmHWM) before and while it sends that
#      broadcast
#   6. idle CPU and wakeups (voluntary context switches) per minute
#
# Only the daemon is measured (CPU, memory, context switches), never
# modemsim.  Clocks: bin/bench_fill now/stamp (CLOCK_REALTIME, in
# microseconds), because the shell has none below a second and
# modemsim's log has no timestamps.  Linux only (/proc).
set -u
cd "$(dirname "$0")/../.." || exit 1
for b in bin/tambulid bin/tambuli bin/modemsim bin/bench_fill; do
	if [ ! -x "$b" ]; then
		echo "bench: $b is missing (make all bin/bench_fill)" >&2
		exit 1
	fi
done
if [ ! -r /proc/self/stat ]; then
	echo "bench: gateway figures need /proc (Linux); skipped"
	exit 0
fi

LAT=${BENCH_LATENCY_MS:-1000}	# ms per submission for the throughput
			# figures: real modems take 3000-6000; 1000 keeps
			# the run short and is still conservative
SECS=${BENCH_SECS:-10}	# how long each throughput run lasts at the limit
N_OVERHEAD=2000		# recipients of the zero-latency broadcast
N_BIG=100000		# recipients of the big broadcast
IDLE=${IDLE_SECS:-10}	# idle window; the daemon's periodic timers (modem
			# health check, housekeeping) are 60 s apart, so
			# IDLE_SECS=65 gives a whole minute
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)

T=$(mktemp -d "${TMPDIR:-/tmp}/tambuli-bench.XXXXXX") || exit 1
pids=""
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() {
	echo "bench: $*" >&2
	for f in "$T"/*.gw.log; do
		[ -f "$f" ] && tail -n 5 "$f" | sed "s|^|  $(basename "$f"): |" >&2
	done
	exit 1
}
now_us() {
	bin/bench_fill now
}
# calc EXPR: floating-point arithmetic
calc() {
	awk "BEGIN { printf \"%s\", $1 }" </dev/null
}
# cpu_ticks PID: utime + stime, in clock ticks (fields 14 and 15; the
# command name in parentheses may hold spaces, so cut it off first)
cpu_ticks() {
	sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
# proc_status PID FIELD: a number from /proc/PID/status
proc_status() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}
stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# sim_start NAME LATENCY [ARGS...]: a simulated modem at $T/NAME.tty with
# its control socket $T/NAME.sock; its -v log, every line stamped with
# the time it was written, in $T/NAME.log.  Sets sim_pid.
sim_start() {
	name=$1
	lat=$2
	shift 2
	mkfifo "$T/$name.out" "$T/$name.err" || die "mkfifo"
	bin/bench_fill stamp <"$T/$name.err" >"$T/$name.log" &
	pids="$pids $!"
	bin/modemsim -l "$T/$name.tty" -s "$T/$name.sock" --boot-delay 0 \
	    --latency "$lat" -v "$@" >"$T/$name.out" 2>"$T/$name.err" &
	sim_pid=$!
	pids="$pids $sim_pid"
	read -r line <"$T/$name.out"
	case "$line" in
	/dev/*) ;;
	*) die "modemsim $name did not start" ;;
	esac
	sim "$name" wait-ready 10 >/dev/null || die "modemsim $name not ready"
}
sim() {
	name=$1
	shift
	bin/modemsim ctl "$T/$name.sock" "$@"
}
# sim_sent NAME: messages the phones of a simulator have received
sim_sent() {
	n=$(sim "$1" status | sed -n 's/.*"sent":\([0-9]*\).*/\1/p')
	echo "${n:-0}"
}

# gw_start NAME MODEM-NAMES...: a daemon on database $T/NAME.db, waits
# until every modem is ready.  Sets gw_pid.
gw_start() {
	gname=$1
	shift
	nm=$#
	set -- $(for m in "$@"; do echo "--modem $T/$m.tty"; done)
	bin/tambulid --db "$T/$gname.db" --socket "$T/$gname.sock" "$@" \
	    >>"$T/$gname.gw.log" 2>&1 &
	gw_pid=$!
	pids="$pids $gw_pid"
	i=0
	while :; do
		kill -0 "$gw_pid" 2>/dev/null || die "tambulid $gname exited"
		if tam "$gname" status >"$T/status" 2>&1 &&
		    [ "$(grep -c '^modem .*: ready' "$T/status")" -eq "$nm" ]
		then
			return 0
		fi
		i=$((i + 1))
		[ "$i" -gt 300 ] && die "tambulid $gname: modems not ready"
		sleep 0.1	# polling a condition, not a fixed wait
	done
}
tam() {
	gname=$1
	shift
	bin/tambuli --db "$T/$gname.db" --socket "$T/$gname.sock" "$@"
}
fill() {
	bin/bench_fill fill "$T/$1.db" "$2" || die "could not create $2 \
subscribers"
}
# bc_json FILE KEY: a number from the output of "tambuli broadcast show
# --json" (one snapshot: the daemon moves rows between states meanwhile)
bc_json() {
	sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$1"
}

TEXT="Rally for International Migrants Day, Dec 18, 5pm, City Hall"

echo "gateway (tambulid against modemsim; only the daemon is measured):"

# ---- 1. overhead with a zero-latency modem ----------------------------------

fill g1 "$N_OVERHEAD"
sim_start z1 0
gw_start g1 z1
hwm0=$(proc_status "$gw_pid" VmHWM)
c0=$(cpu_ticks "$gw_pid")
t0=$(now_us)
tam g1 send "$TEXT" >/dev/null || die "tambuli send failed"
sim z1 wait-sent "$N_OVERHEAD" 120 >/dev/null ||
    die "$N_OVERHEAD messages not sent in 120 s"
t1=$(now_us)
c1=$(cpu_ticks "$gw_pid")
hwm1=$(proc_status "$gw_pid" VmHWM)
echo "  1. zero-latency modem, broadcast to $N_OVERHEAD:" \
    "$(calc "$N_OVERHEAD / (($t1 - $t0) / 1e6)" | awk '{ printf "%.0f", $1 }')" \
    "msg/s; daemon CPU $(calc "($c1 - $c0) * 1000 / $HZ / $N_OVERHEAD" |
    awk '{ printf "%.3f", $1 }') ms/msg" \
    "($(calc "($c1 - $c0) / $HZ") s CPU for $N_OVERHEAD," \
    "tick $(calc "1000 / $HZ") ms)"
echo "     (VmHWM $hwm0 kB before, $hwm1 kB after: $((hwm1 - hwm0)) kB)"

# ---- 6. idle: the same daemon, its queue now empty ---------------------------

sleep 1		# let the last result and the status refresh settle
c0=$(cpu_ticks "$gw_pid")
v0=$(proc_status "$gw_pid" voluntary_ctxt_switches)
n0=$(proc_status "$gw_pid" nonvoluntary_ctxt_switches)
t0=$(now_us)
sleep "$IDLE"	# the measurement window
t1=$(now_us)
c1=$(cpu_ticks "$gw_pid")
v1=$(proc_status "$gw_pid" voluntary_ctxt_switches)
n1=$(proc_status "$gw_pid" nonvoluntary_ctxt_switches)
win=$(calc "($t1 - $t0) / 1e6")
idle_cpu=$(calc "($c1 - $c0) / $HZ * 60 / $win")
idle_vol=$(calc "($v1 - $v0) * 60 / $win")
idle_inv=$(calc "($n1 - $n0) * 60 / $win")
idle_line=$(printf '  6. idle daemon (1 ready modem, empty queue) over %.1f s:' \
    "$win"; printf ' CPU %.3f s/min (%d ticks of %s ms),' "$idle_cpu" \
    "$((c1 - c0))" "$(calc "1000 / $HZ")"; printf ' wakeups %.1f/min' \
    "$idle_vol"; printf ' (voluntary context switches; involuntary %.1f/min)' \
    "$idle_inv")
stop "$gw_pid"
stop "$sim_pid"

# ---- 2. throughput with 1, 2 and 4 modems -----------------------------------

for nmod in 1 2 4; do
	msgs=$((nmod * SECS * 1000 / LAT))
	g=t$nmod
	fill "$g" "$msgs"
	sims=""
	spids=""
	i=1
	while [ "$i" -le "$nmod" ]; do
		sim_start "$g-m$i" "$LAT"
		sims="$sims $g-m$i"
		spids="$spids $sim_pid"
		i=$((i + 1))
	done
	gw_start "$g" $sims
	t0=$(now_us)
	tam "$g" send "$TEXT" >/dev/null || die "tambuli send failed"
	t0r=$(now_us)
	i=0
	while :; do
		total=0
		for s in $sims; do
			total=$((total + $(sim_sent "$s")))
		done
		[ "$total" -ge "$msgs" ] && break
		i=$((i + 1))
		[ "$i" -gt $((SECS * 40 + 200)) ] &&
		    die "$nmod modems: $total of $msgs sent"
		sleep 0.05	# polling a condition; times come from the logs
	done
	# the stamp of the last "sent" line of any modem
	last=$(for s in $sims; do
		grep ' modemsim: sent ' "$T/$s.log" | tail -n 1 |
		    cut -d ' ' -f 1
	done | sort -n | tail -n 1)
	per=""
	for s in $sims; do
		per="$per $(grep -c ' modemsim: sent ' "$T/$s.log")"
	done
	rate=$(calc "$msgs / (($last - $t0r) / 1e6)")
	limit=$(calc "$nmod * 1000 / $LAT")
	printf '  2. %d modem%s at %d ms/submission, %d messages:' "$nmod" \
	    "$([ "$nmod" -gt 1 ] && echo s)" "$LAT" "$msgs"
	printf ' %.1f msg/s = %.3f of the limit %.0f msg/s (target >= 0.97)' \
	    "$rate" "$(calc "$rate / $limit")" "$limit"
	printf '\n     (%.1f ms overhead per submission beyond the %d ms;' \
	    "$(calc "(($last - $t0r) / 1000 - $msgs / $nmod * $LAT) / \
($msgs / $nmod)")" "$LAT"
	printf ' messages per modem:%s)\n' "$per"
	stop "$gw_pid"
	for p in $spids; do
		stop "$p"
	done
done

# ---- 3. latency to the first AT+CMGS -----------------------------------------

fill l1 1
sim_start v1 0 -v
gw_start l1 v1
lats=""
from0=""
cli=""
k=0
while [ "$k" -lt 5 ]; do
	skip=$(wc -l <"$T/v1.log")
	t0=$(now_us)
	tam l1 send "$TEXT" >/dev/null || die "tambuli send failed"
	t1=$(now_us)
	k=$((k + 1))
	sim v1 wait-sent "$k" 10 >/dev/null || die "latency: not sent"
	first=$(sed -n "$((skip + 1)),\$p" "$T/v1.log" |
	    grep -m 1 'rx "AT+CMGS=' | cut -d ' ' -f 1)
	[ -n "$first" ] || die "latency: no AT+CMGS in the modem's log"
	lats="$lats $(calc "($first - $t1) / 1000")"
	from0="$from0 $(calc "($first - $t0) / 1000")"
	cli="$cli $(calc "($t1 - $t0) / 1000")"
	sleep 0.2	# let the daemon go idle again between samples
done
stop "$gw_pid"
stop "$sim_pid"
# med VALUES...: "median M ms (min A, max B)" of the values
med() {
	echo "$@" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '
	    { v[NR] = $1 }
	    END { printf "median %.1f ms (min %.1f, max %.1f)",
		v[int((NR + 1) / 2)], v[1], v[NR] }'
}
echo "  3. first AT+CMGS read by the modem, 5 sends of 1 message to an idle"
echo "     daemon (target: milliseconds, not a polling interval):"
echo "     after \"tambuli send\" returned: $(med $lats)"
echo "     after \"tambuli send\" started:  $(med $from0)"
echo "     the CLI call itself: $(med $cli)"
echo "     (negative: the CLI kicks the daemon after its commit, before it"
echo "     exits, and the modem read AT+CMGS first.  Times: modemsim -vv"
echo "     trace lines stamped as they arrive through a pipe, CLOCK_REALTIME,"
echo "     1 us resolution, pipe delay well under 0.1 ms)"

# ---- 4 and 5. 100,000 subscribers ------------------------------------------

fill big "$N_BIG"
sim_start b1 0
gw_start big b1
sleep 1		# the daemon idle, its start-up done
hwm0=$(proc_status "$gw_pid" VmHWM)
rss0=$(proc_status "$gw_pid" VmRSS)
t0=$(now_us)
id=$(tam big send "$TEXT" | head -n 1) || die "tambuli send failed"
t1=$(now_us)
[ -n "$id" ] || die "tambuli send printed no broadcast id"
sent0=$(sim_sent b1)
tam big broadcast show --json "$id" >"$T/bc.json" ||
    die "tambuli broadcast show failed"
recipients=$(bc_json "$T/bc.json" recipients)
sum=0
for k in queued sending sent delivered failed skipped expired cancelled; do
	sum=$((sum + $(bc_json "$T/bc.json" "$k")))
done
printf '  4. queueing a broadcast to %d subscribers (tambuli send, wall' \
    "$N_BIG"
printf ' clock): %.3f s (target about 1 s)\n     outbox rows right after' \
    "$(calc "($t1 - $t0) / 1e6")"
printf ' it returned: %d, recipients %d (broadcast_create: one' "$sum" \
    "$recipients"
printf ' transaction)\n'
[ "$sum" -eq "$N_BIG" ] || die "outbox has $sum rows, not $N_BIG"
sleep 5		# the daemon sends through the zero-latency modem
t2=$(now_us)
sent1=$(sim_sent b1)
hwm1=$(proc_status "$gw_pid" VmHWM)
rss1=$(proc_status "$gw_pid" VmRSS)
printf '  5. daemon peak memory (VmHWM): %d kB idle with %d subscribers,' \
    "$hwm0" "$N_BIG"
printf '\n     %d kB after %d s sending their broadcast: %+d kB (VmRSS %d' \
    "$hwm1" 5 "$((hwm1 - hwm0))" "$rss0"
printf ' -> %d kB)\n' "$rss1"
printf '     meanwhile: %d sent = %.0f msg/s through the zero-latency modem' \
    "$((sent1 - sent0))" "$(calc "($sent1 - $sent0) / (($t2 - $t1) / 1e6)")"
printf ' with %d queued (compare figure 1)\n' "$((N_BIG - sent1 + sent0))"
stop "$gw_pid"
stop "$sim_pid"

echo "$idle_line"
echo "     (modemsim not measured; the daemon's modem health check and"
echo "     housekeeping run every 60 s: IDLE_SECS=65 for a whole minute)"
