#!/bin/sh
# tests/regress/dblife.sh — the database's lifecycle: one daemon per
# database (the lock), the CLI never creating a database, a new database
# made atomically by the daemon, work stored without a wake-up noticed by
# the database watch (and no wake-ups while idle), a database deleted,
# replaced or damaged under the daemon stopping it with exit status 1.
. "$(dirname "$0")/lib/common.sh"

DBPAGE=bin/dbpage
if [ ! -x "$DBPAGE" ]; then
	echo "FAIL: $DBPAGE is missing (make bin/dbpage)"
	exit 1
fi

# gw_exit NAME PID: waits (up to WAIT_MAX seconds) for the daemon to exit by itself;
# its exit status in $gw_rc (or "running")
gw_exit() {
	i=0
	while kill -0 "$2" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt "$((WAIT_MAX * 10))" ]; then
			gw_rc=running
			fail "$1: still running"
			sed 's/^/    /' "$T/$1.log" | tail -20
			return 1
		fi
		sleep 0.1	# polling a condition, not a fixed wait
	done
	wait "$2"
	gw_rc=$?
}

# gw_once NAME ARGS...: a daemon that should exit by itself (killed
# after 30 s if it does not); its output in $T/NAME.log, status in $gw_rc
gw_once() {
	once=$1
	shift
	"$BIN"/tambulid "$@" >"$T/$once.log" 2>&1 &
	once_pid=$!
	pids="$pids $once_pid"
	gw_exit "$once" "$once_pid" || kill "$once_pid"
}

# members SIM N: N members text JOIN and get their replies
members() {
	before=$(wc -l <"$T/$1.sent" 2>/dev/null || echo 0)
	i=0
	while [ "$i" -lt "$2" ]; do
		sim "$1" sms "+1415555$(printf %04d "$i")" "JOIN" >/dev/null
		i=$((i + 1))
	done
	sim "$1" wait-sent $((before + $2)) 30 >/dev/null ||
	    fail "$1: members did not get their JOIN replies"
}

count_alert() {
	grep -c "$2" "$T/$1.sent" 2>/dev/null || true
}

# ---- the daemon creates a new database, atomically, and says so ---------
sim_start s1
gw_start g s1
contains "new database logged" "$T/g.log" \
    "created a new, empty database at $T/g.db"
check "no temporary file left" "" "$(ls "$T" | grep 'g\.db\.new' || true)"
check "lock file holds the pid" "$gw_pid" "$(cat "$T/g.db.lock")"
check "lock file mode" "600" "$(stat -c %a "$T/g.db.lock")"

# ---- a second daemon on the same database refuses to start --------------
gw_once g2 --db "$T/g.db" --socket "$T/g2.sock"
check "second daemon exits 1" 1 "$gw_rc"
contains "second daemon names the holder" "$T/g2.log" \
    "database $T/g.db is in use by tambulid pid $gw_pid (lock $T/g.db.lock)"
check "the first daemon still answers" 0 \
    "$(tam g status >/dev/null 2>&1; echo $?)"

# ---- the CLI never creates a database ------------------------------------
# (status still reports the daemon it reaches: its exit status is the
# daemon's)
for cmd in "send Hello" "status" "subscribers list" "subscribers add 4155550100" \
    "inbox" "broadcasts" "lists"; do
	want=1
	[ "$cmd" = status ] && want=0
	# shellcheck disable=SC2086
	run_expect "CLI $cmd on a missing database" $want "$BIN"/tambuli \
	    --db "$T/typo.db" --socket "$T/g.sock" $cmd
	contains "CLI $cmd names the path" "$T/err" \
	    "tambuli: no database at $T/typo.db (the default is /var/lib/tambuli/tambuli.db); tambulid creates it on its first start"
	check "CLI $cmd created nothing" "" "$(ls "$T" | grep typo || true)"
done
printf '[gateway]\ndatabase = %s\n' "$T/g.db" >"$T/cli.conf"
run_expect "CLI with a configuration and a mistyped --db" 1 "$BIN"/tambuli \
    -c "$T/cli.conf" --db "$T/typo.db" send "Hello"
contains "the configured database is named" "$T/err" \
    "tambuli: no database at $T/typo.db (the configuration names $T/g.db); tambulid creates it on its first start"
printf '[gateway]\ndatabase = %s\n' "$T/typo.db" >"$T/typo.conf"
run_expect "CLI with a configured database not made yet" 1 "$BIN"/tambuli \
    -c "$T/typo.conf" send "Hello"
contains "only the path is named" "$T/err" \
    "tambuli: no database at $T/typo.db; tambulid creates it on its first start"
: >"$T/empty.db"
run_expect "CLI on an empty file" 1 "$BIN"/tambuli --db "$T/empty.db" \
    --socket "$T/g.sock" send "Hello"
contains "empty file named" "$T/err" \
    "tambuli: no database at $T/empty.db (an empty file)"
check "empty file left empty" 0 "$(stat -c %s "$T/empty.db")"

# ---- send to nobody: stored as done, with a warning ---------------------
run_expect "send to an empty list exits 0" 0 tam g send "Nobody hears this"
id=$(head -n 1 "$T/out")
contains "send to nobody warns" "$T/err" \
    "tambuli: warning: broadcast $id reaches nobody: the list default has no active members (stored as done, nothing will be sent)"
tam g broadcast show --json "$id" >"$T/bc.json"
contains "empty broadcast done" "$T/bc.json" '"state":"done"'

# ---- work stored without a wake-up is noticed ----------------------------
members s1 3
before=$(wc -l <"$T/s1.sent")
run_expect "send with the socket unreachable" 0 "$BIN"/tambuli \
    --db "$T/g.db" --socket "$T/nowhere.sock" send "Watch test"
sim s1 wait-sent $((before + 3)) 20 >/dev/null
check "stored without a kick, sent" 3 "$(count_alert s1 'Watch test')"
before=$(wc -l <"$T/s1.sent")
run_expect "scheduled send with the socket unreachable" 0 "$BIN"/tambuli \
    --db "$T/g.db" --socket "$T/nowhere.sock" send --at +2s "Later test"
sim s1 wait-sent $((before + 3)) 30 >/dev/null
check "scheduled without a kick, sent when due" 3 \
    "$(count_alert s1 'Later test')"

# an idle daemon does not wake itself (its own writes do not count as
# another process's); a busy loop would burn hundreds of ticks here
ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}
if [ -r "/proc/$gw_pid/stat" ]; then
	before=$(ticks "$gw_pid")
	sleep 3		# a measurement window, not a wait for a condition
	after=$(ticks "$gw_pid")
	if [ $((after - before)) -le 10 ]; then
		ok
	else
		fail "idle daemon used $((after - before)) CPU ticks in 3 s"
	fi
fi

# ---- deleted (moved away) under the daemon -------------------------------
sim_start s2
gw_start h s2
members s2 3
mv "$T/h.db" "$T/h.db.moved"
gw_exit h "$gw_pid"
check "deleted: exit status" 1 "$gw_rc"
contains "deleted: said" "$T/h.log" \
    "database $T/h.db was deleted or moved away while tambulid was running"
check "deleted: said once" 1 "$(grep -c 'deleted or moved away' "$T/h.log")"
# the next start does not quietly make an empty database in its place
gw_once h2 --db "$T/h.db" --socket "$T/h.sock"
check "deleted: the next start refuses" 1 "$gw_rc"
contains "deleted: the next start says why" "$T/h2.log" \
    "database $T/h.db is missing, but tambulid ran on it before ($T/h.db.lock is there): it was deleted or moved."
check "deleted: no empty database made" "" "$(ls "$T" | grep '^h\.db$' || true)"
# put back, it is used again
mv "$T/h.db.moved" "$T/h.db"
gw_start h s2
check "put back: the members are there" 3 \
    "$(tam h subscribers list 2>/dev/null | grep -c '^+1')"
kill "$gw_pid"
gw_exit h "$gw_pid"
check "put back: clean stop" 0 "$gw_rc"
# removing the lock file is the deliberate way to start afresh
rm "$T/h.db" "$T/h.db.lock"
gw_start h s2
contains "afresh: new database logged" "$T/h.log" \
    "created a new, empty database at $T/h.db"

# ---- replaced under the daemon -------------------------------------------
: >"$T/k.log"
"$BIN"/tambulid --db "$T/k.db" --socket "$T/k.sock" >>"$T/k.log" 2>&1 &
k_pid=$!
pids="$pids $k_pid"
gw_wait_ready k
cp "$T/k.db" "$T/k.db.other"
mv "$T/k.db.other" "$T/k.db"
gw_exit k "$k_pid"
check "replaced: exit status" 1 "$gw_rc"
contains "replaced: said" "$T/k.log" \
    "database $T/k.db was replaced by another file while tambulid was running"

# ---- damaged while running: one line, no loop, exit 1 ---------------------
sim_start s3
gw_start c s3
members s3 2
for name in outbox outbox_claim outbox_due outbox_expiry; do
	set -- $("$DBPAGE" "$T/c.db" root "$name")
	yes garbage | head -c "$2" >"$T/garbage"
	dd if="$T/garbage" of="$T/c.db" bs="$2" seek=$(($1 - 1)) count=1 \
	    conv=notrunc 2>/dev/null
done
"$DBPAGE" "$T/c.db" touch || fail "touch the damaged database"
gw_exit c "$gw_pid"
check "damaged: exit status" 1 "$gw_rc"
contains "damaged: said" "$T/c.log" "database $T/c.db is damaged ("
contains "damaged: restore advice" "$T/c.log" \
    "restore the database from a backup"
check "damaged: one line about it" 1 "$(grep -c 'malformed' "$T/c.log")"
check "damaged: no scheduler retries" 0 "$(grep -c 'scheduler:' "$T/c.log")"

# ---- damaged at start: refused -------------------------------------------
gw_once c2 --db "$T/c.db" --socket "$T/c.sock"
check "damaged at start: refused" 1 "$gw_rc"
contains "damaged at start: said" "$T/c2.log" \
    "database $T/c.db is damaged ("
contains "damaged at start: advice" "$T/c2.log" "Restore it from a backup"
check "damaged at start: one line" 1 "$(grep -c 'tambulid' "$T/c2.log")"

# ---- garbage in the middle of a stopped daemon's database -----------------
sim_start s4
gw_start m s4
members s4 2
kill "$gw_pid"
gw_exit m "$gw_pid"
check "clean stop: exit status" 0 "$gw_rc"
size=$(stat -c %s "$T/m.db")
yes garbage | head -c 4096 >"$T/garbage"
dd if="$T/garbage" of="$T/m.db" bs=4096 seek=$((size / 4096 / 2)) count=1 \
    conv=notrunc 2>/dev/null
gw_once m2 --db "$T/m.db" --socket "$T/m.sock"
check "garbage in the middle: refused" 1 "$gw_rc"
contains "garbage in the middle: said" "$T/m2.log" \
    "database $T/m.db is damaged ("

summary
