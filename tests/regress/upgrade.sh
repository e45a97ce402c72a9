#!/bin/sh
# tests/regress/upgrade.sh — an upgrade: a database an older tambuli
# wrote (schema version 3) is migrated at start, after a backup of it as
# it was at "<db>.pre-v<new>"; a backup that cannot be written stops the
# migration and leaves the database untouched.
. "$(dirname "$0")/lib/common.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	fail "the sqlite3 shell is needed (apt-get install sqlite3)"
	summary
	exit 1
fi
SHIM=$(pwd)/bin/enospc.so
if [ ! -f "$SHIM" ]; then
	echo "FAIL: $SHIM is missing (make bin/enospc.so)"
	exit 1
fi

# up NAME: until the daemon answers
up() {
	wait_until tam "$1" status >/dev/null 2>&1 && return 0
	fail "daemon $1 did not answer:"
	sed 's/^/    /' "$T/$1.log" | tail -10
	return 1
}
new=$(sed -n 's/^#define DB_SCHEMA_VERSION[[:space:]]*\([0-9]*\).*/\1/p' db/db.h)

sqlite3 "$T/u.db" <tests/data/schema-v3.sql || fail "loading the v3 fixture"
chmod 600 "$T/u.db"
# a newer CLI does not upgrade the database under an older daemon
run_expect "CLI: older schema refused" 1 tam u subscribers list
contains "CLI: why" "$T/err" \
    "the database has schema version 3 and this tambuli uses $new: restart tambulid"
check "CLI: untouched" 3 "$(sqlite3 "$T/u.db" 'PRAGMA user_version')"
# the fixture's rows are a year old: a long retention keeps them as they
# were (retention.sh tests the purge)
printf '[gateway]\nretention = 520w\n' >"$T/u.conf"
"$BIN"/tambulid -c "$T/u.conf" --db "$T/u.db" --socket "$T/u.sock" >>"$T/u.log" 2>&1 &
pid=$!
pids="$pids $pid"
up u

check "backup before migrating" "3 2" \
    "$(sqlite3 "$T/u.db.pre-v$new" 'PRAGMA user_version' 'SELECT count(*) FROM subscribers' | tr '\n' ' ' | sed 's/ $//')"
check "backup mode" 600 "$(stat -c %a "$T/u.db.pre-v$new")"
check "migrated" "$new" "$(sqlite3 "$T/u.db" 'PRAGMA user_version')"
run_expect "members after the upgrade" 0 tam u subscribers list --json
contains "active member kept" "$T/out" '"phone":"+14155550101","status":"active","language":"es"'
contains "opt-out kept" "$T/out" '"phone":"+14155550102","status":"opted-out"'
kill "$pid"
wait "$pid" 2>/dev/null

# a start without a migration takes no new backup
before=$(stat -c %Y.%s "$T/u.db.pre-v$new")
"$BIN"/tambulid --db "$T/u.db" --socket "$T/u.sock" >>"$T/u.log" 2>&1 &
pid=$!
pids="$pids $pid"
up u
check "no second backup" "$before" "$(stat -c %Y.%s "$T/u.db.pre-v$new")"
kill "$pid"
wait "$pid" 2>/dev/null

# a stale snapshot of another version beside it is replaced, not
# mistaken for this upgrade's
sqlite3 "$T/s.db" <tests/data/schema-v3.sql
cp "$T/u.db" "$T/s.db.pre-v$new"
"$BIN"/tambulid --db "$T/s.db" --socket "$T/s.sock" >>"$T/s.log" 2>&1 &
pid=$!
pids="$pids $pid"
up s
check "stale snapshot replaced" 3 "$(sqlite3 "$T/s.db.pre-v$new" 'PRAGMA user_version')"
kill "$pid"
wait "$pid" 2>/dev/null

# the backup cannot be written (the disk is full for it): no migration,
# the database as it was, a message that says why
sqlite3 "$T/w.db" <tests/data/schema-v3.sql
: >"$T/full"
run_expect "backup impossible: refused" 1 env LD_PRELOAD="$SHIM" \
    TAMBULI_ENOSPC_DB="$T/w.db.pre-v$new" TAMBULI_ENOSPC_FLAG="$T/full" \
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    "$BIN"/tambulid --db "$T/w.db" --socket "$T/w.sock"
contains "backup impossible: why" "$T/err" \
    "not migrating from schema version 3 to $new: the backup before it failed"
check "backup impossible: untouched" 3 "$(sqlite3 "$T/w.db" 'PRAGMA user_version')"
check "backup impossible: no backup left" "" "$(ls "$T" | grep 'w.db.pre')"

summary
