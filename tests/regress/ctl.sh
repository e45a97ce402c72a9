#!/bin/sh
# tests/regress/ctl.sh — the control socket against careless operators and
# hostile clients: --socket naming a file that is not a socket; a CLI
# facing a daemon that does not answer (stopped, backlog full); idle and
# flooding clients; one uid trying to hold every connection slot.
. "$(dirname "$0")/lib/common.sh"

HOLD=bin/ctlhold
if [ ! -x "$HOLD" ]; then
	echo "FAIL: $HOLD is missing (make bin/ctlhold)"
	exit 1
fi

# wait_line FILE TEXT: until FILE has a line containing TEXT (WAIT_MAX)
wait_line() {
	i=0
	while ! grep -qF -- "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt "$((WAIT_MAX * 10))" ]; then
			fail "no \"$2\" in $1:"
			sed 's/^/    /' "$1" 2>/dev/null | head -10
			return 1
		fi
		sleep 0.1	# polling a condition, not a fixed wait
	done
}

# tamt NAME ARGS...: tam, killed if it hangs (a hang is the bug)
tamt() {
	gname=$1
	shift
	timeout 60 "$BIN"/tambuli --db "$T/$gname.db" \
	    --socket "$T/$gname.sock" "$@"
}

# kb PID FIELD: a VmXXX figure of /proc/PID/status, in kB
kb() {
	sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"
}

# ---- 1. --socket naming a file that is not a socket -----------------------

# a database with something in it
db_init "$T/real.db"
"$BIN"/tambuli --db "$T/real.db" --socket "$T/none.sock" subscribers add \
    +14155550101 >/dev/null 2>&1
sum=$(cksum <"$T/real.db")
run_expect "--socket names the database" 1 timeout 60 "$BIN"/tambulid \
    --db "$T/real.db" --socket "$T/real.db"
contains "--socket names the database" "$T/err" \
    "control socket: $T/real.db is a regular file, not a socket: refusing to replace it"
check "database intact" "$sum" "$(cksum <"$T/real.db" 2>&1)"
run_expect "database still opens" 0 "$BIN"/tambuli --db "$T/real.db" \
    --socket "$T/none.sock" subscribers list
contains "database still opens" "$T/out" "+14155550101"

printf 'call Ana before the rally\n' >"$T/notes.txt"
run_expect "--socket names a text file" 1 timeout 60 "$BIN"/tambulid \
    --db "$T/n.db" --socket "$T/notes.txt"
contains "--socket names a text file" "$T/err" \
    "$T/notes.txt is a regular file, not a socket"
check "text file intact" "call Ana before the rally" "$(cat "$T/notes.txt")"

mkdir "$T/adir"
run_expect "--socket names a directory" 1 timeout 60 "$BIN"/tambulid \
    --db "$T/n.db" --socket "$T/adir"
contains "--socket names a directory" "$T/err" "$T/adir is a directory"
check "directory intact" "yes" "$(test -d "$T/adir" && echo yes)"

ln -s "$T/notes.txt" "$T/link.sock"
run_expect "--socket names a symlink" 1 timeout 60 "$BIN"/tambulid \
    --db "$T/n.db" --socket "$T/link.sock"
contains "--socket names a symlink" "$T/err" \
    "$T/link.sock is a symbolic link"
check "symlink intact" "$T/notes.txt" "$(readlink "$T/link.sock")"

mkfifo "$T/fifo.sock"
run_expect "--socket names a fifo" 1 timeout 60 "$BIN"/tambulid \
    --db "$T/n.db" --socket "$T/fifo.sock"
contains "--socket names a fifo" "$T/err" "$T/fifo.sock is a named pipe"
check "fifo intact" "yes" "$(test -p "$T/fifo.sock" && echo yes)"

# a stale socket (its daemon killed) is replaced
sim_start m1
cat >"$T/g.conf" <<'EOF'
[gateway]
client_timeout = 10m
EOF
gw_start g m1
kill -9 "$gw_pid"
wait "$gw_pid" 2>/dev/null
check "stale socket left behind" "yes" "$(test -S "$T/g.sock" && echo yes)"
gw_start g m1
run_expect "stale socket replaced" 0 tam g status
contains "stale socket replaced" "$T/out" "daemon: running"

# ---- 2. a daemon that does not answer ----------------------------------------

# stopped: connections queue in the backlog until it is full, then a
# blocking connect would wait for ever
kill -STOP "$gw_pid"
# the connection is queued, the greeting never comes
run_expect "status, daemon stopped" 1 tamt g status
contains "status, daemon stopped" "$T/out" \
    "daemon: the daemon did not answer within 5 s ($T/g.sock)"
mkfifo "$T/fill.in"
"$HOLD" fill "$T/g.sock" 500 <"$T/fill.in" >"$T/fill.out" 2>&1 &
hold_pid=$!
exec 3>"$T/fill.in"
wait_line "$T/fill.out" "connected"
contains "backlog full" "$T/fill.out" "full yes"
run_expect "status, daemon not answering" 1 tamt g status
contains "status, daemon not answering" "$T/out" \
    "daemon: the daemon did not answer within 5 s ($T/g.sock: it accepts no connection)"
run_expect "status --json, daemon not answering" 1 tamt \
    g status --json
contains "status --json, daemon not answering" "$T/out" \
    '"daemon":"not answering"'
run_expect "send, daemon not answering" 1 tamt \
    g send "Rally moved to City Hall, 6pm"
id=$(head -n 1 "$T/out")
contains "send, daemon not answering" "$T/err" \
    "tambuli: the daemon did not answer within 5 s ($T/g.sock: it accepts no connection); broadcast $id is stored and will go out"
tam g broadcast show --json "$id" >"$T/bc.json" 2>&1
contains "broadcast stored" "$T/bc.json" '"text":"Rally moved to City Hall, 6pm"'
exec 3>&-
wait "$hold_pid"
kill -CONT "$gw_pid"
gw_wait_ready g

# running but every slot taken (a careless root script): refused at once
mkfifo "$T/hold.in"
"$HOLD" hold "$T/g.sock" 100 <"$T/hold.in" >"$T/hold.out" 2>&1 &
hold_pid=$!
exec 3>"$T/hold.in"
wait_line "$T/hold.out" "connected"
check "slots: root holds them all" "connected 100 greeted 64 refused 36
refusal: 503 too many control connections (64)" "$(cat "$T/hold.out")"
contains "refusal logged" "$T/g.log" \
    'control client refused uid=0 reason="too many control connections (64)" refused=1'
run_expect "status, every slot taken" 1 tamt g status
contains "status, every slot taken" "$T/out" \
    "daemon: the daemon refused the connection: 503 too many control connections (64)"
run_expect "send, every slot taken" 1 tamt g send "Bring water"
id=$(head -n 1 "$T/out")
contains "send, every slot taken" "$T/err" \
    "tambuli: the daemon refused the connection: 503 too many control connections (64); broadcast $id is stored and will go out"
exec 3>&-
wait "$hold_pid"
gw_wait_ready g

# ---- 3. clients that hold slots, idle or do not read -------------------------

# one uid other than root cannot take every slot: root and other users
# still get in
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$T"
	chmod 666 "$T/g.sock"
	mkfifo "$T/nobody.in"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$HOLD" hold "$T/g.sock" 100 <"$T/nobody.in" >"$T/nobody.out" 2>&1 &
	hold_pid=$!
	exec 3>"$T/nobody.in"
	wait_line "$T/nobody.out" "connected"
	check "per-uid cap" "connected 100 greeted 16 refused 84
refusal: 409 too many control connections from uid 65534 (at most 16)" \
	    "$(cat "$T/nobody.out")"
	run_expect "root still gets in" 0 tamt g status
	contains "root still gets in" "$T/out" "daemon: running"
	check "another user still gets in" "250 tambulid 1" \
	    "$(setpriv --reuid=daemon --regid=daemon --clear-groups \
	    "$HOLD" probe "$T/g.sock" 2>&1)"
	exec 3>&-
	wait "$hold_pid"
	chmod 700 "$T"
else
	echo "ctl.sh: not root: the per-uid cap test is skipped"
fi

# a client that floods requests and reads nothing is dropped; the
# daemon's memory stays bounded
hwm0=$(kb "$gw_pid" VmHWM)
check "flood dropped" "dropped" "$("$HOLD" flood "$T/g.sock" 30000 2>&1)"
# a client that sends its requests and half-closes (socat, nc -N) still
# gets every answer before the daemon closes
check "half-closed: every request answered" "answered 100" \
    "$("$HOLD" halfclose "$T/g.sock" 100 2>&1)"
hwm1=$(kb "$gw_pid" VmHWM)
rss=$(kb "$gw_pid" VmRSS)
case "$BIN" in
*san*)
	# ASan keeps freed memory in quarantine: peaks say nothing here
	echo "ctl.sh: sanitizer build: the flood's peak memory is not checked" ;;
*)
	if [ $((hwm1 - hwm0)) -lt 10240 ]; then
		ok
	else
		fail "flood: peak memory grew by $((hwm1 - hwm0)) kB (RSS $rss kB)"
	fi ;;
esac
check "flood drop logged once" "1" \
    "$(grep -c 'control client dropped uid=[0-9]* reason=unread pending=' "$T/g.log")"
run_expect "status after the flood" 0 tamt g status

# idle clients are dropped after client_timeout; a client watching a
# broadcast still to be sent and one waiting for a USSD answer are not
# idle; one watching a broadcast that does not exist is
sim_start m2 --ussd-delay 4000
cat >"$T/i.conf" <<'EOF'
[gateway]
client_timeout = 2s
EOF
gw_start i m2
tam i subscribers add +14155550101 >/dev/null 2>&1
tam i send --at +1h "Assembly tomorrow at 10" >"$T/later" 2>&1
later=$(head -n 1 "$T/later")
mkfifo "$T/watch.in" "$T/idle.in"
"$HOLD" idle "$T/i.sock" "$later" <"$T/watch.in" >"$T/watch.out" 2>&1 &
watch_pid=$!
exec 4>"$T/watch.in"
wait_line "$T/watch.out" "ready"
"$HOLD" idle "$T/i.sock" <"$T/idle.in" >"$T/idle.out" 2>&1 &
idle_pid=$!
exec 3>"$T/idle.in"
wait_line "$T/idle.out" "closed"
check "idle client dropped" "ready
closed" "$(cat "$T/idle.out")"
exec 3>&-
wait "$idle_pid"
check "idle drop logged once" "1" \
    "$(grep -c 'control client dropped uid=[0-9]* reason=idle timeout=2s' "$T/i.log")"
mkfifo "$T/nothing.in"
"$HOLD" idle "$T/i.sock" 999 <"$T/nothing.in" >"$T/nothing.out" 2>&1 &
nothing_pid=$!
exec 5>"$T/nothing.in"
wait_line "$T/nothing.out" "closed"
exec 5>&-
wait "$nothing_pid"
check "watching nothing is idle" "ready
closed" "$(cat "$T/nothing.out")"
run_expect "daemon serves others" 0 tamt i status
contains "daemon serves others" "$T/out" "daemon: running"
run_expect "ussd slower than client_timeout" 0 tamt i ussd '*100#'
check "ussd slower than client_timeout" \
    "Your balance is \$5.00. Valid until 2026-12-31." "$(cat "$T/out")"
exec 4>&-
wait "$watch_pid"
check "watcher kept" "ready
open" "$(cat "$T/watch.out")"

# a slow client that never finishes its line is idle too
check "request dripped byte by byte" "closed" \
    "$(timeout 120 "$HOLD" drip "$T/i.sock" 2>&1)"

# at exit the daemon removes its own socket, not what replaced it
rm -f "$T/i.sock"
printf 'keep me\n' >"$T/i.sock"
kill -TERM "$gw_pid"
wait "$gw_pid" 2>/dev/null
check "a file that replaced the socket survives the exit" "keep me" \
    "$(cat "$T/i.sock" 2>&1)"

summary
