/*
 * db/poll.c — polls: broadcasts that ask ("send --ask SAFE,HELP") and the
 * members' answers.
 *
 * A poll is one polls row beside its broadcast (written in the
 * broadcast's transaction by db_poll_insert) holding its options as
 * canonical words joined with commas, the options forwarded to the
 * organizers, and the window in which answers are taken.  An answer is
 * one poll_answers row per member and poll: a later answer replaces an
 * earlier one with another option, and leaves one with the same option
 * (and its time) alone.  Whether a text is an answer is the keyword
 * engine's business (keyword_poll_match); which poll it answers is here:
 * the open polls actually sent to that number, newest first.
 *
 * Past retention, and when its member is forgotten, an answer loses the
 * number and the words: the row stays with an anonymous id (POLL_ANON,
 * random, "-" and 16 hex digits, linked to nothing) so the poll's counts
 * stay what they were.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "db_int.h"

/* "SAFE,HELP" into p->options. */
static void
poll_split(const char *s, struct poll *p)
{
	const char	*q;
	size_t		 len;

	p->noptions = 0;
	while (*s != '\0' && p->noptions < POLL_OPTIONS_MAX) {
		q = strchr(s, ',');
		len = q != NULL ? (size_t)(q - s) : strlen(s);
		if (len >= POLL_OPTION_MAX)
			len = POLL_OPTION_MAX - 1;
		memcpy(p->options[p->noptions], s, len);
		p->options[p->noptions][len] = '\0';
		p->noptions++;
		if (q == NULL)
			break;
		s = q + 1;
	}
}

/* The mask of the options named in "HELP" or "SAFE,HELP". */
static unsigned
poll_mask(const struct poll *p, const char *s)
{
	const char	*q;
	size_t		 len, i;
	unsigned	 mask = 0;

	while (*s != '\0') {
		q = strchr(s, ',');
		len = q != NULL ? (size_t)(q - s) : strlen(s);
		for (i = 0; i < p->noptions; i++) {
			if (strlen(p->options[i]) == len &&
			    memcmp(p->options[i], s, len) == 0)
				mask |= 1u << i;
		}
		if (q == NULL)
			break;
		s = q + 1;
	}
	return mask;
}

static void
poll_row(sqlite3_stmt *s, struct poll *p)
{
	memset(p, 0, sizeof *p);
	p->broadcast_id = sqlite3_column_int64(s, 0);
	poll_split(db_col_text(s, 1), p);
	p->alert = poll_mask(p, db_col_text(s, 2));
	p->opens_at = sqlite3_column_int64(s, 3);
	p->closes_at = sqlite3_column_int64(s, 4);
}

/* Inside broadcast_create()'s transaction. */
int
db_poll_insert(struct db *db, int64_t id, const struct broadcast_new *b,
    int64_t opens_at)
{
	sqlite3_stmt	*s;
	char		 opts[POLL_OPTIONS_MAX * POLL_OPTION_MAX];
	char		 alert[POLL_OPTIONS_MAX * POLL_OPTION_MAX];
	size_t		 i;

	if (b->npoll > POLL_OPTIONS_MAX)
		return db_failf(db, "a poll has at most %d options",
		    POLL_OPTIONS_MAX);
	opts[0] = alert[0] = '\0';
	for (i = 0; i < b->npoll; i++) {
		if (strlen(b->poll_options[i]) >= POLL_OPTION_MAX ||
		    strchr(b->poll_options[i], ',') != NULL ||
		    b->poll_options[i][0] == '\0')
			return db_failf(db, "bad poll option: %s",
			    b->poll_options[i]);
		if (i > 0)
			strlcat(opts, ",", sizeof opts);
		strlcat(opts, b->poll_options[i], sizeof opts);
		if (b->poll_alert & (1u << i)) {
			if (alert[0] != '\0')
				strlcat(alert, ",", sizeof alert);
			strlcat(alert, b->poll_options[i], sizeof alert);
		}
	}
	if ((s = db_stmt(db, DB_ST_POLL_INSERT,
	    "INSERT INTO polls (broadcast_id, options, alert_on, opens_at, "
	    "closes_at) VALUES (?1, ?2, ?3, ?4, ?5)")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	db_bind_text(s, 2, opts);
	db_bind_text(s, 3, alert);
	sqlite3_bind_int64(s, 4, opens_at);
	sqlite3_bind_int64(s, 5, opens_at + b->poll_window);
	return db_step_done(db, s, "poll");
}

int
poll_get(struct db *db, int64_t id, struct poll *p)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_POLL_GET,
	    "SELECT broadcast_id, options, alert_on, opens_at, closes_at "
	    "FROM polls WHERE broadcast_id = ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		poll_row(s, p);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW)
		return db_fail(db, "poll");
	return 0;
}

int
poll_open_for(struct db *db, const char *phone, int64_t now, struct poll *v,
    size_t max, size_t *n)
{
	sqlite3_stmt	*s;
	int		 rc;

	*n = 0;
	if ((s = db_stmt(db, DB_ST_POLL_OPEN,
	    "SELECT p.broadcast_id, p.options, p.alert_on, p.opens_at, "
	    "p.closes_at FROM polls p WHERE p.closes_at > ?2 AND "
	    "p.opens_at <= ?2 AND EXISTS (SELECT 1 FROM outbox o WHERE "
	    "o.phone = ?1 AND o.broadcast_id = p.broadcast_id AND "
	    "o.state IN ('sent', 'delivered')) "
	    "ORDER BY p.broadcast_id DESC LIMIT ?3")) == NULL)
		return -1;
	db_bind_text(s, 1, phone);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, (int64_t)max);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		poll_row(s, &v[(*n)++]);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, "open polls");
	return 0;
}

int
poll_answer(struct db *db, int64_t id, const char *phone, const char *option,
    const char *text, int64_t now, int *changed)
{
	sqlite3_stmt	*s;

	*changed = 0;
	if ((s = db_stmt(db, DB_ST_POLL_ANSWER,
	    "INSERT INTO poll_answers (broadcast_id, phone, option, text, "
	    "answered_at) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (broadcast_id, phone) DO UPDATE SET "
	    "option = excluded.option, text = excluded.text, "
	    "answered_at = excluded.answered_at "
	    "WHERE option != excluded.option")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	db_bind_text(s, 2, phone);
	db_bind_text(s, 3, option);
	db_bind_text(s, 4, text);
	sqlite3_bind_int64(s, 5, now);
	if (db_step_done(db, s, "answer") == -1)
		return -1;
	*changed = sqlite3_changes(db->h) > 0;
	return 0;
}

int
poll_counts(struct db *db, const struct poll *p, long *counts,
    long *unanswered)
{
	sqlite3_stmt	*s;
	const char	*o;
	size_t		 i;
	int		 rc;

	for (i = 0; i < p->noptions; i++)
		counts[i] = 0;
	*unanswered = 0;
	if ((s = db_stmt(db, DB_ST_POLL_COUNTS,
	    "SELECT option, COUNT(*) FROM poll_answers WHERE "
	    "broadcast_id = ?1 GROUP BY option")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, p->broadcast_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		o = db_col_text(s, 0);
		for (i = 0; i < p->noptions; i++) {
			if (strcmp(o, p->options[i]) == 0)
				counts[i] = (long)sqlite3_column_int64(s, 1);
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(db, "answers");
	if ((s = db_stmt(db, DB_ST_POLL_UNANSWERED,
	    "SELECT COUNT(*) FROM outbox o WHERE o.broadcast_id = ?1 AND "
	    "o.state IN ('sent', 'delivered') AND NOT EXISTS (SELECT 1 "
	    "FROM poll_answers a WHERE a.broadcast_id = ?1 AND "
	    "a.phone = o.phone)")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, p->broadcast_id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(db, "unanswered");
	}
	*unanswered = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int
poll_answers_foreach(struct db *db, int64_t id, const char *option,
    int (*cb)(const struct poll_answer *, void *), void *arg)
{
	sqlite3_stmt		*s;
	struct poll_answer	 a;
	int			 rc, stop = 0;

	/* every row read before the callbacks run: they may query too */
	struct poll_answer	*v = NULL;
	size_t			 n = 0, cap = 0, i;

	if ((s = db_stmt(db, DB_ST_POLL_ANSWERS,
	    "SELECT phone, option, text, answered_at FROM poll_answers "
	    "WHERE broadcast_id = ?1 AND (?2 IS NULL OR option = ?2) "
	    "ORDER BY answered_at, phone")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	db_bind_text(s, 2, option);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		strlcpy(a.phone, db_col_text(s, 0), sizeof a.phone);
		strlcpy(a.option, db_col_text(s, 1), sizeof a.option);
		if (sqlite3_column_type(s, 2) != SQLITE_NULL)
			a.text = xstrdup(db_col_text(s, 2));
		a.answered_at = sqlite3_column_int64(s, 3);
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[n++] = a;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		for (i = 0; i < n; i++)
			free(v[i].text);
		free(v);
		return db_fail(db, "answers");
	}
	for (i = 0; i < n; i++) {
		if (!stop)
			stop = cb(&v[i], arg);
		free(v[i].text);
	}
	free(v);
	return 0;
}

int
poll_purge(struct db *db, int64_t before, long *n)
{
	sqlite3_stmt	*s;

	*n = 0;
	if ((s = db_stmt(db, DB_ST_POLL_PURGE,
	    "UPDATE poll_answers SET text = NULL, phone = " POLL_ANON " "
	    "WHERE answered_at < ?1 AND phone NOT LIKE '-%'")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, before);
	if (db_step_done(db, s, "purge answers") == -1)
		return -1;
	*n = sqlite3_changes(db->h);
	return 0;
}

int
poll_forget(struct db *db, const char *phone, long *n)
{
	sqlite3_stmt	*s;

	*n = 0;
	if ((s = db_stmt(db, DB_ST_POLL_FORGET,
	    "UPDATE poll_answers SET text = NULL, phone = " POLL_ANON " "
	    "WHERE phone = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, phone);
	if (db_step_done(db, s, "forget answers") == -1)
		return -1;
	*n = sqlite3_changes(db->h);
	return 0;
}

int
poll_clock_step(struct db *db, int64_t step, int64_t now)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_POLL_STEP,
	    "UPDATE polls SET opens_at = opens_at + ?1, closes_at = "
	    "closes_at + ?1 WHERE closes_at > ?2")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, step);
	sqlite3_bind_int64(s, 2, now - step);
	return db_step_done(db, s, "poll clock step");
}
