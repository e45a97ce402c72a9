/*
 * db/subscriber.c — subscribers, lists, memberships and the consent
 * audit trail.  Every consent change writes a consent_events row in the
 * same transaction as the change itself; a repeat that changed nothing is
 * counted on the latest row instead (subscriber_consent).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "db_int.h"

/*
 * Record a consent event.  One that changed nothing (change 0: a second
 * STOP, JOIN when already on the list) and repeats the number's latest
 * event (same event and list) within DB_REPEAT_WINDOW of its last repeat
 * is counted on that row (repeats, last_at) instead: a flood of
 * identical texts writes one row, and every state change still gets its
 * own row with its time.
 */
static int
subscriber_consent(struct db *db, const char *phone, const char *event,
    const char *list, const struct consent *c, int64_t now, int change)
{
	sqlite3_stmt	*s;
	int64_t		 last = 0;
	int		 rc;

	if (!change) {
		if ((s = db_stmt(db, DB_ST_CONSENT_LAST,
		    "SELECT id FROM consent_events WHERE id = (SELECT MAX(id) "
		    "FROM consent_events WHERE phone = ?1) AND event = ?2 AND "
		    "list IS ?3 AND COALESCE(last_at, at) >= ?4")) == NULL)
			return -1;
		db_bind_text(s, 1, phone);
		db_bind_text(s, 2, event);
		db_bind_text(s, 3, list);
		sqlite3_bind_int64(s, 4, now - DB_REPEAT_WINDOW);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			last = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(db, "consent event");
	}
	if (last != 0) {
		if ((s = db_stmt(db, DB_ST_CONSENT_REPEAT,
		    "UPDATE consent_events SET repeats = repeats + 1, "
		    "last_at = ?2 WHERE id = ?1")) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, last);
		sqlite3_bind_int64(s, 2, now);
		return db_step_done(db, s, "consent event");
	}
	if ((s = db_stmt(db, DB_ST_CONSENT,
	    "INSERT INTO consent_events (phone, event, list, keyword, text, "
	    "source, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")) == NULL)
		return -1;
	db_bind_text(s, 1, phone);
	db_bind_text(s, 2, event);
	db_bind_text(s, 3, list);
	db_bind_text(s, 4, c ? c->keyword : NULL);
	db_bind_text(s, 5, c ? c->text : NULL);
	db_bind_text(s, 6, c && c->source ? c->source : "cli");
	sqlite3_bind_int64(s, 7, now);
	return db_step_done(db, s, "consent event");
}

/*
 * A number that opted out long ago is only a marker now (retain.c): no
 * row, id 0, but opted out all the same.  Markers are looked for only
 * when there are any (mark_has would create the key otherwise).
 */
static int
subscriber_marked(struct db *db, const char *phone, struct subscriber *sub)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_SUB_ANY_MARK,
	    "SELECT 1 FROM optout_marks LIMIT 1")) == NULL)
		return -1;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, "subscriber");
	if ((rc = mark_has(db, phone)) == -1)
		return -1;
	if (rc == 1)
		sub->status = SUBSCRIBER_OPTED_OUT;
	return 0;
}

/* Load a subscriber (without its lists); a marker is opted out, id 0. */
static int
subscriber_load(struct db *db, const char *phone, struct subscriber *sub)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(sub, 0, sizeof *sub);
	strlcpy(sub->phone, phone, sizeof sub->phone);
	sub->status = SUBSCRIBER_NONE;
	if ((s = db_stmt(db, DB_ST_SUB_GET,
	    "SELECT id, status, language, created_at, updated_at "
	    "FROM subscribers WHERE phone = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, phone);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		sub->id = sqlite3_column_int64(s, 0);
		sub->status = strcmp(db_col_text(s, 1), "active") == 0 ?
		    SUBSCRIBER_ACTIVE : SUBSCRIBER_OPTED_OUT;
		strlcpy(sub->language, db_col_text(s, 2),
		    sizeof sub->language);
		sub->created_at = sqlite3_column_int64(s, 3);
		sub->updated_at = sqlite3_column_int64(s, 4);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "subscriber");
	if (rc == SQLITE_DONE)
		return subscriber_marked(db, phone, sub);
	return 0;
}

static int
subscriber_lists(struct db *db, struct subscriber *sub)
{
	sqlite3_stmt	*s;
	int		 rc;

	sub->lists[0] = '\0';
	if (sub->id == 0)
		return 0;
	if ((s = db_stmt(db, DB_ST_SUB_LISTS,
	    "SELECT l.name FROM memberships m JOIN lists l ON l.id = m.list_id "
	    "WHERE m.subscriber_id = ?1 ORDER BY l.name")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, sub->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sub->lists[0] != '\0')
			strlcat(sub->lists, ",", sizeof sub->lists);
		strlcat(sub->lists, db_col_text(s, 0), sizeof sub->lists);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(db, "subscriber lists");
	return 0;
}

int
subscriber_get(struct db *db, const char *phone, struct subscriber *sub)
{
	if (subscriber_load(db, phone, sub) == -1)
		return -1;
	return subscriber_lists(db, sub);
}

int
subscriber_join(struct db *db, const char *phone, const char *list,
    const char *lang, const struct consent *c, int64_t now, int *result)
{
	struct subscriber	 sub;
	sqlite3_stmt		*s;
	int64_t			 lid;
	int			 member_before;
	const char		*lname = list && *list ? list : "default";

	if (db_begin(db) == -1)
		return -1;
	if ((lid = db_list_id(db, list)) == -1)
		goto fail;
	if (lid == 0) {
		db_rollback(db);
		*result = SUBSCRIBER_NO_LIST;
		return 0;
	}
	if (subscriber_load(db, phone, &sub) == -1)
		goto fail;
	if (sub.status == SUBSCRIBER_OPTED_OUT &&
	    (c == NULL || c->source == NULL || strcmp(c->source, "sms") != 0)) {
		/* only the member can undo their opt-out */
		db_rollback(db);
		*result = SUBSCRIBER_REFUSED;
		return 0;
	}
	/* a marker (no row): the member's own JOIN lifts it */
	if (sub.id == 0 && sub.status == SUBSCRIBER_OPTED_OUT) {
		if (mark_del(db, phone) == -1)
			goto fail;
		sub.status = SUBSCRIBER_NONE;
	}
	if (sub.status == SUBSCRIBER_NONE) {
		/* a forgotten number left a marker: an organizer cannot add
		 * it back; the member's own JOIN makes a new subscriber,
		 * and the marker goes */
		if (c != NULL && c->source != NULL &&
		    strcmp(c->source, "sms") == 0) {
			if (mark_del(db, phone) == -1)
				goto fail;
		} else {
			switch (mark_has(db, phone)) {
			case -1:
				goto fail;
			case 1:
				db_rollback(db);
				*result = SUBSCRIBER_REFUSED;
				return 0;
			}
		}
	}
	if (sub.status == SUBSCRIBER_NONE) {
		if ((s = db_stmt(db, DB_ST_SUB_INSERT,
		    "INSERT INTO subscribers (phone, status, language, "
		    "created_at, updated_at) VALUES (?1, 'active', "
		    "COALESCE(?2, ''), ?3, ?3)")) == NULL)
			goto fail;
		db_bind_text(s, 1, phone);
		db_bind_text(s, 2, lang);
		sqlite3_bind_int64(s, 3, now);
		if (db_step_done(db, s, "subscribe") == -1)
			goto fail;
		sub.id = sqlite3_last_insert_rowid(db->h);
	} else {
		if ((s = db_stmt(db, DB_ST_SUB_ACTIVATE,
		    "UPDATE subscribers SET status = 'active', "
		    "language = COALESCE(?2, language), updated_at = ?3 "
		    "WHERE id = ?1")) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, sub.id);
		db_bind_text(s, 2, lang);
		sqlite3_bind_int64(s, 3, now);
		if (db_step_done(db, s, "subscribe") == -1)
			goto fail;
	}
	if ((s = db_stmt(db, DB_ST_MEMBER_ADD,
	    "INSERT OR IGNORE INTO memberships (subscriber_id, list_id, "
	    "joined_at) VALUES (?1, ?2, ?3)")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, sub.id);
	sqlite3_bind_int64(s, 2, lid);
	sqlite3_bind_int64(s, 3, now);
	if (db_step_done(db, s, "subscribe") == -1)
		goto fail;
	member_before = sqlite3_changes(db->h) == 0;
	if (sub.status == SUBSCRIBER_ACTIVE && member_before)
		*result = SUBSCRIBER_ALREADY;
	else
		*result = SUBSCRIBER_JOINED;
	if (subscriber_consent(db, phone, "opt-in", lname, c, now,
	    *result != SUBSCRIBER_ALREADY) == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
subscriber_optout(struct db *db, const char *phone, const struct consent *c,
    int64_t now, long *cancelled)
{
	struct subscriber	 before;
	sqlite3_stmt		*s;

	*cancelled = 0;
	if (db_begin(db) == -1)
		return -1;
	if (subscriber_load(db, phone, &before) == -1)
		goto fail;
	/* the row is kept, or created for a number we never had, so the
	 * opt-out is never forgotten and a later import cannot undo it */
	if ((s = db_stmt(db, DB_ST_SUB_OPTOUT,
	    "INSERT INTO subscribers (phone, status, language, "
	    "created_at, updated_at) VALUES (?1, 'opted-out', '', ?2, ?2) "
	    "ON CONFLICT (phone) DO UPDATE SET status = 'opted-out', "
	    "updated_at = ?2")) == NULL)
		goto fail;
	db_bind_text(s, 1, phone);
	sqlite3_bind_int64(s, 2, now);
	if (db_step_done(db, s, "opt out") == -1)
		goto fail;
	if ((s = db_stmt(db, DB_ST_OUTBOX_SKIP_PHONE,
	    "UPDATE outbox SET state = 'skipped', error = 'opted out', "
	    "updated_at = ?2 WHERE phone = ?1 AND state = 'queued' "
	    "AND kind IN ('alert', 'reply')")) == NULL)
		goto fail;
	db_bind_text(s, 1, phone);
	sqlite3_bind_int64(s, 2, now);
	if (db_step_done(db, s, "opt out") == -1)
		goto fail;
	*cancelled = sqlite3_changes(db->h);
	/* a broadcast whose last queued rows were just skipped is done:
	 * no claim will ever look at it again */
	if (*cancelled > 0 && db_broadcasts_finish(db) == -1)
		goto fail;
	if (subscriber_consent(db, phone, "opt-out", NULL, c, now,
	    before.status != SUBSCRIBER_OPTED_OUT) == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
subscriber_set_language(struct db *db, const char *phone, const char *lang,
    const struct consent *c, int64_t now)
{
	struct subscriber	before;
	sqlite3_stmt		*s;

	if (db_begin(db) == -1)
		return -1;
	if (subscriber_load(db, phone, &before) == -1)
		goto fail;
	if ((s = db_stmt(db, DB_ST_SUB_LANG,
	    "UPDATE subscribers SET language = ?2, updated_at = ?3 "
	    "WHERE phone = ?1")) == NULL)
		goto fail;
	db_bind_text(s, 1, phone);
	db_bind_text(s, 2, lang);
	sqlite3_bind_int64(s, 3, now);
	if (db_step_done(db, s, "language") == -1)
		goto fail;
	if (sqlite3_changes(db->h) > 0 &&
	    subscriber_consent(db, phone, "language", lang, c, now,
	    strcmp(before.language, lang) != 0) == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
subscriber_remove(struct db *db, const char *phone, int64_t now, int *found)
{
	struct subscriber	 sub;
	sqlite3_stmt		*s;
	struct consent		 c = { NULL, NULL, "cli" };

	*found = 0;
	if (db_begin(db) == -1)
		return -1;
	if (subscriber_load(db, phone, &sub) == -1)
		goto fail;
	if (sub.status == SUBSCRIBER_NONE) {
		db_rollback(db);
		return 0;
	}
	if (sub.id == 0) {
		/* only a marker: nothing to remove, the opt-out stays */
		db_rollback(db);
		return 0;
	}
	*found = 1;
	if (sub.status == SUBSCRIBER_ACTIVE) {
		if ((s = db_stmt(db, DB_ST_SUB_DELETE,
		    "DELETE FROM subscribers WHERE id = ?1")) == NULL)
			goto fail;
	} else if ((s = db_stmt(db, DB_ST_MEMBER_DEL_ALL,
	    "DELETE FROM memberships WHERE subscriber_id = ?1")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, sub.id);
	if (db_step_done(db, s, "remove") == -1)
		goto fail;
	if (subscriber_consent(db, phone, "removed", NULL, &c, now, 1) == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
subscriber_foreach(struct db *db, const char *list, int status,
    int (*cb)(const struct subscriber *, void *), void *arg)
{
	struct subscriber	 sub;
	sqlite3_stmt		*s;
	int64_t			 lid = 0;
	int			 rc, stop = 0;
	/* each row's lists are read with another cached statement, so
	 * rows are collected first: the list query must not interleave */
	struct subscriber	*all = NULL;
	size_t			 n = 0, cap = 0, i;

	if (list != NULL) {
		if ((lid = db_list_id(db, list)) == -1)
			return -1;
		if (lid == 0)
			return db_failf(db, "no such list: %s", list);
		s = db_stmt(db, DB_ST_SUB_BY_LIST,
		    "SELECT s.phone FROM subscribers s JOIN memberships m ON "
		    "m.subscriber_id = s.id WHERE m.list_id = ?1 AND "
		    "(?2 = 0 OR s.status = ?3) ORDER BY s.phone");
	} else
		s = db_stmt(db, DB_ST_SUB_ALL,
		    "SELECT phone FROM subscribers WHERE ?1 = ?1 AND "
		    "(?2 = 0 OR status = ?3) ORDER BY phone");
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, lid);
	sqlite3_bind_int(s, 2, status != SUBSCRIBER_NONE);
	db_bind_text(s, 3, status == SUBSCRIBER_OPTED_OUT ? "opted-out" :
	    "active");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			all = xreallocarray(all, cap, sizeof *all);
		}
		memset(&all[n], 0, sizeof all[n]);
		strlcpy(all[n].phone, db_col_text(s, 0), sizeof all[n].phone);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(all);
		return db_fail(db, "subscribers");
	}
	for (i = 0; i < n && !stop; i++) {
		if (subscriber_get(db, all[i].phone, &sub) == -1) {
			free(all);
			return -1;
		}
		stop = cb(&sub, arg);
	}
	free(all);
	return 0;
}

int
subscriber_count(struct db *db, const char *status, long *n)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_SUB_COUNT,
	    "SELECT COUNT(*) FROM subscribers WHERE status = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, status);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(db, "count");
	}
	*n = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int
list_create(struct db *db, const char *name, int64_t now)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_LIST_CREATE,
	    "INSERT OR IGNORE INTO lists (name, created_at) VALUES (?1, ?2)"))
	    == NULL)
		return -1;
	db_bind_text(s, 1, name);
	sqlite3_bind_int64(s, 2, now);
	return db_step_done(db, s, "create list");
}

int
list_exists(struct db *db, const char *name, int *exists)
{
	int64_t	id = db_list_id(db, name);

	if (id == -1)
		return -1;
	*exists = id > 0;
	return 0;
}

int
list_foreach(struct db *db, int (*cb)(const char *, long, long, void *),
    void *arg)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_LIST_ALL,
	    "SELECT l.name, "
	    "  COUNT(CASE WHEN s.status = 'active' THEN 1 END), "
	    "  COUNT(CASE WHEN s.status = 'opted-out' THEN 1 END) "
	    "FROM lists l LEFT JOIN memberships m ON m.list_id = l.id "
	    "LEFT JOIN subscribers s ON s.id = m.subscriber_id "
	    "GROUP BY l.id ORDER BY l.name")) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cb(db_col_text(s, 0), (long)sqlite3_column_int64(s, 1),
		    (long)sqlite3_column_int64(s, 2), arg))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, "lists");
	return 0;
}
