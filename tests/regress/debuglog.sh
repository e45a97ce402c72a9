#!/bin/sh
# tests/regress/debuglog.sh — debug logging shows full phone numbers,
# says so loudly when switched on (-d, SIGUSR2), switches itself off
# (after an hour; TAMBULID_DEBUG_SECONDS shortens that for the test), and
# never writes full numbers into the journal unless debug_numbers = yes.
. "$(dirname "$0")/lib/common.sh"

# has_lines FILE TEXT COUNT: FILE has COUNT lines containing TEXT
has_lines() {
	[ "$(grep -cF -- "$2" "$1")" -ge "$3" ]
}
wait_log() {
	wait_until has_lines "$@" && return 0
	fail "no $3 lines \"$2\" in $1:"
	tail -20 "$1" | sed 's/^/    /'
	return 1
}
# join NUMBER LOG N: the number texts JOIN; wait for the N-th keyword line
join() {
	sim a sms "$1" "JOIN" >/dev/null
	wait_log "$2" "keyword=JOIN" "$3"
}

sim_start a

# ---- a terminal (stamped log), -d: loud, full numbers, off by itself -------
: >"$T/d.log"
TAMBULID_DEBUG_SECONDS=3 "$BIN"/tambulid -d --db "$T/d.db" \
    --socket "$T/d.sock" --modem "$T/a.tty" 2>>"$T/d.log" &
dpid=$!
pids="$pids $dpid"
wait_log "$T/d.log" "modem=modem1 state=ready" 1
contains "-d: loud warning" "$T/d.log" "tambulid: debug logging is on (-d): FULL PHONE NUMBERS are written to the log until "
join +14155551234 "$T/d.log" 1
contains "-d: full number" "$T/d.log" "from=+14155551234 keyword=JOIN"
wait_log "$T/d.log" "debug logging switched itself off after 3 seconds: phone numbers are masked again" 1
join +14155551235 "$T/d.log" 2
contains "off by itself: masked" "$T/d.log" "from=+14*******35 keyword=JOIN"
check "off by itself: that number never in full" 0 \
    "$(grep -c '14155551235' "$T/d.log")"

# SIGUSR2: on (loudly), then off
kill -USR2 "$dpid"
wait_log "$T/d.log" "debug logging is on (SIGUSR2): FULL PHONE NUMBERS" 1
join +14155551236 "$T/d.log" 3
contains "SIGUSR2: full number" "$T/d.log" "from=+14155551236 keyword=JOIN"
kill -USR2 "$dpid"
wait_log "$T/d.log" "debug logging is off (SIGUSR2): phone numbers are masked again" 1
join +14155551237 "$T/d.log" 4
contains "SIGUSR2 off: masked" "$T/d.log" "from=+14*******37 keyword=JOIN"
kill "$dpid"
wait "$dpid" 2>/dev/null

# ---- the journal: debug lines, numbers masked, -T at included ---------------
: >"$T/j.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/j.log") "$BIN"/tambulid -d -T at \
    --db "$T/j.db" --socket "$T/j.sock" --modem "$T/a.tty" \
    2>>"$T/j.log" &
jpid=$!
pids="$pids $jpid"
wait_log "$T/j.log" "modem=modem1 state=ready" 1
contains "journal: the warning at priority 4" "$T/j.log" "<4>debug logging is on (-d) until "
contains "journal: numbers stay masked, says so" "$T/j.log" "phone numbers stay masked: the log is the journal (debug_numbers = yes shows them)"
join +14155551238 "$T/j.log" 1
contains "journal: masked number" "$T/j.log" "from=+14*******38 keyword=JOIN"
check "journal: debug lines are written" yes \
    "$(grep -q '^<7>' "$T/j.log" && echo yes)"
check "journal: the number nowhere in full" 0 "$(grep -c '4155551238' "$T/j.log")"
# the AT trace echoes PDUs and +CMT lines: no run of 7 digits gets through
check "journal: no long digit runs in debug and trace lines" 0 \
    "$(grep '^<7>' "$T/j.log" | grep -cE '[0-9]{7}')"
kill "$jpid"
wait "$jpid" 2>/dev/null

# ---- the journal with debug_numbers = yes: full numbers, loudly ------------
cat >"$T/n.conf" <<EOF
[gateway]
debug_numbers = yes
EOF
: >"$T/n.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/n.log") "$BIN"/tambulid -c "$T/n.conf" \
    --db "$T/n.db" --socket "$T/n.sock" --modem "$T/a.tty" \
    2>>"$T/n.log" &
npid=$!
pids="$pids $npid"
wait_log "$T/n.log" "modem=modem1 state=ready" 1
join +14155551239 "$T/n.log" 1
contains "debug off: masked in the journal" "$T/n.log" "from=+14*******39 keyword=JOIN"
kill -USR2 "$npid"
wait_log "$T/n.log" "<4>debug logging is on (SIGUSR2): FULL PHONE NUMBERS are written to the log until " 1
join +14155551240 "$T/n.log" 2
contains "debug_numbers: full number in the journal" "$T/n.log" "from=+14155551240 keyword=JOIN"
kill "$npid"
wait "$npid" 2>/dev/null

summary
