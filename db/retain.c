/*
 * db/retain.c — retention: every row that names a person goes once it is
 * older than the retention period and nobody needs it any more.
 *
 * A purge is a walk through the tables in small steps (retain_step), one
 * short transaction of at most `batch` rows each, so the daemon sends and
 * the CLI writes between two steps.  Each phase walks its table by id
 * (keyset: a step starts after the last id the previous one looked at),
 * and every step re-checks its condition inside its own transaction, so a
 * row that changed in between is judged as it is now.
 *
 *   inbox      texts handled (by an organizer, or by the gateway: a
 *              keyword it acted on) and older than retention (by their
 *              last repeat) are deleted; texts still waiting for an
 *              organizer stay.  Fragments of multipart texts and the
 *              dedup memory of completed ones go too (not counted).
 *   outbox     finished rows (not queued, not sending) of finished
 *              broadcasts, and finished single texts (replies, forwards,
 *              system texts), are deleted with their parts; a broadcast
 *              keeps their counts in broadcasts.gone_<state>.  Rows
 *              younger than outbox_before stay whatever the retention
 *              (status reports, daily caps and rate limits count them).
 *   numbers    opted-out subscribers whose last change is older than
 *              retention become opt-out markers (mark.c); the row and
 *              its memberships are deleted, and their consent events
 *              name the marker ("#" and its 64 hex digits) instead of
 *              the number.  Active members are never touched.
 *   consent    events older than retention lose their free text; the
 *              time, kind, list, keyword and source stay.
 *
 * Anything queued or sending is never touched.  The last run and what it
 * removed are kept in the settings table (retain_last).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "db_int.h"

#define RETAIN_SETTING	"retention_last"

enum {
	RETAIN_INBOX, RETAIN_PARTS, RETAIN_DONE, RETAIN_OUTBOX,
	RETAIN_NUMBERS, RETAIN_CONSENT, RETAIN_END
};

void
retain_start(struct retain *r, int64_t now, int64_t before,
    int64_t outbox_before)
{
	memset(r, 0, sizeof *r);
	r->now = now;
	r->before = before;
	r->outbox_before = outbox_before < before ? outbox_before : before;
	r->phase = RETAIN_INBOX;
}

/* The highest id of the next batch (SELECT MAX(id) ...), 0 when none. */
static int
retain_hi(struct db *db, sqlite3_stmt *s, int64_t lo, int64_t before,
    int batch, int64_t *hi)
{
	int	rc;

	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, before);
	sqlite3_bind_int(s, 3, batch);
	rc = sqlite3_step(s);
	*hi = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "retention");
	return 0;
}

/* Run s with (lo, before, -, hi); *n += rows changed. */
static int
retain_range(struct db *db, sqlite3_stmt *s, int64_t lo, int64_t before,
    int64_t hi, long *n)
{
	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, before);
	sqlite3_bind_int64(s, 4, hi);
	if (db_step_done(db, s, "retention") == -1)
		return -1;
	if (n != NULL)
		*n += sqlite3_changes(db->h);
	return 0;
}

#define RETAIN_IN_COND \
	"COALESCE(last_at, received_at) < ?2 AND (handled = 1 OR " \
	"(keyword IS NOT NULL AND flags = ''))"
/* the unary + keep SQLite on the rowid: through outbox_broadcast it would
 * read every row of every finished broadcast, and sort them, each step */
#define RETAIN_OB_COND \
	"state NOT IN ('queued', 'sending') AND updated_at < ?2 AND " \
	"(+broadcast_id IS NULL OR +broadcast_id IN (SELECT id FROM " \
	"broadcasts WHERE state IN ('done', 'cancelled')))"
#define RETAIN_CE_COND \
	"text IS NOT NULL AND COALESCE(last_at, at) < ?2"

static int
retain_inbox(struct db *db, struct retain *r, int batch, int64_t *hi)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_RET_IN_HI,
	    "SELECT MAX(id) FROM (SELECT id FROM inbox WHERE id > ?1 AND "
	    RETAIN_IN_COND " ORDER BY id LIMIT ?3)")) == NULL ||
	    retain_hi(db, s, r->cursor, r->before, batch, hi) == -1)
		return -1;
	if (*hi == 0)
		return 0;
	if ((s = db_stmt(db, DB_ST_RET_IN_DEL,
	    "DELETE FROM inbox WHERE id > ?1 AND id <= ?4 AND "
	    RETAIN_IN_COND "")) == NULL)
		return -1;
	return retain_range(db, s, r->cursor, r->before, *hi, &r->n.inbox);
}

static int
retain_parts(struct db *db, struct retain *r, int batch, int64_t *hi)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_RET_PART_HI,
	    "SELECT MAX(id) FROM (SELECT id FROM inbound_parts WHERE id > ?1 "
	    "AND received_at < ?2 ORDER BY id LIMIT ?3)")) == NULL ||
	    retain_hi(db, s, r->cursor, r->before, batch, hi) == -1)
		return -1;
	if (*hi == 0)
		return 0;
	if ((s = db_stmt(db, DB_ST_RET_PART_DEL,
	    "DELETE FROM inbound_parts WHERE id > ?1 AND id <= ?4 AND "
	    "received_at < ?2")) == NULL)
		return -1;
	return retain_range(db, s, r->cursor, r->before, *hi, NULL);
}

/* inbound_done has no rowid: a batch at a time until none is left. */
static int
retain_done(struct db *db, struct retain *r, int batch, int64_t *hi)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_RET_DONE_DEL,
	    "DELETE FROM inbound_done WHERE (phone, ref, parts, part) IN "
	    "(SELECT phone, ref, parts, part FROM inbound_done WHERE "
	    "done_at < ?1 LIMIT ?2)")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, r->before);
	sqlite3_bind_int(s, 2, batch);
	if (db_step_done(db, s, "retention") == -1)
		return -1;
	/* the cursor only has to move on while rows were deleted */
	*hi = sqlite3_changes(db->h) > 0 ? r->cursor + 1 : 0;
	return 0;
}

static int
retain_outbox(struct db *db, struct retain *r, int batch, int64_t *hi)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_RET_OB_HI,
	    "SELECT MAX(id) FROM (SELECT id FROM outbox WHERE id > ?1 AND "
	    RETAIN_OB_COND " ORDER BY id LIMIT ?3)")) == NULL ||
	    retain_hi(db, s, r->cursor, r->outbox_before, batch, hi) == -1)
		return -1;
	if (*hi == 0)
		return 0;
	/* the broadcast keeps the counts of the rows that go */
	if ((s = db_stmt(db, DB_ST_RET_OB_GONE,
	    "UPDATE broadcasts SET "
	    "gone_sent = gone_sent + g.sent, "
	    "gone_delivered = gone_delivered + g.delivered, "
	    "gone_failed = gone_failed + g.failed, "
	    "gone_expired = gone_expired + g.expired, "
	    "gone_skipped = gone_skipped + g.skipped, "
	    "gone_cancelled = gone_cancelled + g.cancelled "
	    "FROM (SELECT broadcast_id AS bid, "
	    "  SUM(state = 'sent') AS sent, "
	    "  SUM(state = 'delivered') AS delivered, "
	    "  SUM(state = 'failed') AS failed, "
	    "  SUM(state = 'expired') AS expired, "
	    "  SUM(state = 'skipped') AS skipped, "
	    "  SUM(state = 'cancelled') AS cancelled "
	    "  FROM outbox WHERE id > ?1 AND id <= ?4 AND " RETAIN_OB_COND
	    "  AND +broadcast_id IS NOT NULL "
	    "  GROUP BY broadcast_id) AS g WHERE broadcasts.id = g.bid")) ==
	    NULL ||
	    retain_range(db, s, r->cursor, r->outbox_before, *hi, NULL) == -1)
		return -1;
	/* outbox_parts go with their row (ON DELETE CASCADE) */
	if ((s = db_stmt(db, DB_ST_RET_OB_DEL,
	    "DELETE FROM outbox WHERE id > ?1 AND id <= ?4 AND "
	    RETAIN_OB_COND "")) == NULL)
		return -1;
	return retain_range(db, s, r->cursor, r->outbox_before, *hi,
	    &r->n.outbox);
}

/* One opted-out number becomes a marker. */
static int
retain_number(struct db *db, int64_t id, const char *phone, int64_t at)
{
	unsigned char	 m[MARK_LEN];
	char		 tag[1 + 2 * MARK_LEN + 1];
	sqlite3_stmt	*s;

	if (mark_add(db, phone, at) == -1 || mark_of(db, phone, m) == -1)
		return -1;
	tag[0] = '#';
	sodium_bin2hex(tag + 1, sizeof tag - 1, m, sizeof m);
	if ((s = db_stmt(db, DB_ST_RET_CE_MARK,
	    "UPDATE consent_events SET phone = ?2 WHERE phone = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, phone);
	db_bind_text(s, 2, tag);
	if (db_step_done(db, s, "retention") == -1)
		return -1;
	/* memberships go with the row (ON DELETE CASCADE) */
	if ((s = db_stmt(db, DB_ST_RET_SUB_DEL,
	    "DELETE FROM subscribers WHERE id = ?1 AND "
	    "status = 'opted-out'")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return db_step_done(db, s, "retention");
}

static int
retain_numbers(struct db *db, struct retain *r, int batch, int64_t *hi)
{
	sqlite3_stmt	*s;
	struct {
		int64_t	 id, at;
		char	 phone[32];
	}		*list;
	int		 n = 0, i, rc = SQLITE_DONE;

	if ((s = db_stmt(db, DB_ST_RET_SUB_OLD,
	    "SELECT id, phone, updated_at FROM subscribers WHERE id > ?1 AND "
	    "status = 'opted-out' AND updated_at < ?2 ORDER BY id "
	    "LIMIT ?3")) == NULL)
		return -1;
	list = xcalloc((size_t)batch, sizeof *list);
	sqlite3_bind_int64(s, 1, r->cursor);
	sqlite3_bind_int64(s, 2, r->before);
	sqlite3_bind_int(s, 3, batch);
	while (n < batch && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		list[n].id = sqlite3_column_int64(s, 0);
		strlcpy(list[n].phone, db_col_text(s, 1), sizeof list[n].phone);
		list[n].at = sqlite3_column_int64(s, 2);
		n++;
	}
	if (n < batch && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		free(list);
		return db_fail(db, "retention");
	}
	sqlite3_reset(s);
	*hi = 0;
	for (i = 0; i < n; i++) {
		if (retain_number(db, list[i].id, list[i].phone, list[i].at) ==
		    -1) {
			free(list);
			return -1;
		}
		*hi = list[i].id;
	}
	r->n.numbers += n;
	free(list);
	return 0;
}

static int
retain_consent(struct db *db, struct retain *r, int batch, int64_t *hi)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_RET_CE_HI,
	    "SELECT MAX(id) FROM (SELECT id FROM consent_events WHERE id > ?1 "
	    "AND " RETAIN_CE_COND " ORDER BY id LIMIT ?3)")) == NULL ||
	    retain_hi(db, s, r->cursor, r->before, batch, hi) == -1)
		return -1;
	if (*hi == 0)
		return 0;
	if ((s = db_stmt(db, DB_ST_RET_CE_BLANK,
	    "UPDATE consent_events SET text = NULL WHERE id > ?1 AND "
	    "id <= ?4 AND " RETAIN_CE_COND "")) == NULL)
		return -1;
	return retain_range(db, s, r->cursor, r->before, *hi,
	    &r->n.consent_texts);
}

static int
retain_record(struct db *db, const struct retain *r)
{
	char	v[128];

	snprintf(v, sizeof v, "%lld %ld %ld %ld %ld", (long long)r->now,
	    r->n.inbox, r->n.outbox, r->n.numbers, r->n.consent_texts);
	return db_setting_set(db, RETAIN_SETTING, v);
}

int
retain_step(struct db *db, struct retain *r, int batch)
{
	static int	(*const phase[])(struct db *, struct retain *, int,
			    int64_t *) = { retain_inbox, retain_parts,
			    retain_done, retain_outbox, retain_numbers,
			    retain_consent };
	int64_t		 hi = 0;
	struct retain	 saved = *r;

	if (r->phase >= RETAIN_END)
		return 0;
	if (batch < 1)
		batch = 1;
	if (db_begin(db) == -1)
		return -1;
	/* empty phases cost nothing: go on to the next in the same step */
	while (r->phase < RETAIN_END) {
		if (phase[r->phase](db, r, batch, &hi) == -1)
			goto fail;
		if (hi != 0) {
			r->cursor = hi;
			break;
		}
		r->phase++;
		r->cursor = 0;
	}
	if (r->phase == RETAIN_END && retain_record(db, r) == -1)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;
	return r->phase < RETAIN_END;
fail:
	db_rollback(db);
	*r = saved;
	return -1;
}

int
retain_last(struct db *db, int64_t *at, struct retain_counts *n)
{
	char		v[128];
	long long	t;
	int		rc;

	*at = 0;
	memset(n, 0, sizeof *n);
	if ((rc = db_setting_get(db, RETAIN_SETTING, v, sizeof v)) != 1)
		return rc;
	if (sscanf(v, "%lld %ld %ld %ld %ld", &t, &n->inbox, &n->outbox,
	    &n->numbers, &n->consent_texts) != 5) {
		memset(n, 0, sizeof *n);
		return 0;
	}
	*at = (int64_t)t;
	return 1;
}
