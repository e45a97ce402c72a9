# tests/regress/lib/common.sh — shared by the regress scripts (sourced).
#
# Gives each script its own temporary directory $T, cleaned up on exit,
# simulators started through a FIFO so a script waits on the ready line
# instead of sleeping, and pass/fail counting with a summary at the end.

cd "$(dirname "$0")/../.." || exit 1
for b in bin/modemsim bin/atchat bin/tambuli; do
	if [ ! -x "$b" ]; then
		echo "FAIL: $b is missing (build it first)"
		exit 1
	fi
done

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
# socket $T/NAME.sock, what phones received in $T/NAME.sent.
sim_start() {
	name=$1
	shift
	rm -f "$T/$name.fifo"
	mkfifo "$T/$name.fifo"
	bin/modemsim -l "$T/$name.tty" -s "$T/$name.sock" \
	    -o "$T/$name.sent" --boot-delay 0 --latency 5 \
	    --report-delay 5 --ussd-delay 5 "$@" \
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
		sim "$name" wait-ready 10 >/dev/null || fail "$name: wait-ready"
	fi
}

sim() {
	name=$1
	shift
	bin/modemsim ctl "$T/$name.sock" "$@"
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
