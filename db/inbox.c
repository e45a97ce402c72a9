/*
 * db/inbox.c — inbound texts: the inbox, the parts of concatenated
 * messages waiting for their siblings (retention: retain.c).
 */
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "db_int.h"
#include "utf8.h"

/*
 * Keep a text.  The same text (and keyword) as the sender's latest one,
 * not yet handled and within DB_REPEAT_WINDOW of its last repeat, is
 * counted on that row (repeats, last_at) and 1 is returned: a flood of
 * identical texts is one row with a count.  Otherwise a new row, 0.
 */
int
inbox_add(struct db *db, const char *phone, const char *text, int64_t at,
    const char *modem, const char *keyword, const char *flags, int64_t *id)
{
	sqlite3_stmt	*s;
	int64_t		 last = 0;
	int		 rc;

	if (db_begin(db) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_IN_LAST,
	    "SELECT id FROM inbox WHERE id = (SELECT MAX(id) FROM inbox "
	    "WHERE phone = ?1) AND text = ?2 AND keyword IS ?3 AND "
	    "handled = 0 AND COALESCE(last_at, received_at) >= ?4")) == NULL)
		goto fail;
	db_bind_text(s, 1, phone);
	db_bind_text(s, 2, text);
	db_bind_text(s, 3, keyword);
	sqlite3_bind_int64(s, 4, at - DB_REPEAT_WINDOW);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		last = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, "inbox");
		goto fail;
	}
	if (last != 0) {
		if ((s = db_stmt(db, DB_ST_IN_REPEAT,
		    "UPDATE inbox SET repeats = repeats + 1, last_at = ?2 "
		    "WHERE id = ?1")) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, last);
		sqlite3_bind_int64(s, 2, at);
		if (db_step_done(db, s, "inbox") == -1)
			goto fail;
		if (id != NULL)
			*id = last;
		return db_commit(db) == -1 ? -1 : 1;
	}
	if ((s = db_stmt(db, DB_ST_IN_ADD,
	    "INSERT INTO inbox (phone, text, received_at, modem, keyword, "
	    "flags) VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(?6, ''))")) == NULL)
		goto fail;
	db_bind_text(s, 1, phone);
	db_bind_text(s, 2, text);
	sqlite3_bind_int64(s, 3, at);
	db_bind_text(s, 4, modem);
	db_bind_text(s, 5, keyword);
	db_bind_text(s, 6, flags);
	if (db_step_done(db, s, "inbox") == -1)
		goto fail;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db->h);
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
inbox_foreach(struct db *db, int all, int (*cb)(const struct inbox_msg *,
    void *), void *arg)
{
	struct inbox_msg m;
	sqlite3_stmt	*s;
	int		 rc;

	/* by default only what an organizer should read: not keywords */
	if (all)
		s = db_stmt(db, DB_ST_IN_LIST_ALL,
		    "SELECT id, phone, text, received_at, COALESCE(modem, ''), "
		    "COALESCE(keyword, ''), flags, handled, repeats FROM inbox "
		    "ORDER BY id");
	else
		s = db_stmt(db, DB_ST_IN_LIST,
		    "SELECT id, phone, text, received_at, COALESCE(modem, ''), "
		    "COALESCE(keyword, ''), flags, handled, repeats FROM inbox "
		    "WHERE handled = 0 AND (keyword IS NULL OR flags != '') "
		    "ORDER BY id");
	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&m, 0, sizeof m);
		m.id = sqlite3_column_int64(s, 0);
		strlcpy(m.phone, db_col_text(s, 1), sizeof m.phone);
		m.text = (char *)db_col_text(s, 2);
		m.received_at = sqlite3_column_int64(s, 3);
		strlcpy(m.modem, db_col_text(s, 4), sizeof m.modem);
		strlcpy(m.keyword, db_col_text(s, 5), sizeof m.keyword);
		strlcpy(m.flags, db_col_text(s, 6), sizeof m.flags);
		m.handled = sqlite3_column_int(s, 7);
		m.repeats = sqlite3_column_int64(s, 8);
		if (cb(&m, arg))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, "inbox");
	return 0;
}

int
inbox_mark_handled(struct db *db, const char *phone)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_IN_HANDLED,
	    "UPDATE inbox SET handled = 1 WHERE phone = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, phone);
	return db_step_done(db, s, "inbox");
}

/* A growing string. */
struct inbox_buf {
	char	*s;
	size_t	 len;
};

static void
inbox_buf_add(struct inbox_buf *b, const char *t, size_t n)
{
	b->s = xreallocarray(b->s, b->len + n + 1, 1);
	memcpy(b->s + b->len, t, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Decode the UTF-16 gathered from adjacent UCS-2 parts onto b. */
static void
inbox_buf_utf16(struct inbox_buf *b, uint8_t **u, size_t *ulen)
{
	if (*ulen == 0)
		return;
	/* at most 3 UTF-8 octets for each unit (4 for a pair of 2) */
	b->s = xreallocarray(b->s, b->len + *ulen / 2 * 3 + 1, 1);
	b->len += utf16be_to_utf8(*u, *ulen, b->s + b->len);
	*ulen = 0;
}

/*
 * The parts of one message, joined in order; "[...]" marks a gap.  The
 * UTF-16 of adjacent UCS-2 parts is joined before it is decoded: a
 * surrogate pair may straddle two parts.
 */
static char *
inbox_part_join(struct db *db, const char *phone, unsigned ref,
    unsigned parts, int *missing)
{
	sqlite3_stmt		*s;
	struct inbox_buf	 b = { NULL, 0 };
	uint8_t			*u = NULL;
	const uint8_t		*blob;
	size_t			 ulen = 0, n;
	unsigned		 expect = 1, part;
	int			 rc;

	*missing = 0;
	if ((s = db_stmt(db, DB_ST_PART_TEXTS,
	    "SELECT part, text, ucs2 FROM inbound_parts WHERE phone = ?1 AND "
	    "ref = ?2 AND parts = ?3 ORDER BY part")) == NULL)
		return NULL;
	db_bind_text(s, 1, phone);
	sqlite3_bind_int(s, 2, (int)ref);
	sqlite3_bind_int(s, 3, (int)parts);
	inbox_buf_add(&b, "", 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		part = (unsigned)sqlite3_column_int(s, 0);
		if (part != expect) {
			inbox_buf_utf16(&b, &u, &ulen);
			*missing = 1;
			inbox_buf_add(&b, "[...]", 5);
		}
		expect = part + 1;
		if (sqlite3_column_type(s, 2) == SQLITE_BLOB) {
			n = (size_t)sqlite3_column_bytes(s, 2);
			blob = sqlite3_column_blob(s, 2);
			u = xreallocarray(u, ulen + n + 1, 1);
			if (n > 0)
				memcpy(u + ulen, blob, n);
			ulen += n;
			continue;
		}
		inbox_buf_utf16(&b, &u, &ulen);
		inbox_buf_add(&b, db_col_text(s, 1),
		    strlen(db_col_text(s, 1)));
	}
	sqlite3_reset(s);
	inbox_buf_utf16(&b, &u, &ulen);
	free(u);
	if (rc != SQLITE_DONE) {
		free(b.s);
		db_fail(db, "parts");
		return NULL;
	}
	if (expect <= parts) {
		*missing = 1;
		inbox_buf_add(&b, "[...]", 5);
	}
	return b.s;
}

static int
inbox_part_delete(struct db *db, const char *phone, unsigned ref,
    unsigned parts)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_PART_DEL,
	    "DELETE FROM inbound_parts WHERE phone = ?1 AND ref = ?2 AND "
	    "parts = ?3")) == NULL)
		return -1;
	db_bind_text(s, 1, phone);
	sqlite3_bind_int(s, 2, (int)ref);
	sqlite3_bind_int(s, 3, (int)parts);
	return db_step_done(db, s, "parts");
}

/* A UCS-2 part's octets, or SQL NULL for a part of another coding. */
static void
inbox_bind_ucs2(sqlite3_stmt *s, int i, const uint8_t *ucs2, size_t len)
{
	static const uint8_t	none[1];

	if (ucs2 == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_blob(s, i, len > 0 ? (const void *)ucs2 : none,
		    (int)len, SQLITE_TRANSIENT);
}

int
inbox_part_add(struct db *db, const char *phone, unsigned ref,
    unsigned parts, unsigned part, const char *text, int64_t now,
    const char *modem, char **complete)
{
	return inbox_part_add_ucs2(db, phone, ref, parts, part, text, NULL, 0,
	    now, modem, complete);
}

int
inbox_part_add_ucs2(struct db *db, const char *phone, unsigned ref,
    unsigned parts, unsigned part, const char *text, const uint8_t *ucs2,
    size_t ucs2_len, int64_t now, const char *modem, char **complete)
{
	sqlite3_stmt	*s;
	long		 have;
	int		 missing, rc, same;

	*complete = NULL;
	/* a part outside 1..parts would be counted towards completion and
	 * the message "completed" with a real part missing */
	if (parts == 0 || part == 0 || part > parts)
		return db_failf(db, "invalid part %u of %u", part, parts);
	if (db_begin(db) == -1)
		return -1;
	if (mark_key(db) == -1)		/* for tambuli_digest() */
		goto fail;
	/* a part of a message already completed: the same text (and
	 * UTF-16, when both are known: a part completed before schema v4
	 * has none) is the network delivering it twice; another text is
	 * a new message that reuses the reference (8-bit references
	 * wrap).  Both are kept as keyed digests (mark.c): no words stay
	 * a day for this, not a member's, not an organizer's PIN */
	if ((s = db_stmt(db, DB_ST_DONE_GET,
	    "SELECT text = tambuli_digest(?5) AND (ucs2 IS "
	    "tambuli_digest(?6) OR ucs2 IS NULL) FROM "
	    "inbound_done WHERE phone = ?1 AND ref = ?2 AND parts = ?3 AND "
	    "part = ?4")) == NULL)
		goto fail;
	db_bind_text(s, 1, phone);
	sqlite3_bind_int(s, 2, (int)ref);
	sqlite3_bind_int(s, 3, (int)parts);
	sqlite3_bind_int(s, 4, (int)part);
	db_bind_text(s, 5, text);
	inbox_bind_ucs2(s, 6, ucs2, ucs2_len);
	rc = sqlite3_step(s);
	same = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, "parts");
		goto fail;
	}
	if (same == 1) {
		db_rollback(db);
		return 0;
	}
	if (same == 0) {
		if ((s = db_stmt(db, DB_ST_DONE_DEL,
		    "DELETE FROM inbound_done WHERE phone = ?1 AND ref = ?2 AND "
		    "parts = ?3")) == NULL)
			goto fail;
		db_bind_text(s, 1, phone);
		sqlite3_bind_int(s, 2, (int)ref);
		sqlite3_bind_int(s, 3, (int)parts);
		if (db_step_done(db, s, "parts") == -1)
			goto fail;
	}
	if ((s = db_stmt(db, DB_ST_PART_ADD,
	    "INSERT OR IGNORE INTO inbound_parts (phone, ref, parts, part, "
	    "text, received_at, modem, ucs2) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8)")) == NULL)
		goto fail;
	db_bind_text(s, 1, phone);
	sqlite3_bind_int(s, 2, (int)ref);
	sqlite3_bind_int(s, 3, (int)parts);
	sqlite3_bind_int(s, 4, (int)part);
	db_bind_text(s, 5, text);
	sqlite3_bind_int64(s, 6, now);
	db_bind_text(s, 7, modem);
	inbox_bind_ucs2(s, 8, ucs2, ucs2_len);
	if (db_step_done(db, s, "part") == -1)
		goto fail;
	if ((s = db_stmt(db, DB_ST_PART_COUNT,
	    "SELECT COUNT(*) FROM inbound_parts WHERE phone = ?1 AND "
	    "ref = ?2 AND parts = ?3")) == NULL)
		goto fail;
	db_bind_text(s, 1, phone);
	sqlite3_bind_int(s, 2, (int)ref);
	sqlite3_bind_int(s, 3, (int)parts);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		db_fail(db, "parts");
		goto fail;
	}
	have = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (have >= (long)parts) {
		if ((*complete = inbox_part_join(db, phone, ref, parts,
		    &missing)) == NULL)
			goto fail;
		if ((s = db_stmt(db, DB_ST_DONE_ADD,
		    "INSERT OR REPLACE INTO inbound_done (phone, ref, parts, "
		    "part, text, ucs2, done_at) SELECT phone, ref, parts, part, "
		    "tambuli_digest(text), tambuli_digest(ucs2), ?4 FROM "
		    "inbound_parts WHERE phone = ?1 AND ref = ?2 AND "
		    "parts = ?3")) == NULL)
			goto fail;
		db_bind_text(s, 1, phone);
		sqlite3_bind_int(s, 2, (int)ref);
		sqlite3_bind_int(s, 3, (int)parts);
		sqlite3_bind_int64(s, 4, now);
		if (db_step_done(db, s, "parts") == -1)
			goto fail;
		if (inbox_part_delete(db, phone, ref, parts) == -1)
			goto fail;
	}
	if (db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	free(*complete);
	*complete = NULL;
	db_rollback(db);
	return -1;
}

int
inbox_part_expire(struct db *db, int64_t before,
    int (*cb)(const char *, const char *, int64_t, const char *, void *),
    void *arg)
{
	sqlite3_stmt	*s;
	struct expired {
		char		 phone[24];
		unsigned	 ref, parts;
		int64_t		 at;
		char		 modem[32];
	}		*list = NULL;
	size_t		 n = 0, cap = 0, i;
	char		*text;
	int		 rc, missing, failed = 0;

	/* completed messages are remembered for a day */
	if ((s = db_stmt(db, DB_ST_DONE_PURGE,
	    "DELETE FROM inbound_done WHERE done_at < ?1 - 86400")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, before);
	if (db_step_done(db, s, "parts") == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_PART_OLD,
	    "SELECT phone, ref, parts, MIN(received_at), "
	    "COALESCE(MAX(modem), '') FROM inbound_parts GROUP BY phone, ref, "
	    "parts HAVING MAX(received_at) < ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, before);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			list = xreallocarray(list, cap, sizeof *list);
		}
		strlcpy(list[n].phone, db_col_text(s, 0), sizeof list[n].phone);
		list[n].ref = (unsigned)sqlite3_column_int(s, 1);
		list[n].parts = (unsigned)sqlite3_column_int(s, 2);
		list[n].at = sqlite3_column_int64(s, 3);
		strlcpy(list[n].modem, db_col_text(s, 4), sizeof list[n].modem);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(list);
		return db_fail(db, "parts");
	}
	for (i = 0; i < n; i++) {
		if (db_begin(db) == -1) {
			free(list);
			return -1;
		}
		text = inbox_part_join(db, list[i].phone, list[i].ref,
		    list[i].parts, &missing);
		if (text == NULL || inbox_part_delete(db, list[i].phone,
		    list[i].ref, list[i].parts) == -1) {
			free(text);
			db_rollback(db);
			free(list);
			return -1;
		}
		/* the caller stores it in the same transaction; if it
		 * cannot, the parts stay for the next run */
		if (cb(list[i].phone, text, list[i].at, list[i].modem,
		    arg) == -1) {
			free(text);
			db_rollback(db);
			failed = 1;
			continue;	/* the others may go */
		}
		free(text);
		if (db_commit(db) == -1) {
			free(list);
			return -1;
		}
	}
	free(list);
	return failed ? -1 : 0;
}

int
inbox_part_clock_step(struct db *db, int64_t step)
{
	sqlite3_stmt	*s;

	if (db_begin(db) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_PART_STEP,
	    "UPDATE inbound_parts SET received_at = received_at + ?1")) ==
	    NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, step);
	if (db_step_done(db, s, "parts") == -1)
		goto fail;
	if ((s = db_stmt(db, DB_ST_DONE_STEP,
	    "UPDATE inbound_done SET done_at = done_at + ?1")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, step);
	if (db_step_done(db, s, "parts") == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}
