# tests/regress/lib/common.sh — shared by the regress scripts (sourced).
#
# Gives each script its own temporary directory $T, cleaned up on exit,
# simulators started through a FIFO so a script waits on the ready line
# instead of sleeping, and pass/fail counting with a summary at the end.

cd "$(dirname "$0")/../.." || exit 1
# BIN=bin/san runs the same tests against the sanitizer build
BIN=${BIN:-bin}
for b in "$BIN"/modemsim "$BIN"/atchat "$BIN"/tambuli; do
	if [ ! -x "$b" ]; then
		echo "FAIL: $b is missing (build it first)"
		exit 1
	fi
done

# Every wait is on a condition, bounded by WAIT_MAX seconds (default 180):
# enough for a Pi Zero or for qemu-user on a loaded machine, and free when
# things are fast.  Never a fixed sleep.
WAIT_MAX=${WAIT_MAX:-180}

# wait_until COMMAND...: until COMMAND (a shell function too) succeeds;
# 1 if WAIT_MAX seconds pass first
wait_until() {
	wu_end=$(($(date +%s) + WAIT_MAX))
	until "$@"; do
		[ "$(date +%s)" -ge "$wu_end" ] && return 1
		sleep 0.1	# polling a condition, not a fixed wait
	done
	return 0
}

T=$(mktemp -d "${TMPDIR:-/tmp}/tambuli-test.XXXXXX") || exit 1
pids=""
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	if [ "${failed:-0}" -ne 0 ] && [ -n "${KEEP:-}" ]; then
		echo "kept $T"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

failed=0
passed=0
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}
ok() {
	passed=$((passed + 1))
}

# sim_start NAME ARGS...: a simulated modem; tty $T/NAME.tty, control
# socket $T/NAME.sock, what phones received in $T/NAME.sent.  Each gets
# its own IMEI, as real modems do.
sim_seq=0
sim_start() {
	name=$1
	shift
	sim_seq=$((sim_seq + 1))
	rm -f "$T/$name.fifo"
	mkfifo "$T/$name.fifo"
	"$BIN"/modemsim -l "$T/$name.tty" -s "$T/$name.sock" \
	    -o "$T/$name.sent" --boot-delay 0 --latency 5 \
	    --report-delay 5 --ussd-delay 5 \
	    --imei "$(printf '3520990%08d' "$sim_seq")" "$@" \
	    >"$T/$name.fifo" 2>"$T/$name.log" &
	pids="$pids $!"
	read -r line <"$T/$name.fifo"
	case "$line" in
	/dev/*) ;;
	*)
		echo "FAIL: modemsim $name did not start:"
		cat "$T/$name.log"
		exit 1
		;;
	esac
	if [ -z "${nowait:-}" ]; then
		sim "$name" wait-ready "$WAIT_MAX" >/dev/null ||
		    fail "$name: wait-ready"
	fi
}

sim() {
	name=$1
	shift
	"$BIN"/modemsim ctl "$T/$name.sock" "$@"
}

# check WHAT EXPECTED ACTUAL: exact comparison
check() {
	if [ "$2" = "$3" ]; then
		ok
	else
		fail "$1: expected [$2], got [$3]"
	fi
}

# run_expect WHAT RC COMMAND...: the exit status must be RC; output in
# $T/out, errors in $T/err
run_expect() {
	what=$1
	want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok
	else
		fail "$what: exit $rc, expected $want"
		sed 's/^/    out: /' "$T/out" | head -20
		sed 's/^/    err: /' "$T/err" | head -20
	fi
}

# contains WHAT FILE TEXT: FILE has a line containing TEXT
contains() {
	if grep -qF -- "$3" "$2"; then
		ok
	else
		fail "$1: no \"$3\" in:"
		sed 's/^/    /' "$2" | head -20
	fi
}

summary() {
	echo "$(basename "$0" .sh): $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# gw_start NAME MODEM-NAMES... : a daemon with its own database, socket
# and configuration ($T/NAME.conf if it exists), on the given simulators;
# waits until every modem is ready.
gw_start() {
	gname=$1
	shift
	set -- $(for m in "$@"; do echo "--modem $T/$m.tty"; done)
	conf=""
	[ -f "$T/$gname.conf" ] && conf="-c $T/$gname.conf"
	"$BIN"/tambulid $conf --db "$T/$gname.db" --socket "$T/$gname.sock" "$@" \
	    >>"$T/$gname.log" 2>&1 &
	gw_pid=$!
	pids="$pids $gw_pid"
	gw_wait_ready "$gname"
}

# gw_wait_ready NAME: the daemon answers and no modem is still starting
gw_ready() {
	tam "$1" status >"$T/status" 2>&1 &&
	    ! grep -qE ': (closed|opening|probing|init|registering|sim-wait|backoff)' \
	    "$T/status"
}
gw_wait_ready() {
	if ! wait_until gw_ready "$1"; then
		fail "daemon $1 not ready:"
		sed 's/^/    /' "$T/status" "$T/$1.log" | tail -30
		return 1
	fi
}

tam() {
	gname=$1
	shift
	"$BIN"/tambuli --db "$T/$gname.db" --socket "$T/$gname.sock" "$@"
}

# sent_to SIM NUMBER: what the phone received, one text per line
sent_to() {
	grep "\"to\":\"$2\"" "$T/$1.sent" 2>/dev/null |
	    sed -e 's/.*"text":"\(\([^"\\]\|\\.\)*\)".*/\1/' -e 's/\\"/"/g'
}

# wait_bc NAME ID: until the broadcast is done or cancelled
bc_state() {
	tam "$1" broadcast show --json "$2" 2>/dev/null |
	    sed -n 's/.*"state":"\([a-z]*\)".*/\1/p'
}
bc_finished() {
	case "$(bc_state "$1" "$2")" in
	done|cancelled) return 0 ;;
	esac
	return 1
}
wait_bc() {
	if ! wait_until bc_finished "$1" "$2"; then
		fail "broadcast $2 not finished (state $(bc_state "$1" "$2"))"
		return 1
	fi
}

# db_init PATH: a new database at PATH, made the only way there is (the
# CLI never creates one): a first start of the daemon, stopped again
db_init() {
	"$BIN"/tambulid --db "$1" --socket "$1.init.sock" >"$1.init.log" 2>&1 &
	init_pid=$!
	i=0
	until "$BIN"/tambuli --db "$1" --socket "$1.init.sock" status \
	    >/dev/null 2>&1; do
		i=$((i + 1))
		if [ "$i" -gt 300 ] || ! kill -0 "$init_pid" 2>/dev/null; then
			fail "db_init $1: the daemon did not start:"
			sed 's/^/    /' "$1.init.log" | tail -10
			kill "$init_pid" 2>/dev/null
			return 1
		fi
		sleep 0.1	# polling a condition, not a fixed wait
	done
	kill "$init_pid"
	wait "$init_pid"
}
