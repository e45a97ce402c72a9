#!/bin/sh
# tests/regress/admin.sh — the operator's commands: "tambuli backup" while
# the daemon sends, restoring it, and "tambuli doctor".
. "$(dirname "$0")/lib/common.sh"

# ---- backup while a broadcast is being sent ------------------------------
sim_start a --latency 30
gw_start g a
i=0
while [ "$i" -lt 20 ]; do
	sim a sms "+1415555$((1000 + i))" "JOIN" >/dev/null
	i=$((i + 1))
done
joined() {
	[ "$(tam g subscribers list --json | grep -o '"phone"' | wc -l)" -eq "$1" ]
}
wait_until joined 20 || fail "members did not join"
id=$(tam g send "Backup while sending" | head -n 1)
run_expect "backup while sending" 0 tam g backup "$T/snap.db"
contains "backup says where" "$T/out" "written to $T/snap.db"
check "backup mode" "600" "$(stat -c %a "$T/snap.db")"
# one self-contained file: no -wal beside it, and it opens on its own
check "backup has no wal" "no" "$([ -e "$T/snap.db-wal" ] && echo yes || echo no)"
run_expect "backup readable" 0 "$BIN"/tambuli --db "$T/snap.db" \
    --socket "$T/none.sock" subscribers list --json
check "backup holds the members" 20 "$(grep -o '"phone"' "$T/out" | wc -l)"
check "backup holds the broadcast" 1 "$("$BIN"/tambuli --db "$T/snap.db" \
    --socket "$T/none.sock" broadcasts --json | grep -o "\"id\":$id," | wc -l)"
wait_bc g "$id"

# the live database and its files are refused, nothing touched
before=$(cksum <"$T/g.db")
run_expect "backup onto the database" 1 tam g backup "$T/g.db"
contains "backup onto the database: why" "$T/err" "is the live database"
check "database untouched" "$before" "$(cksum <"$T/g.db")"
run_expect "backup onto the wal" 1 tam g backup "$T/g.db-wal"
# a directory that does not exist: a clear error, no stray temporary file
run_expect "backup into a missing directory" 1 tam g backup "$T/no/such/x.db"
contains "missing directory: why" "$T/err" "No such file or directory"
# an existing backup is replaced whole
run_expect "backup again" 0 tam g backup "$T/snap.db"
check "no temporary files left" 0 "$(ls "$T" | grep -c 'tmp-')"

# ---- restore: stop, replace, start ---------------------------------------
kill "$gw_pid"
wait "$gw_pid" 2>/dev/null
run_expect "subscriber removed after the backup" 0 "$BIN"/tambuli \
    --db "$T/g.db" --socket "$T/g.sock" subscribers remove +14155551000
cp "$T/snap.db" "$T/g.db"
rm -f "$T/g.db-wal" "$T/g.db-shm"
gw_start g a
run_expect "restored" 0 tam g subscribers list --json
check "restored members" 20 "$(grep -o '"phone"' "$T/out" | wc -l)"

# ---- doctor ---------------------------------------------------------------
cat >"$T/d.conf" <<EOF
[gateway]
database = $T/g.db
socket = $T/g.sock

[modem a]
device = $T/a.tty
EOF
run_expect "doctor: all well" 0 "$BIN"/tambuli -c "$T/d.conf" doctor
contains "doctor: database" "$T/out" "ok    database      $T/g.db"
contains "doctor: daemon" "$T/out" "ok    daemon        tambulid answers on $T/g.sock; 1 modem ready"
contains "doctor: modem in use by the daemon" "$T/out" ", in use by tambulid"
contains "doctor: summary" "$T/out" "0 failed,"

# another program holding the modem's port is named
tty=$(readlink -f "$T/a.tty")
sleep 600 <"$tty" &
holder=$!
pids="$pids $holder"
run_expect "doctor: port held by another program" 1 "$BIN"/tambuli \
    -c "$T/d.conf" doctor
contains "doctor: holder named" "$T/out" "is held by"
contains "doctor: holder pid" "$T/out" "sleep (pid $holder)"
kill "$holder"

# a record from the future: the clock went backwards
sqlite3 "$T/g.db" "UPDATE subscribers SET updated_at = strftime('%s','now') + 86400 WHERE id = 1" 2>"$T/err" ||
    fail "sqlite3: $(cat "$T/err")"
run_expect "doctor: clock behind the database" 1 "$BIN"/tambuli \
    -c "$T/d.conf" doctor
contains "doctor: clock" "$T/out" "fail  clock         the database holds records from"

# the daemon gone, the database world-readable, the device missing
kill "$gw_pid"
wait "$gw_pid" 2>/dev/null
chmod 0644 "$T/g.db"
sed -i "s|device = .*|device = $T/unplugged|" "$T/d.conf"
run_expect "doctor: everything wrong" 1 "$BIN"/tambuli -c "$T/d.conf" doctor
contains "doctor: no daemon" "$T/out" "fail  daemon        no tambulid answers on $T/g.sock"
contains "doctor: permissions" "$T/out" "fail  permissions   $T/g.db is mode 0644"
contains "doctor: unplugged" "$T/out" "fail  modem a       $T/unplugged: No such file or directory"


# ---- doctor: the configured user, and what a non-root doctor cannot see ----
# (needs root: a throwaway user, removed on exit, as priv.sh does)
if [ "$(id -u)" -eq 0 ] && command -v useradd >/dev/null 2>&1; then
	u=tbd$$
	useradd --system --no-create-home --shell /usr/sbin/nologin "$u" ||
	    exit 1
	trap 'userdel "$u" 2>/dev/null; cleanup' EXIT
	chmod 711 "$T"
	chmod 0600 "$tty"
	chown root "$tty"
	sed -i "s|device = .*|device = $tty|" "$T/d.conf"
	sed -i "s|^\[gateway\]|[gateway]\nuser = $u|" "$T/d.conf"
	run_expect "doctor: the configured user cannot open the port" 1 \
	    "$BIN"/tambuli -c "$T/d.conf" doctor
	contains "doctor: checked as the configured user" "$T/out" \
	    "cannot be opened by user $u (user = in [gateway])"
	sed -i "s|^user = .*|user = nosuch$$|" "$T/d.conf"
	run_expect "doctor: the configured user does not exist" 1 \
	    "$BIN"/tambuli -c "$T/d.conf" doctor
	contains "doctor: no such user" "$T/out" \
	    "fail  user          there is no user nosuch$$"
	# run by that user, which can open the port, doctor cannot look
	# into root's processes: it says so instead of "not held"
	sed -i "s|^user = .*|user = $u|" "$T/d.conf"
	chmod 0644 "$T/d.conf"
	chown "$u" "$tty"
	run_expect "doctor: not root" 1 setpriv --reuid="$u" \
	    --regid="$(id -g "$u")" --init-groups "$BIN"/tambuli \
	    -c "$T/d.conf" doctor
	contains "doctor: not root: could not check the holders" "$T/out" \
	    "warn  modem a       $tty ($tty); could not check whether another program (ModemManager?) holds it"
fi

summary
