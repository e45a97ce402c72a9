#!/bin/sh
# tests/bench/bench_retain.sh — the retention purge on a large database
# (figures, not pass/fail): N members (default 100,000), one in ten opted
# out, each with a consent text, a finished broadcast to all of them (one
# outbox row and one part each, delivered) and a handled inbox text each,
# all 100 days old.
#
#   1. bin/bench_fill purge: the purge alone, 500 rows a step (or each of
#      BENCH_RETAIN_BATCHES="100 250 500"), as the
#      daemon runs it: total time and the longest step (the longest the
#      daemon's event loop waits on it)
#   2. the daemon started on a second copy (it purges at start): how long
#      "tambuli status" takes to answer while the purge runs (the control
#      socket is served between two steps), worst of all the requests
#
# Clock: bin/bench_fill now (microseconds).  Needs sqlite3.
set -u
cd "$(dirname "$0")/../.." || exit 1
for b in bin/tambulid bin/tambuli bin/bench_fill; do
	if [ ! -x "$b" ]; then
		echo "bench: $b is missing (make all bin/bench_fill)" >&2
		exit 1
	fi
done
command -v sqlite3 >/dev/null || { echo "bench: no sqlite3" >&2; exit 1; }
N=${BENCH_RETAIN_N:-100000}
T=$(mktemp -d "${TMPDIR:-/tmp}/tambuli-bench.XXXXXX") || exit 1
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

old=$(($(date +%s) - 100 * 86400))
bin/bench_fill fill "$T/a.db" "$N" || exit 1
sqlite3 "$T/a.db" <<EOF2 || exit 1
PRAGMA foreign_keys = OFF;
BEGIN;
UPDATE subscribers SET created_at = $old, updated_at = $old;
UPDATE subscribers SET status = 'opted-out' WHERE id % 10 = 0;
UPDATE consent_events SET at = $old, text = 'JOIN me please';
INSERT INTO broadcasts (id, text, list_id, state, created_at, scheduled_at,
    recipients) VALUES (1, 'Rally moved to City Hall, 6pm', 1, 'done', $old,
    $old, $N);
INSERT INTO outbox (broadcast_id, phone, kind, state, next_attempt_at,
    modem, mr, created_at, updated_at, segments)
    SELECT 1, phone, 'alert', 'delivered', $old, 'm1', id % 256, $old, $old,
    1 FROM subscribers;
INSERT INTO outbox_parts (outbox_id, part, modem, mr, phone, sent_at, status)
    SELECT id, 1, 'm1', mr, phone, $old, 0 FROM outbox;
INSERT INTO inbox (phone, text, received_at, handled)
    SELECT phone, 'Where is the meeting on Friday?', $old, 1 FROM subscribers;
COMMIT;
EOF2
cp "$T/a.db" "$T/b.db"
cp "$T/a.db" "$T/orig.db"
echo "retention purge of $(sqlite3 "$T/a.db" "SELECT (SELECT COUNT(*) FROM
    inbox) + (SELECT COUNT(*) FROM outbox) + (SELECT COUNT(*) FROM
    outbox_parts) + (SELECT COUNT(*) FROM consent_events) + (SELECT
    COUNT(*) FROM subscribers)") rows ($N members):"
for batch in ${BENCH_RETAIN_BATCHES:-500}; do
	cp "$T/orig.db" "$T/a.db"
	rm -f "$T/a.db-wal" "$T/a.db-shm"
	printf '  purge alone:  '
	bin/bench_fill purge "$T/a.db" $((90 * 86400)) "$batch" || exit 1
done

# the daemon purges at start; the control socket keeps answering
bin/tambulid --db "$T/b.db" --socket "$T/b.sock" >"$T/b.log" 2>&1 &
pid=$!
worst=0
n=0
t_end=$(($(date +%s) + 600))
while [ "$(date +%s)" -lt "$t_end" ]; do
	t0=$(bin/bench_fill now)
	bin/tambuli --db "$T/b.db" --socket "$T/b.sock" status >"$T/st" 2>&1
	t1=$(bin/bench_fill now)
	if grep -q "purging now" "$T/st"; then
		n=$((n + 1))
		[ $((t1 - t0)) -gt "$worst" ] && worst=$((t1 - t0))
	elif grep -q "last purge" "$T/st" && ! grep -q "removed 0 inbox" "$T/st"
	then
		break
	fi
done
echo "  in the daemon: $(grep 'retention: removed' "$T/b.log" |
    sed 's/.*retention: //')"
echo "  tambuli status during the purge: $n requests, slowest" \
    "$((worst / 1000)) ms (the whole command: start, connect, reply)"
