#!/bin/sh
# tests/run.sh — run the test suites and print one summary line.
#
# usage: tests/run.sh all|unit|sanitize|replay|regress|regress-san
#        tests/run.sh cross armhf|arm64
#
# BIN (default bin) is where unit and regress find the programs.  "cross
# ARCH" runs the unit tests and the regress suite on the programs that
# "make cross ARCH=..." built in bin/ARCH, each through a wrapper in
# build/ARCH/qemu that runs it under qemu-user.
# Each unit test program ends with "N passed, N failed"; every fuzz corpus
# replay and every regress script counts as one test.  Output of a failing
# program is shown; the last line is the total, "N passed, N failed".
set -u
cd "$(dirname "$0")/.."

BIN=${BIN:-bin}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # count NAME COMMAND...: run a test program that prints a summary
	name=$1; shift
	if "$@" >"$log" 2>&1; then rc=0; else rc=$?; fi
	line=$(tail -n 1 "$log")
	p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		p=0; f=1
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name (exit $rc)"
		sed 's/^/  | /' "$log" | tail -n 60
	else
		echo "ok   $name: $p passed"
	fi
}

# A regress script gets at most SCRIPT_MAX seconds (default 900; the
# longest takes about 100 s under the sanitizers; each result line shows
# the seconds taken): a daemon that died early must not
# make a script wait out every one of its conditions and the whole run
# overstay the CI's limit.  The script's own cleanup (its TERM trap)
# stops what it started.
SCRIPT_MAX=${SCRIPT_MAX:-900}

one() { # one NAME COMMAND...: a single pass/fail test
	name=$1; shift
	t0=$(date +%s)
	if timeout -k 30 "$SCRIPT_MAX" "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok   $name ($(($(date +%s) - t0)) s)"
	else
		rc=$?
		failed=$((failed + 1))
		# one write, so that a parallel lane's lines do not cut into it
		{
			if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
				echo "FAIL $name (stopped after $SCRIPT_MAX s)"
			else
				echo "FAIL $name ($(($(date +%s) - t0)) s)"
			fi
			sed 's/^/  | /' "$log" | tail -n 60
		} >"$log.fail"
		cat "$log.fail"
		rm -f "$log.fail"
	fi
}

# The regress scripts run REGRESS_JOBS at a time (default 2).  They spend
# their time waiting on the daemon's timers (retries, health checks, modem
# timeouts), not computing: two lanes halve the wall time on two cores.
# Each script has its own directory (mktemp) and its own modem ptys.  The
# longest scripts are started first so that no lane is left with one at
# the end; any script not named here follows in file order.
REGRESS_JOBS=${REGRESS_JOBS:-2}
case $REGRESS_JOBS in
''|*[!0-9]*|0*)
	echo "tests/run.sh: REGRESS_JOBS=$REGRESS_JOBS: expected a number of" \
	    "scripts to run at once, 1 or more" >&2
	exit 2 ;;
esac
LONGEST="inbound modem_faults inflight faults ctl clockstep diskfull logging"

lanes() { # lanes FUNC ITEM...: FUNC ITEM for every distinct ITEM, in lanes
	func=$1; shift
	q=$(mktemp -d "${TMPDIR:-/tmp}/tambuli-lanes.XXXXXX") || exit 1
	i=0
	while [ "$i" -lt "$REGRESS_JOBS" ]; do
		(
			log=$q/log.$i
			passed=0
			failed=0
			for item in "$@"; do
				# mkdir is atomic: the lane that creates it runs it
				mkdir "$q/claim.${item##*/}" 2>/dev/null || continue
				"$func" "$item"
			done
			echo "$passed $failed" >"$q/count.$i"
		) &
		i=$((i + 1))
	done
	wait
	i=0
	while [ "$i" -lt "$REGRESS_JOBS" ]; do
		if [ -f "$q/count.$i" ]; then
			read -r p f <"$q/count.$i"
		else
			p=0; f=1; echo "FAIL regress lane $i ended without a count"
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		i=$((i + 1))
	done
	rm -rf "$q"
}

scripts() { # the regress scripts, longest first (lanes skips repeats)
	for n in $LONGEST; do
		[ -f "tests/regress/$n.sh" ] && echo "tests/regress/$n.sh"
	done
	for t in tests/regress/*.sh; do
		[ -f "$t" ] && echo "$t"
	done
}

unit() {
	for t in "$BIN"/test_*; do
		[ -x "$t" ] && count "unit ${t#"$BIN"/test_}" "$t"
	done
}

sanitize() {
	for t in bin/san/test_*; do
		[ -x "$t" ] && count "asan+ubsan ${t#bin/san/test_}" "$t"
	done
}

replay() {
	for t in bin/san/replay_*; do
		[ -x "$t" ] || continue
		n=${t#bin/san/replay_}
		count "fuzz corpus $n" "$t" tests/fuzz/corpus/"$n"
	done
}

regress_one() {
	case $1 in
	demo)	one "demo" env BIN="$BIN" sh tools/demo.sh ;;
	*)	one "regress $(basename "$1" .sh)" env BIN="$BIN" sh "$1" ;;
	esac
}

regress() {
	# shellcheck disable=SC2046 # script paths have no spaces
	lanes regress_one $(scripts) demo
}

# cross ARCH: wrappers that run the ARCH programs under qemu-user, with the
# ARCH C library of the cross toolchain, the multiarch libraries and the
# libevent of the private sysroot (tools/deps.sh)
cross() {
	case ${1:-} in
	armhf)	triplet=arm-linux-gnueabihf; qemu=qemu-arm
		ld=/lib/ld-linux-armhf.so.3 ;;
	arm64)	triplet=aarch64-linux-gnu; qemu=qemu-aarch64
		ld=/lib/ld-linux-aarch64.so.1 ;;
	*)	echo "usage: tests/run.sh cross armhf|arm64" >&2; exit 2 ;;
	esac
	qemu=$(command -v "$qemu" || command -v "$qemu-static") || {
		echo "tests/run.sh: no $qemu (apt-get install qemu-user)" >&2
		exit 1
	}
	top=$(pwd)
	libs=$top/build/sysroot-$1/usr/lib/$triplet:/usr/lib/$triplet:/lib/$triplet
	# The dynamic loader and the C library must come from the same glibc
	# build.  The ARM libraries (multiarch, libc6:ARCH) bring their loader
	# to /lib: with it, qemu needs no prefix.  The cross toolchain's copy
	# (-L /usr/TRIPLET) is only the fallback: its ld.so reads the host's
	# ld.so.cache and loads the multiarch libc.so.6 beside it, and a
	# mismatched pair crashes in pthread_create.
	prefix=""
	[ -e "$ld" ] || prefix="-L /usr/$triplet"
	w=build/$1/qemu
	rm -rf "$w"
	mkdir -p "$w" || exit 1
	for p in bin/"$1"/*; do
		[ -f "$p" ] && [ -x "$p" ] || continue
		cat >"$w/${p##*/}" <<WRAP
#!/bin/sh
exec $qemu $prefix -E LD_LIBRARY_PATH=$libs $top/$p "\$@"
WRAP
		chmod 755 "$w/${p##*/}"
	done
	BIN=$w
	echo "cross $1: $(ls "$w" | wc -l) programs under $qemu"
	unit
	regress
}

# the end-to-end scripts against the AddressSanitizer + UBSan programs:
# any finding aborts the process, which fails the script; a leak too
# (LeakSanitizer, at every exit that is not a kill -9: early ones included)
regress_san_one() {
	one "asan+ubsan regress $(basename "$1" .sh)" env BIN=bin/san \
	    ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 sh "$1"
}

regress_san() {
	[ -x bin/san/tambulid ] || return 0
	# shellcheck disable=SC2046 # script paths have no spaces
	lanes regress_san_one $(scripts)
}

case ${1:-all} in
unit)		unit ;;
sanitize)	sanitize ;;
replay)		replay ;;
regress)	regress ;;
regress-san)	regress_san ;;
all)		unit; sanitize; replay; regress; regress_san ;;
cross)		cross "${2:-}" ;;
*)		echo "usage: tests/run.sh all|unit|sanitize|replay|regress|regress-san|cross ARCH" >&2
		exit 2 ;;
esac

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
