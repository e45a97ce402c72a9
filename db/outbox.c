/*
 * db/outbox.c — broadcasts and the outbox: the queue.
 *
 * An alert is one broadcasts row plus one outbox row per recipient,
 * committed together or not at all (INSERT ... SELECT: set-based, one
 * transaction, whatever the list size).  Each outbox row moves through
 *   queued -> sending -> sent | queued (retry) | failed
 * and also skipped (opted out, checked at send time), expired, cancelled;
 * each arrow is one function here and one transaction.  "sending" is
 * committed before the modem sees the message, and rows left "sending" by
 * a crash go back to the queue at start-up: delivery is at least once, a
 * duplicate is possible only for the message in flight, loss is not.
 * A number has at most one row "sending" at a time (outbox_claim_except),
 * so what goes to one number goes out in the order claimed, whatever the
 * modems; a row left "sending" blocks nothing beyond the next start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "db_int.h"

static const char *outbox_kind_names[] = { "alert", "reply", "system",
    "forward" };

static enum outbox_kind
outbox_kind_from(const char *s)
{
	size_t	i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, outbox_kind_names[i]) == 0)
			return (enum outbox_kind)i;
	return OUTBOX_REPLY;
}

int
broadcast_recipients(struct db *db, const char *list, long *n)
{
	sqlite3_stmt	*s;
	int64_t		 lid;

	if ((lid = db_list_id(db, list)) == -1)
		return -1;
	if (lid == 0)
		return db_failf(db, "no such list: %s", list);
	if ((s = db_stmt(db, DB_ST_BC_COUNT,
	    "SELECT COUNT(*) FROM memberships m JOIN subscribers s ON "
	    "s.id = m.subscriber_id WHERE m.list_id = ?1 AND "
	    "s.status = 'active'")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, lid);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(db, "recipients");
	}
	*n = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int
broadcast_create(struct db *db, const struct broadcast_new *b, int64_t now,
    int64_t *id, long *recipients)
{
	sqlite3_stmt	*s;
	int64_t		 lid, at = b->scheduled_at > 0 ? b->scheduled_at : now;
	size_t		 i;

	if (db_begin(db) == -1)
		return -1;
	if ((lid = db_list_id(db, b->list)) == -1)
		goto fail;
	if (lid == 0) {
		db_rollback(db);
		return db_failf(db, "no such list: %s", b->list);
	}
	if ((s = db_stmt(db, DB_ST_BC_INSERT,
	    "INSERT INTO broadcasts (text, list_id, priority, state, "
	    "created_at, scheduled_at, expires_at, encoding, segments, "
	    "author, notify) "
	    "VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?6, ?7, ?8, ?9, ?10)")) ==
	    NULL)
		goto fail;
	db_bind_text(s, 1, b->text);
	sqlite3_bind_int64(s, 2, lid);
	sqlite3_bind_int(s, 3, b->priority);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int64(s, 5, at);
	if (b->expires_at > 0)
		sqlite3_bind_int64(s, 6, b->expires_at);
	db_bind_text(s, 7, b->encoding);
	sqlite3_bind_int(s, 8, b->segments);
	db_bind_text(s, 9, b->author);
	db_bind_text(s, 10, b->notify);
	if (db_step_done(db, s, "broadcast") == -1)
		goto fail;
	*id = sqlite3_last_insert_rowid(db->h);

	if ((s = db_stmt(db, DB_ST_BC_EXPAND,
	    "INSERT INTO outbox (broadcast_id, phone, kind, priority, state, "
	    "next_attempt_at, expires_at, created_at, updated_at) "
	    "SELECT ?1, s.phone, 'alert', ?2, 'queued', ?3, ?4, ?5, ?5 "
	    "FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id "
	    "WHERE m.list_id = ?6 AND s.status = 'active' ORDER BY s.id"))
	    == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, *id);
	sqlite3_bind_int(s, 2, b->priority);
	sqlite3_bind_int64(s, 3, at);
	if (b->expires_at > 0)
		sqlite3_bind_int64(s, 4, b->expires_at);
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_int64(s, 6, lid);
	if (db_step_done(db, s, "broadcast recipients") == -1)
		goto fail;
	*recipients = sqlite3_changes(db->h);

	if (b->npoll > 0 && db_poll_insert(db, *id, b, at) == -1)
		goto fail;
	for (i = 0; i < b->nvariants; i++) {
		if ((s = db_stmt(db, DB_ST_BC_VARIANT,
		    "INSERT INTO broadcast_variants (broadcast_id, language, "
		    "text) VALUES (?1, ?2, ?3)")) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, *id);
		db_bind_text(s, 2, b->variant_lang[i]);
		db_bind_text(s, 3, b->variant_text[i]);
		if (db_step_done(db, s, "broadcast variant") == -1)
			goto fail;
	}
	if ((s = db_stmt(db, DB_ST_BC_SET_RECIPIENTS,
	    "UPDATE broadcasts SET recipients = ?2, state = CASE WHEN ?2 = 0 "
	    "THEN 'done' ELSE state END WHERE id = ?1")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, *id);
	sqlite3_bind_int64(s, 2, *recipients);
	if (db_step_done(db, s, "broadcast") == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

void
broadcast_clear(struct broadcast *b)
{
	free(b->text);
	b->text = NULL;
}

static void
broadcast_row(sqlite3_stmt *s, struct broadcast *b)
{
	memset(b, 0, sizeof *b);
	b->id = sqlite3_column_int64(s, 0);
	b->text = xstrdup(db_col_text(s, 1));
	strlcpy(b->list, db_col_text(s, 2), sizeof b->list);
	strlcpy(b->state, db_col_text(s, 3), sizeof b->state);
	b->priority = sqlite3_column_int(s, 4);
	b->created_at = sqlite3_column_int64(s, 5);
	b->scheduled_at = sqlite3_column_int64(s, 6);
	b->expires_at = sqlite3_column_int64(s, 7);
	strlcpy(b->encoding, db_col_text(s, 8), sizeof b->encoding);
	b->segments = sqlite3_column_int(s, 9);
	b->recipients = (long)sqlite3_column_int64(s, 10);
	/* rows already deleted (retention, forgetting) count too */
	b->queued = (long)sqlite3_column_int64(s, 11);
	b->sending = (long)sqlite3_column_int64(s, 12);
	b->sent = (long)sqlite3_column_int64(s, 13);
	b->delivered = (long)sqlite3_column_int64(s, 14);
	b->failed = (long)sqlite3_column_int64(s, 15);
	b->expired = (long)sqlite3_column_int64(s, 16);
	b->skipped = (long)sqlite3_column_int64(s, 17);
	b->cancelled = (long)sqlite3_column_int64(s, 18);
	strlcpy(b->author, db_col_text(s, 19), sizeof b->author);
	strlcpy(b->notify, db_col_text(s, 20), sizeof b->notify);
}

#define BROADCAST_COLUMNS \
	"b.id, b.text, l.name, b.state, b.priority, b.created_at, " \
	"b.scheduled_at, b.expires_at, b.encoding, b.segments, b.recipients, " \
	"b.gone_queued, b.gone_sending, b.gone_sent, b.gone_delivered, " \
	"b.gone_failed, b.gone_expired, b.gone_skipped, b.gone_cancelled, " \
	"b.author, b.notify "

static int
broadcast_counts(struct db *db, struct broadcast *b)
{
	sqlite3_stmt	*s;
	const char	*st;
	long		 n;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_BC_COUNTS,
	    "SELECT state, COUNT(*) FROM outbox WHERE broadcast_id = ?1 "
	    "GROUP BY state")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, b->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		st = db_col_text(s, 0);
		n = (long)sqlite3_column_int64(s, 1);
		if (strcmp(st, "queued") == 0)
			b->queued += n;
		else if (strcmp(st, "sending") == 0)
			b->sending += n;
		else if (strcmp(st, "sent") == 0)
			b->sent += n;
		else if (strcmp(st, "delivered") == 0)
			b->delivered += n;
		else if (strcmp(st, "failed") == 0)
			b->failed += n;
		else if (strcmp(st, "expired") == 0)
			b->expired += n;
		else if (strcmp(st, "skipped") == 0)
			b->skipped += n;
		else if (strcmp(st, "cancelled") == 0)
			b->cancelled += n;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(db, "broadcast counts");
	return 0;
}

int
broadcast_get(struct db *db, int64_t id, struct broadcast *b)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_BC_GET,
	    "SELECT " BROADCAST_COLUMNS "FROM broadcasts b "
	    "JOIN lists l ON l.id = b.list_id WHERE b.id = ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(db, "broadcast");
	}
	broadcast_row(s, b);
	sqlite3_reset(s);
	if (broadcast_counts(db, b) == -1) {
		broadcast_clear(b);
		return -1;
	}
	return 0;
}

int
broadcast_foreach(struct db *db, int limit,
    int (*cb)(const struct broadcast *, void *), void *arg)
{
	sqlite3_stmt	*s;
	int64_t		*ids = NULL;
	size_t		 n = 0, cap = 0, i;
	struct broadcast b;
	int		 rc, stop = 0;

	if ((s = db_stmt(db, DB_ST_BC_LIST,
	    "SELECT id FROM broadcasts ORDER BY id DESC LIMIT ?1")) == NULL)
		return -1;
	sqlite3_bind_int(s, 1, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			ids = xreallocarray(ids, cap, sizeof *ids);
		}
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(ids);
		return db_fail(db, "broadcasts");
	}
	for (i = 0; i < n && !stop; i++) {
		if ((rc = broadcast_get(db, ids[i], &b)) == -1) {
			free(ids);
			return -1;
		}
		if (rc == 1)
			continue;
		stop = cb(&b, arg);
		broadcast_clear(&b);
	}
	free(ids);
	return 0;
}

int
broadcast_cancel(struct db *db, int64_t id, int64_t now, long *cancelled)
{
	sqlite3_stmt	*s;

	*cancelled = 0;
	if (db_begin(db) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_BC_CANCEL,
	    "UPDATE broadcasts SET state = 'cancelled' WHERE id = ?1 AND "
	    "state IN ('queued', 'sending')")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	if (db_step_done(db, s, "cancel") == -1)
		goto fail;
	if (sqlite3_changes(db->h) == 0) {
		db_rollback(db);
		return 1;
	}
	if ((s = db_stmt(db, DB_ST_BC_CANCEL_ROWS,
	    "UPDATE outbox SET state = 'cancelled', updated_at = ?2 "
	    "WHERE broadcast_id = ?1 AND state = 'queued'")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	if (db_step_done(db, s, "cancel") == -1)
		goto fail;
	*cancelled = sqlite3_changes(db->h);
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
outbox_enqueue(struct db *db, const char *phone, const char *text,
    enum outbox_kind kind, int priority, int64_t now, int64_t *id)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_OB_INSERT,
	    "INSERT INTO outbox (phone, text, kind, priority, state, "
	    "next_attempt_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, "
	    "'queued', ?5, ?5, ?5)")) == NULL)
		return -1;
	db_bind_text(s, 1, phone);
	db_bind_text(s, 2, text);
	db_bind_text(s, 3, outbox_kind_names[kind]);
	sqlite3_bind_int(s, 4, priority);
	sqlite3_bind_int64(s, 5, now);
	if (db_step_done(db, s, "queue message") == -1)
		return -1;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db->h);
	return 0;
}

void
outbox_item_clear(struct outbox_item *it)
{
	free(it->text);
	it->text = NULL;
}

static int
outbox_set_state(struct db *db, int64_t id, const char *state,
    const char *err, int64_t now)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_OB_SET_STATE,
	    "UPDATE outbox SET state = ?2, error = ?3, updated_at = ?4 "
	    "WHERE id = ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	db_bind_text(s, 2, state);
	db_bind_text(s, 3, err);
	sqlite3_bind_int64(s, 4, now);
	return db_step_done(db, s, "outbox state");
}

/*
 * Every unfinished broadcast with nothing left queued or sending is done
 * (after rows were skipped or expired in bulk; there are few unfinished
 * broadcasts, so this is cheap).
 */
int
db_broadcasts_finish(struct db *db)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_BC_FINISH,
	    "UPDATE broadcasts SET state = 'done' WHERE state IN "
	    "('queued', 'sending') AND NOT EXISTS (SELECT 1 FROM outbox "
	    "o WHERE o.broadcast_id = broadcasts.id AND o.state IN "
	    "('queued', 'sending'))")) == NULL)
		return -1;
	return db_step_done(db, s, "broadcast done");
}

/* A broadcast whose rows are all final is done. */
static int
outbox_broadcast_done(struct db *db, int64_t bid)
{
	sqlite3_stmt	*s;

	if (bid == 0)
		return 0;
	if ((s = db_stmt(db, DB_ST_BC_DONE,
	    "UPDATE broadcasts SET state = 'done' WHERE id = ?1 AND "
	    "state IN ('queued', 'sending') AND NOT EXISTS (SELECT 1 FROM "
	    "outbox WHERE broadcast_id = ?1 AND state IN ('queued', "
	    "'sending'))")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, bid);
	return db_step_done(db, s, "broadcast done");
}

int
outbox_claim(struct db *db, const char *modem, int64_t now,
    struct outbox_item *it)
{
	return outbox_claim_except(db, modem, now, NULL, 0, it);
}

/* ",+1555...,+1666...,": the numbers a claim must leave alone. */
static char *
outbox_skip_list(const char *const *skip, size_t nskip)
{
	char	*s;
	size_t	 i, len = 2;

	if (nskip == 0)
		return NULL;
	for (i = 0; i < nskip; i++)
		len += strlen(skip[i]) + 1;
	s = xmalloc(len);
	strlcpy(s, ",", len);
	for (i = 0; i < nskip; i++) {
		strlcat(s, skip[i], len);
		strlcat(s, ",", len);
	}
	return s;
}

int
outbox_claim_except(struct db *db, const char *modem, int64_t now,
    const char *const *skip, size_t nskip, struct outbox_item *it)
{
	sqlite3_stmt	*s;
	int		 rc, found = 0;
	int64_t		 id, bid, expires;
	const char	*status, *kind;
	char		*except;

	memset(it, 0, sizeof *it);
	if (db_begin(db) == -1)
		return -1;
	except = outbox_skip_list(skip, nskip);
	for (;;) {
		if ((s = db_stmt(db, DB_ST_OB_CANDIDATE,
		    "SELECT o.id, o.phone, COALESCE(o.text, v.text, b.text), "
		    "o.kind, o.priority, o.attempts, "
		    "COALESCE(o.broadcast_id, 0), "
		    "COALESCE(s.status, ''), COALESCE(o.expires_at, 0), "
		    "o.secret "
		    "FROM outbox o "
		    "LEFT JOIN broadcasts b ON b.id = o.broadcast_id "
		    "LEFT JOIN subscribers s ON s.phone = o.phone "
		    "LEFT JOIN broadcast_variants v ON v.broadcast_id = "
		    "o.broadcast_id AND v.language = s.language "
		    /* the unary + keeps SQLite off the outbox_due index:
		     * walking outbox_claim in order stops at the first due
		     * row, where outbox_due would sort the whole queue */
		    "WHERE o.state = 'queued' AND +o.next_attempt_at <= ?1 "
		    /* numbers held back (a text from them not yet
		     * committed): their rows stay queued, untouched */
		    "AND (?2 IS NULL OR instr(?2, ',' || o.phone || ',') = 0) "
		    /* one message in flight per number, whatever the
		     * modem: a STOP's confirmation waits for the alert
		     * being submitted, and a number's texts keep their
		     * order (outbox_phone: one probe per candidate) */
		    "AND NOT EXISTS (SELECT 1 FROM outbox f WHERE "
		    "f.phone = o.phone AND f.state = 'sending') "
		    "ORDER BY o.priority DESC, o.id LIMIT 1")) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, now);
		db_bind_text(s, 2, except);
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE) {
			sqlite3_reset(s);
			break;
		}
		if (rc != SQLITE_ROW) {
			sqlite3_reset(s);
			db_fail(db, "claim");
			goto fail;
		}
		id = sqlite3_column_int64(s, 0);
		kind = db_col_text(s, 3);
		status = db_col_text(s, 7);
		expires = sqlite3_column_int64(s, 8);
		bid = sqlite3_column_int64(s, 6);
		/* opt-out is checked now, at send time */
		if ((strcmp(kind, "alert") == 0 || strcmp(kind, "reply") == 0) &&
		    strcmp(status, "opted-out") == 0) {
			sqlite3_reset(s);
			if (outbox_set_state(db, id, "skipped", "opted out",
			    now) == -1 || outbox_broadcast_done(db, bid) == -1)
				goto fail;
			continue;
		}
		if (strcmp(kind, "alert") == 0 && strcmp(status, "active") != 0) {
			sqlite3_reset(s);
			if (outbox_set_state(db, id, "skipped",
			    "no longer subscribed", now) == -1 ||
			    outbox_broadcast_done(db, bid) == -1)
				goto fail;
			continue;
		}
		if (expires > 0 && expires <= now) {
			sqlite3_reset(s);
			if (outbox_set_state(db, id, "expired", NULL, now) == -1 ||
			    outbox_broadcast_done(db, bid) == -1)
				goto fail;
			continue;
		}
		it->id = id;
		strlcpy(it->phone, db_col_text(s, 1), sizeof it->phone);
		it->text = xstrdup(db_col_text(s, 2));
		it->kind = outbox_kind_from(kind);
		it->priority = sqlite3_column_int(s, 4);
		it->attempts = sqlite3_column_int(s, 5) + 1;
		it->broadcast_id = bid;
		it->secret = sqlite3_column_int(s, 9);
		sqlite3_reset(s);
		found = 1;
		break;
	}
	if (found) {
		if ((s = db_stmt(db, DB_ST_OB_CLAIM,
		    "UPDATE outbox SET state = 'sending', modem = ?2, "
		    "attempts = attempts + 1, updated_at = ?3 WHERE id = ?1"))
		    == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, it->id);
		db_bind_text(s, 2, modem);
		sqlite3_bind_int64(s, 3, now);
		if (db_step_done(db, s, "claim") == -1)
			goto fail;
		if (it->broadcast_id != 0) {
			if ((s = db_stmt(db, DB_ST_BC_SENDING,
			    "UPDATE broadcasts SET state = 'sending' "
			    "WHERE id = ?1 AND state = 'queued'")) == NULL)
				goto fail;
			sqlite3_bind_int64(s, 1, it->broadcast_id);
			if (db_step_done(db, s, "claim") == -1)
				goto fail;
		}
	}
	free(except);
	if (db_commit(db) == -1) {
		outbox_item_clear(it);
		return -1;
	}
	return found;
fail:
	free(except);
	outbox_item_clear(it);
	db_rollback(db);
	return -1;
}

static int64_t
outbox_broadcast_of(struct db *db, int64_t id)
{
	sqlite3_stmt	*s;
	int64_t		 bid = 0;

	if ((s = db_stmt(db, DB_ST_OB_BROADCAST_OF,
	    "SELECT COALESCE(broadcast_id, 0) FROM outbox WHERE id = ?1")) ==
	    NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		bid = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return bid;
}

/* One transition and the broadcast's completion, in one transaction. */
/*
 * One transition (s, or none when already done) and the broadcast's
 * completion, then commit.
 */
static int
outbox_finish(struct db *db, int64_t id, sqlite3_stmt *s, const char *what)
{
	int64_t	bid;

	if (s != NULL && db_step_done(db, s, what) == -1)
		goto fail;
	/* a reply carrying a code keeps no text once it has gone */
	if ((s = db_stmt(db, DB_ST_OB_BLANK_SECRET,
	    "UPDATE outbox SET text = '' WHERE id = ?1 AND secret = 1 AND "
	    "state NOT IN ('queued', 'sending')")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	if (db_step_done(db, s, "secret reply") == -1)
		goto fail;
	if ((bid = outbox_broadcast_of(db, id)) == -1 ||
	    outbox_broadcast_done(db, bid) == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
outbox_sent(struct db *db, int64_t id, const char *modem, const int *mr,
    size_t nseg, int track, int64_t now)
{
	sqlite3_stmt	*s;
	char		 phone[24] = "";
	size_t		 i;

	if (db_begin(db) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_OB_SENT,
	    "UPDATE outbox SET state = 'sent', mr = ?2, error = NULL, "
	    "segments = ?3, modem = ?4, updated_at = ?5 WHERE id = ?1 "
	    "RETURNING phone")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	if (nseg > 0 && mr[nseg - 1] >= 0)
		sqlite3_bind_int(s, 2, mr[nseg - 1]);
	sqlite3_bind_int64(s, 3, (int64_t)nseg);
	db_bind_text(s, 4, modem);
	sqlite3_bind_int64(s, 5, now);
	if (sqlite3_step(s) == SQLITE_ROW)
		strlcpy(phone, db_col_text(s, 0), sizeof phone);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_reset(s);
		db_fail(db, "sent");
		goto fail;
	}
	sqlite3_reset(s);
	/* no row: it is gone (its number was forgotten while in flight) */
	for (i = 0; track && phone[0] != '\0' && i < nseg; i++) {
		if (mr[i] < 0)
			continue;
		if ((s = db_stmt(db, DB_ST_OB_PART_ADD,
		    "INSERT OR REPLACE INTO outbox_parts (outbox_id, part, "
		    "modem, mr, phone, sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"))
		    == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (int64_t)i + 1);
		db_bind_text(s, 3, modem);
		sqlite3_bind_int(s, 4, mr[i]);
		db_bind_text(s, 5, phone);
		sqlite3_bind_int64(s, 6, now);
		if (db_step_done(db, s, "sent part") == -1)
			goto fail;
	}
	return outbox_finish(db, id, NULL, "sent");
fail:
	db_rollback(db);
	return -1;
}

int
outbox_report(struct db *db, const char *modem, int mr, const char *phone,
    int st, int64_t window, int64_t now, int64_t *id)
{
	sqlite3_stmt	*s;
	int64_t		 oid;
	long		 left;
	int		 part, rc;
	char		 err[64];

	*id = 0;
	if (db_begin(db) == -1)
		return -1;
	/* the newest part with this reference to this number: references
	 * wrap at 256, the window and the number keep the match unique */
	if ((s = db_stmt(db, DB_ST_OB_PART_FIND,
	    "SELECT outbox_id, part FROM outbox_parts WHERE modem = ?1 AND "
	    "mr = ?2 AND (phone = ?3 OR ?3 = '') AND sent_at >= ?4 "
	    "ORDER BY sent_at DESC, outbox_id DESC LIMIT 1")) == NULL)
		goto fail;
	db_bind_text(s, 1, modem);
	sqlite3_bind_int(s, 2, mr);
	db_bind_text(s, 3, phone ? phone : "");
	sqlite3_bind_int64(s, 4, now - window);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			db_fail(db, "report");
			goto fail;
		}
		db_rollback(db);
		return 0;
	}
	oid = sqlite3_column_int64(s, 0);
	part = sqlite3_column_int(s, 1);
	sqlite3_reset(s);
	*id = oid;
	if (st >= 0x20 && st < 0x40) {
		/* the centre is still trying: nothing changes yet */
		db_rollback(db);
		return 1;
	}
	if ((s = db_stmt(db, DB_ST_OB_PART_STATUS,
	    "UPDATE outbox_parts SET status = ?3 WHERE outbox_id = ?1 AND "
	    "part = ?2")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, oid);
	sqlite3_bind_int(s, 2, part);
	sqlite3_bind_int(s, 3, st);
	if (db_step_done(db, s, "report") == -1)
		goto fail;
	if (st >= 0x40) {
		snprintf(err, sizeof err, "not delivered (status report "
		    "TP-ST %d)", st);
		if (outbox_set_state(db, oid, "failed", err, now) == -1)
			goto fail;
	} else {
		if ((s = db_stmt(db, DB_ST_OB_PART_LEFT,
		    "SELECT COUNT(*) FROM outbox_parts WHERE outbox_id = ?1 "
		    "AND (status IS NULL OR status >= 32)")) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, oid);
		left = sqlite3_step(s) == SQLITE_ROW ?
		    (long)sqlite3_column_int64(s, 0) : 1;
		sqlite3_reset(s);
		if (left == 0) {
			if ((s = db_stmt(db, DB_ST_OB_DELIVERED,
			    "UPDATE outbox SET state = 'delivered', "
			    "updated_at = ?2 WHERE id = ?1 AND state = 'sent'"))
			    == NULL)
				goto fail;
			sqlite3_bind_int64(s, 1, oid);
			sqlite3_bind_int64(s, 2, now);
			if (db_step_done(db, s, "report") == -1)
				goto fail;
		}
	}
	return db_commit(db) == -1 ? -1 : 1;
fail:
	db_rollback(db);
	return -1;
}

int
outbox_modem_usage(struct db *db, const char *modem, int64_t since,
    long *segments)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_OB_USAGE,
	    "SELECT COALESCE(SUM(segments), 0) FROM outbox WHERE modem = ?1 "
	    "AND updated_at >= ?2 AND state IN ('sent', 'delivered', "
	    "'failed')")) == NULL)
		return -1;
	db_bind_text(s, 1, modem);
	sqlite3_bind_int64(s, 2, since);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(db, "usage");
	}
	*segments = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int
outbox_retry(struct db *db, int64_t id, const char *err, int64_t at,
    int64_t now)
{
	sqlite3_stmt	*s;

	if (db_begin(db) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_OB_RETRY,
	    "UPDATE outbox SET state = 'queued', error = ?2, "
	    "next_attempt_at = ?3, updated_at = ?4 WHERE id = ?1")) == NULL) {
		db_rollback(db);
		return -1;
	}
	sqlite3_bind_int64(s, 1, id);
	db_bind_text(s, 2, err);
	sqlite3_bind_int64(s, 3, at);
	sqlite3_bind_int64(s, 4, now);
	return outbox_finish(db, id, s, "retry");
}

int
outbox_failed(struct db *db, int64_t id, const char *err, int64_t now)
{
	sqlite3_stmt	*s;

	if (db_begin(db) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_OB_FAILED,
	    "UPDATE outbox SET state = 'failed', error = ?2, updated_at = ?3 "
	    "WHERE id = ?1")) == NULL) {
		db_rollback(db);
		return -1;
	}
	sqlite3_bind_int64(s, 1, id);
	db_bind_text(s, 2, err);
	sqlite3_bind_int64(s, 3, now);
	return outbox_finish(db, id, s, "failed");
}

int
outbox_next_due(struct db *db, int64_t *when)
{
	sqlite3_stmt	*s;
	int		 found = 0;

	if ((s = db_stmt(db, DB_ST_OB_NEXT_DUE,
	    "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'queued'"))
	    == NULL)
		return -1;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(db, "next due");
	}
	if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*when = sqlite3_column_int64(s, 0);
		found = 1;
	}
	sqlite3_reset(s);
	return found;
}

int
outbox_expire(struct db *db, int64_t now, long *n, int64_t *next)
{
	sqlite3_stmt	*s;

	*n = 0;
	*next = 0;
	if (db_begin(db) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_OB_EXPIRE,
	    /* the partial index: the planner would scan every queued row
	     * through outbox_due, on every scheduler run */
	    /* a reply carrying a code keeps no text once given up */
	    "UPDATE outbox INDEXED BY outbox_expiry SET state = 'expired', "
	    "updated_at = ?1, text = CASE secret WHEN 1 THEN '' ELSE text "
	    "END WHERE state = 'queued' AND expires_at IS NOT "
	    "NULL AND expires_at <= ?1")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, now);
	if (db_step_done(db, s, "expire") == -1)
		goto fail;
	*n = sqlite3_changes(db->h);
	if (*n > 0 && db_broadcasts_finish(db) == -1)
		goto fail;
	if ((s = db_stmt(db, DB_ST_OB_NEXT_EXPIRY,
	    "SELECT MIN(expires_at) FROM outbox INDEXED BY outbox_expiry "
	    "WHERE state = 'queued' AND expires_at IS NOT NULL")) == NULL)
		goto fail;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		db_fail(db, "expire");
		goto fail;
	}
	if (sqlite3_column_type(s, 0) != SQLITE_NULL)
		*next = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
outbox_recover(struct db *db, int64_t now, long *n)
{
	sqlite3_stmt	*s;

	*n = 0;
	if ((s = db_stmt(db, DB_ST_OB_RECOVER,
	    "UPDATE outbox SET state = 'queued', next_attempt_at = ?1, "
	    "updated_at = ?1, error = 'interrupted (daemon restarted)' "
	    "WHERE state = 'sending'")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	if (db_step_done(db, s, "recover") == -1)
		return -1;
	*n = sqlite3_changes(db->h);
	return 0;
}

int
outbox_count_since(struct db *db, const char *phone, enum outbox_kind kind,
    int64_t since, int64_t until, long *n)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_OB_COUNT_SINCE,
	    "SELECT COUNT(*) FROM outbox WHERE phone = ?1 AND kind = ?2 AND "
	    "created_at BETWEEN ?3 AND ?4")) == NULL)
		return -1;
	db_bind_text(s, 1, phone);
	db_bind_text(s, 2, outbox_kind_names[kind]);
	sqlite3_bind_int64(s, 3, since);
	sqlite3_bind_int64(s, 4, until);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(db, "count");
	}
	*n = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int
outbox_unsent_since(struct db *db, enum outbox_kind kind, int64_t since,
    long *n)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_OB_UNSENT,
	    "SELECT COUNT(*) FROM outbox WHERE kind = ?1 AND created_at >= ?2 "
	    "AND state IN ('queued', 'sending')")) == NULL)
		return -1;
	db_bind_text(s, 1, outbox_kind_names[kind]);
	sqlite3_bind_int64(s, 2, since);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(db, "count");
	}
	*n = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int
outbox_depth(struct db *db, long *queued, long *broadcasts)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_OB_DEPTH,
	    "SELECT (SELECT COUNT(*) FROM outbox WHERE state IN ('queued', "
	    "'sending')), (SELECT COUNT(*) FROM broadcasts WHERE state IN "
	    "('queued', 'sending'))")) == NULL)
		return -1;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(db, "depth");
	}
	*queued = (long)sqlite3_column_int64(s, 0);
	*broadcasts = (long)sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	return 0;
}

int
outbox_forward(struct db *db, const char *to, const char *text,
    const char *source, int64_t now)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_OB_FORWARD,
	    "INSERT INTO outbox (phone, text, kind, priority, state, "
	    "next_attempt_at, created_at, updated_at, source) VALUES (?1, ?2, "
	    "'forward', ?3, 'queued', ?4, ?4, ?4, ?5)")) == NULL)
		return -1;
	db_bind_text(s, 1, to);
	db_bind_text(s, 2, text);
	sqlite3_bind_int(s, 3, OUTBOX_PRIO_ORGANIZER);
	sqlite3_bind_int64(s, 4, now);
	db_bind_text(s, 5, source);
	return db_step_done(db, s, "forward");
}

int
outbox_forwards_since(struct db *db, const char *source, int64_t since,
    int64_t until, long *n)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_OB_FORWARDS,
	    "SELECT COUNT(*) FROM outbox WHERE source = ?1 AND "
	    "created_at BETWEEN ?2 AND ?3")) == NULL)
		return -1;
	db_bind_text(s, 1, source);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int64(s, 3, until);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(db, "count");
	}
	*n = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

/*
 * Back to the queue at once, the attempt not counted: the modem's fault,
 * not the message's (a SIM out of credit), so another modem sends it
 * with its attempts intact.
 */
int
outbox_unclaim(struct db *db, int64_t id, const char *err, int64_t now)
{
	sqlite3_stmt	*s;

	if (db_begin(db) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_OB_UNCLAIM,
	    "UPDATE outbox SET state = 'queued', error = ?2, "
	    "next_attempt_at = ?3, updated_at = ?3, "
	    "attempts = max(attempts - 1, 0) WHERE id = ?1")) == NULL) {
		db_rollback(db);
		return -1;
	}
	sqlite3_bind_int64(s, 1, id);
	db_bind_text(s, 2, err);
	sqlite3_bind_int64(s, 3, now);
	return outbox_finish(db, id, s, "unclaim");
}

/*
 * A row waiting for the wall-clock time its broadcast was scheduled for
 * (send --at): not yet tried, due at exactly that time.  ?2 is the time
 * before the step, from which on the schedule counts as started (its
 * rows then wait for a modem or a backoff, durations like any other).
 */
#define OUTBOX_WALL_SCHEDULED(before)					\
	"(o.attempts = 0 AND o.broadcast_id IS NOT NULL AND EXISTS ("	\
	"SELECT 1 FROM broadcasts b WHERE b.id = o.broadcast_id AND "	\
	"b.scheduled_at > b.created_at AND "				\
	"o.next_attempt_at = b.scheduled_at" before "))"

int
outbox_clock_step(struct db *db, int64_t step, int64_t now,
    int64_t max_wait, long *n)
{
	sqlite3_stmt	*s;

	*n = 0;
	if (db_begin(db) == -1)
		return -1;
	if (step != 0) {
		/*
		 * A time written after a forward step and before it was
		 * seen (a send from the CLI, whose kick is what makes the
		 * daemon look; a retry's backoff recorded meanwhile) is on
		 * the new clock already: it is past now - step, which no
		 * time written on the old clock reaches (the daemon looks
		 * every few seconds, steps are 5 s or more).  It stays.
		 * A row being sent keeps its validity for a retry: it moves
		 * too.  Each deadline goes with the time it was written at:
		 * next_attempt_at with updated_at (every write of it writes
		 * updated_at), expires_at with created_at (written once);
		 * those move too, to stay on the clock of their deadline.
		 * After a step back the two clocks overlap and cannot be
		 * told apart: all move (a row queued in those seconds is
		 * due earlier, and expires earlier by the step).
		 */
		if ((s = db_stmt(db, DB_ST_OB_STEP_EXP,
		    "UPDATE outbox AS o SET expires_at = expires_at + ?1, "
		    "created_at = created_at + ?1 WHERE o.state IN ('queued', "
		    "'sending') AND "
		    "o.expires_at IS NOT NULL AND (?1 < 0 OR o.created_at <= "
		    "?2) AND NOT " OUTBOX_WALL_SCHEDULED(
		    " AND b.scheduled_at > ?2"))) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, step);
		sqlite3_bind_int64(s, 2, now - step);
		if (db_step_done(db, s, "clock step") == -1)
			goto fail;
		*n += sqlite3_changes(db->h);
		if ((s = db_stmt(db, DB_ST_OB_STEP,
		    "UPDATE outbox AS o SET next_attempt_at = next_attempt_at "
		    "+ ?1, updated_at = updated_at + ?1 WHERE o.state = "
		    "'queued' AND (?1 < 0 OR o.updated_at <= ?2) AND NOT "
		    OUTBOX_WALL_SCHEDULED(" AND b.scheduled_at > ?2"))) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, step);
		sqlite3_bind_int64(s, 2, now - step);
		if (db_step_done(db, s, "clock step") == -1)
			goto fail;
		*n += sqlite3_changes(db->h);
		/* what broadcast show says about the expiry */
		if ((s = db_stmt(db, DB_ST_OB_STEP_BC,
		    "UPDATE broadcasts SET expires_at = expires_at + ?1 "
		    "WHERE state IN ('queued', 'sending') AND (?1 < 0 OR "
		    "created_at <= ?2) AND NOT "
		    "(scheduled_at > created_at AND scheduled_at > ?2)")) ==
		    NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, step);
		sqlite3_bind_int64(s, 2, now - step);
		if (db_step_done(db, s, "clock step") == -1)
			goto fail;
		/* status reports are matched to parts sent within a
		 * window, newest first */
		if ((s = db_stmt(db, DB_ST_OB_STEP_PARTS,
		    "UPDATE outbox_parts SET sent_at = sent_at + ?1 "
		    "WHERE ?1 < 0 OR sent_at <= ?2")) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, step);
		sqlite3_bind_int64(s, 2, now - step);
		if (db_step_done(db, s, "clock step") == -1)
			goto fail;
	}
	if ((s = db_stmt(db, DB_ST_OB_CLAMP,
	    "UPDATE outbox AS o SET next_attempt_at = ?1 WHERE o.state = "
	    "'queued' AND o.next_attempt_at > ?1 + ?2 AND NOT "
	    OUTBOX_WALL_SCHEDULED(""))) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, max_wait);
	if (db_step_done(db, s, "clock step") == -1)
		goto fail;
	*n += sqlite3_changes(db->h);
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}
