#!/bin/sh
# tests/regress/logging.sh — the daemon's log lines: the sd-daemon
# priority prefix and no timestamp when stderr is the journal, timestamps
# otherwise; why a modem cannot be opened, once per change.
. "$(dirname "$0")/lib/common.sh"

# has_lines FILE TEXT COUNT: FILE has COUNT lines containing TEXT
has_lines() {
	[ "$(grep -cF -- "$2" "$1")" -ge "$3" ]
}
# wait_log FILE TEXT COUNT: until it has
wait_log() {
	wait_until has_lines "$@" && return 0
	fail "no $3 lines \"$2\" in $1:"
	tail -20 "$1" | sed 's/^/    /'
	return 1
}

# ---- stderr is the journal: "<N>" prefixes, no timestamps ----------------
: >"$T/j.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/j.log") "$BIN"/tambulid \
    --db "$T/j.db" --socket "$T/j.sock" 2>>"$T/j.log" &
jpid=$!
pids="$pids $jpid"
wait_log "$T/j.log" "tambulid started" 1
contains "journal: info has priority 6" "$T/j.log" "<6>tambulid started: database=$T/j.db"
contains "journal: warning has priority 4" "$T/j.log" "<4>no modems configured"
check "journal: every line has a priority" 0 "$(grep -cv '^<[0-7]>' "$T/j.log")"
kill "$jpid"
wait "$jpid" 2>/dev/null

# a configuration refused at start, an unknown option: errors too, before
# the log is set up
printf '[gateway]\nno_such_setting = 1\n' >"$T/bad.conf"
: >"$T/jb.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/jb.log") "$BIN"/tambulid \
    -c "$T/bad.conf" --db "$T/j.db" --socket "$T/j.sock" 2>>"$T/jb.log"
check "journal: bad configuration exits 1" 1 "$?"
contains "journal: configuration error has priority 3" "$T/jb.log" \
    "<3>$T/bad.conf:2:"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/jb.log") "$BIN"/tambulid \
    -c "$T/none.conf" 2>>"$T/jb.log"
contains "journal: missing configuration has priority 3" "$T/jb.log" \
    "<3>tambulid: $T/none.conf: No such file or directory"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/jb.log") "$BIN"/tambulid --bogus \
    2>>"$T/jb.log"
check "journal: unknown option exits 2" 2 "$?"
contains "journal: unknown option has priority 3" "$T/jb.log" \
    "<3>tambulid: unknown option, or one missing its argument: --bogus"
check "journal: every start-up error has a priority" 0 \
    "$(grep -cv '^<[0-7]>' "$T/jb.log")"

# a JOURNAL_STREAM that is not stderr (inherited by a child): timestamps
: >"$T/t.log"
JOURNAL_STREAM=1:1 "$BIN"/tambulid --db "$T/j.db" --socket "$T/j.sock" \
    --modem "$T/missing" 2>>"$T/t.log" &
tpid=$!
pids="$pids $tpid"
wait_log "$T/t.log" "tambulid started" 1
check "stamped: every line starts with the time" 0 \
    "$(grep -cvE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} tambulid: ' "$T/t.log")"

# ---- why a modem cannot be opened: logged once per change ------------------
# three retries of the missing device, one warning
wait_log "$T/t.log" "modem=modem1 state=opening" 3
check "missing device: one warning" 1 \
    "$(grep -c "modem=modem1 cannot open: $T/missing: No such file or directory" "$T/t.log")"
# another reason: a new warning, once
echo "not a modem" >"$T/missing"
wait_log "$T/t.log" "modem=modem1 cannot open: $T/missing:" 2
n=$(grep -c "state=opening" "$T/t.log")
wait_log "$T/t.log" "modem=modem1 state=opening" $((n + 1))
check "second reason: still two warnings in all" 2 \
    "$(grep -c "modem=modem1 cannot open:" "$T/t.log")"
kill "$tpid"
wait "$tpid" 2>/dev/null

summary
