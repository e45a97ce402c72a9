#!/bin/sh
# tests/regress/modem_cli.sh — "tambuli modem probe|ussd|send|read"
# against the simulated modem: every personality, and the faults a person
# testing a SIM meets (PIN, no SIM, no network, wrong port).
. "$(dirname "$0")/lib/common.sh"

# probe, every personality
for p in generic huawei simcom quectel; do
	sim_start "$p" -p "$p"
	run_expect "probe $p" 0 "$BIN"/tambuli modem probe "$T/$p.tty"
	contains "probe $p" "$T/out" "sim: ready"
	contains "probe $p" "$T/out" "registration: home"
	contains "probe $p" "$T/out" "profile: $p"
	contains "probe $p" "$T/out" "storage: 0/"
	contains "probe $p" "$T/out" "smsc: +"
	# USSD: plain text (generic, UCS2 charset), packed hex (huawei)
	run_expect "ussd $p" 0 "$BIN"/tambuli modem ussd "$T/$p.tty" '*100#'
	check "ussd $p" "Your balance is \$5.00. Valid until 2026-12-31." \
	    "$(cat "$T/out")"
done

# a menu: answered in order, or left open and cancelled
run_expect "ussd menu" 0 "$BIN"/tambuli modem ussd "$T/generic.tty" '*123#' 2 1
check "ussd menu" "1. Balance
2. Bundles
1. 100MB \$1
2. 1GB \$5
Bundle activated." "$(cat "$T/out")"
run_expect "ussd menu open" 0 "$BIN"/tambuli modem ussd "$T/huawei.tty" '*123#'
check "ussd menu open" "1. Balance
2. Bundles" "$(cat "$T/out")"
run_expect "ussd unknown code" 1 "$BIN"/tambuli modem ussd "$T/generic.tty" '*999#'
contains "ussd unknown code" "$T/err" "does not support"

# send: multipart UCS-2, through two personalities
for p in generic simcom; do
	run_expect "send $p" 0 "$BIN"/tambuli modem send "$T/$p.tty" \
	    "+1 (415) 555-0100" "Asamblea mañana — todos bienvenidos. $(printf 'z%.0s' $(seq 1 60))"
	sim "$p" wait-sent 1 "$WAIT_MAX" >/dev/null || fail "send $p: nothing recorded"
	contains "send $p" "$T/$p.sent" '"to":"+14155550100"'
	contains "send $p" "$T/$p.sent" '"segments":2'
	contains "send $p" "$T/$p.sent" '"encoding":"ucs2"'
	contains "send $p" "$T/$p.sent" "Asamblea mañana — todos bienvenidos."
done
run_expect "send bad number" 1 "$BIN"/tambuli modem send "$T/generic.tty" \
    "call me" "hi"
contains "send bad number" "$T/err" "invalid number"

# read: stored messages with sender, time and text; --delete empties
sim quectel sms +14155550123 "JOIN" >/dev/null
sim quectel sms +639171234567 "Salamat po sa impormasyon" >/dev/null
run_expect "read" 0 "$BIN"/tambuli modem read "$T/quectel.tty"
contains "read" "$T/out" "from:  +14155550123"
contains "read" "$T/out" "text:  JOIN"
contains "read" "$T/out" "text:  Salamat po sa impormasyon"
run_expect "read --delete" 0 "$BIN"/tambuli modem read --delete \
    "$T/quectel.tty"
run_expect "read empty" 0 "$BIN"/tambuli modem read "$T/quectel.tty"
check "read empty" "no messages stored" "$(cat "$T/out")"

# faults
nowait=1 sim_start pin --pin 1234
run_expect "probe pin" 1 "$BIN"/tambuli modem probe "$T/pin.tty"
contains "probe pin" "$T/err" "SIM PIN required"
run_expect "probe --pin" 0 "$BIN"/tambuli modem probe --pin 1234 "$T/pin.tty"
contains "probe --pin" "$T/out" "sim: ready"

nowait=1 sim_start nosim --no-sim
run_expect "probe no SIM" 1 "$BIN"/tambuli modem probe "$T/nosim.tty"
contains "probe no SIM" "$T/err" "no SIM"

run_expect "probe missing port" 1 "$BIN"/tambuli modem probe "$T/none.tty"
contains "probe missing port" "$T/err" "No such file"

sim_start busy
exec 9<>"$T/busy.tty"
flock -n 9 || true
run_expect "probe held port" 1 "$BIN"/tambuli modem probe "$T/busy.tty"
contains "probe held port" "$T/err" "another program holds the port"
exec 9<&-

# held exclusively (TIOCEXCL, as ModemManager does): open() says EBUSY to
# anyone but root; python3 sets it, nobody tries
if [ "$(id -u)" -eq 0 ] && command -v python3 >/dev/null 2>&1 &&
    command -v setpriv >/dev/null 2>&1; then
	tty=$(readlink -f "$T/busy.tty")
	chmod 0666 "$tty"
	python3 -c 'import fcntl, os, sys, termios, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
fcntl.ioctl(fd, termios.TIOCEXCL)
print("held", flush=True)
time.sleep(600)' "$tty" >"$T/excl.out" &
	pids="$pids $!"
	excl=$!
	excl_held() { grep -q held "$T/excl.out"; }
	wait_until excl_held || fail "python3 did not hold the port"
	chmod 755 "$T"
	run_expect "probe exclusively held port" 1 setpriv --reuid=nobody \
	    --regid="$(id -g nobody)" --clear-groups "$BIN"/tambuli modem probe "$tty"
	contains "probe exclusively held port" "$T/err" \
	    "another program holds the port (ModemManager?): Device or resource busy"
	kill "$excl"
else
	echo "note: not root or no python3/setpriv: TIOCEXCL not checked"
fi

# the same through libserialport, which only knows ports under
# /sys/class/tty (not ptys): the shim says EBUSY for one, never opening it
sp_port=""
for d in /sys/class/tty/*/device; do
	[ -e "$d" ] || continue
	p=/dev/$(basename "$(dirname "$d")")
	if [ -c "$p" ]; then
		sp_port=$p
		break
	fi
done
# ebusy PORT: tambuli modem probe PORT, PORT held as the shim says
ebusy() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	    LD_PRELOAD=$(pwd)/bin/ebusy.so TAMBULI_EBUSY_PORT=$1 \
	    "$BIN"/tambuli modem probe "$1"
}
held_msg="another program holds the port (ModemManager?): Device or resource busy"
# (under qemu-user tambuli is a wrapper the native shim cannot reach: a
# real port would be opened)
if [ -z "$sp_port" ] || [ ! -f bin/ebusy.so ] ||
    [ "$(head -c 2 "$BIN/tambuli")" = "#!" ]; then
	echo "note: no port under /sys/class/tty, no bin/ebusy.so, or" \
	    "qemu-user: libserialport's EBUSY not checked"
else
	# the shim first on the pty, which it must keep closed too
	run_expect "shim: exclusively held pty" 1 ebusy "$T/busy.tty"
	if grep -qF "$held_msg" "$T/err"; then
		ok
		run_expect "libserialport: exclusively held port" 1 \
		    ebusy "$sp_port"
		contains "libserialport: exclusively held port" "$T/err" \
		    "$sp_port: $held_msg"
	else
		fail "bin/ebusy.so did not hold $T/busy.tty:"
		sed 's/^/    /' "$T/err"
	fi
fi

run_expect "modem list" 0 "$BIN"/tambuli modem list

# a modem that restarts while the network's answer is awaited: the
# session is gone with it, said at once (it was "no answer from the
# network (timeout)" 30 s later)
sim_start ur -p simcom --ussd-delay 3000
start=$(date +%s)
"$BIN"/tambuli modem ussd "$T/ur.tty" '*100#' >"$T/out" 2>"$T/err" &
upid=$!
sleep 1
sim ur reboot >/dev/null
if wait "$upid"; then rc=0; else rc=$?; fi
check "ussd, modem restarts: fails" 1 "$rc"
contains "ussd, modem restarts: says why" "$T/err" "the modem restarted"
took=$(($(date +%s) - start))
if [ "$took" -lt 20 ]; then
	ok
else
	fail "ussd, modem restarts: took $took s"
fi

summary
