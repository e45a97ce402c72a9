/*
 * db/forget.c — forgetting a number for real (the member asked, or an
 * organizer did it for them).
 *
 * forget_number() removes every row that names the number or holds a
 * member's text, in one transaction, and leaves an opt-out marker
 * (mark.c: a keyed hash, not the number) so that nobody can add the
 * number again by mistake.  The rows go through forget_stmts[], one
 * statement per table, each taking the number as ?1: a table added later
 * that names numbers is one more line there.
 *
 * Deleting a row is not enough for the file to forget it:
 * - secure_delete (db.c) overwrites deleted cells, index entries
 *   included, and zeroes pages put on the freelist, so neither the
 *   database file nor its free pages keep the bytes;
 * - but the -wal file keeps every page image written since the last
 *   checkpoint, the deleted rows with them: forget_checkpoint() copies
 *   the WAL into the database and truncates it to nothing.  The -shm
 *   (wal-index) holds page numbers and checksums, never row content;
 * - nothing runs ANALYZE, so there are no sqlite_stat tables with
 *   sampled keys.
 *
 * A text the gateway could not decode is stored with sender "unknown" and
 * its raw PDU in hex (gateway/inbound.c), which still holds the sender's
 * number as TS 23.040 semi-octets (digits swapped in pairs, F padding):
 * forget_undecodable() deletes such rows whose hex holds the number in
 * that form, with its country code and, for a number of the deployment's
 * own country, without (national forms, with and without the trunk
 * prefix 0).  It matches anywhere in the hex: a text that happens to hold
 * the same digits in its body goes too, which errs on the side the member
 * asked for.
 *
 * Broadcast counts stay what a user saw: the alert rows of the number
 * are counted on their broadcast (gone_sent ... gone_cancelled, the same
 * columns any purge of old rows adds to) before they go; a row still
 * queued or being sent will not go out and counts as skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "db_int.h"
#include "phone.h"

/*
 * National forms shorter than this are not looked for in undecodable
 * texts: a few semi-octets occur by chance in any PDU.
 */
#define FORGET_NATIONAL_MIN	6

/* The statements, in order; each binds the number as ?1. */
static const struct {
	enum db_stmt_id	 id;
	const char	*sql;
} forget_stmts[] = {
	/* first: what its alert rows did, onto their broadcasts */
	{ DB_ST_FORGET_BC_GONE,
	  "UPDATE broadcasts SET gone_sent = gone_sent + g.sent, "
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
	  "  SUM(state IN ('skipped', 'queued', 'sending')) AS skipped, "
	  "  SUM(state = 'cancelled') AS cancelled "
	  "  FROM outbox WHERE phone = ?1 AND broadcast_id IS NOT NULL "
	  "  GROUP BY broadcast_id) AS g WHERE broadcasts.id = g.bid" },
	/* messages to it (alerts, replies, confirmations), their parts
	 * and delivery reports, and forwards quoting its texts
	 * ("From +number: text", source = the number) */
	{ DB_ST_FORGET_OB_PARTS,
	  "DELETE FROM outbox_parts WHERE outbox_id IN (SELECT id FROM "
	  "outbox WHERE phone = ?1 OR source = ?1)" },
	{ DB_ST_FORGET_OUTBOX,
	  "DELETE FROM outbox WHERE phone = ?1 OR source = ?1" },
	/* its texts, whole and in parts */
	{ DB_ST_FORGET_INBOX, "DELETE FROM inbox WHERE phone = ?1" },
	{ DB_ST_FORGET_PARTS, "DELETE FROM inbound_parts WHERE phone = ?1" },
	{ DB_ST_FORGET_DONE, "DELETE FROM inbound_done WHERE phone = ?1" },
	/* its answers to polls: the number and words go, an anonymous
	 * id (db/poll.c) keeps the poll's counts */
	{ DB_ST_FORGET_POLL, "UPDATE poll_answers SET text = NULL, "
	  "phone = " POLL_ANON " WHERE phone = ?1" },
	/* the audit trail of its consent */
	{ DB_ST_FORGET_CONSENT,
	  "DELETE FROM consent_events WHERE phone = ?1" },
	/* the subscriber and its memberships */
	{ DB_ST_FORGET_MEMBERS,
	  "DELETE FROM memberships WHERE subscriber_id IN (SELECT id FROM "
	  "subscribers WHERE phone = ?1)" },
	{ DB_ST_FORGET_SUB, "DELETE FROM subscribers WHERE phone = ?1" },
};

/* Delete the undecodable texts whose raw PDU holds digits (semi-octets). */
static int
forget_undecodable_one(struct db *db, const char *digits, long *rows)
{
	sqlite3_stmt	*s;
	char		 hex[2 * PHONE_MAX + 2];

	if (phone_semioctets(digits, hex, sizeof hex) == -1)
		return 0;	/* not digits: nothing can hold it so */
	if ((s = db_stmt(db, DB_ST_FORGET_UNDECODABLE,
	    "DELETE FROM inbox WHERE phone = 'unknown' AND "
	    "instr(flags, '" INBOX_FLAG_UNDECODABLE "') > 0 AND "
	    "instr(upper(text), ?1) > 0")) == NULL)
		return -1;
	db_bind_text(s, 1, hex);
	if (db_step_done(db, s, "forget") == -1)
		return -1;
	*rows += sqlite3_changes(db->h);
	return 0;
}

/*
 * The number as an international address (TOA 91: its digits, country
 * code included) and, when it is a number of the deployment's country cc,
 * as a national one (TOA 81 or A1, the way a network may give a domestic
 * sender: without the country code, with or without the trunk prefix 0;
 * NANP's trunk prefix 1 gives the international digits again).
 */
static int
forget_undecodable(struct db *db, const char *phone, const char *cc,
    long *rows)
{
	char	 nat[PHONE_MAX + 1];
	size_t	 n;

	if (*phone == '+')
		phone++;
	if (forget_undecodable_one(db, phone, rows) == -1)
		return -1;
	if (cc == NULL || (n = strlen(cc)) == 0 ||
	    strncmp(phone, cc, n) != 0 ||
	    strlen(phone + n) < FORGET_NATIONAL_MIN)
		return 0;
	if (forget_undecodable_one(db, phone + n, rows) == -1)
		return -1;
	snprintf(nat, sizeof nat, "0%s", phone + n);
	return forget_undecodable_one(db, nat, rows);
}

int
forget_number(struct db *db, const char *phone, const char *cc, int64_t now,
    long *rows)
{
	sqlite3_stmt	*s;
	size_t		 i;

	*rows = 0;
	if (db_begin(db) == -1)
		return -1;
	for (i = 0; i < sizeof forget_stmts / sizeof forget_stmts[0]; i++) {
		if ((s = db_stmt(db, forget_stmts[i].id,
		    forget_stmts[i].sql)) == NULL)
			goto fail;
		db_bind_text(s, 1, phone);
		if (db_step_done(db, s, "forget") == -1)
			goto fail;
		if (forget_stmts[i].id != DB_ST_FORGET_BC_GONE)
			*rows += sqlite3_changes(db->h);
	}
	if (forget_undecodable(db, phone, cc, rows) == -1)
		goto fail;
	/* a broadcast whose last queued rows were this number's is done */
	if (db_broadcasts_finish(db) == -1)
		goto fail;
	/* forgetting implies opting out: the marker says so without the
	 * number (kept for a number never seen too: the request stands) */
	if (mark_add(db, phone, now) == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
forget_confirm(struct db *db, const char *phone, const char *text,
    int64_t now)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_FORGET_CONFIRM,
	    "INSERT INTO outbox (phone, text, kind, priority, state, "
	    "next_attempt_at, created_at, updated_at, source) VALUES (?1, ?2, "
	    "'system', ?3, 'queued', ?4, ?4, ?4, '" FORGET_SOURCE "')")) ==
	    NULL)
		return -1;
	db_bind_text(s, 1, phone);
	db_bind_text(s, 2, text);
	sqlite3_bind_int(s, 3, OUTBOX_PRIO_REPLY);
	sqlite3_bind_int64(s, 4, now);
	return db_step_done(db, s, "forget confirmation");
}

int
forget_finished(struct db *db, const char *cc, int64_t now, long *n)
{
	sqlite3_stmt	*s;
	char		(*phones)[24] = NULL;
	size_t		 np = 0, cap = 0, i;
	long		 rows;
	int		 rc;

	*n = 0;
	/* few rows: the partial index on source finds them */
	if ((s = db_stmt(db, DB_ST_FORGET_FINISHED,
	    "SELECT DISTINCT phone FROM outbox WHERE source = '"
	    FORGET_SOURCE "' AND state NOT IN ('queued', 'sending')")) ==
	    NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (np == cap) {
			cap = cap ? cap * 2 : 8;
			phones = xreallocarray(phones, cap, sizeof *phones);
		}
		strlcpy(phones[np++], db_col_text(s, 0), sizeof *phones);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(phones);
		return db_fail(db, "forget");
	}
	for (i = 0; i < np; i++) {
		if (forget_number(db, phones[i], cc, now, &rows) == -1) {
			free(phones);
			return -1;
		}
		(*n)++;
	}
	free(phones);
	return 0;
}

int
forget_checkpoint(struct db *db)
{
	int	rc, nlog = -1, nckpt = -1;

	if (db->in_tx > 0)
		return db_failf(db, "checkpoint: inside a transaction");
	/* waits (the busy timeout) for a writer to finish and for readers
	 * of older snapshots to move on; SQLITE_BUSY when they did not */
	rc = sqlite3_wal_checkpoint_v2(db->h, NULL,
	    SQLITE_CHECKPOINT_TRUNCATE, &nlog, &nckpt);
	if (rc == SQLITE_BUSY) {
		db_failf(db, "checkpoint: another program is still reading "
		    "an older state of the database");
		db->busy = 1;
		return -1;
	}
	if (rc != SQLITE_OK)
		return db_fail(db, "checkpoint");
	if (nlog != 0)
		return db_failf(db, "checkpoint: the write-ahead log still "
		    "holds %d page%s", nlog, nlog == 1 ? "" : "s");
	return 0;
}

int
forget_pending(struct db *db, const char *phone)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_FORGET_PENDING,
	    "SELECT 1 FROM outbox WHERE source = '" FORGET_SOURCE "' AND "
	    "phone = ?1 AND state IN ('queued', 'sending') LIMIT 1")) == NULL)
		return -1;
	db_bind_text(s, 1, phone);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_fail(db, "forget");
	return 0;
}
