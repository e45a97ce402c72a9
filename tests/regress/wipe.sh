#!/bin/sh
# tests/regress/wipe.sh — the panic wipe: "tambuli wipe" with the daemon
# running and sending (it stops, exits 0, and every file of the store and
# every recorded backup is overwritten and removed); the confirmation on
# the terminal; a lock held by something that is not a daemon; a recorded
# backup path reused for another file; the daemon destroying the store
# itself (WIPE PATH destroy, what the remote WIPE will call); a later start;
# a daemon that hangs (SIGSTOP) is killed rather than stop the wipe.
. "$(dirname "$0")/lib/common.sh"

HOLD=bin/ctlhold
if [ ! -x "$HOLD" ]; then
	echo "FAIL: $HOLD is missing (make bin/ctlhold)"
	exit 1
fi

S=$T/state
mkdir -p "$S" "$T/bk" "$T/else"
# the daemon of this script: database in its own state directory
g_start() {
	"$BIN"/tambulid ${conf:-} --db "$S/g.db" --socket "$T/g.sock" \
	    --modem "$T/a.tty" >>"$T/g.log" 2>&1 &
	gw_pid=$!
	pids="$pids $gw_pid"
	gw_wait_ready g
}
# gw_ready (lib/common.sh) asks "tam g status": the same paths
tam() {
	shift
	tw "$@"
}
tw() {
	"$BIN"/tambuli --db "$S/g.db" --socket "$T/g.sock" "$@"
}
# no_trace DIR: no member's number anywhere under DIR
no_trace() {
	! grep -rqa '1415555' "$1"
}
exists() {
	[ -e "$1" ] && echo yes || echo no
}

# ---- a store with members, backups, a snapshot, a half-made database -------
sim_start a --latency 30
g_start
i=0
while [ "$i" -lt 20 ]; do
	sim a sms "+1415555$((1000 + i))" "JOIN" >/dev/null
	i=$((i + 1))
done
joined() {
	[ "$(tw subscribers list --json | grep -o '"phone"' | wc -l)" -eq 20 ]
}
wait_until joined || fail "members did not join"
run_expect "backup one" 0 tw backup "$T/bk/one.db"
run_expect "backup two" 0 tw backup "$T/bk/two.db"
run_expect "backup reused" 0 tw backup "$T/bk/reused.db"
run_expect "backup moved away" 0 tw backup "$T/bk/moved.db"
check "backups recorded (absolute paths)" \
    "$T/bk/moved.db $T/bk/one.db $T/bk/reused.db $T/bk/two.db" \
    "$(sqlite3 "$S/g.db" 'SELECT path FROM backups ORDER BY path' | tr '\n' ' ' | sed 's/ $//')"
# the operator reused one name for something else, moved another away
echo "shopping list: call +14155551999" >"$T/bk/reused.db"
mv "$T/bk/moved.db" "$T/else/moved.db"
# what a migration and an interrupted first start leave beside it
cp "$T/bk/one.db" "$S/g.db.pre-v7"
cp "$T/bk/one.db" "$S/g.db.new-4242"
# a name that only looks like ours is not ours
echo "the operator's notes" >"$S/g.db.new-notes"
# another name of the database (a hard link): overwritten in place, the
# members' numbers are gone from it too
ln "$S/g.db" "$T/else/hardlink.db"

# ---- refused: no terminal and no flag; the wrong words on a terminal ------
before=$(ls "$S" | tr '\n' ' ')
run_expect "no terminal: refused" 1 setsid -w "$BIN"/tambuli --db "$S/g.db" \
    --socket "$T/g.sock" wipe </dev/null
contains "no terminal: why" "$T/err" "no terminal to confirm on: give --yes-destroy-everything"
check "no terminal: nothing destroyed" "$before" "$(ls "$S" | tr '\n' ' ')"
# stdin is not the terminal: "destroy everything" piped in is not read
echo "destroy everything" >"$T/words"
run_expect "words on stdin: refused" 1 setsid -w "$BIN"/tambuli \
    --db "$S/g.db" --socket "$T/g.sock" wipe <"$T/words"
if command -v script >/dev/null 2>&1; then
	printf 'destroy everythin\n' | script -qec "$BIN/tambuli --db $S/g.db \
	    --socket $T/g.sock wipe" /dev/null >"$T/tty.out" 2>&1
	check "wrong words: exit 1" 1 "$?"
	contains "wrong words: prompt" "$T/tty.out" "Type \"destroy everything\" to go on:"
	contains "wrong words: why" "$T/tty.out" "not confirmed: nothing destroyed"
	check "wrong words: nothing destroyed" "$before" "$(ls "$S" | tr '\n' ' ')"
else
	echo "note: no script(1): the terminal prompt is not tested"
fi
kill -0 "$gw_pid" 2>/dev/null
check "refusals: the daemon still runs" 0 "$?"

# ---- a WIPE naming another database: the daemon refuses ----------------------
check "WIPE of another database: refused" \
    "404 $T/bk/one.db is not the database of this tambulid ($S/g.db)" \
    "$("$HOLD" say "$T/g.sock" "WIPE $T/bk/one.db")"

# ---- the wipe, while the daemon sends ------------------------------------------
id=$(tw send "Wipe while sending" | head -n 1)
sending() {
	[ -s "$T/a.sent" ]
}
wait_until sending || fail "nothing was sent before the wipe"
run_expect "wipe while sending" 0 tw wipe --yes-destroy-everything
# (-wal and -shm are there when the daemon's last close left them)
check "wipe: one line" "wiped: $S/g.db, 2 backups (1 recorded one already gone), 1 migration snapshot, 1 half-made database; left alone: $T/bk/reused.db (recorded as a backup, no longer a tambuli database)" \
    "$(sed 's/ (+wal, shm)//' "$T/out")"
check "wipe: nothing on stderr" "" "$(cat "$T/err")"
wait "$gw_pid"
check "daemon exit status" 0 "$?"
contains "daemon says why it stopped" "$T/g.log" "panic wipe: stopping now"
check "state directory: only a file that is not ours" "g.db.new-notes" "$(ls -A "$S")"
rm "$S/g.db.new-notes"
check "no trace in the state directory" 0 "$(no_trace "$S"; echo $?)"
check "backup one gone" no "$(exists "$T/bk/one.db")"
check "backup two gone" no "$(exists "$T/bk/two.db")"
check "reused name left alone" "shopping list: call +14155551999" "$(cat "$T/bk/reused.db")"
check "moved backup out of reach" yes "$(exists "$T/else/moved.db")"
check "socket removed" no "$(exists "$T/g.sock")"
# the other name of the database file: still there, overwritten
check "hard link: not emptied, overwritten" yes \
    "$([ "$(stat -c %s "$T/else/hardlink.db")" -ge 4096 ] && echo yes)"
check "hard link: zeros only" 0 \
    "$(tr -d '\000' <"$T/else/hardlink.db" | wc -c)"

# ---- a later start: a new, empty database -------------------------------------
g_start
contains "later start: a new database" "$T/g.log" "created a new, empty database at $S/g.db"
check "later start: no members" "no subscribers" "$(tw subscribers list 2>&1)"

# ---- a lock held by something that is not a daemon: refused --------------------
kill "$gw_pid"
wait "$gw_pid" 2>/dev/null
# flock(1) holds the lock while "cat" reads a FIFO we keep open
mkfifo "$T/hold.fifo"
flock "$S/g.db.lock" sh -c 'echo held >"$0"; exec cat' "$T/holder.out" \
    <"$T/hold.fifo" &
holder=$!
pids="$pids $holder"
exec 7>"$T/hold.fifo"
held() {
	[ -s "$T/holder.out" ]
}
wait_until held || fail "flock did not take the lock"
run_expect "lock held by another process: refused" 1 \
    tw wipe --yes-destroy-everything
contains "lock held: why" "$T/err" "is in use ($S/g.db.lock held by"
contains "lock held: nothing destroyed" "$T/err" "nothing destroyed"
check "lock held: database still there" yes "$(exists "$S/g.db")"
exec 7>&-
wait "$holder" 2>/dev/null

# ---- no daemon, confirmed on the terminal: the CLI wipes alone -----------------
if command -v script >/dev/null 2>&1; then
	printf 'destroy everything\n' | script -qec "$BIN/tambuli --db $S/g.db \
	    --socket $T/g.sock wipe" /dev/null >"$T/tty.out" 2>&1
	check "confirmed on the terminal: exit 0" 0 "$?"
	contains "confirmed: one line" "$T/tty.out" "wiped: $S/g.db, 0 backups"
	check "confirmed: state directory empty" "" "$(ls -A "$S")"
fi

# ---- a symbolic link planted in the state directory is never followed ---------
echo "not yours" >"$T/else/victim"
ln -s "$T/else/victim" "$S/g.db.pre-v9"
run_expect "planted link: reported" 1 tw wipe --yes-destroy-everything
contains "planted link: named" "$T/err" "$S/g.db.pre-v9: a symbolic link: not followed"
check "planted link: its target untouched" "not yours" "$(cat "$T/else/victim")"
rm -f "$S/g.db.pre-v9"

# ---- the daemon destroys the store itself (WIPE PATH destroy), organizers
# told first ------------------------------------------------------------------
printf '[gateway]\nforward = +14155559999, +14155559998\n' >"$T/g.conf"
conf="-c $T/g.conf"
g_start
run_expect "backup before the self-wipe" 0 tw backup "$T/bk/three.db"
check "WIPE destroy: accepted" "200 telling the organizers, then destroying the database" \
    "$("$HOLD" say "$T/g.sock" "WIPE $S/g.db destroy")"
wait "$gw_pid"
check "self-wipe: exit status" 0 "$?"
conf=""
contains "self-wipe: organizers told first" "$T/g.log" "panic wipe: 2 organizers told; the store is destroyed once those texts are sent"
for o in +14155559999 +14155559998; do
	check "organizer $o told before the wipe" \
	    "Panic wipe: the SMS gateway is destroying its data now (members, texts, history). It stops sending after this." \
	    "$(sent_to a "$o")"
done
contains "self-wipe: logged" "$T/g.log" "wiped: $S/g.db, 1 backup"
check "self-wipe: state directory empty" "" "$(ls -A "$S")"
check "self-wipe: backup gone" no "$(exists "$T/bk/three.db")"
g_start
check "after the self-wipe: starts" "no subscribers" "$(tw subscribers list 2>&1)"

# ---- a hung daemon (SIGSTOP) does not stop the wipe: it is killed -----------
sim a sms +14155552000 "JOIN" >/dev/null
joined_one() {
	[ "$(tw subscribers list --json | grep -o '"phone"' | wc -l)" -eq 1 ]
}
wait_until joined_one || fail "the member did not join"
kill -STOP "$gw_pid"
run_expect "hung daemon: wiped" 0 tw wipe --yes-destroy-everything
check "hung daemon: one line" "wiped: $S/g.db, 0 backups; tambulid (pid $gw_pid) did not stop when asked: killed" \
    "$(sed 's/ (+wal, shm)//' "$T/out")"
check "hung daemon: nothing on stderr" "" "$(cat "$T/err")"
wait "$gw_pid"
check "hung daemon: killed" 137 "$?"
check "hung daemon: gone" 1 "$(kill -0 "$gw_pid" 2>/dev/null; echo $?)"
check "hung daemon: state directory empty" "" "$(ls -A "$S")"

summary
