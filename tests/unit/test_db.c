/*
 * tests/unit/test_db.c — the SQLite store (db/): opening and migration,
 * subscribers and consent, broadcasts, the outbox state machine and the
 * inbox.
 *
 * Each test makes a fresh database in its own mkdtemp directory under
 * /tmp and removes it at its end label.  Times are fixed numbers (the
 * store never reads the clock).  Where the API has no reader for a column
 * (outbox states, consent events) the test reads the table itself through
 * the handle in db_int.h.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_int.h"
#include "tt.h"

#define PA	"+15550000001"
#define PB	"+15550000002"
#define PC	"+15550000003"
#define PD	"+15550000004"
#define PE	"+15550000005"
#define PX	"+639171234567"		/* not a subscriber */

#define NO_ROW		(-1LL)
#define NULL_VALUE	(-2LL)
#define SQL_ERROR	(-3LL)

struct test_env {
	char		 dir[64];
	char		 path[128];
	struct db	*db;
};

/* One segment sent through modem "m1", reports not tracked. */
static int
test_sent(struct db *db, int64_t id, int mr, int64_t now)
{
	return outbox_sent(db, id, "m1", &mr, 1, 0, now);
}

/* A fresh database in a new temporary directory. */
static int
test_open(struct test_env *e)
{
	char	*cause = NULL;

	memset(e, 0, sizeof *e);
	snprintf(e->dir, sizeof e->dir, "/tmp/tambuli-test-db.XXXXXX");
	if (mkdtemp(e->dir) == NULL) {
		fprintf(stderr, "  mkdtemp: %s\n", strerror(errno));
		e->dir[0] = '\0';
		return -1;
	}
	snprintf(e->path, sizeof e->path, "%s/tambuli.db", e->dir);
	if ((e->db = db_open(e->path, 1000, &cause)) == NULL) {
		fprintf(stderr, "  db_open: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static void
test_close(struct test_env *e)
{
	static const char	*suffix[] = { "", "-wal", "-shm", "-journal" };
	char			 p[160];
	size_t			 i;

	db_close(e->db);
	e->db = NULL;
	if (e->dir[0] == '\0')
		return;
	for (i = 0; i < TT_NELEM(suffix); i++) {
		snprintf(p, sizeof p, "%s%s", e->path, suffix[i]);
		unlink(p);
	}
	if (rmdir(e->dir) == -1)
		fprintf(stderr, "  rmdir %s: %s\n", e->dir, strerror(errno));
	e->dir[0] = '\0';
}

/* The first column of the first row: NO_ROW, NULL_VALUE or SQL_ERROR. */
static long long
test_int(struct db *db, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static long long
test_int(struct db *db, const char *fmt, ...)
{
	char		 sql[1024];
	va_list		 ap;
	sqlite3_stmt	*s;
	long long	 v = NO_ROW;
	int		 rc;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(db->h, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "  %s: %s\n", sql, sqlite3_errmsg(db->h));
		return SQL_ERROR;
	}
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		v = sqlite3_column_type(s, 0) == SQLITE_NULL ? NULL_VALUE :
		    sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE) {
		fprintf(stderr, "  %s: %s\n", sql, sqlite3_errmsg(db->h));
		v = SQL_ERROR;
	}
	sqlite3_finalize(s);
	return v;
}

/* The first column of the first row as text: "(no row)", "(null)". */
static const char *
test_str(struct db *db, char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static const char *
test_str(struct db *db, char *buf, size_t len, const char *fmt, ...)
{
	char		 sql[1024];
	va_list		 ap;
	sqlite3_stmt	*s;
	int		 rc;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(db->h, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "  %s: %s\n", sql, sqlite3_errmsg(db->h));
		snprintf(buf, len, "(error)");
		return buf;
	}
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) == SQLITE_NULL)
			snprintf(buf, len, "(null)");
		else
			snprintf(buf, len, "%s",
			    (const char *)sqlite3_column_text(s, 0));
	} else if (rc == SQLITE_DONE)
		snprintf(buf, len, "(no row)");
	else {
		fprintf(stderr, "  %s: %s\n", sql, sqlite3_errmsg(db->h));
		snprintf(buf, len, "(error)");
	}
	sqlite3_finalize(s);
	return buf;
}

static int
test_exec(struct db *db, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "  %s: %s\n", sql, msg);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* "state|error" of an outbox row. */
static const char *
test_ob_state(struct db *db, char *buf, size_t len, int64_t id)
{
	return test_str(db, buf, len, "SELECT state || '|' || "
	    "COALESCE(error, '') FROM outbox WHERE id = %lld", (long long)id);
}

/* The whole consent trail, oldest first. */
static const char *
test_consent(struct db *db, char *buf, size_t len)
{
	return test_str(db, buf, len, "SELECT group_concat(e, ';') FROM "
	    "(SELECT phone || '|' || event || '|' || COALESCE(list, '-') || "
	    "'|' || COALESCE(keyword, '-') || '|' || COALESCE(text, '-') || "
	    "'|' || source || '|' || at || "
	    "CASE WHEN repeats > 0 THEN ' x' || (repeats + 1) || ' until ' || "
	    "last_at ELSE '' END AS e FROM consent_events ORDER BY id)");
}

/* Callback results, joined with ';'. */
struct test_acc {
	char		 s[4096];
	int		 n;
	int		 stop_after;	/* 0: never stop */
	struct db	*db;
};

static void
test_acc_add(struct test_acc *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
test_acc_add(struct test_acc *a, const char *fmt, ...)
{
	size_t	len = strlen(a->s);
	va_list	ap;

	if (len > 0 && len < sizeof a->s - 1)
		a->s[len++] = ';';
	va_start(ap, fmt);
	vsnprintf(a->s + len, sizeof a->s - len, fmt, ap);
	va_end(ap);
	a->n++;
}

static void
test_acc_reset(struct test_acc *a)
{
	a->s[0] = '\0';
	a->n = 0;
	a->stop_after = 0;
}

static const char *
test_status_name(enum subscriber_status st)
{
	switch (st) {
	case SUBSCRIBER_NONE:
		return "none";
	case SUBSCRIBER_ACTIVE:
		return "active";
	case SUBSCRIBER_OPTED_OUT:
		return "opted-out";
	}
	return "?";
}

static int
test_sub_cb(const struct subscriber *sub, void *arg)
{
	struct test_acc	*a = arg;

	test_acc_add(a, "%s:%s:%s:%s", sub->phone,
	    test_status_name(sub->status), sub->language, sub->lists);
	return a->stop_after != 0 && a->n >= a->stop_after;
}

static int
test_list_cb(const char *name, long active, long opted, void *arg)
{
	struct test_acc	*a = arg;

	test_acc_add(a, "%s:%ld:%ld", name, active, opted);
	return 0;
}

static int
test_bc_cb(const struct broadcast *b, void *arg)
{
	struct test_acc	*a = arg;

	test_acc_add(a, "%lld:%s:%s:%ld", (long long)b->id, b->text,
	    b->state, b->recipients);
	return a->stop_after != 0 && a->n >= a->stop_after;
}

static int
test_inbox_cb(const struct inbox_msg *m, void *arg)
{
	struct test_acc	*a = arg;

	test_acc_add(a, "%lld|%s|%s|%lld|%s|%s|%s|%d", (long long)m->id,
	    m->phone, m->text, (long long)m->received_at, m->modem,
	    m->keyword, m->flags, m->handled);
	return a->stop_after != 0 && a->n >= a->stop_after;
}

static const struct consent test_sms_join = { "JOIN", "join", "sms" };
static const struct consent test_sms_stop = { "STOP", "Stop please", "sms" };
static const struct consent test_cli = { NULL, NULL, "cli" };

/* Join phone to list, expecting result. */
static int
test_join(struct db *db, const char *phone, const char *list,
    const char *lang, const struct consent *c, int64_t now, int want)
{
	int	result = -1;

	if (subscriber_join(db, phone, list, lang, c, now, &result) == -1) {
		fprintf(stderr, "  join %s: %s\n", phone, db_error(db));
		return -1;
	}
	if (result != want) {
		fprintf(stderr, "  join %s %s: result %d, want %d\n", phone,
		    list ? list : "(default)", result, want);
		return -1;
	}
	return 0;
}

/* A member of the default list, added by an organizer. */
static int
test_member(struct db *db, const char *phone, const char *lang, int64_t now)
{
	return test_join(db, phone, NULL, lang, &test_cli, now,
	    SUBSCRIBER_JOINED);
}

static int
test_optout(struct db *db, const char *phone, const struct consent *c,
    int64_t now, long want)
{
	long	n = -1;

	if (subscriber_optout(db, phone, c, now, &n) == -1) {
		fprintf(stderr, "  optout %s: %s\n", phone, db_error(db));
		return -1;
	}
	if (n != want) {
		fprintf(stderr, "  optout %s: cancelled %ld, want %ld\n",
		    phone, n, want);
		return -1;
	}
	return 0;
}

/* A broadcast to list; returns its id, or -1. */
static int64_t
test_broadcast(struct db *db, const char *text, const char *list, int prio,
    int64_t sched, int64_t expires, int64_t now, long want)
{
	struct broadcast_new	 bn = { text, list, prio, sched, expires,
	    "gsm7", 1 };
	int64_t			 id = -1;
	long			 n = -1;

	if (broadcast_create(db, &bn, now, &id, &n) == -1) {
		fprintf(stderr, "  broadcast: %s\n", db_error(db));
		return -1;
	}
	if (n != want) {
		fprintf(stderr, "  broadcast: %ld recipients, want %ld\n", n,
		    want);
		return -1;
	}
	return id;
}

/* ---- opening ---- */

static void
test_open_create(void)
{
	struct test_env	 e;
	struct stat	 st;
	char		 buf[256], wal[160], *cause = NULL;
	mode_t		 old;
	int		 rc;

	/* with no umask, the mode is the code's alone */
	old = umask(0);
	rc = test_open(&e);
	umask(old);
	tt_int_op(rc, ==, 0);
	tt_int_op(stat(e.path, &st), ==, 0);
	tt_int_op(st.st_mode & 07777, ==, 0600);
	tt_int_op(test_int(e.db, "PRAGMA user_version"), ==, DB_SCHEMA_VERSION);
	tt_str_op(test_str(e.db, buf, sizeof buf, "PRAGMA journal_mode"), ==,
	    "wal");
	tt_int_op(test_int(e.db, "PRAGMA secure_delete"), ==, 1);
	tt_int_op(test_int(e.db, "PRAGMA synchronous"), ==, 2);	/* FULL */
	tt_int_op(test_int(e.db, "PRAGMA foreign_keys"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM sqlite_master WHERE "
	    "type = 'table'"), ==, 20);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT group_concat(name) "
	    "FROM lists"), ==, "default");

	/* the WAL holds numbers too: as private as the database */
	tt_int_op(db_setting_set(e.db, "org", "Migrant Alliance"), ==, 0);
	snprintf(wal, sizeof wal, "%s-wal", e.path);
	tt_int_op(stat(wal, &st), ==, 0);
	tt_int_op(st.st_mode & 07777, ==, 0600);

	/* reopening migrates nothing and keeps the data */
	db_close(e.db);
	e.db = db_open(e.path, 1000, &cause);
	tt_assert(e.db != NULL);
	tt_int_op(test_int(e.db, "PRAGMA user_version"), ==, DB_SCHEMA_VERSION);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM lists"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM sqlite_master WHERE "
	    "type = 'table'"), ==, 20);
	tt_int_op(db_setting_get(e.db, "org", buf, sizeof buf), ==, 1);
	tt_str_op(buf, ==, "Migrant Alliance");
	tt_str_op(test_str(e.db, buf, sizeof buf, "PRAGMA journal_mode"), ==,
	    "wal");
end:
	free(cause);
	test_close(&e);
}

static void
test_open_newer(void)
{
	struct test_env	 e;
	char		 want[512], *cause = NULL;
	struct db	*db = NULL;

	tt_int_op(test_open(&e), ==, 0);
	snprintf(want, sizeof want, "PRAGMA user_version = %d",
	    DB_SCHEMA_VERSION + 1);
	tt_int_op(test_exec(e.db, want), ==, 0);
	db_close(e.db);
	e.db = NULL;

	db = db_open(e.path, 1000, &cause);
	tt_assert(db == NULL);
	tt_assert(cause != NULL);
	tt_assert(strstr(cause, "newer than this tambuli") != NULL);
	snprintf(want, sizeof want, "%s: the database has schema version %d, "
	    "newer than this tambuli (version %d): upgrade tambuli, or use the "
	    "database with the version that wrote it", e.path,
	    DB_SCHEMA_VERSION + 1, DB_SCHEMA_VERSION);
	tt_str_op(cause, ==, want);
end:
	db_close(db);
	free(cause);
	test_close(&e);
}

static void
test_open_errors(void)
{
	struct test_env	 e;
	char		 want[256], *cause = NULL;
	struct db	*db = NULL;
	int		 fd;
	static const char junk[] = "this is not an SQLite database, it is a "
	    "shopping list: rice, eggs, fish sauce, calamansi, pandesal, "
	    "coffee.";

	db = db_open("/nonexistent-tambuli-dir/tambuli.db", 0, &cause);
	tt_assert(db == NULL);
	tt_str_op(cause, ==, "/nonexistent-tambuli-dir/tambuli.db: "
	    "No such file or directory");
	free(cause);
	cause = NULL;

	/* a file that is not a database is refused, and left alone */
	tt_int_op(test_open(&e), ==, 0);
	db_close(e.db);
	e.db = NULL;
	unlink(e.path);
	snprintf(want, sizeof want, "%s-wal", e.path);
	unlink(want);
	snprintf(want, sizeof want, "%s-shm", e.path);
	unlink(want);
	fd = open(e.path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	tt_assert(fd != -1);
	tt_int_op(write(fd, junk, sizeof junk), ==, sizeof junk);
	close(fd);
	db = db_open(e.path, 0, &cause);
	tt_assert(db == NULL);
	tt_assert(cause != NULL);
	snprintf(want, sizeof want, "%s: ", e.path);
	tt_int_op(strncmp(cause, want, strlen(want)), ==, 0);
	tt_assert(strstr(cause, "not a database") != NULL);
end:
	db_close(db);
	free(cause);
	test_close(&e);
}

static void
test_open_settings(void)
{
	struct test_env	 e;
	char		 buf[64], small[4];

	tt_int_op(test_open(&e), ==, 0);
	snprintf(buf, sizeof buf, "untouched");
	tt_int_op(db_setting_get(e.db, "org", buf, sizeof buf), ==, 0);
	tt_str_op(buf, ==, "untouched");
	tt_int_op(db_setting_set(e.db, "org", "Alliance"), ==, 0);
	tt_int_op(db_setting_set(e.db, "contact", "+15551234567"), ==, 0);
	tt_int_op(db_setting_set(e.db, "org", "Migrant Alliance"), ==, 0);
	tt_int_op(db_setting_get(e.db, "org", buf, sizeof buf), ==, 1);
	tt_str_op(buf, ==, "Migrant Alliance");
	tt_int_op(db_setting_get(e.db, "contact", buf, sizeof buf), ==, 1);
	tt_str_op(buf, ==, "+15551234567");
	tt_int_op(db_setting_get(e.db, "org", small, sizeof small), ==, 1);
	tt_str_op(small, ==, "Mig");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM settings"), ==, 2);
end:
	test_close(&e);
}

/* A second writer gets a clear "busy", and readers are never blocked. */
static void
test_open_busy(void)
{
	struct test_env		 e;
	struct db		*db2 = NULL;
	struct subscriber	 sub;
	char			*cause = NULL;
	int			 result = 0;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_cli, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	db2 = db_open(e.path, 0, &cause);
	tt_assert(db2 != NULL);
	tt_int_op(db_begin(e.db), ==, 0);
	tt_int_op(subscriber_join(db2, PB, NULL, NULL, &test_cli, 110,
	    &result), ==, -1);
	tt_int_op(db_busy(db2), ==, 1);
	tt_assert(strstr(db_error(db2), "busy") != NULL);
	tt_int_op(subscriber_get(db2, PA, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_ACTIVE);
	db_rollback(e.db);
	tt_int_op(subscriber_join(db2, PB, NULL, NULL, &test_cli, 120,
	    &result), ==, 0);
	tt_int_op(result, ==, SUBSCRIBER_JOINED);
	tt_int_op(subscriber_get(e.db, PB, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_ACTIVE);
end:
	db_close(db2);
	free(cause);
	test_close(&e);
}

/* The CLI's open: a missing database or an empty file is an error, and
 * nothing is created or written. */
static void
test_open_nocreate(void)
{
	struct test_env	 e;
	struct stat	 st;
	char		 want[256], *cause = NULL;
	struct db	*db = NULL;
	int		 status = -1, fd;

	memset(&e, 0, sizeof e);
	snprintf(e.dir, sizeof e.dir, "/tmp/tambuli-test-db.XXXXXX");
	tt_assert(mkdtemp(e.dir) != NULL);
	snprintf(e.path, sizeof e.path, "%s/tambuli.db", e.dir);

	db = db_open_mode(e.path, 0, 0, &status, &cause);
	tt_assert(db == NULL);
	tt_int_op(status, ==, DB_OPEN_MISSING);
	snprintf(want, sizeof want, "no database at %s", e.path);
	tt_str_op(cause, ==, want);
	tt_int_op(stat(e.path, &st), ==, -1);
	free(cause);
	cause = NULL;

	fd = open(e.path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	tt_assert(fd != -1);
	close(fd);
	db = db_open_mode(e.path, 0, 0, &status, &cause);
	tt_assert(db == NULL);
	tt_int_op(status, ==, DB_OPEN_MISSING);
	snprintf(want, sizeof want, "no database at %s (an empty file)",
	    e.path);
	tt_str_op(cause, ==, want);
	tt_int_op(stat(e.path, &st), ==, 0);
	tt_int_op(st.st_size, ==, 0);
	free(cause);
	cause = NULL;

	/* the daemon's open lays it out; the CLI's then opens it */
	db = db_open_mode(e.path, 0, DB_OPEN_CREATE, &status, &cause);
	tt_assert(db != NULL);
	tt_int_op(status, ==, DB_OPEN_CREATED);
	db_close(db);
	db = db_open_mode(e.path, 0, 0, &status, &cause);
	tt_assert(db != NULL);
	tt_int_op(status, ==, DB_OPEN_OK);
	tt_int_op(test_int(db, "PRAGMA user_version"), ==, DB_SCHEMA_VERSION);
end:
	db_close(db);
	free(cause);
	test_close(&e);
}

/* A new database appears whole, under its name only (no temporary file
 * left), private; a WAL without its database is refused. */
static void
test_open_atomic(void)
{
	struct test_env	 e;
	struct stat	 st;
	char		 p[256], *cause = NULL;
	struct db	*db = NULL;
	int		 status = -1, fd, n = 0;
	DIR		*d;
	struct dirent	*de;

	memset(&e, 0, sizeof e);
	snprintf(e.dir, sizeof e.dir, "/tmp/tambuli-test-db.XXXXXX");
	tt_assert(mkdtemp(e.dir) != NULL);
	snprintf(e.path, sizeof e.path, "%s/tambuli.db", e.dir);
	db = db_open_mode(e.path, 0, DB_OPEN_CREATE | DB_OPEN_CHECK, &status,
	    &cause);
	tt_assert(db != NULL);
	tt_int_op(status, ==, DB_OPEN_CREATED);
	tt_int_op(stat(e.path, &st), ==, 0);
	tt_int_op(st.st_mode & 07777, ==, 0600);
	tt_assert((d = opendir(e.dir)) != NULL);
	while ((de = readdir(d)) != NULL)
		n += strstr(de->d_name, ".new-") != NULL;
	closedir(d);
	tt_int_op(n, ==, 0);	/* no temporary left */
	tt_str_op(test_str(db, p, sizeof p, "PRAGMA journal_mode"), ==, "wal");
	db_close(db);
	db = db_open_mode(e.path, 0, DB_OPEN_CREATE, &status, &cause);
	tt_assert(db != NULL);
	tt_int_op(status, ==, DB_OPEN_OK);
	db_close(db);
	db = NULL;

	/* removed without its WAL: not silently replaced by an empty one */
	unlink(e.path);
	snprintf(p, sizeof p, "%s-wal", e.path);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	tt_assert(fd != -1);
	close(fd);
	db = db_open_mode(e.path, 0, DB_OPEN_CREATE, &status, &cause);
	tt_assert(db == NULL);
	tt_int_op(status, ==, DB_OPEN_FAILED);
	tt_assert(strstr(cause, "no database but its write-ahead log") !=
	    NULL);
	tt_int_op(stat(e.path, &st), ==, -1);
end:
	db_close(db);
	free(cause);
	test_close(&e);
}

static int	test_corrupt_calls;

static void
test_corrupt_cb(struct db *db, void *arg)
{
	(void)db;
	(void)arg;
	test_corrupt_calls++;
}

/* A damaged page is recognised whichever statement meets it, reported
 * once; quick_check refuses the file at open. */
static void
test_open_corrupt(void)
{
	struct test_env	 e;
	struct db	*db = NULL;
	char		 garbage[4096], *cause = NULL;
	long long	 page, size;
	int64_t		 id = 0;
	int		 fd, status = -1;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_exec(e.db, "PRAGMA wal_checkpoint(TRUNCATE)"), ==, 0);
	page = test_int(e.db, "SELECT rootpage FROM sqlite_master WHERE "
	    "name = 'outbox'");
	size = test_int(e.db, "PRAGMA page_size");
	tt_assert(page > 1);
	tt_int_op(size, ==, (long long)sizeof garbage);
	db_close(e.db);
	e.db = NULL;
	memset(garbage, 'g', sizeof garbage);
	fd = open(e.path, O_WRONLY);
	tt_assert(fd != -1);
	tt_int_op(pwrite(fd, garbage, sizeof garbage, (page - 1) * size), ==,
	    (long)sizeof garbage);
	close(fd);

	/* without the check the open works; the first statement that
	 * reads the page fails, and the callback runs once */
	e.db = db_open_mode(e.path, 0, 0, &status, &cause);
	tt_assert(e.db != NULL);
	db_on_corrupt(e.db, test_corrupt_cb, NULL);
	test_corrupt_calls = 0;
	tt_int_op(db_corrupt(e.db), ==, 0);
	tt_int_op(outbox_enqueue(e.db, PA, "hello", OUTBOX_REPLY,
	    OUTBOX_PRIO_REPLY, 100, &id), ==, -1);
	tt_int_op(db_corrupt(e.db), ==, 1);
	tt_assert(strstr(db_error(e.db), "malformed") != NULL);
	tt_int_op(outbox_enqueue(e.db, PB, "hello", OUTBOX_REPLY,
	    OUTBOX_PRIO_REPLY, 100, &id), ==, -1);
	tt_int_op(test_corrupt_calls, ==, 1);
	db_close(e.db);
	e.db = NULL;

	db = db_open_mode(e.path, 0, DB_OPEN_CHECK, &status, &cause);
	tt_assert(db == NULL);
	tt_int_op(status, ==, DB_OPEN_CORRUPT);
	tt_assert(strncmp(cause, e.path, strlen(e.path)) == 0);
	tt_assert(strstr(cause, "quick_check") != NULL);
end:
	db_close(db);
	free(cause);
	test_close(&e);
}

/* data_version moves for another connection's commit, not our own. */
static void
test_open_data_version(void)
{
	struct test_env	 e;
	struct db	*db2 = NULL;
	char		*cause = NULL;
	int64_t		 v0 = 0, v1 = 0;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(db_data_version(e.db, &v0), ==, 0);
	tt_int_op(db_setting_set(e.db, "org", "own write"), ==, 0);
	tt_int_op(db_data_version(e.db, &v1), ==, 0);
	tt_int_op(v1, ==, v0);
	db2 = db_open_mode(e.path, 0, 0, NULL, &cause);
	tt_assert(db2 != NULL);
	tt_int_op(db_setting_set(db2, "org", "another's write"), ==, 0);
	tt_int_op(db_data_version(e.db, &v1), ==, 0);
	tt_int_op(v1, !=, v0);
end:
	db_close(db2);
	free(cause);
	test_close(&e);
}

/* ---- subscribers ---- */

static void
test_sub_join(void)
{
	struct test_env		 e;
	struct subscriber	 sub;
	char			 buf[1024];
	int			 exists = -1, result = 0;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, "es", &test_sms_join, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_sms_join, 110,
	    SUBSCRIBER_ALREADY), ==, 0);
	tt_int_op(subscriber_get(e.db, PA, &sub), ==, 0);
	tt_str_op(sub.phone, ==, PA);
	tt_int_op(sub.status, ==, SUBSCRIBER_ACTIVE);
	tt_str_op(sub.language, ==, "es");	/* NULL kept it */
	tt_int_op(sub.created_at, ==, 100);
	tt_int_op(sub.updated_at, ==, 110);
	tt_str_op(sub.lists, ==, "default");

	/* a named list must exist first; nothing is stored otherwise */
	tt_int_op(subscriber_join(e.db, PB, "rally", "tl", &test_sms_join, 120,
	    &result), ==, 0);
	tt_int_op(result, ==, SUBSCRIBER_NO_LIST);
	tt_int_op(subscriber_get(e.db, PB, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_NONE);
	tt_str_op(sub.phone, ==, PB);
	tt_int_op(sub.id, ==, 0);
	tt_int_op(list_exists(e.db, "rally", &exists), ==, 0);
	tt_int_op(exists, ==, 0);

	tt_int_op(list_create(e.db, "rally", 130), ==, 0);
	tt_int_op(list_create(e.db, "rally", 131), ==, 0);	/* no-op */
	tt_int_op(test_int(e.db, "SELECT created_at FROM lists WHERE "
	    "name = 'rally'"), ==, 130);
	tt_int_op(list_exists(e.db, "rally", &exists), ==, 0);
	tt_int_op(exists, ==, 1);
	tt_int_op(list_exists(e.db, NULL, &exists), ==, 0);
	tt_int_op(exists, ==, 1);
	tt_int_op(test_join(e.db, PB, "rally", "tl", &test_sms_join, 140,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PA, "rally", "en", &test_sms_join, 150,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PA, "rally", NULL, &test_sms_join, 160,
	    SUBSCRIBER_ALREADY), ==, 0);
	tt_int_op(subscriber_get(e.db, PA, &sub), ==, 0);
	tt_str_op(sub.lists, ==, "default,rally");
	tt_str_op(sub.language, ==, "en");
	tt_int_op(subscriber_get(e.db, PB, &sub), ==, 0);
	tt_str_op(sub.lists, ==, "rally");
	tt_str_op(sub.language, ==, "tl");
	tt_int_op(sub.created_at, ==, 140);

	tt_str_op(test_consent(e.db, buf, sizeof buf), ==,
	    PA "|opt-in|default|JOIN|join|sms|100 x2 until 110;"
	    PB "|opt-in|rally|JOIN|join|sms|140;"
	    PA "|opt-in|rally|JOIN|join|sms|150 x2 until 160");
end:
	test_close(&e);
}

static void
test_sub_optout(void)
{
	struct test_env		 e;
	struct subscriber	 sub;
	struct broadcast	 b = { 0 };
	struct outbox_item	 it = { 0 };
	char			 buf[1024];
	int64_t			 bid, id;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, "es", &test_sms_join, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PB, NULL, NULL, &test_sms_join, 110,
	    SUBSCRIBER_JOINED), ==, 0);
	bid = test_broadcast(e.db, "Rally Dec 18", NULL, OUTBOX_PRIO_ROUTINE,
	    0, 0, 200, 2);
	tt_int_op(bid, ==, 1);				/* rows 1 (A), 2 (B) */
	tt_int_op(outbox_enqueue(e.db, PA, "Thanks!", OUTBOX_REPLY,
	    OUTBOX_PRIO_REPLY, 210, &id), ==, 0);
	tt_int_op(id, ==, 3);
	tt_int_op(outbox_enqueue(e.db, PA, "You will get no more texts.",
	    OUTBOX_SYSTEM, OUTBOX_PRIO_REPLY, 220, &id), ==, 0);
	tt_int_op(id, ==, 4);
	tt_int_op(outbox_enqueue(e.db, PA, "fwd", OUTBOX_FORWARD,
	    OUTBOX_PRIO_ROUTINE, 230, &id), ==, 0);
	tt_int_op(id, ==, 5);

	tt_int_op(test_optout(e.db, PA, &test_sms_stop, 300, 2), ==, 0);
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 1), ==,
	    "skipped|opted out");
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 2), ==, "queued|");
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 3), ==,
	    "skipped|opted out");
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 4), ==, "queued|");
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 5), ==, "queued|");
	tt_int_op(test_int(e.db, "SELECT updated_at FROM outbox WHERE id = 1"),
	    ==, 300);

	tt_int_op(subscriber_get(e.db, PA, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_OPTED_OUT);
	tt_str_op(sub.language, ==, "es");
	tt_int_op(sub.created_at, ==, 100);
	tt_int_op(sub.updated_at, ==, 300);
	tt_str_op(sub.lists, ==, "default");
	tt_str_op(test_consent(e.db, buf, sizeof buf), ==,
	    PA "|opt-in|default|JOIN|join|sms|100;"
	    PB "|opt-in|default|JOIN|join|sms|110;"
	    PA "|opt-out|-|STOP|Stop please|sms|300");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM consent_events WHERE "
	    "phone = '" PA "' AND event = 'opt-out' AND keyword = 'STOP' AND "
	    "text = 'Stop please' AND source = 'sms' AND at = 300"), ==, 1);

	/* B's alert is still due: the broadcast is not finished */
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_str_op(b.state, ==, "queued");
	tt_int_op(b.skipped, ==, 1);
	tt_int_op(b.queued, ==, 1);
	tt_int_op(broadcast_recipients(e.db, NULL, &b.recipients), ==, 0);
	tt_int_op(b.recipients, ==, 1);

	/* the STOP confirmation still goes to the opted-out number */
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 400, &it), ==, 1);
	tt_int_op(it.id, ==, 4);
	tt_int_op(it.kind, ==, OUTBOX_SYSTEM);
	tt_str_op(it.phone, ==, PA);
	tt_str_op(it.text, ==, "You will get no more texts.");

	/* a second STOP changes nothing: counted on the opt-out event */
	tt_int_op(test_optout(e.db, PA, &test_sms_stop, 500, 0), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM consent_events WHERE "
	    "event = 'opt-out'"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT repeats * 1000 + last_at FROM "
	    "consent_events WHERE event = 'opt-out'"), ==, 1500);
end:
	outbox_item_clear(&it);
	broadcast_clear(&b);
	test_close(&e);
}

/* Skipping the last queued rows of a broadcast finishes it. */
static void
test_sub_optout_finishes(void)
{
	struct test_env		 e;
	struct broadcast	 b = { 0 };
	struct outbox_item	 it = { 0 };
	long			 q = -1, nb = -1;
	int64_t			 bid;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_cli, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	bid = test_broadcast(e.db, "one", NULL, 0, 0, 0, 200, 1);
	tt_int_op(bid, ==, 1);
	tt_int_op(test_optout(e.db, PA, &test_sms_stop, 300, 1), ==, 0);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_str_op(b.state, ==, "done");
	tt_int_op(b.skipped, ==, 1);
	broadcast_clear(&b);
	tt_int_op(outbox_depth(e.db, &q, &nb), ==, 0);
	tt_int_op(q, ==, 0);
	tt_int_op(nb, ==, 0);

	/* one row in flight keeps it sending until that row is final */
	tt_int_op(test_join(e.db, PB, NULL, NULL, &test_cli, 400,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PC, NULL, NULL, &test_cli, 400,
	    SUBSCRIBER_JOINED), ==, 0);
	bid = test_broadcast(e.db, "two", NULL, 0, 0, 0, 500, 2);
	tt_int_op(bid, ==, 2);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 600, &it), ==, 1);
	tt_str_op(it.phone, ==, PB);
	tt_int_op(test_optout(e.db, PC, &test_sms_stop, 610, 1), ==, 0);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_str_op(b.state, ==, "sending");
	broadcast_clear(&b);
	tt_int_op(test_sent(e.db, it.id, 5, 620), ==, 0);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_str_op(b.state, ==, "done");
	tt_int_op(b.sent, ==, 1);
	tt_int_op(b.skipped, ==, 1);
end:
	outbox_item_clear(&it);
	broadcast_clear(&b);
	test_close(&e);
}

/* Only the member can undo an opt-out, by texting. */
static void
test_sub_refused(void)
{
	static const struct consent	 import = { NULL, NULL, "import" };
	static const struct consent	 unirse = { "UNIRSE", "Unirse", "sms" };
	struct test_env			 e;
	struct subscriber		 sub;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(list_create(e.db, "rally", 50), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_sms_join, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_optout(e.db, PA, &test_sms_stop, 200, 0), ==, 0);

	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_cli, 210,
	    SUBSCRIBER_REFUSED), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, &import, 220,
	    SUBSCRIBER_REFUSED), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, NULL, 230,
	    SUBSCRIBER_REFUSED), ==, 0);
	tt_int_op(test_join(e.db, PA, "rally", NULL, &test_cli, 240,
	    SUBSCRIBER_REFUSED), ==, 0);
	tt_int_op(subscriber_get(e.db, PA, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_OPTED_OUT);
	tt_int_op(sub.updated_at, ==, 200);
	tt_str_op(sub.lists, ==, "default");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM consent_events"), ==, 2);

	tt_int_op(test_join(e.db, PA, NULL, "es", &unirse, 300,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(subscriber_get(e.db, PA, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_ACTIVE);
	tt_str_op(sub.language, ==, "es");
	tt_int_op(sub.created_at, ==, 100);
	tt_int_op(sub.updated_at, ==, 300);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM consent_events WHERE "
	    "event = 'opt-in' AND keyword = 'UNIRSE' AND source = 'sms' AND "
	    "at = 300"), ==, 1);
	/* active again: an organizer may now add them to another list */
	tt_int_op(test_join(e.db, PA, "rally", NULL, &test_cli, 310,
	    SUBSCRIBER_JOINED), ==, 0);
end:
	test_close(&e);
}

/* STOP from a number we never had: remembered, so a later add fails. */
static void
test_sub_optout_unknown(void)
{
	struct test_env		 e;
	struct subscriber	 sub;
	char			 buf[256];
	long			 n = -1;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_optout(e.db, PX, NULL, 100, 0), ==, 0);
	tt_int_op(subscriber_get(e.db, PX, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_OPTED_OUT);
	tt_int_op(sub.created_at, ==, 100);
	tt_str_op(sub.lists, ==, "");
	tt_str_op(sub.language, ==, "");
	tt_str_op(test_consent(e.db, buf, sizeof buf), ==,
	    PX "|opt-out|-|-|-|cli|100");
	tt_int_op(test_join(e.db, PX, NULL, NULL, &test_cli, 200,
	    SUBSCRIBER_REFUSED), ==, 0);
	tt_int_op(subscriber_get(e.db, PX, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_OPTED_OUT);
	tt_str_op(sub.lists, ==, "");
	tt_int_op(broadcast_recipients(e.db, NULL, &n), ==, 0);
	tt_int_op(n, ==, 0);
end:
	test_close(&e);
}

static void
test_sub_remove(void)
{
	struct test_env		 e;
	struct subscriber	 sub;
	char			 buf[1024];
	int			 found = -1;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(list_create(e.db, "rally", 50), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_cli, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PA, "rally", NULL, &test_cli, 101,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PB, NULL, NULL, &test_cli, 110,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_optout(e.db, PB, &test_sms_stop, 120, 0), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM memberships"), ==, 3);

	/* active: the number is gone, memberships with it */
	tt_int_op(subscriber_remove(e.db, PA, 200, &found), ==, 0);
	tt_int_op(found, ==, 1);
	tt_int_op(subscriber_get(e.db, PA, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_NONE);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM subscribers WHERE "
	    "phone = '" PA "'"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM memberships"), ==, 1);

	/* opted out: off every list, the opt-out kept */
	tt_int_op(subscriber_remove(e.db, PB, 210, &found), ==, 0);
	tt_int_op(found, ==, 1);
	tt_int_op(subscriber_get(e.db, PB, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_OPTED_OUT);
	tt_str_op(sub.lists, ==, "");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM memberships"), ==, 0);
	tt_int_op(test_join(e.db, PB, NULL, NULL, &test_cli, 220,
	    SUBSCRIBER_REFUSED), ==, 0);

	/* unknown: nothing happens, nothing is logged */
	found = -1;
	tt_int_op(subscriber_remove(e.db, PC, 230, &found), ==, 0);
	tt_int_op(found, ==, 0);
	tt_int_op(subscriber_get(e.db, PC, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_NONE);

	tt_str_op(test_consent(e.db, buf, sizeof buf), ==,
	    PA "|opt-in|default|-|-|cli|100;"
	    PA "|opt-in|rally|-|-|cli|101;"
	    PB "|opt-in|default|-|-|cli|110;"
	    PB "|opt-out|-|STOP|Stop please|sms|120;"
	    PA "|removed|-|-|-|cli|200;"
	    PB "|removed|-|-|-|cli|210");

	/* removal is not an opt-out: the number may be added again */
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_cli, 300,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(subscriber_get(e.db, PA, &sub), ==, 0);
	tt_int_op(sub.created_at, ==, 300);
	tt_str_op(sub.lists, ==, "default");
end:
	test_close(&e);
}

static void
test_sub_foreach(void)
{
	static const struct {
		const char	*list;
		int		 status;
		const char	*want;
	} cases[] = {
		{ NULL, SUBSCRIBER_NONE,
		  PA ":active:es:default,rally;" PB ":opted-out::default;"
		  PC ":active::rally;" PD ":active:tl:default;"
		  PE ":opted-out::" },
		{ NULL, SUBSCRIBER_ACTIVE,
		  PA ":active:es:default,rally;" PC ":active::rally;"
		  PD ":active:tl:default" },
		{ NULL, SUBSCRIBER_OPTED_OUT,
		  PB ":opted-out::default;" PE ":opted-out::" },
		{ "default", SUBSCRIBER_NONE,
		  PA ":active:es:default,rally;" PB ":opted-out::default;"
		  PD ":active:tl:default" },
		{ "default", SUBSCRIBER_ACTIVE,
		  PA ":active:es:default,rally;" PD ":active:tl:default" },
		{ "default", SUBSCRIBER_OPTED_OUT, PB ":opted-out::default" },
		{ "rally", SUBSCRIBER_NONE,
		  PA ":active:es:default,rally;" PC ":active::rally" },
		{ "rally", SUBSCRIBER_OPTED_OUT, "" },
		{ "empty", SUBSCRIBER_NONE, "" },
	};
	struct test_env	 e;
	struct test_acc	 a;
	size_t		 i;
	long		 n = -1;
	int		 exists = -1;

	memset(&a, 0, sizeof a);
	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(list_create(e.db, "rally", 10), ==, 0);
	tt_int_op(list_create(e.db, "empty", 11), ==, 0);
	/* joined out of phone order: the listing is by phone */
	tt_int_op(test_join(e.db, PD, NULL, "tl", &test_cli, 90,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, "es", &test_cli, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PA, "rally", NULL, &test_cli, 101,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PB, NULL, NULL, &test_cli, 102,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PC, "rally", NULL, &test_cli, 103,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_optout(e.db, PB, &test_sms_stop, 105, 0), ==, 0);
	tt_int_op(test_optout(e.db, PE, &test_sms_stop, 106, 0), ==, 0);

	for (i = 0; i < TT_NELEM(cases); i++) {
		test_acc_reset(&a);
		if (subscriber_foreach(e.db, cases[i].list, cases[i].status,
		    test_sub_cb, &a) != 0 || strcmp(a.s, cases[i].want) != 0) {
			fprintf(stderr, "  case %zu: %s\n", i, db_error(e.db));
			tt_str_op(a.s, ==, cases[i].want);
			tt_assert(0);
		}
	}
	test_acc_reset(&a);
	a.stop_after = 2;
	tt_int_op(subscriber_foreach(e.db, NULL, SUBSCRIBER_NONE, test_sub_cb,
	    &a), ==, 0);
	tt_str_op(a.s, ==, PA ":active:es:default,rally;"
	    PB ":opted-out::default");
	test_acc_reset(&a);
	tt_int_op(subscriber_foreach(e.db, "nope", SUBSCRIBER_NONE,
	    test_sub_cb, &a), ==, -1);
	tt_str_op(db_error(e.db), ==, "no such list: nope");
	tt_int_op(a.n, ==, 0);

	tt_int_op(subscriber_count(e.db, "active", &n), ==, 0);
	tt_int_op(n, ==, 3);
	tt_int_op(subscriber_count(e.db, "opted-out", &n), ==, 0);
	tt_int_op(n, ==, 2);

	test_acc_reset(&a);
	tt_int_op(list_foreach(e.db, test_list_cb, &a), ==, 0);
	tt_str_op(a.s, ==, "default:2:1;empty:0:0;rally:2:0");
	tt_int_op(list_exists(e.db, "nope", &exists), ==, 0);
	tt_int_op(exists, ==, 0);
end:
	test_close(&e);
}

static void
test_sub_language(void)
{
	static const struct consent	 c = { "TAGALOG", "tagalog", "sms" };
	struct test_env			 e;
	struct subscriber		 sub;
	char				 buf[512];

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_cli, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(subscriber_set_language(e.db, PA, "tl", &c, 200), ==, 0);
	tt_int_op(subscriber_get(e.db, PA, &sub), ==, 0);
	tt_str_op(sub.language, ==, "tl");
	tt_int_op(sub.updated_at, ==, 200);
	/* an unknown number: nothing stored, nothing logged */
	tt_int_op(subscriber_set_language(e.db, PX, "es", &c, 210), ==, 0);
	tt_int_op(subscriber_get(e.db, PX, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_NONE);
	tt_str_op(test_consent(e.db, buf, sizeof buf), ==,
	    PA "|opt-in|default|-|-|cli|100;"
	    PA "|language|tl|TAGALOG|tagalog|sms|200");
end:
	test_close(&e);
}

/*
 * A clock step moves the durations (next attempt, validity) of queued
 * rows, not a broadcast waiting for its --at time; the clamp brings a
 * row due too far ahead to now.
 */
static void
test_bc_clock_step(void)
{
	struct test_env		 e;
	long			 n = -1;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_cli, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	/* queued at 10000 (a clock 7200 s ahead), valid 600 s */
	tt_int_op(test_broadcast(e.db, "now", NULL, OUTBOX_PRIO_ROUTINE, 0,
	    10600, 10000, 1), ==, 1);
	/* scheduled for 13000, not started */
	tt_int_op(test_broadcast(e.db, "later", NULL, OUTBOX_PRIO_ROUTINE,
	    13000, 13600, 10000, 1), ==, 2);
	/* stepped back 7200 s: now 2810 */
	tt_int_op(outbox_clock_step(e.db, -7200, 2810, 3600, &n), ==, 0);
	tt_int_op(n, ==, 2);	/* deadlines: its next attempt, its expiry */
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "broadcast_id = 1 AND next_attempt_at = 2800 AND "
	    "expires_at = 3400"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "broadcast_id = 2 AND next_attempt_at = 13000 AND "
	    "expires_at = 13600"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT expires_at FROM broadcasts WHERE "
	    "id = 1"), ==, 3400);
	/* a retry far ahead (a step not seen): due now; the scheduled row
	 * stays */
	tt_int_op(test_int(e.db, "UPDATE outbox SET next_attempt_at = 9000 "
	    "WHERE broadcast_id = 1 RETURNING 0"), ==, 0);
	tt_int_op(outbox_clock_step(e.db, 0, 2900, 3600, &n), ==, 0);
	tt_int_op(n, ==, 1);
	tt_int_op(test_int(e.db, "SELECT next_attempt_at FROM outbox WHERE "
	    "broadcast_id = 1"), ==, 2900);
	tt_int_op(test_int(e.db, "SELECT next_attempt_at FROM outbox WHERE "
	    "broadcast_id = 2"), ==, 13000);
	/* stepped forward past the schedule: it follows the clock; the
	 * other row moves */
	tt_int_op(outbox_clock_step(e.db, 20000, 22900, 3600, &n), ==, 0);
	tt_int_op(test_int(e.db, "SELECT next_attempt_at FROM outbox WHERE "
	    "broadcast_id = 1"), ==, 22900);
	tt_int_op(test_int(e.db, "SELECT next_attempt_at FROM outbox WHERE "
	    "broadcast_id = 2"), ==, 13000);
	/* queued at 22950, valid 600 s; the clock steps 20000 s forward
	 * at 22990, and a broadcast is queued at 43000 (the CLI, on the
	 * new clock) before the daemon sees the step at 43005: the first
	 * moves, the second is on the new clock already and stays */
	tt_int_op(test_broadcast(e.db, "before", NULL, OUTBOX_PRIO_ROUTINE,
	    0, 23550, 22950, 1), ==, 3);
	tt_int_op(test_broadcast(e.db, "after", NULL, OUTBOX_PRIO_ROUTINE,
	    0, 43600, 43000, 1), ==, 4);
	tt_int_op(outbox_clock_step(e.db, 20000, 43005, 3600, &n), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "broadcast_id = 3 AND next_attempt_at = 42950 AND "
	    "expires_at = 43550"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "broadcast_id = 4 AND next_attempt_at = 43000 AND "
	    "expires_at = 43600"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT expires_at FROM broadcasts WHERE "
	    "id = 4"), ==, 43600);
end:
	test_close(&e);
}

/*
 * A step of the wall clock moves the stored deadlines that are durations:
 * the parts of a long text wait GW_PARTS_TIMEOUT from when they came, a
 * lock-out, the wrong PINs and a code run from when they began, a poll's
 * window from when it was sent.
 */
static int	test_in_expire_cb(const char *, const char *, int64_t,
		    const char *, void *);

/*
 * A step forward seen late: a retry recorded meanwhile is on the new
 * clock and stays; the alert's validity, counted from when it was queued
 * on the old clock, moves.
 */
static void
test_clock_step_retry(void)
{
	struct test_env		 e;
	struct outbox_item	 it;
	long			 n = -1;

	memset(&it, 0, sizeof it);

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_cli, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	/* queued at 1000, valid until 4600; claimed at 1010; the clock
	 * steps 20000 s forward at 1020; the send fails temporarily at
	 * 21025, retried at 21055; the daemon sees the step at 21030 */
	tt_int_op(test_broadcast(e.db, "alert", NULL, OUTBOX_PRIO_ROUTINE,
	    0, 4600, 1000, 1), ==, 1);
	tt_int_op(outbox_claim(e.db, "m1", 1010, &it), ==, 1);
	outbox_item_clear(&it);
	tt_int_op(outbox_retry(e.db, it.id, "+CMS ERROR: 332", 21055,
	    21025), ==, 0);
	tt_int_op(outbox_clock_step(e.db, 20000, 21030, 3600, &n), ==, 0);
	tt_int_op(n, ==, 1);
	tt_int_op(test_int(e.db, "SELECT next_attempt_at FROM outbox"), ==,
	    21055);
	tt_int_op(test_int(e.db, "SELECT expires_at FROM outbox"), ==, 24600);
	tt_int_op(outbox_claim(e.db, "m1", 21060, &it), ==, 1);
	outbox_item_clear(&it);
	/* seen while the row is being sent: its validity moves too, and a
	 * retry is claimable */
	tt_int_op(outbox_retry(e.db, it.id, "+CMS ERROR: 332", 21070,
	    21065), ==, 0);
	tt_int_op(outbox_claim(e.db, "m1", 21070, &it), ==, 1);
	outbox_item_clear(&it);
	tt_int_op(outbox_clock_step(e.db, 9000, 30080, 3600, &n), ==, 0);
	tt_int_op(test_int(e.db, "SELECT expires_at FROM outbox"), ==, 33600);
	tt_int_op(outbox_retry(e.db, it.id, "+CMS ERROR: 332", 30090,
	    30085), ==, 0);
	tt_int_op(outbox_claim(e.db, "m1", 30090, &it), ==, 1);
end:
	outbox_item_clear(&it);
	test_close(&e);
}

static void
test_clock_step_stored(void)
{
	struct test_env		 e;
	struct organizer	 o;
	struct test_acc		 a;
	char			 hash[ORGANIZER_HASH_MAX], *t = NULL;
	long			 tries = -1;

	memset(&a, 0, sizeof a);
	tt_int_op(test_open(&e), ==, 0);
	a.db = e.db;

	/* part 1 of 2 at 100; the clock steps 90000 s forward (now 90110):
	 * it has waited 10 s, not a day, and the second part joins it */
	tt_int_op(inbox_part_add(e.db, PA, 7, 2, 1, "one ", 100, NULL, &t),
	    ==, 0);
	tt_int_op(inbox_part_clock_step(e.db, 90000), ==, 0);
	tt_int_op(test_int(e.db, "SELECT received_at FROM inbound_parts"), ==,
	    90100);
	tt_int_op(inbox_part_expire(e.db, 90110 - 600, test_in_expire_cb, &a),
	    ==, 0);
	tt_int_op(a.n, ==, 0);
	tt_int_op(inbox_part_add(e.db, PA, 7, 2, 2, "two", 90120, NULL, &t),
	    ==, 0);
	tt_str_op(t, ==, "one two");
	free(t);
	t = NULL;
	/* the completed parts are remembered a day from then */
	tt_int_op(inbox_part_clock_step(e.db, -7200), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_done WHERE "
	    "done_at = 90120 - 7200"), ==, 2);
	/* part 1 of 2 at 10000, the clock steps 7200 s back (now 2810):
	 * it is complete-or-not 600 s after it came, not 2 h later */
	tt_int_op(inbox_part_add(e.db, PB, 8, 2, 1, "uno ", 10000, NULL, &t),
	    ==, 0);
	tt_int_op(inbox_part_clock_step(e.db, -7200), ==, 0);
	tt_int_op(inbox_part_expire(e.db, 3410 - 600, test_in_expire_cb, &a),
	    ==, 0);
	tt_str_op(a.s, ==, PB "|uno [...]|2800|");

	/* a lock-out until 8600, a wrong PIN at 5000, a code until 5300;
	 * the clock steps 90000 s forward at 5100 */
	tt_int_op(organizer_pin_hash("24681357", hash), ==, 0);
	tt_int_op(organizer_add(e.db, PA, "Ana", hash, 100), ==, 0);
	tt_int_op(organizer_add(e.db, PB, "Ben", hash, 100), ==, 0);
	tt_int_op(organizer_lock(e.db, PA, 8600), ==, 0);
	tt_int_op(organizer_attempt(e.db, PB, 5000, 0, &tries), ==, 0);
	tt_int_op(organizer_pending_set(e.db, PB, "alert", "482193", NULL,
	    "Checkpoint", NULL, 5300), ==, 0);
	/* one that has ended stays ended */
	tt_int_op(organizer_add(e.db, PC, "Cy", hash, 100), ==, 0);
	tt_int_op(organizer_lock(e.db, PC, 4000), ==, 0);
	tt_int_op(organizer_clock_step(e.db, 90000, 95100), ==, 0);
	tt_int_op(organizer_get(e.db, PA, &o), ==, 1);
	tt_int_op(o.locked_until, ==, 98600);
	tt_int_op(organizer_get(e.db, PC, &o), ==, 1);
	tt_int_op(o.locked_until, ==, 4000);
	tt_int_op(organizer_attempts(e.db, PB, 95100 - 1800, &tries), ==, 0);
	tt_int_op(tries, ==, 1);
	tt_int_op(test_int(e.db, "SELECT expires_at FROM organizer_pending"),
	    ==, 95300);
	/* back 90000 s: as before */
	tt_int_op(organizer_clock_step(e.db, -90000, 5150), ==, 0);
	tt_int_op(organizer_get(e.db, PA, &o), ==, 1);
	tt_int_op(o.locked_until, ==, 8600);
	tt_int_op(test_int(e.db, "SELECT at FROM organizer_attempts"), ==,
	    5000);
	tt_int_op(test_int(e.db, "SELECT expires_at FROM organizer_pending"),
	    ==, 5300);

	/* a poll open 1000..2000 and one closed at 900; 7200 s forward at
	 * 1500: the open one closes at 9200 */
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_cli, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_broadcast(e.db, "Safe?", NULL, OUTBOX_PRIO_ROUTINE, 0,
	    0, 1000, 1), ==, 1);
	tt_int_op(test_broadcast(e.db, "Old?", NULL, OUTBOX_PRIO_ROUTINE, 0,
	    0, 500, 1), ==, 2);
	tt_int_op(test_int(e.db, "INSERT INTO polls (broadcast_id, options, "
	    "opens_at, closes_at) VALUES (1, 'SAFE,HELP', 1000, 2000), "
	    "(2, 'SAFE,HELP', 500, 900) RETURNING 0"), ==, 0);
	tt_int_op(poll_clock_step(e.db, 7200, 8700), ==, 0);
	tt_int_op(test_int(e.db, "SELECT closes_at FROM polls WHERE "
	    "broadcast_id = 1 AND opens_at = 8200"), ==, 9200);
	tt_int_op(test_int(e.db, "SELECT closes_at FROM polls WHERE "
	    "broadcast_id = 2 AND opens_at = 500"), ==, 900);
end:
	free(t);
	test_close(&e);
}

/* ---- broadcasts ---- */

static void
test_bc_create(void)
{
	struct test_env		 e;
	struct broadcast	 b = { 0 };
	char			 buf[256];
	long			 n = -1, q = -1, nb = -1;
	int64_t			 bid;

	tt_int_op(test_open(&e), ==, 0);
	/* 3 active and 2 opted-out members */
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_cli, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PB, NULL, NULL, &test_cli, 101,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PC, NULL, NULL, &test_cli, 102,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PD, NULL, NULL, &test_cli, 103,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PE, NULL, NULL, &test_cli, 104,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_optout(e.db, PB, &test_sms_stop, 110, 0), ==, 0);
	tt_int_op(test_optout(e.db, PE, &test_sms_stop, 111, 0), ==, 0);

	tt_int_op(broadcast_recipients(e.db, NULL, &n), ==, 0);
	tt_int_op(n, ==, 3);
	tt_int_op(broadcast_recipients(e.db, "default", &n), ==, 0);
	tt_int_op(n, ==, 3);

	bid = test_broadcast(e.db, "Rally Dec 18, 5pm, City Hall", NULL,
	    OUTBOX_PRIO_ROUTINE, 0, 0, 1000, 3);
	tt_int_op(bid, ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox"), ==, 3);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "broadcast_id = 1 AND kind = 'alert' AND state = 'queued' AND "
	    "text IS NULL AND priority = 0 AND attempts = 0 AND "
	    "next_attempt_at = 1000 AND expires_at IS NULL AND "
	    "created_at = 1000 AND updated_at = 1000"), ==, 3);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT group_concat(phone) "
	    "FROM (SELECT phone FROM outbox ORDER BY id)"), ==,
	    PA "," PC "," PD);

	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_int_op(b.id, ==, 1);
	tt_str_op(b.text, ==, "Rally Dec 18, 5pm, City Hall");
	tt_str_op(b.list, ==, "default");
	tt_str_op(b.state, ==, "queued");
	tt_int_op(b.priority, ==, OUTBOX_PRIO_ROUTINE);
	tt_int_op(b.created_at, ==, 1000);
	tt_int_op(b.scheduled_at, ==, 1000);
	tt_int_op(b.expires_at, ==, 0);
	tt_str_op(b.encoding, ==, "gsm7");
	tt_int_op(b.segments, ==, 1);
	tt_int_op(b.recipients, ==, 3);
	tt_int_op(b.queued, ==, 3);
	tt_int_op(b.sending + b.sent + b.delivered + b.failed + b.expired +
	    b.skipped + b.cancelled, ==, 0);
	broadcast_clear(&b);
	tt_assert(b.text == NULL);
	tt_int_op(outbox_depth(e.db, &q, &nb), ==, 0);
	tt_int_op(q, ==, 3);
	tt_int_op(nb, ==, 1);

	/* scheduled, expiring, urgent */
	bid = test_broadcast(e.db, "ICE checkpoint at 5th & Main", "default",
	    OUTBOX_PRIO_URGENT, 5000, 9000, 1100, 3);
	tt_int_op(bid, ==, 2);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "broadcast_id = 2 AND priority = 2 AND next_attempt_at = 5000 AND "
	    "expires_at = 9000 AND created_at = 1100"), ==, 3);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_int_op(b.priority, ==, OUTBOX_PRIO_URGENT);
	tt_int_op(b.created_at, ==, 1100);
	tt_int_op(b.scheduled_at, ==, 5000);
	tt_int_op(b.expires_at, ==, 9000);
	tt_int_op(outbox_depth(e.db, &q, &nb), ==, 0);
	tt_int_op(q, ==, 6);
	tt_int_op(nb, ==, 2);
end:
	broadcast_clear(&b);
	test_close(&e);
}

static void
test_bc_empty_unknown(void)
{
	struct broadcast_new	 bn = { "x", "nope", 0, 0, 0, "gsm7", 1 };
	struct test_env		 e;
	struct broadcast	 b = { 0 };
	long			 n = -1, q = -1, nb = -1;
	int64_t			 bid = -1;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_cli, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(list_create(e.db, "empty", 100), ==, 0);

	bid = test_broadcast(e.db, "nobody", "empty", 0, 0, 0, 200, 0);
	tt_int_op(bid, ==, 1);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_str_op(b.state, ==, "done");
	tt_str_op(b.list, ==, "empty");
	tt_int_op(b.recipients, ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox"), ==, 0);
	tt_int_op(outbox_depth(e.db, &q, &nb), ==, 0);
	tt_int_op(q, ==, 0);
	tt_int_op(nb, ==, 0);

	tt_int_op(broadcast_create(e.db, &bn, 300, &bid, &n), ==, -1);
	tt_str_op(db_error(e.db), ==, "no such list: nope");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM broadcasts"), ==, 1);
	tt_int_op(broadcast_recipients(e.db, "nope", &n), ==, -1);
	tt_str_op(db_error(e.db), ==, "no such list: nope");
	/* the handle is usable after the failures */
	bid = test_broadcast(e.db, "after", NULL, 0, 0, 0, 400, 1);
	tt_int_op(bid, ==, 2);

	tt_int_op(broadcast_get(e.db, 42, &b), ==, 1);
	tt_int_op(broadcast_cancel(e.db, 42, 500, &n), ==, 1);
	tt_int_op(n, ==, 0);
	/* a finished broadcast cannot be cancelled */
	tt_int_op(broadcast_cancel(e.db, 1, 500, &n), ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM broadcasts WHERE "
	    "id = 1 AND state = 'done'"), ==, 1);
end:
	broadcast_clear(&b);
	test_close(&e);
}

/* Counts per state as rows move. */
static void
test_bc_counts(void)
{
	struct test_env		 e;
	struct broadcast	 b = { 0 };
	struct outbox_item	 it = { 0 };
	long			 q = -1, nb = -1;
	int64_t			 bid;
	int			 i;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_member(e.db, PB, NULL, 11), ==, 0);
	tt_int_op(test_member(e.db, PC, NULL, 12), ==, 0);
	tt_int_op(test_member(e.db, PD, NULL, 13), ==, 0);
	bid = test_broadcast(e.db, "Meeting tonight", NULL, 0, 0, 0, 100, 4);
	tt_int_op(bid, ==, 1);
	for (i = 1; i <= 4; i++) {
		tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 1);
		tt_int_op(it.id, ==, i);
		outbox_item_clear(&it);
	}
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 0);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_str_op(b.state, ==, "sending");
	tt_int_op(b.sending, ==, 4);
	tt_int_op(b.queued, ==, 0);
	broadcast_clear(&b);

	tt_int_op(test_sent(e.db, 1, 7, 210), ==, 0);
	tt_int_op(outbox_failed(e.db, 2, "+CMS ERROR: 500", 210), ==, 0);
	tt_int_op(outbox_retry(e.db, 3, "timeout", 300, 210), ==, 0);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_str_op(b.state, ==, "sending");
	tt_int_op(b.queued, ==, 1);
	tt_int_op(b.sending, ==, 1);
	tt_int_op(b.sent, ==, 1);
	tt_int_op(b.failed, ==, 1);
	tt_int_op(b.delivered + b.expired + b.skipped + b.cancelled, ==, 0);
	tt_int_op(b.recipients, ==, 4);
	broadcast_clear(&b);
	tt_int_op(outbox_depth(e.db, &q, &nb), ==, 0);
	tt_int_op(q, ==, 2);
	tt_int_op(nb, ==, 1);

	tt_int_op(test_sent(e.db, 4, 8, 220), ==, 0);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_str_op(b.state, ==, "sending");	/* row 3 waits to retry */
	broadcast_clear(&b);
	tt_int_op(outbox_claim(e.db, "ttyUSB1", 299, &it), ==, 0);
	tt_int_op(outbox_claim(e.db, "ttyUSB1", 300, &it), ==, 1);
	tt_int_op(it.id, ==, 3);
	tt_int_op(it.attempts, ==, 2);
	tt_int_op(test_sent(e.db, 3, 9, 310), ==, 0);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_str_op(b.state, ==, "done");
	tt_int_op(b.sent, ==, 3);
	tt_int_op(b.failed, ==, 1);
	tt_int_op(b.queued + b.sending, ==, 0);
	tt_int_op(outbox_depth(e.db, &q, &nb), ==, 0);
	tt_int_op(q, ==, 0);
	tt_int_op(nb, ==, 0);
end:
	outbox_item_clear(&it);
	broadcast_clear(&b);
	test_close(&e);
}

static void
test_bc_cancel(void)
{
	struct test_env		 e;
	struct broadcast	 b = { 0 };
	struct outbox_item	 it = { 0 };
	long			 n = -1, q = -1, nb = -1;
	int64_t			 bid;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_member(e.db, PB, NULL, 11), ==, 0);
	tt_int_op(test_member(e.db, PC, NULL, 12), ==, 0);
	bid = test_broadcast(e.db, "wrong date", NULL, 0, 0, 0, 100, 3);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 1);
	tt_int_op(it.id, ==, 1);
	outbox_item_clear(&it);

	tt_int_op(broadcast_cancel(e.db, bid, 300, &n), ==, 0);
	tt_int_op(n, ==, 2);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_str_op(b.state, ==, "cancelled");
	tt_int_op(b.sending, ==, 1);		/* in flight: it goes */
	tt_int_op(b.cancelled, ==, 2);
	tt_int_op(b.queued, ==, 0);
	broadcast_clear(&b);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "state = 'cancelled' AND updated_at = 300"), ==, 2);

	tt_int_op(broadcast_cancel(e.db, bid, 310, &n), ==, 1);
	tt_int_op(n, ==, 0);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 400, &it), ==, 0);

	/* the row in flight finishes; the broadcast stays cancelled */
	tt_int_op(test_sent(e.db, 1, 3, 410), ==, 0);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_str_op(b.state, ==, "cancelled");
	tt_int_op(b.sent, ==, 1);
	tt_int_op(b.cancelled, ==, 2);
	tt_int_op(outbox_depth(e.db, &q, &nb), ==, 0);
	tt_int_op(q, ==, 0);
	tt_int_op(nb, ==, 0);
end:
	outbox_item_clear(&it);
	broadcast_clear(&b);
	test_close(&e);
}

static void
test_bc_foreach(void)
{
	struct test_env	 e;
	struct test_acc	 a;

	memset(&a, 0, sizeof a);
	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_broadcast(e.db, "one", NULL, 0, 0, 0, 100, 1), ==, 1);
	tt_int_op(test_broadcast(e.db, "two", NULL, 0, 0, 0, 200, 1), ==, 2);
	tt_int_op(test_broadcast(e.db, "three", NULL, 0, 0, 0, 300, 1), ==, 3);
	tt_int_op(broadcast_foreach(e.db, 0, test_bc_cb, &a), ==, 0);
	tt_str_op(a.s, ==, "3:three:queued:1;2:two:queued:1;1:one:queued:1");
	test_acc_reset(&a);
	tt_int_op(broadcast_foreach(e.db, 2, test_bc_cb, &a), ==, 0);
	tt_str_op(a.s, ==, "3:three:queued:1;2:two:queued:1");
	test_acc_reset(&a);
	a.stop_after = 1;
	tt_int_op(broadcast_foreach(e.db, 0, test_bc_cb, &a), ==, 0);
	tt_str_op(a.s, ==, "3:three:queued:1");
end:
	test_close(&e);
}

/* 100,000 members: one set-based insert, every one of them queued. */
static void
test_bc_large(void)
{
	struct test_env		 e;
	struct broadcast	 b = { 0 };
	struct outbox_item	 it = { 0 };
	long			 n = -1, q = -1, nb = -1;
	int64_t			 bid;
	const long		 nsub = 100000;

	tt_int_op(test_open(&e), ==, 0);
	/*
	 * 100,000 active members and 7 opted-out ones, set-based:
	 * subscriber_join is one transaction (one fsync) per call
	 */
	tt_int_op(test_exec(e.db, "BEGIN;"
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
	    "  WHERE i < 100007) "
	    "INSERT INTO subscribers (id, phone, status, created_at, "
	    "  updated_at) "
	    "SELECT i, printf('+1555%07d', i), CASE WHEN i <= 100000 THEN "
	    "  'active' ELSE 'opted-out' END, 1, 1 FROM n;"
	    "INSERT INTO memberships (subscriber_id, list_id, joined_at) "
	    "  SELECT id, 1, 1 FROM subscribers;"
	    "COMMIT"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM memberships"), ==,
	    nsub + 7);

	tt_int_op(broadcast_recipients(e.db, NULL, &n), ==, 0);
	tt_int_op(n, ==, nsub);
	bid = test_broadcast(e.db, "Know your rights: text INFO", NULL,
	    OUTBOX_PRIO_URGENT, 0, 0, 1000, nsub);
	tt_int_op(bid, ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "broadcast_id = 1 AND state = 'queued'"), ==, nsub);
	tt_int_op(test_int(e.db, "SELECT COUNT(DISTINCT phone) FROM outbox"),
	    ==, nsub);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "phone > '+15550100000'"), ==, 0);		/* the opted out */
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_int_op(b.recipients, ==, nsub);
	tt_int_op(b.queued, ==, nsub);
	tt_str_op(b.state, ==, "queued");
	tt_int_op(outbox_depth(e.db, &q, &nb), ==, 0);
	tt_int_op(q, ==, nsub);
	tt_int_op(nb, ==, 1);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 1000, &it), ==, 1);
	tt_str_op(it.phone, ==, "+15550000001");
	tt_str_op(it.text, ==, "Know your rights: text INFO");
end:
	outbox_item_clear(&it);
	broadcast_clear(&b);
	test_close(&e);
}

/* ---- the outbox ---- */

/*
 * A claim leaves the rows to held-back numbers (a text from them not
 * committed yet) queued and untouched, and takes the next one.
 */
static void
test_ob_claim_except(void)
{
	struct test_env		 e;
	struct outbox_item	 it = { 0 };
	const char		*held[] = { PA, PC };
	const char		*none[] = { "+1555000000", "5550000001" };

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_member(e.db, PB, NULL, 11), ==, 0);
	tt_int_op(test_broadcast(e.db, "alert", NULL, OUTBOX_PRIO_URGENT,
	    0, 0, 100, 2), ==, 1);
	tt_int_op(outbox_enqueue(e.db, PC, "fwd", OUTBOX_FORWARD,
	    OUTBOX_PRIO_ROUTINE, 100, NULL), ==, 0);

	/* PA's alert (id 1) is first in line, but PA is held back */
	tt_int_op(outbox_claim_except(e.db, "ttyUSB0", 200, held, 2, &it),
	    ==, 1);
	tt_int_op(it.id, ==, 2);
	tt_str_op(it.phone, ==, PB);
	outbox_item_clear(&it);
	/* only held rows left: nothing to claim, and they are untouched */
	tt_int_op(outbox_claim_except(e.db, "ttyUSB0", 200, held, 2, &it),
	    ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "state = 'queued' AND attempts = 0 AND modem IS NULL AND "
	    "updated_at = 100"), ==, 2);
	/* a number that is a prefix of another is not confused with it */
	tt_int_op(outbox_claim_except(e.db, "ttyUSB0", 200, none, 2, &it),
	    ==, 1);
	tt_int_op(it.id, ==, 1);
	outbox_item_clear(&it);
	/* the hold ends: the row goes out */
	tt_int_op(outbox_claim_except(e.db, "ttyUSB0", 200, NULL, 0, &it),
	    ==, 1);
	tt_int_op(it.id, ==, 3);
	tt_str_op(it.phone, ==, PC);
end:
	outbox_item_clear(&it);
	test_close(&e);
}

/*
 * A flood of identical keywords from one number writes one consent event
 * with a count; every state change still gets its own row and time, and
 * a repeat after an hour of quiet starts a new row.
 */
static void
test_sub_repeats(void)
{
	struct test_env		 e;
	char			 buf[1024];
	long			 cancelled;
	int			 i, result;

	tt_int_op(test_open(&e), ==, 0);
	for (i = 0; i < 1000; i++) {
		tt_int_op(subscriber_join(e.db, PA, NULL, NULL, &test_sms_join,
		    100 + i, &result), ==, 0);
		tt_int_op(result, ==, i == 0 ? SUBSCRIBER_JOINED :
		    SUBSCRIBER_ALREADY);
	}
	tt_str_op(test_consent(e.db, buf, sizeof buf), ==,
	    PA "|opt-in|default|JOIN|join|sms|100 x1000 until 1099");
	/* JOIN/STOP cycling: each change is an event of its own */
	tt_int_op(subscriber_optout(e.db, PA, &test_sms_stop, 2000,
	    &cancelled), ==, 0);
	tt_int_op(subscriber_optout(e.db, PA, &test_sms_stop, 2001,
	    &cancelled), ==, 0);
	tt_int_op(subscriber_join(e.db, PA, NULL, NULL, &test_sms_join, 2002,
	    &result), ==, 0);
	tt_int_op(subscriber_optout(e.db, PA, &test_sms_stop, 2003,
	    &cancelled), ==, 0);
	/* a repeat within an hour of the last one is counted; later, not */
	tt_int_op(subscriber_optout(e.db, PA, &test_sms_stop, 2003 + 3600,
	    &cancelled), ==, 0);
	tt_int_op(subscriber_optout(e.db, PA, &test_sms_stop, 2004 + 7200,
	    &cancelled), ==, 0);
	tt_int_op(subscriber_set_language(e.db, PA, "es", &test_sms_stop,
	    9300), ==, 0);
	tt_int_op(subscriber_set_language(e.db, PA, "es", &test_sms_stop,
	    9301), ==, 0);
	tt_str_op(test_consent(e.db, buf, sizeof buf), ==,
	    PA "|opt-in|default|JOIN|join|sms|100 x1000 until 1099;"
	    PA "|opt-out|-|STOP|Stop please|sms|2000 x2 until 2001;"
	    PA "|opt-in|default|JOIN|join|sms|2002;"
	    PA "|opt-out|-|STOP|Stop please|sms|2003 x2 until 5603;"
	    PA "|opt-out|-|STOP|Stop please|sms|9204;"
	    PA "|language|es|STOP|Stop please|sms|9300 x2 until 9301");
	/* another number's events do not mix in */
	tt_int_op(subscriber_optout(e.db, PB, &test_sms_stop, 9400,
	    &cancelled), ==, 0);
	tt_int_op(subscriber_set_language(e.db, PA, "es", &test_sms_stop,
	    9401), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM consent_events"), ==, 7);
	tt_int_op(test_int(e.db, "SELECT repeats FROM consent_events WHERE "
	    "event = 'language'"), ==, 2);
end:
	test_close(&e);
}

/*
 * Consecutive identical texts from one number within an hour are one
 * inbox row with a count; a different text, a handled row or an hour of
 * quiet starts a new row.
 */
static void
test_in_repeats(void)
{
	struct test_env		 e;
	int64_t			 id = 0;
	int			 i;

	tt_int_op(test_open(&e), ==, 0);
	for (i = 0; i < 2000; i++) {
		tt_int_op(inbox_add(e.db, PA, "hello?", 100 + i, "m1", NULL,
		    NULL, &id), ==, i == 0 ? 0 : 1);
		tt_int_op(id, ==, 1);
	}
	/* another sender in between does not break the run */
	tt_int_op(inbox_add(e.db, PB, "hello?", 2100, "m1", NULL, NULL, &id),
	    ==, 0);
	tt_int_op(inbox_add(e.db, PA, "hello?", 2101, "m1", NULL, NULL, &id),
	    ==, 1);
	tt_int_op(id, ==, 1);
	tt_int_op(test_int(e.db, "SELECT repeats * 10000 + last_at FROM inbox "
	    "WHERE id = 1"), ==, 2000 * 10000 + 2101);
	/* the same words as a keyword are another text */
	tt_int_op(inbox_add(e.db, PA, "hello?", 2102, "m1", "INFO", NULL,
	    &id), ==, 0);
	tt_int_op(inbox_add(e.db, PA, "hello?", 2103, "m1", NULL, NULL, &id),
	    ==, 0);
	tt_int_op(id, ==, 4);
	/* handled: a new text needs a new look */
	tt_int_op(inbox_mark_handled(e.db, PA), ==, 0);
	tt_int_op(inbox_add(e.db, PA, "hello?", 2104, "m1", NULL, NULL, &id),
	    ==, 0);
	tt_int_op(id, ==, 5);
	/* an hour after the last repeat: a new row */
	tt_int_op(inbox_add(e.db, PA, "hello?", 2104 + 3600, "m1", NULL, NULL,
	    &id), ==, 1);
	tt_int_op(inbox_add(e.db, PA, "hello?", 2105 + 7200, "m1", NULL, NULL,
	    &id), ==, 0);
	tt_int_op(id, ==, 6);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbox"), ==, 6);
end:
	test_close(&e);
}

/* Forwards are counted per number they come from. */
static void
test_ob_forwards(void)
{
	struct test_env		 e;
	long			 n = -1;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(outbox_forward(e.db, PD, "From " PA ": a", PA, 100), ==, 0);
	tt_int_op(outbox_forward(e.db, PE, "From " PA ": a", PA, 100), ==, 0);
	tt_int_op(outbox_forward(e.db, PD, "From " PB ": b", PB, 200), ==, 0);
	tt_int_op(outbox_enqueue(e.db, PA, "hi", OUTBOX_REPLY,
	    OUTBOX_PRIO_REPLY, 200, NULL), ==, 0);
	tt_int_op(outbox_forwards_since(e.db, PA, 100, 3700, &n), ==, 0);
	tt_int_op(n, ==, 2);
	tt_int_op(outbox_forwards_since(e.db, PA, 101, 3701, &n), ==, 0);
	tt_int_op(n, ==, 0);
	tt_int_op(outbox_forwards_since(e.db, PB, 0, 3600, &n), ==, 0);
	tt_int_op(n, ==, 1);
	/* the clock stepped back: queued "after" now, not counted */
	tt_int_op(outbox_forwards_since(e.db, PB, -3601, -1, &n), ==, 0);
	tt_int_op(n, ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "kind = 'forward' AND state = 'queued' AND phone = '" PD "'"), ==, 2);
end:
	test_close(&e);
}

/*
 * A forward to an organizer goes ahead of everything already queued,
 * an urgent broadcast in progress included; automatic replies keep their
 * place between urgent and routine broadcasts.
 */
static void
test_ob_forward_first(void)
{
	struct test_env		 e;
	struct outbox_item	 it = { 0 };
	int64_t			 id;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_member(e.db, PB, NULL, 11), ==, 0);
	tt_int_op(test_member(e.db, PC, NULL, 12), ==, 0);
	tt_int_op(test_broadcast(e.db, "routine", NULL, OUTBOX_PRIO_ROUTINE,
	    0, 0, 100, 3), ==, 1);
	tt_int_op(test_broadcast(e.db, "urgent", NULL, OUTBOX_PRIO_URGENT,
	    0, 0, 110, 3), ==, 2);
	/* the urgent broadcast is under way (its first text gone: the
	 * number is free for the routine one at the end) */
	tt_int_op(outbox_claim(e.db, "m1", 120, &it), ==, 1);
	tt_int_op(it.broadcast_id, ==, 2);
	tt_int_op(test_sent(e.db, it.id, 1, 125), ==, 0);
	outbox_item_clear(&it);
	tt_int_op(outbox_enqueue(e.db, PX, "Welcome!", OUTBOX_REPLY,
	    OUTBOX_PRIO_REPLY, 130, &id), ==, 0);
	tt_int_op(outbox_forward(e.db, PD, "From " PX ": help", PX, 140), ==,
	    0);
	tt_int_op(outbox_claim(e.db, "m1", 150, &it), ==, 1);
	tt_int_op(it.kind, ==, OUTBOX_FORWARD);
	tt_int_op(it.priority, ==, OUTBOX_PRIO_ORGANIZER);
	tt_str_op(it.phone, ==, PD);
	tt_str_op(it.text, ==, "From " PX ": help");
	outbox_item_clear(&it);
	/* then the rest of the urgent broadcast, the reply, the routine */
	tt_int_op(outbox_claim(e.db, "m1", 150, &it), ==, 1);
	tt_int_op(it.broadcast_id, ==, 2);
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "m1", 150, &it), ==, 1);
	tt_int_op(it.broadcast_id, ==, 2);
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "m1", 150, &it), ==, 1);
	tt_int_op(it.id, ==, id);
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "m1", 150, &it), ==, 1);
	tt_int_op(it.broadcast_id, ==, 1);
end:
	outbox_item_clear(&it);
	test_close(&e);
}

static void
test_ob_priority(void)
{
	static const struct {
		int64_t		 id;
		enum outbox_kind kind;
		int		 priority;
		int64_t		 bid;
		const char	*phone;
		const char	*text;
	} want[] = {
		{ 3, OUTBOX_ALERT, OUTBOX_PRIO_URGENT, 2, PA, "urgent" },
		{ 4, OUTBOX_ALERT, OUTBOX_PRIO_URGENT, 2, PB, "urgent" },
		{ 5, OUTBOX_REPLY, OUTBOX_PRIO_REPLY, 0, PX, "Welcome!" },
		{ 1, OUTBOX_ALERT, OUTBOX_PRIO_ROUTINE, 1, PA, "routine" },
		{ 2, OUTBOX_ALERT, OUTBOX_PRIO_ROUTINE, 1, PB, "routine" },
		{ 6, OUTBOX_FORWARD, OUTBOX_PRIO_ROUTINE, 0, PC, "fwd" },
	};
	struct test_env		 e;
	struct outbox_item	 it = { 0 };
	char			 buf[64];
	size_t			 i;
	int64_t			 id;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_member(e.db, PB, NULL, 11), ==, 0);
	tt_int_op(test_broadcast(e.db, "routine", NULL, OUTBOX_PRIO_ROUTINE,
	    0, 0, 100, 2), ==, 1);
	tt_int_op(test_broadcast(e.db, "urgent", NULL, OUTBOX_PRIO_URGENT,
	    0, 0, 200, 2), ==, 2);
	tt_int_op(outbox_enqueue(e.db, PX, "Welcome!", OUTBOX_REPLY,
	    OUTBOX_PRIO_REPLY, 300, &id), ==, 0);
	tt_int_op(id, ==, 5);
	tt_int_op(outbox_enqueue(e.db, PC, "fwd", OUTBOX_FORWARD,
	    OUTBOX_PRIO_ROUTINE, 300, NULL), ==, 0);

	for (i = 0; i < TT_NELEM(want); i++) {
		tt_int_op(outbox_claim(e.db, "ttyUSB0", 400, &it), ==, 1);
		if (it.id != want[i].id)
			fprintf(stderr, "  claim %zu\n", i);
		tt_int_op(it.id, ==, want[i].id);
		tt_int_op(it.kind, ==, want[i].kind);
		tt_int_op(it.priority, ==, want[i].priority);
		tt_int_op(it.broadcast_id, ==, want[i].bid);
		tt_str_op(it.phone, ==, want[i].phone);
		tt_str_op(it.text, ==, want[i].text);
		tt_int_op(it.attempts, ==, 1);
		tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
		    "id = %lld AND state = 'sending' AND modem = 'ttyUSB0' AND "
		    "attempts = 1 AND updated_at = 400", (long long)it.id), ==,
		    1);
		if (i == 0) {
			/* the broadcast is sending; the other one waits */
			tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT "
			    "group_concat(state) FROM (SELECT state FROM "
			    "broadcasts ORDER BY id)"), ==, "queued,sending");
		}
		/* gone, behind the broadcast's back: the number is free
		 * for the next claim (one in flight per number) */
		snprintf(buf, sizeof buf, "UPDATE outbox SET state = 'sent' "
		    "WHERE id = %lld", (long long)it.id);
		tt_int_op(test_exec(e.db, buf), ==, 0);
		outbox_item_clear(&it);
	}
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 400, &it), ==, 0);
	tt_assert(it.text == NULL);
	tt_int_op(it.id, ==, 0);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT group_concat(state) "
	    "FROM (SELECT state FROM broadcasts ORDER BY id)"), ==,
	    "sending,sending");
end:
	outbox_item_clear(&it);
	test_close(&e);
}

static void
test_ob_due(void)
{
	struct test_env		 e;
	struct outbox_item	 it = { 0 };
	int64_t			 when = -1, id;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 100, &it), ==, 0);
	tt_assert(it.text == NULL);
	tt_int_op(outbox_next_due(e.db, &when), ==, 0);
	tt_int_op(when, ==, -1);

	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_broadcast(e.db, "later", NULL, 0, 1000, 0, 500, 1),
	    ==, 1);
	tt_int_op(outbox_next_due(e.db, &when), ==, 1);
	tt_int_op(when, ==, 1000);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 999, &it), ==, 0);
	tt_int_op(outbox_enqueue(e.db, PX, "now", OUTBOX_REPLY,
	    OUTBOX_PRIO_REPLY, 600, &id), ==, 0);
	tt_int_op(outbox_next_due(e.db, &when), ==, 1);
	tt_int_op(when, ==, 600);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 999, &it), ==, 1);
	tt_int_op(it.id, ==, id);
	outbox_item_clear(&it);
	tt_int_op(outbox_next_due(e.db, &when), ==, 1);
	tt_int_op(when, ==, 1000);		/* sending rows are not due */
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 1000, &it), ==, 1);
	tt_int_op(it.id, ==, 1);
	tt_int_op(outbox_next_due(e.db, &when), ==, 0);

	/* a retry is due at its own time */
	tt_int_op(outbox_retry(e.db, 1, "+CMS ERROR: 38", 1500, 1010), ==, 0);
	tt_int_op(outbox_next_due(e.db, &when), ==, 1);
	tt_int_op(when, ==, 1500);
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 1499, &it), ==, 0);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 1500, &it), ==, 1);
	tt_int_op(it.id, ==, 1);
	tt_int_op(it.attempts, ==, 2);
end:
	outbox_item_clear(&it);
	test_close(&e);
}

/* Opt-out is checked at claim time, whatever the queue says. */
static void
test_ob_optout_claim(void)
{
	struct test_env		 e;
	struct broadcast	 b = { 0 };
	struct outbox_item	 it = { 0 };
	char			 buf[64];
	int			 found = -1;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_member(e.db, PB, NULL, 11), ==, 0);
	tt_int_op(test_member(e.db, PC, NULL, 12), ==, 0);
	tt_int_op(test_member(e.db, PD, NULL, 13), ==, 0);
	tt_int_op(test_broadcast(e.db, "alert", NULL, 0, 0, 0, 100, 4), ==, 1);

	/* A: STOP after the broadcast was queued */
	tt_int_op(test_optout(e.db, PA, &test_sms_stop, 150, 1), ==, 0);
	/* B: opted out behind the queue's back (another writer) */
	tt_int_op(test_exec(e.db, "UPDATE subscribers SET status = "
	    "'opted-out' WHERE phone = '" PB "'"), ==, 0);
	/* C: removed by an organizer */
	tt_int_op(subscriber_remove(e.db, PC, 160, &found), ==, 0);
	tt_int_op(found, ==, 1);
	/* a reply and a confirmation queued to B after all that */
	tt_int_op(outbox_enqueue(e.db, PB, "reply", OUTBOX_REPLY,
	    OUTBOX_PRIO_REPLY, 170, NULL), ==, 0);		/* row 5 */
	tt_int_op(outbox_enqueue(e.db, PB, "bye", OUTBOX_SYSTEM,
	    OUTBOX_PRIO_REPLY, 171, NULL), ==, 0);		/* row 6 */

	tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 1);
	tt_int_op(it.id, ==, 6);
	tt_str_op(it.text, ==, "bye");
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 1);
	tt_int_op(it.id, ==, 4);
	tt_str_op(it.phone, ==, PD);
	outbox_item_clear(&it);
	/* B's alert waits, untouched, while "bye" is in flight to B */
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 2), ==, "queued|");
	tt_int_op(test_sent(e.db, 6, 1, 200), ==, 0);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 0);

	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 1), ==,
	    "skipped|opted out");
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 2), ==,
	    "skipped|opted out");
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 3), ==,
	    "skipped|no longer subscribed");
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 4), ==, "sending|");
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 5), ==,
	    "skipped|opted out");
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 6), ==, "sent|");
	tt_int_op(test_int(e.db, "SELECT attempts FROM outbox WHERE id = 2"),
	    ==, 0);
	tt_int_op(test_int(e.db, "SELECT updated_at FROM outbox WHERE id = 2"),
	    ==, 200);

	tt_int_op(test_sent(e.db, 4, 1, 210), ==, 0);
	tt_int_op(broadcast_get(e.db, 1, &b), ==, 0);
	tt_str_op(b.state, ==, "done");
	tt_int_op(b.skipped, ==, 3);
	tt_int_op(b.sent, ==, 1);
end:
	outbox_item_clear(&it);
	broadcast_clear(&b);
	test_close(&e);
}

/* Every row skipped at claim time: the broadcast is done. */
static void
test_ob_all_skipped(void)
{
	struct test_env		 e;
	struct outbox_item	 it = { 0 };
	char			 buf[64];

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_broadcast(e.db, "alert", NULL, 0, 0, 0, 100, 1), ==, 1);
	tt_int_op(test_exec(e.db, "UPDATE subscribers SET status = "
	    "'opted-out'"), ==, 0);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 0);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT state FROM "
	    "broadcasts WHERE id = 1"), ==, "done");
end:
	outbox_item_clear(&it);
	test_close(&e);
}

static void
test_ob_expired(void)
{
	struct test_env		 e;
	struct broadcast	 b = { 0 };
	struct outbox_item	 it = { 0 };
	char			 buf[64];

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_member(e.db, PB, NULL, 11), ==, 0);
	tt_int_op(test_member(e.db, PC, NULL, 12), ==, 0);
	tt_int_op(test_broadcast(e.db, "checkpoint now", NULL, 2, 0, 500, 100,
	    3), ==, 1);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 499, &it), ==, 1);
	tt_int_op(it.id, ==, 1);
	outbox_item_clear(&it);
	/* expires_at is the first second it is too late */
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 500, &it), ==, 0);
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 2), ==, "expired|");
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, 3), ==, "expired|");
	tt_int_op(broadcast_get(e.db, 1, &b), ==, 0);
	tt_str_op(b.state, ==, "sending");
	tt_int_op(b.expired, ==, 2);
	broadcast_clear(&b);
	tt_int_op(test_sent(e.db, 1, 0, 510), ==, 0);
	tt_int_op(broadcast_get(e.db, 1, &b), ==, 0);
	tt_str_op(b.state, ==, "done");
	tt_int_op(b.sent, ==, 1);
	tt_int_op(b.expired, ==, 2);
end:
	outbox_item_clear(&it);
	broadcast_clear(&b);
	test_close(&e);
}

static void
test_ob_transitions(void)
{
	struct test_env		 e;
	struct outbox_item	 it = { 0 };
	char			 buf[128];
	int64_t			 id1, id2, id3;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(outbox_enqueue(e.db, PX, "one", OUTBOX_REPLY, 1, 100, &id1),
	    ==, 0);
	tt_int_op(outbox_enqueue(e.db, PX, "two", OUTBOX_REPLY, 1, 100, &id2),
	    ==, 0);
	tt_int_op(outbox_enqueue(e.db, PX, "three", OUTBOX_REPLY, 1, 100,
	    &id3), ==, 0);
	tt_int_op(id1, ==, 1);
	tt_int_op(id3, ==, 3);

	tt_int_op(outbox_claim(e.db, "ttyUSB0", 100, &it), ==, 1);
	tt_int_op(it.id, ==, id1);
	outbox_item_clear(&it);
	tt_int_op(outbox_retry(e.db, id1, "+CMS ERROR: 38", 160, 110), ==, 0);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT state || '|' || "
	    "error || '|' || next_attempt_at || '|' || updated_at || '|' || "
	    "attempts FROM outbox WHERE id = 1"), ==,
	    "queued|+CMS ERROR: 38|160|110|1");
	/* a retried row keeps its place: oldest first */
	tt_int_op(outbox_claim(e.db, "ttyUSB1", 160, &it), ==, 1);
	tt_int_op(it.id, ==, id1);
	tt_int_op(it.attempts, ==, 2);
	outbox_item_clear(&it);
	/* one in flight per number: "two" waits for "one" */
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 160, &it), ==, 0);
	tt_int_op(outbox_failed(e.db, id1, "+CMS ERROR: 500", 170), ==, 0);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT state || '|' || "
	    "error || '|' || updated_at || '|' || attempts || '|' || modem "
	    "FROM outbox WHERE id = 1"), ==,
	    "failed|+CMS ERROR: 500|170|2|ttyUSB1");
	tt_int_op(outbox_claim(e.db, "ttyUSB1", 160, &it), ==, 1);
	tt_int_op(it.id, ==, id2);
	outbox_item_clear(&it);

	tt_int_op(outbox_retry(e.db, id2, "timeout", 170, 165), ==, 0);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 170, &it), ==, 1);
	tt_int_op(it.id, ==, id2);
	outbox_item_clear(&it);
	tt_int_op(test_sent(e.db, id2, 42, 180), ==, 0);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT state || '|' || "
	    "mr || '|' || COALESCE(error, 'none') || '|' || updated_at FROM "
	    "outbox WHERE id = 2"), ==, "sent|42|none|180");

	tt_int_op(outbox_claim(e.db, "ttyUSB0", 190, &it), ==, 1);
	tt_int_op(it.id, ==, id3);
	tt_int_op(test_sent(e.db, id3, -1, 200), ==, 0);
	tt_int_op(test_int(e.db, "SELECT mr FROM outbox WHERE id = 3"), ==,
	    NULL_VALUE);
	tt_str_op(test_ob_state(e.db, buf, sizeof buf, id3), ==, "sent|");
end:
	outbox_item_clear(&it);
	test_close(&e);
}

/*
 * One message in flight per number, whatever the modem: a STOP's
 * confirmation never overtakes the alert being submitted to the same
 * phone on another modem; a row left "sending" by a crash blocks the
 * number only until the next start puts it back.
 */
static void
test_ob_one_per_number(void)
{
	struct test_env		 e;
	struct outbox_item	 it = { 0 };
	char			 buf[256];
	long			 n = -1;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_member(e.db, PB, NULL, 11), ==, 0);
	tt_int_op(test_broadcast(e.db, "alert", NULL, 0, 0, 0, 100, 2), ==, 1);
	tt_int_op(outbox_claim(e.db, "m1", 110, &it), ==, 1);
	tt_int_op(it.id, ==, 1);
	tt_str_op(it.phone, ==, PA);
	outbox_item_clear(&it);
	/* A's STOP confirmation, more urgent than the alert, and B's */
	tt_int_op(outbox_enqueue(e.db, PA, "bye", OUTBOX_SYSTEM,
	    OUTBOX_PRIO_REPLY, 120, NULL), ==, 0);		/* row 3 */
	tt_int_op(outbox_enqueue(e.db, PB, "hi", OUTBOX_REPLY,
	    OUTBOX_PRIO_REPLY, 120, NULL), ==, 0);		/* row 4 */
	tt_int_op(outbox_claim(e.db, "m2", 130, &it), ==, 1);
	tt_int_op(it.id, ==, 4);
	outbox_item_clear(&it);
	/* A's and B's numbers are both in flight: nothing for m3 */
	tt_int_op(outbox_claim(e.db, "m3", 130, &it), ==, 0);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT group_concat(state) "
	    "FROM (SELECT state FROM outbox ORDER BY id)"), ==,
	    "sending,queued,queued,sending");
	/* the alert to A has gone: now its confirmation */
	tt_int_op(test_sent(e.db, 1, 7, 140), ==, 0);
	tt_int_op(outbox_claim(e.db, "m2", 140, &it), ==, 1);
	tt_int_op(it.id, ==, 3);
	outbox_item_clear(&it);
	/* a crash with 3 and 4 in flight: the restart frees both numbers */
	tt_int_op(outbox_claim(e.db, "m1", 150, &it), ==, 0);
	tt_int_op(outbox_recover(e.db, 900, &n), ==, 0);
	tt_int_op(n, ==, 2);
	tt_int_op(outbox_claim(e.db, "m1", 900, &it), ==, 1);
	tt_int_op(it.id, ==, 3);
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "m2", 900, &it), ==, 1);
	tt_int_op(it.id, ==, 4);
	outbox_item_clear(&it);
	tt_int_op(test_sent(e.db, 4, 8, 910), ==, 0);
	tt_int_op(outbox_claim(e.db, "m2", 910, &it), ==, 1);
	tt_int_op(it.id, ==, 2);
end:
	outbox_item_clear(&it);
	test_close(&e);
}

static void
test_ob_recover(void)
{
	struct test_env		 e;
	struct outbox_item	 it = { 0 };
	char			 buf[128];
	long			 n = -1;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(outbox_recover(e.db, 50, &n), ==, 0);
	tt_int_op(n, ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_member(e.db, PB, NULL, 11), ==, 0);
	tt_int_op(test_member(e.db, PC, NULL, 12), ==, 0);
	tt_int_op(test_broadcast(e.db, "alert", NULL, 0, 0, 0, 100, 3), ==, 1);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 1);
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "ttyUSB1", 200, &it), ==, 1);
	outbox_item_clear(&it);

	/* kill -9 here: the next daemon puts the two back */
	tt_int_op(outbox_recover(e.db, 900, &n), ==, 0);
	tt_int_op(n, ==, 2);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT group_concat(r, ';') "
	    "FROM (SELECT state || '|' || COALESCE(error, '') || '|' || "
	    "next_attempt_at || '|' || attempts AS r FROM outbox ORDER BY id)"),
	    ==, "queued|interrupted (daemon restarted)|900|1;"
	    "queued|interrupted (daemon restarted)|900|1;queued||100|0");
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 900, &it), ==, 1);
	tt_int_op(it.id, ==, 1);
	tt_int_op(it.attempts, ==, 2);
	tt_int_op(outbox_recover(e.db, 950, &n), ==, 0);
	tt_int_op(n, ==, 1);
end:
	outbox_item_clear(&it);
	test_close(&e);
}

static void
test_ob_count_since(void)
{
	static const struct {
		const char	*phone;
		enum outbox_kind kind;
		int64_t		 since, until;
		long		 want;
	} cases[] = {
		{ PX, OUTBOX_REPLY, 0, 3600, 3 },
		{ PX, OUTBOX_REPLY, 200, 3800, 2 },
		{ PX, OUTBOX_REPLY, 301, 3901, 0 },
		{ PX, OUTBOX_SYSTEM, 0, 3600, 1 },
		{ PX, OUTBOX_FORWARD, 0, 3600, 0 },
		{ PA, OUTBOX_REPLY, 0, 3600, 1 },
		{ PA, OUTBOX_ALERT, 0, 3600, 1 },
		{ PB, OUTBOX_REPLY, 0, 3600, 0 },
		/* the clock stepped back to 250: what was queued "after"
		 * now is not counted (it would hold replies back for the
		 * length of the step) */
		{ PX, OUTBOX_REPLY, 250 - 3600, 250, 2 },
		{ PX, OUTBOX_REPLY, 150 - 3600, 150, 1 },
	};
	struct test_env		 e;
	struct outbox_item	 it = { 0 };
	size_t			 i;
	long			 n;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_broadcast(e.db, "alert", NULL, 0, 0, 0, 50, 1), ==, 1);
	tt_int_op(outbox_enqueue(e.db, PX, "a", OUTBOX_REPLY, 1, 100, NULL),
	    ==, 0);
	tt_int_op(outbox_enqueue(e.db, PX, "b", OUTBOX_REPLY, 1, 200, NULL),
	    ==, 0);
	tt_int_op(outbox_enqueue(e.db, PX, "c", OUTBOX_SYSTEM, 1, 250, NULL),
	    ==, 0);
	tt_int_op(outbox_enqueue(e.db, PX, "d", OUTBOX_REPLY, 1, 300, NULL),
	    ==, 0);
	tt_int_op(outbox_enqueue(e.db, PA, "e", OUTBOX_REPLY, 1, 300, NULL),
	    ==, 0);
	/* sent ones count as well as queued ones */
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 400, &it), ==, 1);
	tt_int_op(test_sent(e.db, it.id, 1, 400), ==, 0);
	for (i = 0; i < TT_NELEM(cases); i++) {
		n = -1;
		tt_int_op(outbox_count_since(e.db, cases[i].phone,
		    cases[i].kind, cases[i].since, cases[i].until, &n), ==, 0);
		if (n != cases[i].want)
			fprintf(stderr, "  case %zu\n", i);
		tt_int_op(n, ==, cases[i].want);
	}
end:
	outbox_item_clear(&it);
	test_close(&e);
}

/* A broadcast row carries no text: the claim gives the broadcast's, or
 * the variant in the member's language. */
static void
test_ob_text(void)
{
	struct test_env		 e;
	struct outbox_item	 it = { 0 };
	int64_t			 id;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, "es", 10), ==, 0);
	tt_int_op(test_member(e.db, PB, NULL, 11), ==, 0);
	tt_int_op(test_member(e.db, PC, "tl", 12), ==, 0);
	tt_int_op(test_broadcast(e.db, "March at noon", NULL, 0, 0, 0, 100, 3),
	    ==, 1);
	tt_int_op(test_exec(e.db, "INSERT INTO broadcast_variants "
	    "(broadcast_id, language, text) VALUES (1, 'es', "
	    "'Marcha al mediodía')"), ==, 0);
	tt_int_op(outbox_enqueue(e.db, PX, "Reply text", OUTBOX_REPLY,
	    OUTBOX_PRIO_ROUTINE, 100, &id), ==, 0);

	tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 1);
	tt_str_op(it.phone, ==, PA);
	tt_str_op(it.text, ==, "Marcha al mediodía");
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 1);
	tt_str_op(it.phone, ==, PB);
	tt_str_op(it.text, ==, "March at noon");
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 1);
	tt_str_op(it.phone, ==, PC);
	tt_str_op(it.text, ==, "March at noon");	/* no "tl" variant */
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 1);
	tt_int_op(it.id, ==, id);
	tt_str_op(it.phone, ==, PX);
	tt_str_op(it.text, ==, "Reply text");
	tt_int_op(it.kind, ==, OUTBOX_REPLY);
	tt_int_op(it.broadcast_id, ==, 0);
end:
	outbox_item_clear(&it);
	test_close(&e);
}

/* ---- the inbox ---- */

static void
test_in_add(void)
{
	struct test_env	 e;
	struct test_acc	 a;
	int64_t		 id = -1;

	memset(&a, 0, sizeof a);
	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(inbox_add(e.db, PA, "Is the clinic open Saturday?", 100,
	    "ttyUSB0", NULL, NULL, &id), ==, 0);
	tt_int_op(id, ==, 1);
	tt_int_op(inbox_add(e.db, PB, "JOIN", 110, "ttyUSB0", "JOIN", NULL,
	    &id), ==, 0);
	tt_int_op(inbox_add(e.db, PC, "please stop texting my mother", 120,
	    "ttyUSB1", NULL, INBOX_FLAG_REVIEW, &id), ==, 0);
	tt_int_op(inbox_add(e.db, PD, "STOP", 130, NULL, "STOP",
	    INBOX_FLAG_REVIEW, &id), ==, 0);
	tt_int_op(inbox_add(e.db, PE, "ayuda", 140, "ttyUSB0", "INFO", NULL,
	    NULL), ==, 0);

	tt_int_op(inbox_foreach(e.db, 0, test_inbox_cb, &a), ==, 0);
	tt_str_op(a.s, ==,
	    "1|" PA "|Is the clinic open Saturday?|100|ttyUSB0|||0;"
	    "3|" PC "|please stop texting my mother|120|ttyUSB1||review|0;"
	    "4|" PD "|STOP|130||STOP|review|0");
	test_acc_reset(&a);
	tt_int_op(inbox_foreach(e.db, 1, test_inbox_cb, &a), ==, 0);
	tt_str_op(a.s, ==,
	    "1|" PA "|Is the clinic open Saturday?|100|ttyUSB0|||0;"
	    "2|" PB "|JOIN|110|ttyUSB0|JOIN||0;"
	    "3|" PC "|please stop texting my mother|120|ttyUSB1||review|0;"
	    "4|" PD "|STOP|130||STOP|review|0;"
	    "5|" PE "|ayuda|140|ttyUSB0|INFO||0");

	tt_int_op(inbox_mark_handled(e.db, PA), ==, 0);
	test_acc_reset(&a);
	tt_int_op(inbox_foreach(e.db, 0, test_inbox_cb, &a), ==, 0);
	tt_str_op(a.s, ==,
	    "3|" PC "|please stop texting my mother|120|ttyUSB1||review|0;"
	    "4|" PD "|STOP|130||STOP|review|0");
	test_acc_reset(&a);
	a.stop_after = 1;
	tt_int_op(inbox_foreach(e.db, 1, test_inbox_cb, &a), ==, 0);
	tt_str_op(a.s, ==,
	    "1|" PA "|Is the clinic open Saturday?|100|ttyUSB0|||1");
end:
	test_close(&e);
}

static void
test_in_parts(void)
{
	struct test_env	 e;
	char		*t = NULL;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(inbox_part_add(e.db, PA, 77, 3, 2, "BBB ", 100, "ttyUSB0",
	    &t), ==, 0);
	tt_assert(t == NULL);
	/* the same part again (a modem that delivers twice) */
	tt_int_op(inbox_part_add(e.db, PA, 77, 3, 2, "BBB ", 101, "ttyUSB0",
	    &t), ==, 0);
	tt_assert(t == NULL);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT received_at FROM inbound_parts"), ==,
	    100);
	/* another sender using the same reference is another message */
	tt_int_op(inbox_part_add(e.db, PB, 77, 2, 1, "other", 102, "ttyUSB0",
	    &t), ==, 0);
	tt_assert(t == NULL);
	/* so is the same reference with another part count */
	tt_int_op(inbox_part_add(e.db, PA, 77, 2, 1, "short", 103, "ttyUSB0",
	    &t), ==, 0);
	tt_assert(t == NULL);
	tt_int_op(inbox_part_add(e.db, PA, 77, 3, 1, "AAA ", 104, "ttyUSB0",
	    &t), ==, 0);
	tt_assert(t == NULL);
	tt_int_op(inbox_part_add(e.db, PA, 77, 3, 3, "mañana", 105, "ttyUSB1",
	    &t), ==, 0);
	tt_assert(t != NULL);
	tt_str_op(t, ==, "AAA BBB mañana");
	free(t);
	t = NULL;
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts WHERE "
	    "phone = '" PA "' AND parts = 3"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 2);

	tt_int_op(inbox_part_add(e.db, PB, 77, 2, 2, " text", 106, "ttyUSB0",
	    &t), ==, 0);
	tt_str_op(t, ==, "other text");
	free(t);
	t = NULL;
	tt_int_op(inbox_part_add(e.db, PA, 77, 2, 2, " one", 107, "ttyUSB0",
	    &t), ==, 0);
	tt_str_op(t, ==, "short one");
	free(t);
	t = NULL;
	tt_int_op(inbox_part_add(e.db, PC, 9, 1, 1, "solo", 108, NULL, &t),
	    ==, 0);
	tt_str_op(t, ==, "solo");
	free(t);
	t = NULL;
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 0);
end:
	free(t);
	test_close(&e);
}

/* A part number outside 1..parts is bad input, not a gap to paper over. */
static void
test_in_parts_invalid(void)
{
	static const struct {
		unsigned	 parts, part;
		const char	*err;
	} cases[] = {
		{ 3, 0, "invalid part 0 of 3" },
		{ 3, 4, "invalid part 4 of 3" },
		{ 0, 0, "invalid part 0 of 0" },
		{ 0, 1, "invalid part 1 of 0" },
	};
	struct test_env	 e;
	char		*t = NULL;
	size_t		 i;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(inbox_part_add(e.db, PA, 5, 3, 1, "a", 100, NULL, &t), ==, 0);
	tt_int_op(inbox_part_add(e.db, PA, 5, 3, 2, "b", 100, NULL, &t), ==, 0);
	for (i = 0; i < TT_NELEM(cases); i++) {
		tt_int_op(inbox_part_add(e.db, PA, 5, cases[i].parts,
		    cases[i].part, "x", 100, NULL, &t), ==, -1);
		tt_assert(t == NULL);
		tt_str_op(db_error(e.db), ==, cases[i].err);
	}
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 2);
	tt_int_op(inbox_part_add(e.db, PA, 5, 3, 3, "c", 100, NULL, &t), ==, 0);
	tt_str_op(t, ==, "abc");
end:
	free(t);
	test_close(&e);
}

static int
test_in_expire_cb(const char *phone, const char *text, int64_t at,
    const char *modem, void *arg)
{
	struct test_acc	*a = arg;

	test_acc_add(a, "%s|%s|%lld|%s", phone, text, (long long)at, modem);
	/* stored by the caller inside the same transaction */
	if (inbox_add(a->db, phone, text, at, modem, NULL,
	    INBOX_FLAG_INCOMPLETE, NULL) == -1) {
		test_acc_add(a, "inbox_add: %s", db_error(a->db));
		return -1;
	}
	return 0;
}

static void
test_in_parts_expire(void)
{
	struct test_env	 e;
	struct test_acc	 a;
	struct db	*db2 = NULL;
	char		*t = NULL, *cause = NULL;

	memset(&a, 0, sizeof a);
	tt_int_op(test_open(&e), ==, 0);
	a.db = e.db;
	/* A: 1 and 3 of 3 */
	tt_int_op(inbox_part_add(e.db, PA, 1, 3, 3, " three", 110, "ttyUSB0",
	    &t), ==, 0);
	tt_int_op(inbox_part_add(e.db, PA, 1, 3, 1, "one ", 100, "ttyUSB0",
	    &t), ==, 0);
	/* B: only the last of 2 */
	tt_int_op(inbox_part_add(e.db, PB, 2, 2, 2, "two", 120, "ttyUSB1",
	    &t), ==, 0);
	/* C: 1 and 4 of 4: one marker for a run of missing parts */
	tt_int_op(inbox_part_add(e.db, PC, 3, 4, 1, "a", 130, NULL, &t), ==, 0);
	tt_int_op(inbox_part_add(e.db, PC, 3, 4, 4, "d", 130, NULL, &t), ==, 0);
	/* D: recent; E: an old part but a recent one too */
	tt_int_op(inbox_part_add(e.db, PD, 4, 2, 1, "new", 500, NULL, &t), ==,
	    0);
	tt_int_op(inbox_part_add(e.db, PE, 5, 3, 1, "old", 100, NULL, &t), ==,
	    0);
	tt_int_op(inbox_part_add(e.db, PE, 5, 3, 2, "recent", 300, NULL, &t),
	    ==, 0);
	tt_assert(t == NULL);

	/* another writer holds the lock: an error, and nothing lost */
	db2 = db_open(e.path, 0, &cause);
	tt_assert(db2 != NULL);
	a.db = db2;
	tt_int_op(db_begin(e.db), ==, 0);
	tt_int_op(inbox_part_expire(db2, 200, test_in_expire_cb, &a), ==, -1);
	tt_int_op(db_busy(db2), ==, 1);
	tt_int_op(a.n, ==, 0);
	db_rollback(e.db);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 8);
	a.db = e.db;

	tt_int_op(inbox_part_expire(e.db, 200, test_in_expire_cb, &a), ==, 0);
	tt_str_op(a.s, ==,
	    PA "|one [...] three|100|ttyUSB0;"
	    PB "|[...]two|120|ttyUSB1;"
	    PC "|a[...]d|130|");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 3);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts WHERE "
	    "phone IN ('" PA "', '" PB "', '" PC "')"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbox WHERE "
	    "flags = 'incomplete'"), ==, 3);

	test_acc_reset(&a);
	tt_int_op(inbox_part_expire(e.db, 200, test_in_expire_cb, &a), ==, 0);
	tt_int_op(a.n, ==, 0);
	tt_int_op(inbox_part_expire(e.db, 1000, test_in_expire_cb, &a), ==, 0);
	tt_str_op(a.s, ==, PD "|new[...]|500|;" PE "|oldrecent[...]|100|");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 0);
end:
	db_close(db2);
	free(cause);
	free(t);
	test_close(&e);
}

/* Stores nothing for PB: as if the inbox could not take it. */
static int
test_in_expire_fail_cb(const char *phone, const char *text, int64_t at,
    const char *modem, void *arg)
{
	struct test_acc	*a = arg;

	if (strcmp(phone, PB) == 0) {
		test_acc_add(a, "%s refused", phone);
		db_failf(a->db, "no room");
		return -1;
	}
	return test_in_expire_cb(phone, text, at, modem, arg);
}

/* The caller could not store an expired message: its parts stay. */
static void
test_in_parts_expire_fail(void)
{
	struct test_env	 e;
	struct test_acc	 a;
	char		*t = NULL;

	memset(&a, 0, sizeof a);
	tt_int_op(test_open(&e), ==, 0);
	a.db = e.db;
	tt_int_op(inbox_part_add(e.db, PA, 1, 2, 1, "one ", 100, NULL, &t), ==,
	    0);
	tt_int_op(inbox_part_add(e.db, PB, 2, 2, 1, "two ", 100, NULL, &t), ==,
	    0);
	tt_int_op(inbox_part_add(e.db, PC, 3, 2, 2, "three", 100, NULL, &t), ==,
	    0);
	tt_int_op(inbox_part_expire(e.db, 200, test_in_expire_fail_cb, &a), ==,
	    -1);
	tt_str_op(db_error(e.db), ==, "no room");
	/* the others went; PB's part is still there */
	tt_str_op(a.s, ==, PA "|one [...]|100|;" PB " refused;"
	    PC "|[...]three|100|");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts WHERE "
	    "phone = '" PB "'"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 1);
	test_acc_reset(&a);
	tt_int_op(inbox_part_expire(e.db, 200, test_in_expire_cb, &a), ==, 0);
	tt_str_op(a.s, ==, PB "|two [...]|100|");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbox WHERE "
	    "flags = 'incomplete'"), ==, 3);
end:
	free(t);
	test_close(&e);
}

/*
 * UCS-2 parts keep their UTF-16: a surrogate pair split between two parts
 * (😀 is D83D DE00) is joined before decoding, in any arrival order, also
 * after a GSM part; never across a missing part.
 */
#define FFFD	"\xef\xbf\xbd"
#define GRIN	"\xf0\x9f\x98\x80"

static void
test_in_parts_ucs2(void)
{
	static const uint8_t	 hi[] = { 0, 'H', 0, 'i', 0, ' ', 0xd8, 0x3d };
	static const uint8_t	 hi2[] = { 0, 'H', 0, 'i', 0, ' ', 0xd8, 0x3c };
	static const uint8_t	 bang[] = { 0xde, 0x00, 0, '!' };
	static const uint8_t	 high[] = { 0xd8, 0x3d };
	static const uint8_t	 low[] = { 0xde, 0x00 };
	struct test_env	 e;
	struct test_acc	 a;
	char		*t = NULL;

	memset(&a, 0, sizeof a);
	tt_int_op(test_open(&e), ==, 0);
	a.db = e.db;
	/* the second part first */
	tt_int_op(inbox_part_add_ucs2(e.db, PA, 42, 2, 2, FFFD "!", bang,
	    sizeof bang, 100, "ttyUSB0", &t), ==, 0);
	tt_assert(t == NULL);
	tt_int_op(test_int(e.db, "SELECT length(ucs2) FROM inbound_parts"),
	    ==, 4);
	tt_int_op(inbox_part_add_ucs2(e.db, PA, 42, 2, 1, "Hi " FFFD, hi,
	    sizeof hi, 101, "ttyUSB0", &t), ==, 0);
	tt_assert(t != NULL);
	tt_str_op(t, ==, "Hi " GRIN "!");
	free(t);
	t = NULL;
	/* part 1 again, the same octets: a duplicate */
	tt_int_op(inbox_part_add_ucs2(e.db, PA, 42, 2, 1, "Hi " FFFD, hi,
	    sizeof hi, 102, "ttyUSB0", &t), ==, 0);
	tt_assert(t == NULL);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 0);
	/* the same decoded text from other octets (D83C): a new message */
	tt_int_op(inbox_part_add_ucs2(e.db, PA, 42, 2, 1, "Hi " FFFD, hi2,
	    sizeof hi2, 103, "ttyUSB0", &t), ==, 0);
	tt_assert(t == NULL);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 1);
	/* a part completed before schema v4 has no UTF-16: its text
	 * (digest) decides */
	tt_int_op(test_exec(e.db, "INSERT INTO inbound_done (phone, ref, "
	    "parts, part, text, done_at) VALUES ('" PD "', 3, 2, 1, "
	    "tambuli_digest('old'), 100)"), ==, 0);
	tt_int_op(inbox_part_add_ucs2(e.db, PD, 3, 2, 1, "old",
	    (const uint8_t *)"\0o\0l\0d", 6, 104, NULL, &t), ==, 0);
	tt_assert(t == NULL);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts WHERE "
	    "phone = '" PD "'"), ==, 0);

	/* GSM, then UCS-2 halves of a pair, then an empty UCS-2 part */
	tt_int_op(inbox_part_add(e.db, PB, 7, 4, 1, "abc ", 110, NULL, &t),
	    ==, 0);
	tt_int_op(inbox_part_add_ucs2(e.db, PB, 7, 4, 3, FFFD, low,
	    sizeof low, 111, NULL, &t), ==, 0);
	tt_int_op(inbox_part_add_ucs2(e.db, PB, 7, 4, 4, "", low, 0, 112,
	    NULL, &t), ==, 0);
	tt_int_op(inbox_part_add_ucs2(e.db, PB, 7, 4, 2, FFFD, high,
	    sizeof high, 113, NULL, &t), ==, 0);
	tt_assert(t != NULL);
	tt_str_op(t, ==, "abc " GRIN);
	free(t);
	t = NULL;

	/* parts 1 and 3 of 3, 2 never comes: the halves stay apart */
	tt_int_op(inbox_part_add_ucs2(e.db, PC, 8, 3, 1, FFFD, high,
	    sizeof high, 120, NULL, &t), ==, 0);
	tt_int_op(inbox_part_add_ucs2(e.db, PC, 8, 3, 3, FFFD, low,
	    sizeof low, 120, NULL, &t), ==, 0);
	tt_int_op(inbox_part_expire(e.db, 200, test_in_expire_cb, &a), ==, 0);
	tt_str_op(a.s, ==, PA "|Hi " FFFD "[...]|103|ttyUSB0;"
	    PC "|" FFFD "[...]" FFFD "|120|");
end:
	free(t);
	test_acc_reset(&a);
	test_close(&e);
}

/* Only the page images in the file tell whether a text is really gone. */
static int
test_file_contains(const char *path, const char *needle)
{
	FILE	*f;
	char	*buf;
	size_t	 n, len = strlen(needle), i;
	long	 size;
	int	 found = 0;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) == -1 || (size = ftell(f)) < 0 ||
	    (buf = malloc((size_t)size + 1)) == NULL) {
		fclose(f);
		return -1;
	}
	rewind(f);
	n = fread(buf, 1, (size_t)size, f);
	fclose(f);
	for (i = 0; i + len <= n && !found; i++)
		found = memcmp(buf + i, needle, len) == 0;
	free(buf);
	return found;
}

/* Retention: what names a person goes, in small steps, counts exact. */
static void
test_retain(void)
{
	struct test_env		 e;
	struct subscriber	 sub;
	struct outbox_item	 it = { 0 };
	struct broadcast	 b = { 0 };
	struct retain		 r;
	struct retain_counts	 n;
	char			 buf[256];
	int64_t			 bc1, bc2, at = -1;
	int			 i, rc, steps = 0, result = -1;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_join(e.db, PA, NULL, NULL, &test_sms_join, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PB, NULL, NULL, &test_sms_join, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_join(e.db, PC, NULL, NULL, &test_sms_join, 100,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(test_member(e.db, PD, NULL, 100), ==, 0);
	/* a keyword the gateway acted on, a question nobody answered yet,
	 * a text an organizer handled, and a recent one */
	tt_int_op(inbox_add(e.db, PA, "JOIN", 100, NULL, "JOIN", NULL, NULL),
	    ==, 0);
	tt_int_op(inbox_add(e.db, PB, "where is the meeting?", 110, NULL,
	    NULL, NULL, NULL), ==, 0);
	tt_int_op(inbox_add(e.db, PC, "my papers expire Friday", 120, NULL,
	    NULL, NULL, NULL), ==, 0);
	tt_int_op(inbox_mark_handled(e.db, PC), ==, 0);
	tt_int_op(inbox_add(e.db, PE, "new message", 1000, NULL, NULL, NULL,
	    NULL), ==, 0);
	tt_int_op(inbox_mark_handled(e.db, PE), ==, 0);
	tt_int_op(test_exec(e.db, "INSERT INTO inbound_parts (phone, ref, "
	    "parts, part, text, received_at) VALUES ('" PX "', 7, 2, 1, "
	    "'half a', 100); INSERT INTO inbound_done (phone, ref, parts, "
	    "part, text, done_at) VALUES ('" PX "', 8, 2, 1, 'done', 100)"),
	    ==, 0);
	/* a reply, sent; a broadcast, finished (3 sent, 1 failed) */
	tt_int_op(outbox_enqueue(e.db, PB, "we will call you", OUTBOX_REPLY,
	    1, 100, NULL), ==, 0);
	tt_int_op(outbox_claim(e.db, "ttyUSB0", 100, &it), ==, 1);
	tt_int_op(test_sent(e.db, it.id, 1, 100), ==, 0);
	outbox_item_clear(&it);
	tt_int_op((bc1 = test_broadcast(e.db, "storm tonight", NULL, 0, 0, 0,
	    200, 4)), >, 0);
	for (i = 0; i < 4; i++) {
		tt_int_op(outbox_claim(e.db, "ttyUSB0", 200, &it), ==, 1);
		if (strcmp(it.phone, PD) == 0)
			tt_int_op(outbox_failed(e.db, it.id, "CMS 500", 200),
			    ==, 0);
		else
			tt_int_op(test_sent(e.db, it.id, 10 + i, 200), ==, 0);
		outbox_item_clear(&it);
	}
	/* a broadcast still to go: its rows stay, even a skipped one */
	tt_int_op((bc2 = test_broadcast(e.db, "meeting moved", NULL, 0, 5000,
	    0, 200, 4)), >, 0);
	tt_int_op(outbox_enqueue(e.db, PE, "still queued", OUTBOX_REPLY, 0,
	    200, NULL), ==, 0);
	/* PC opts out long ago, PE recently */
	tt_int_op(test_optout(e.db, PC, &test_sms_stop, 300, 1), ==, 0);
	tt_int_op(test_optout(e.db, PE, &test_sms_stop, 1500, 1), ==, 0);
	tt_int_op(broadcast_get(e.db, bc1, &b), ==, 0);
	tt_str_op(b.state, ==, "done");
	tt_int_op(b.sent, ==, 3);
	tt_int_op(b.failed, ==, 1);
	broadcast_clear(&b);
	tt_int_op(test_exec(e.db, "PRAGMA wal_checkpoint(TRUNCATE)"), ==, 0);
	tt_int_op(test_file_contains(e.path, "my papers expire Friday"), ==, 1);
	tt_int_op(retain_last(e.db, &at, &n), ==, 0);
	tt_int_op(at, ==, 0);

	/* two rows per step: many short transactions */
	retain_start(&r, 2000, 1000, 1000);
	while ((rc = retain_step(e.db, &r, 2)) == 1)
		steps++;
	tt_int_op(rc, ==, 0);
	tt_int_op(steps, >=, 5);
	tt_int_op(r.n.inbox, ==, 2);
	tt_int_op(r.n.outbox, ==, 5);
	tt_int_op(r.n.numbers, ==, 1);
	tt_int_op(r.n.consent_texts, ==, 4);
	tt_int_op(retain_last(e.db, &at, &n), ==, 1);
	tt_int_op(at, ==, 2000);
	tt_int_op(n.inbox, ==, 2);
	tt_int_op(n.outbox, ==, 5);
	tt_int_op(n.numbers, ==, 1);
	tt_int_op(n.consent_texts, ==, 4);

	/* inbox: the unanswered question and the recent text stay */
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT group_concat(phone "
	    "|| ':' || text, ';') FROM (SELECT * FROM inbox ORDER BY id)"), ==,
	    PB ":where is the meeting?;" PE ":new message");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_done"), ==, 0);
	/* outbox: bc2's rows (3 queued, PC's skipped) and the reply to
	 * PE, skipped by the recent opt-out */
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT group_concat(state, "
	    "',') FROM (SELECT state FROM outbox ORDER BY id)"), ==,
	    "queued,queued,skipped,queued,skipped");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox_parts"), ==, 0);
	/* the counts shown are the same */
	tt_int_op(broadcast_get(e.db, bc1, &b), ==, 0);
	tt_int_op(b.sent, ==, 3);
	tt_int_op(b.failed, ==, 1);
	tt_int_op(b.queued + b.sending + b.delivered + b.expired + b.skipped +
	    b.cancelled, ==, 0);
	broadcast_clear(&b);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT gone_queued || "
	    "gone_sending || gone_sent || gone_delivered || gone_failed || "
	    "gone_expired || gone_skipped || gone_cancelled FROM broadcasts "
	    "WHERE id = %lld", (long long)bc1), ==, "00301000");
	tt_int_op(broadcast_get(e.db, bc2, &b), ==, 0);
	tt_int_op(b.queued, ==, 3);
	tt_int_op(b.skipped, ==, 1);
	broadcast_clear(&b);
	/* PC is a marker now, PE (recent) is not; active members intact */
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT group_concat(phone "
	    "|| ':' || status, ';') FROM (SELECT * FROM subscribers ORDER BY "
	    "phone)"), ==, PA ":active;" PB ":active;" PD ":active;" PE
	    ":opted-out");
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM memberships"), ==, 3);
	tt_int_op(mark_has(e.db, PC), ==, 1);
	tt_int_op(mark_has(e.db, PE), ==, 0);
	/* and is opted out to every caller (a reply is refused on it) */
	tt_int_op(subscriber_get(e.db, PC, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_OPTED_OUT);
	tt_int_op(sub.id, ==, 0);
	tt_str_op(sub.lists, ==, "");
	tt_int_op(subscriber_remove(e.db, PC, 2050, &result), ==, 0);
	tt_int_op(result, ==, 0);
	tt_int_op(mark_has(e.db, PC), ==, 1);
	tt_int_op(test_int(e.db, "SELECT at FROM optout_marks"), ==, 300);
	/* consent: times, kinds and keywords stay; texts older than the
	 * cutoff go; PC's events name the marker */
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM consent_events WHERE "
	    "phone = '" PC "'"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM consent_events WHERE "
	    "phone LIKE '#%%' AND length(phone) = 65"), ==, 2);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT group_concat("
	    "substr(phone, 1, 1) || '|' || event || '|' || COALESCE(keyword, "
	    "'-') || '|' || COALESCE(text, '-') || '|' || at, ';') FROM "
	    "(SELECT * FROM consent_events ORDER BY id)"), ==,
	    "+|opt-in|JOIN|-|100;+|opt-in|JOIN|-|100;#|opt-in|JOIN|-|100;"
	    "+|opt-in|-|-|100;#|opt-out|STOP|-|300;+|opt-out|STOP|"
	    "Stop please|1500");

	/* nothing left to do */
	retain_start(&r, 2001, 1000, 1000);
	tt_int_op(retain_step(e.db, &r, 500), ==, 0);
	tt_int_op(r.n.inbox + r.n.outbox + r.n.numbers + r.n.consent_texts,
	    ==, 0);

	/* the marker keeps the opt-out: an organizer cannot add PC back,
	 * PC's own JOIN can (and lifts the marker) */
	tt_int_op(subscriber_join(e.db, PC, NULL, NULL, &test_cli, 2100,
	    &result), ==, 0);
	tt_int_op(result, ==, SUBSCRIBER_REFUSED);
	tt_int_op(test_join(e.db, PC, NULL, NULL, &test_sms_join, 2200,
	    SUBSCRIBER_JOINED), ==, 0);
	tt_int_op(mark_has(e.db, PC), ==, 0);

	/* secure_delete: no copy of a deleted text left in the file */
	tt_int_op(test_exec(e.db, "PRAGMA wal_checkpoint(TRUNCATE)"), ==, 0);
	tt_int_op(test_file_contains(e.path, "my papers expire Friday"), ==, 0);
	tt_int_op(test_file_contains(e.path, "we will call you"), ==, 0);
	tt_int_op(test_file_contains(e.path, "Stop please"), ==, 1);
end:
	broadcast_clear(&b);
	outbox_item_clear(&it);
	test_close(&e);
}

/* Transactions nest as savepoints: an inner rollback undoes only its part. */
static void
test_tx_nested(void)
{
	struct test_env		 e;
	struct subscriber	 sub;
	int			 result;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(db_begin(e.db), ==, 0);
	tt_int_op(subscriber_join(e.db, PA, NULL, NULL, &test_sms_join, 100,
	    &result), ==, 0);
	tt_int_op(db_begin(e.db), ==, 0);
	tt_int_op(subscriber_join(e.db, PB, NULL, NULL, &test_sms_join, 100,
	    &result), ==, 0);
	db_rollback(e.db);	/* PB's join goes, PA's stays */
	tt_int_op(db_commit(e.db), ==, 0);
	tt_int_op(subscriber_get(e.db, PA, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_ACTIVE);
	tt_int_op(subscriber_get(e.db, PB, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_NONE);
	/* a refused join inside an outer transaction leaves it usable */
	tt_int_op(db_begin(e.db), ==, 0);
	tt_int_op(subscriber_join(e.db, PB, "nolist", NULL, &test_sms_join,
	    100, &result), ==, 0);
	tt_int_op(result, ==, SUBSCRIBER_NO_LIST);
	tt_int_op(subscriber_join(e.db, PB, NULL, NULL, &test_sms_join, 100,
	    &result), ==, 0);
	tt_int_op(db_commit(e.db), ==, 0);
	tt_int_op(subscriber_get(e.db, PB, &sub), ==, 0);
	tt_int_op(sub.status, ==, SUBSCRIBER_ACTIVE);
end:
	test_close(&e);
}

/* Delivery reports: matched by modem, reference and number. */
/*
 * A status report after the clock stepped a day forward still finds its
 * message (the parts' send times move with the step: they were 3 days
 * "old" on the new clock, past GW_REPORT_WINDOW).
 */
static void
test_outbox_report_step(void)
{
	struct test_env		 e;
	struct outbox_item	 it;
	struct broadcast	 b;
	struct broadcast_new	 bn;
	int			 result, mr = 7;
	int64_t			 bid, id;
	long			 n;

	memset(&it, 0, sizeof it);
	memset(&b, 0, sizeof b);
	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(subscriber_join(e.db, PA, NULL, NULL, &test_sms_join, 100,
	    &result), ==, 0);
	memset(&bn, 0, sizeof bn);
	bn.text = "one part";
	tt_int_op(broadcast_create(e.db, &bn, 200, &bid, &n), ==, 0);
	tt_int_op(outbox_claim(e.db, "m1", 200, &it), ==, 1);
	tt_int_op(outbox_sent(e.db, it.id, "m1", &mr, 1, 1, 210), ==, 0);
	tt_int_op(outbox_clock_step(e.db, 4 * 86400, 4 * 86400 + 215,
	    3600, &n), ==, 0);
	tt_int_op(outbox_report(e.db, "m1", 7, PA, 0, 3 * 86400,
	    4 * 86400 + 220, &id), ==, 1);
	tt_int_op(id, ==, it.id);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_int_op(b.delivered, ==, 1);
end:
	broadcast_clear(&b);
	outbox_item_clear(&it);
	test_close(&e);
}

static void
test_outbox_report(void)
{
	struct test_env		 e;
	struct outbox_item	 it;
	struct broadcast	 b;
	struct broadcast_new	 bn;
	int			 result, mrs[2] = { 7, 8 };
	int64_t			 bid, id;
	long			 n, usage;

	memset(&it, 0, sizeof it);
	memset(&b, 0, sizeof b);
	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(subscriber_join(e.db, PA, NULL, NULL, &test_sms_join, 100,
	    &result), ==, 0);
	tt_int_op(subscriber_join(e.db, PB, NULL, NULL, &test_sms_join, 100,
	    &result), ==, 0);
	memset(&bn, 0, sizeof bn);
	bn.text = "two parts";
	tt_int_op(broadcast_create(e.db, &bn, 200, &bid, &n), ==, 0);
	/* PA: two parts through m1, references 7 and 8 */
	tt_int_op(outbox_claim(e.db, "m1", 200, &it), ==, 1);
	tt_str_op(it.phone, ==, PA);
	tt_int_op(outbox_sent(e.db, it.id, "m1", mrs, 2, 1, 210), ==, 0);
	id = it.id;
	outbox_item_clear(&it);
	/* unknown reference, wrong modem, wrong number: no match */
	tt_int_op(outbox_report(e.db, "m1", 99, PA, 0, 3600, 220, &id), ==, 0);
	tt_int_op(outbox_report(e.db, "m2", 7, PA, 0, 3600, 220, &id), ==, 0);
	tt_int_op(outbox_report(e.db, "m1", 7, PB, 0, 3600, 220, &id), ==, 0);
	/* outside the window */
	tt_int_op(outbox_report(e.db, "m1", 7, PA, 0, 5, 220, &id), ==, 0);
	/* part 1 delivered: not yet the message */
	tt_int_op(outbox_report(e.db, "m1", 7, PA, 0, 3600, 220, &id), ==, 1);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_int_op(b.sent, ==, 1);
	tt_int_op(b.delivered, ==, 0);
	broadcast_clear(&b);
	/* still trying (0x20): no change */
	tt_int_op(outbox_report(e.db, "m1", 8, PA, 0x20, 3600, 221, &id), ==,
	    1);
	/* part 2 delivered: the message is */
	tt_int_op(outbox_report(e.db, "m1", 8, PA, 0, 3600, 222, &id), ==, 1);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_int_op(b.delivered, ==, 1);
	tt_int_op(b.sent, ==, 0);
	broadcast_clear(&b);
	/* PB: one part, permanently failed (0x41) */
	tt_int_op(outbox_claim(e.db, "m2", 300, &it), ==, 1);
	mrs[0] = 7;
	tt_int_op(outbox_sent(e.db, it.id, "m2", mrs, 1, 1, 310), ==, 0);
	outbox_item_clear(&it);
	tt_int_op(outbox_report(e.db, "m2", 7, PB, 0x41, 3600, 320, &id), ==,
	    1);
	tt_int_op(broadcast_get(e.db, bid, &b), ==, 0);
	tt_int_op(b.failed, ==, 1);
	tt_int_op(b.delivered, ==, 1);
	tt_str_op(b.state, ==, "done");
	broadcast_clear(&b);
	/* usage counts segments per modem */
	tt_int_op(outbox_modem_usage(e.db, "m1", 0, &usage), ==, 0);
	tt_int_op(usage, ==, 2);
	tt_int_op(outbox_modem_usage(e.db, "m2", 0, &usage), ==, 0);
	tt_int_op(usage, ==, 1);
	tt_int_op(outbox_modem_usage(e.db, "m2", 311, &usage), ==, 0);
	tt_int_op(usage, ==, 1);	/* updated by the report at 320 */
end:
	outbox_item_clear(&it);
	broadcast_clear(&b);
	test_close(&e);
}


/* ---- polls ---- */

static int
test_answer_cb(const struct poll_answer *a, void *arg)
{
	struct test_acc	*acc = arg;

	size_t		 i;

	/* an anonymous id: "-" and 16 hex digits, shown as "anon" */
	if (poll_anonymous(a->phone)) {
		if (strlen(a->phone) != 17)
			return -1;
		for (i = 1; i < 17; i++)
			if (strchr("0123456789abcdef", a->phone[i]) == NULL)
				return -1;
	}
	test_acc_add(acc, "%s:%s:%s:%lld", poll_anonymous(a->phone) ?
	    "anon" : a->phone, a->option,
	    a->text ? a->text : "-", (long long)a->answered_at);
	return 0;
}

/* A poll: stored with its broadcast, open to those it was sent to. */
static void
test_poll(void)
{
	static const char *const opts[] = { "SAFE", "HELP" };
	struct test_env		 e;
	struct broadcast_new	 bn;
	struct outbox_item	 it = { 0 };
	struct poll		 p, v[4];
	struct test_acc		 acc;
	int64_t			 bid, bid2;
	long			 n, counts[2], un;
	size_t			 nv;
	int			 changed;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(test_member(e.db, PA, NULL, 10), ==, 0);
	tt_int_op(test_member(e.db, PB, NULL, 11), ==, 0);
	tt_int_op(test_member(e.db, PC, NULL, 12), ==, 0);
	memset(&bn, 0, sizeof bn);
	bn.text = "Typhoon: are you safe? Reply SAFE or HELP";
	bn.encoding = "gsm7";
	bn.segments = 1;
	bn.poll_options = opts;
	bn.npoll = 2;
	bn.poll_alert = 2;
	bn.poll_window = 86400;
	tt_int_op(broadcast_create(e.db, &bn, 1000, &bid, &n), ==, 0);
	tt_int_op(n, ==, 3);
	tt_int_op(poll_get(e.db, bid, &p), ==, 0);
	tt_int_op(p.broadcast_id, ==, bid);
	tt_int_op(p.noptions, ==, 2);
	tt_str_op(p.options[0], ==, "SAFE");
	tt_str_op(p.options[1], ==, "HELP");
	tt_int_op(p.alert, ==, 2);
	tt_int_op(p.opens_at, ==, 1000);
	tt_int_op(p.closes_at, ==, 1000 + 86400);
	/* a broadcast that asks nothing is no poll */
	tt_int_op(test_broadcast(e.db, "plain", NULL, OUTBOX_PRIO_ROUTINE, 0,
	    0, 1001, 3), ==, bid + 1);
	tt_int_op(poll_get(e.db, bid + 1, &p), ==, 1);
	tt_int_op(poll_get(e.db, 999, &p), ==, 1);

	/* queued is not sent: nobody can answer yet */
	tt_int_op(poll_open_for(e.db, PA, 1100, v, 4, &nv), ==, 0);
	tt_int_op(nv, ==, 0);
	/* sent to PA and PB, not PC */
	tt_int_op(outbox_claim(e.db, "m1", 1100, &it), ==, 1);
	tt_str_op(it.phone, ==, PA);
	tt_int_op(test_sent(e.db, it.id, 1, 1100), ==, 0);
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "m1", 1100, &it), ==, 1);
	tt_str_op(it.phone, ==, PB);
	tt_int_op(test_sent(e.db, it.id, 2, 1100), ==, 0);
	outbox_item_clear(&it);
	tt_int_op(poll_open_for(e.db, PA, 1200, v, 4, &nv), ==, 0);
	tt_int_op(nv, ==, 1);
	tt_int_op(v[0].broadcast_id, ==, bid);
	tt_str_op(v[0].options[1], ==, "HELP");
	tt_int_op(poll_open_for(e.db, PC, 1200, v, 4, &nv), ==, 0);
	tt_int_op(nv, ==, 0);
	tt_int_op(poll_open_for(e.db, PX, 1200, v, 4, &nv), ==, 0);
	tt_int_op(nv, ==, 0);
	/* closed after its window */
	tt_int_op(poll_open_for(e.db, PA, 1000 + 86400, v, 4, &nv), ==, 0);
	tt_int_op(nv, ==, 0);

	tt_int_op(poll_get(e.db, bid, &p), ==, 0);
	tt_int_op(poll_counts(e.db, &p, counts, &un), ==, 0);
	tt_int_op(counts[0], ==, 0);
	tt_int_op(counts[1], ==, 0);
	tt_int_op(un, ==, 2);		/* sent to two, PC still queued */

	/* answers: the latest option wins, the same again changes nothing */
	tt_int_op(poll_answer(e.db, bid, PA, "SAFE", "safe po", 1300,
	    &changed), ==, 0);
	tt_int_op(changed, ==, 1);
	tt_int_op(poll_answer(e.db, bid, PA, "SAFE", "Safe!", 1400, &changed),
	    ==, 0);
	tt_int_op(changed, ==, 0);
	tt_int_op(poll_answer(e.db, bid, PB, "SAFE", "SAFE", 1500, &changed),
	    ==, 0);
	tt_int_op(poll_answer(e.db, bid, PB, "HELP", "help!", 1600, &changed),
	    ==, 0);
	tt_int_op(changed, ==, 1);
	tt_int_op(poll_counts(e.db, &p, counts, &un), ==, 0);
	tt_int_op(counts[0], ==, 1);
	tt_int_op(counts[1], ==, 1);
	tt_int_op(un, ==, 0);
	memset(&acc, 0, sizeof acc);
	tt_int_op(poll_answers_foreach(e.db, bid, NULL, test_answer_cb, &acc),
	    ==, 0);
	tt_str_op(acc.s, ==, PA ":SAFE:safe po:1300;" PB ":HELP:help!:1600");
	test_acc_reset(&acc);
	tt_int_op(poll_answers_foreach(e.db, bid, "HELP", test_answer_cb,
	    &acc), ==, 0);
	tt_str_op(acc.s, ==, PB ":HELP:help!:1600");

	/* retention drops the number and the words, not the answers;
	 * forgetting a member does the same to theirs at once */
	tt_int_op(poll_purge(e.db, 1600, &n), ==, 0);
	tt_int_op(n, ==, 1);
	test_acc_reset(&acc);
	tt_int_op(poll_answers_foreach(e.db, bid, NULL, test_answer_cb, &acc),
	    ==, 0);
	tt_str_op(acc.s, ==, "anon:SAFE:-:1300;" PB ":HELP:help!:1600");
	tt_int_op(poll_purge(e.db, 1600, &n), ==, 0);
	tt_int_op(n, ==, 0);		/* once */
	tt_int_op(poll_forget(e.db, PB, &n), ==, 0);
	tt_int_op(n, ==, 1);
	test_acc_reset(&acc);
	tt_int_op(poll_answers_foreach(e.db, bid, NULL, test_answer_cb, &acc),
	    ==, 0);
	tt_str_op(acc.s, ==, "anon:SAFE:-:1300;anon:HELP:-:1600");
	tt_int_op(poll_counts(e.db, &p, counts, &un), ==, 0);
	tt_int_op(counts[0], ==, 1);
	tt_int_op(counts[1], ==, 1);
	/* both sent rows now lack an answer under their number (forget
	 * itself deletes the member's outbox rows too) */
	tt_int_op(un, ==, 2);

	/* a newer poll sent to PA comes first */
	bn.text = "Rally tomorrow? YES or NO";
	bn.poll_options = (const char *const[]){ "YES", "NO" };
	bn.poll_alert = 0;
	bn.poll_window = 3600;
	bn.scheduled_at = 2000;
	tt_int_op(broadcast_create(e.db, &bn, 1900, &bid2, &n), ==, 0);
	tt_int_op(poll_get(e.db, bid2, &p), ==, 0);
	tt_int_op(p.opens_at, ==, 2000);	/* from when it goes out */
	tt_int_op(p.closes_at, ==, 5600);
	tt_int_op(p.alert, ==, 0);
	for (;;) {
		tt_int_op(outbox_claim(e.db, "m1", 2000, &it), ==, 1);
		if (it.broadcast_id == bid2 && strcmp(it.phone, PA) == 0)
			break;
		tt_int_op(outbox_failed(e.db, it.id, "x", 2000), ==, 0);
		outbox_item_clear(&it);
	}
	tt_int_op(test_sent(e.db, it.id, 3, 2000), ==, 0);
	tt_int_op(poll_open_for(e.db, PA, 2100, v, 4, &nv), ==, 0);
	tt_int_op(nv, ==, 2);
	tt_int_op(v[0].broadcast_id, ==, bid2);
	tt_int_op(v[1].broadcast_id, ==, bid);
	tt_int_op(poll_open_for(e.db, PA, 2100, v, 1, &nv), ==, 0);
	tt_int_op(nv, ==, 1);
	tt_int_op(v[0].broadcast_id, ==, bid2);
	tt_int_op(poll_open_for(e.db, PA, 6000, v, 4, &nv), ==, 0);
	tt_int_op(nv, ==, 1);
	tt_int_op(v[0].broadcast_id, ==, bid);

	/* bad options are refused, and nothing is stored */
	bn.poll_options = (const char *const[]){ "A,B", "C" };
	tt_int_op(broadcast_create(e.db, &bn, 1900, &bid2, &n), ==, -1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM broadcasts"), ==, 3);
end:
	outbox_item_clear(&it);
	test_close(&e);
}
/* Per-language variants: each member gets the text of their language. */
static void
test_broadcast_variants(void)
{
	struct test_env		 e;
	struct outbox_item	 it;
	struct broadcast_new	 bn;
	const char		*langs[] = { "es" }, *texts[] = { "Hola" };
	int			 result;
	int64_t			 bid;
	long			 n;

	memset(&it, 0, sizeof it);
	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(subscriber_join(e.db, PA, NULL, "es", &test_sms_join, 100,
	    &result), ==, 0);
	tt_int_op(subscriber_join(e.db, PB, NULL, "tl", &test_sms_join, 100,
	    &result), ==, 0);
	memset(&bn, 0, sizeof bn);
	bn.text = "Hello";
	bn.variant_lang = langs;
	bn.variant_text = texts;
	bn.nvariants = 1;
	tt_int_op(broadcast_create(e.db, &bn, 200, &bid, &n), ==, 0);
	tt_int_op(outbox_claim(e.db, "m1", 200, &it), ==, 1);
	tt_str_op(it.phone, ==, PA);
	tt_str_op(it.text, ==, "Hola");
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "m1", 200, &it), ==, 1);
	tt_str_op(it.phone, ==, PB);
	tt_str_op(it.text, ==, "Hello");	/* no Tagalog variant */
end:
	outbox_item_clear(&it);
	test_close(&e);
}

/* A part delivered again after its message completed is a duplicate;
 * a new message reusing the reference is not. */
static void
test_part_duplicate(void)
{
	struct test_env	 e;
	char		*full = NULL;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(inbox_part_add(e.db, PA, 9, 2, 1, "Hello ", 100, "m1",
	    &full), ==, 0);
	tt_assert(full == NULL);
	tt_int_op(inbox_part_add(e.db, PA, 9, 2, 2, "world", 101, "m1",
	    &full), ==, 0);
	tt_str_op(full, ==, "Hello world");
	free(full);
	full = NULL;
	/* kept to recognise a repeat, without the words */
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_done WHERE "
	    "text = tambuli_digest('world') AND length(text) = 16"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_done WHERE "
	    "CAST(text AS TEXT) LIKE '%%world%%' OR "
	    "CAST(text AS TEXT) LIKE '%%Hello%%'"), ==, 0);
	/* the network delivers part 2 again: nothing new */
	tt_int_op(inbox_part_add(e.db, PA, 9, 2, 2, "world", 200, "m1",
	    &full), ==, 0);
	tt_assert(full == NULL);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 0);
	/* a new message with the same reference */
	tt_int_op(inbox_part_add(e.db, PA, 9, 2, 1, "Second ", 300, "m1",
	    &full), ==, 0);
	tt_assert(full == NULL);
	tt_int_op(inbox_part_add(e.db, PA, 9, 2, 2, "text", 301, "m1",
	    &full), ==, 0);
	tt_str_op(full, ==, "Second text");
end:
	free(full);
	test_close(&e);
}

/* An opt-out marker matches its number only, survives reopening (the key
 * is the database's), and holds no digits of the number. */
static void
test_mark(void)
{
	struct test_env	 e;
	char		*cause = NULL;
	long		 n = -1;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(mark_has(e.db, PA), ==, 0);
	tt_int_op(db_begin(e.db), ==, 0);
	tt_int_op(mark_add(e.db, PA, 100), ==, 0);
	tt_int_op(mark_add(e.db, PA, 200), ==, 0);	/* once */
	tt_int_op(db_commit(e.db), ==, 0);
	tt_int_op(mark_has(e.db, PA), ==, 1);
	tt_int_op(mark_has(e.db, PB), ==, 0);
	tt_int_op(mark_count(e.db, &n), ==, 0);
	tt_int_op(n, ==, 1);
	tt_int_op(test_int(e.db, "SELECT count(*) FROM optout_marks WHERE "
	    "instr(mark, CAST('" PA "' AS BLOB)) > 0 OR length(mark) != 32"),
	    ==, 0);
	db_close(e.db);
	e.db = db_open(e.path, 1000, &cause);
	tt_assert(e.db != NULL);
	tt_int_op(mark_has(e.db, PA), ==, 1);
	tt_int_op(mark_del(e.db, PA), ==, 0);
	tt_int_op(mark_has(e.db, PA), ==, 0);
end:
	free(cause);
	test_close(&e);
}

/* A SIM's balance: created by any setter, each field kept by the others,
 * the modem following the SIM. */
static void
test_balance(void)
{
	struct test_env	 e;
	struct balance	 b;
	double		 a = 12.5;

	memset(&b, 0, sizeof b);
	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(balance_get(e.db, "515020000000001", &b), ==, 0);
	tt_int_op(balance_set_low(e.db, "515020000000001", "m1", 1), ==, 0);
	tt_int_op(balance_record(e.db, "515020000000001", "m1", &a,
	    "Your balance is PHP 12.50", 100), ==, 0);
	tt_int_op(balance_get(e.db, "515020000000001", &b), ==, 1);
	tt_str_op(b.modem, ==, "m1");
	tt_int_op(b.has_amount, ==, 1);
	tt_assert(b.amount == 12.5);
	tt_str_op(b.text, ==, "Your balance is PHP 12.50");
	tt_int_op(b.checked_at, ==, 100);
	tt_int_op(b.low, ==, 1);
	tt_int_op(b.no_credit_at, ==, 0);
	balance_clear(&b);
	/* moved to another modem, answer not understood, out of credit */
	tt_int_op(balance_record(e.db, "515020000000001", "m2", NULL,
	    "Service unavailable", 200), ==, 0);
	tt_int_op(balance_set_no_credit(e.db, "515020000000001", "m2", 150),
	    ==, 0);
	tt_int_op(balance_get(e.db, "515020000000001", &b), ==, 1);
	tt_str_op(b.modem, ==, "m2");
	tt_int_op(b.has_amount, ==, 0);
	tt_str_op(b.text, ==, "Service unavailable");
	tt_int_op(b.checked_at, ==, 200);
	tt_int_op(b.low, ==, 1);
	tt_int_op(b.no_credit_at, ==, 150);
	balance_clear(&b);
	tt_int_op(balance_set_no_credit(e.db, "modem:m3", "m3", 300), ==, 0);
	tt_int_op(balance_get(e.db, "modem:m3", &b), ==, 1);
	tt_int_op(b.has_amount, ==, 0);
	tt_assert(b.text == NULL);
	tt_int_op(b.checked_at, ==, 0);
	tt_int_op(b.no_credit_at, ==, 300);
end:
	balance_clear(&b);
	test_close(&e);
}

/* The broadcast's counts as one string: what "broadcast show" prints. */
static const char *
test_bc_counts_str(struct db *db, int64_t id, char *buf, size_t len)
{
	struct broadcast	b;

	if (broadcast_get(db, id, &b) != 0)
		return "(no broadcast)";
	snprintf(buf, len, "%s r%ld q%ld s%ld d%ld f%ld e%ld k%ld c%ld",
	    b.state, b.recipients, b.queued + b.sending, b.sent, b.delivered,
	    b.failed, b.expired, b.skipped, b.cancelled);
	broadcast_clear(&b);
	return buf;
}

/* The size of a file, -1 when missing. */
static long
test_file_size(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/*
 * forget_number removes the number from every table, keeps the counts
 * of its broadcasts, leaves a marker, and after forget_checkpoint no
 * byte of it (digits or texts) is in the database file or its -wal.
 */
static void
test_forget(void)
{
	struct test_env		 e;
	struct outbox_item	 it;
	struct broadcast_new	 bn;
	char			 buf[256], before1[128], before2[128];
	char			 wal[160], *full = NULL;
	int			 result, mrs[2] = { 7, 8 };
	int64_t			 b1, b2, id;
	long			 n, rows = -1;

	memset(&it, 0, sizeof it);
	tt_int_op(test_open(&e), ==, 0);
	snprintf(wal, sizeof wal, "%s-wal", e.path);
	tt_int_op(list_create(e.db, "rally", 90), ==, 0);
	tt_int_op(subscriber_join(e.db, PA, NULL, "es", &test_sms_join, 100,
	    &result), ==, 0);
	tt_int_op(subscriber_join(e.db, PA, "rally", NULL, &test_sms_join,
	    101, &result), ==, 0);
	tt_int_op(subscriber_join(e.db, PB, NULL, NULL, &test_sms_join, 102,
	    &result), ==, 0);
	/* broadcast 1: PA delivered (two parts, tracked), PB sent */
	memset(&bn, 0, sizeof bn);
	bn.text = "Rally at City Hall";
	tt_int_op(broadcast_create(e.db, &bn, 200, &b1, &n), ==, 0);
	tt_int_op(outbox_claim(e.db, "m1", 200, &it), ==, 1);
	tt_str_op(it.phone, ==, PA);
	tt_int_op(outbox_sent(e.db, it.id, "m1", mrs, 2, 1, 210), ==, 0);
	outbox_item_clear(&it);
	tt_int_op(outbox_report(e.db, "m1", 7, PA, 0, 3600, 220, &id), ==, 1);
	tt_int_op(outbox_report(e.db, "m1", 8, PA, 0, 3600, 220, &id), ==, 1);
	tt_int_op(outbox_claim(e.db, "m1", 230, &it), ==, 1);
	tt_str_op(it.phone, ==, PB);
	tt_int_op(test_sent(e.db, it.id, 9, 230), ==, 0);
	outbox_item_clear(&it);
	/* broadcast 2: both still queued */
	bn.text = "Second alert";
	tt_int_op(broadcast_create(e.db, &bn, 300, &b2, &n), ==, 0);
	/* PA's texts: one kept, one forwarded, a two-part one completed
	 * (inbound_done), one half-arrived (inbound_parts) */
	tt_int_op(inbox_add(e.db, PA, "my papers expire Friday", 310, "m1",
	    NULL, NULL, NULL), ==, 0);
	tt_int_op(outbox_forward(e.db, PC, "From " PA ": landlord threatens",
	    PA, 311), ==, 0);
	tt_int_op(inbox_part_add(e.db, PA, 5, 2, 1, "checkpoint on ", 312,
	    "m1", &full), ==, 0);
	tt_int_op(inbox_part_add(e.db, PA, 5, 2, 2, "Maple street", 313, "m1",
	    &full), ==, 0);
	tt_str_op(full, ==, "checkpoint on Maple street");
	free(full);
	full = NULL;
	tt_int_op(inbox_part_add(e.db, PA, 6, 2, 1, "half a sentence", 314,
	    "m1", &full), ==, 0);
	tt_assert(full == NULL);
	tt_int_op(outbox_enqueue(e.db, PA, "we will call you", OUTBOX_REPLY,
	    1, 315, NULL), ==, 0);
	/* PB's, which stay */
	tt_int_op(inbox_add(e.db, PB, "PB keeps this", 320, "m1", NULL, NULL,
	    NULL), ==, 0);
	tt_int_op(outbox_forward(e.db, PC, "From " PB ": PB forward", PB,
	    321), ==, 0);
	tt_int_op(test_exec(e.db, "PRAGMA wal_checkpoint(TRUNCATE)"), ==, 0);
	tt_int_op(test_file_contains(e.path, "5550000001"), ==, 1);
	tt_int_op(test_file_contains(e.path, "my papers expire"), ==, 1);
	test_bc_counts_str(e.db, b1, before1, sizeof before1);
	test_bc_counts_str(e.db, b2, before2, sizeof before2);
	tt_str_op(before1, ==, "done r2 q0 s1 d1 f0 e0 k0 c0");
	tt_str_op(before2, ==, "queued r2 q2 s0 d0 f0 e0 k0 c0");

	tt_int_op(forget_number(e.db, PA, "1", 400, &rows), ==, 0);
	/* subscriber, 2 memberships, 2 consent events, 1 inbox, 1 part,
	 * 2 done parts, 4 outbox rows (2 alerts, reply, forward), 2 parts
	 * of the delivered alert */
	tt_int_op(rows, ==, 15);
	/* every table */
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM subscribers WHERE "
	    "phone = '" PA "'"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM memberships"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM consent_events WHERE "
	    "phone = '" PA "'"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM consent_events"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbox WHERE "
	    "phone = '" PA "'"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbox"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_parts"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbound_done"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE "
	    "phone = '" PA "' OR source = '" PA "' OR text LIKE '%%" PA "%%'"),
	    ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox"), ==, 3);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox_parts"), ==, 0);
	tt_int_op(mark_has(e.db, PA), ==, 1);
	/* the counts a user sees: broadcast 1 unchanged, broadcast 2's row
	 * for PA will never go (skipped) */
	tt_str_op(test_bc_counts_str(e.db, b1, buf, sizeof buf), ==, before1);
	tt_str_op(test_bc_counts_str(e.db, b2, buf, sizeof buf), ==,
	    "queued r2 q1 s0 d0 f0 e0 k1 c0");
	/* no byte left in the files */
	tt_int_op(forget_checkpoint(e.db), ==, 0);
	tt_int_op(test_file_size(wal), ==, 0);
	tt_int_op(test_file_contains(e.path, "5550000001"), ==, 0);
	tt_int_op(test_file_contains(e.path, "my papers expire"), ==, 0);
	tt_int_op(test_file_contains(e.path, "landlord"), ==, 0);
	tt_int_op(test_file_contains(e.path, "Maple street"), ==, 0);
	tt_int_op(test_file_contains(e.path, "checkpoint on"), ==, 0);
	tt_int_op(test_file_contains(e.path, "half a sentence"), ==, 0);
	tt_int_op(test_file_contains(e.path, "we will call you"), ==, 0);
	tt_int_op(test_file_contains(e.path, "5550000002"), ==, 1);
	tt_int_op(test_file_contains(e.path, "PB keeps this"), ==, 1);
	tt_int_op(test_file_contains(e.path, "PB forward"), ==, 1);

	/* the marker refuses an organizer, not the member */
	tt_int_op(subscriber_join(e.db, PA, NULL, NULL, &test_cli, 500,
	    &result), ==, 0);
	tt_int_op(result, ==, SUBSCRIBER_REFUSED);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM subscribers WHERE "
	    "phone = '" PA "'"), ==, 0);
	tt_int_op(mark_has(e.db, PA), ==, 1);
	tt_int_op(subscriber_join(e.db, PA, NULL, NULL, &test_sms_join, 510,
	    &result), ==, 0);
	tt_int_op(result, ==, SUBSCRIBER_JOINED);
	tt_int_op(mark_has(e.db, PA), ==, 0);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT status || '|' || "
	    "created_at FROM subscribers WHERE phone = '" PA "'"), ==,
	    "active|510");

	/* a number never seen: nothing removed, still marked */
	tt_int_op(forget_number(e.db, PX, "1", 600, &rows), ==, 0);
	tt_int_op(rows, ==, 0);
	tt_int_op(mark_has(e.db, PX), ==, 1);
	tt_int_op(subscriber_join(e.db, PX, NULL, NULL, &test_cli, 610,
	    &result), ==, 0);
	tt_int_op(result, ==, SUBSCRIBER_REFUSED);
end:
	free(full);
	outbox_item_clear(&it);
	test_close(&e);
}

/*
 * Undecodable texts (sender "unknown", the raw PDU in hex) whose PDU holds
 * the number's semi-octets go with it: international (TOA 91), national
 * with and without the trunk prefix, in either case of hex.  Others stay.
 */
static void
test_forget_undecodable(void)
{
	static const char *const gone[] = {
		/* PA international, lower-case hex */
		"[undecodable message: UCS-2 user data has an odd number of "
		"octets] 00040b915155000000f100086221129100000003004100",
		/* PA national (TOA 81), with the trunk prefix 0 */
		"[undecodable message: x] 00040A815505000010000862211291000000",
		"[undecodable message: x] 00040B815055000000F1000862211291000000",
	};
	static const char *const kept[] = {
		/* PB */
		"[undecodable message: x] 00040B915155000000F2000862211291000000",
		/* PX, a Philippine number, national: the deployment is NANP */
		"[undecodable message: x] 00040A811917325476000862211291000000",
	};
	struct test_env	 e;
	char		 buf[64];
	size_t		 i;
	long		 rows = -1;

	tt_int_op(test_open(&e), ==, 0);
	for (i = 0; i < sizeof gone / sizeof gone[0]; i++)
		tt_int_op(inbox_add(e.db, "unknown", gone[i], 100 + (int64_t)i,
		    "m1", NULL, INBOX_FLAG_UNDECODABLE, NULL), ==, 0);
	for (i = 0; i < sizeof kept / sizeof kept[0]; i++)
		tt_int_op(inbox_add(e.db, "unknown", kept[i], 200 + (int64_t)i,
		    "m1", NULL, INBOX_FLAG_UNDECODABLE, NULL), ==, 0);
	/* not undecodable: the sender's own words, whatever they hold */
	tt_int_op(inbox_add(e.db, "BANK", "ref 5155000000F1", 300, "m1",
	    NULL, NULL, NULL), ==, 0);

	tt_int_op(forget_number(e.db, PA, "1", 400, &rows), ==, 0);
	tt_int_op(rows, ==, 3);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM inbox"), ==, 3);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT group_concat("
	    "received_at) FROM (SELECT received_at FROM inbox ORDER BY 1)"),
	    ==, "200,201,300");
	/* a number of another country: its international form only */
	tt_int_op(forget_number(e.db, PX, "1", 410, &rows), ==, 0);
	tt_int_op(rows, ==, 0);
	tt_int_op(forget_number(e.db, PX, NULL, 420, &rows), ==, 0);
	tt_int_op(rows, ==, 0);
	/* had the deployment been in the Philippines */
	tt_int_op(forget_number(e.db, PX, "63", 430, &rows), ==, 0);
	tt_int_op(rows, ==, 1);
	tt_int_op(forget_checkpoint(e.db), ==, 0);
	tt_int_op(test_file_contains(e.path, "00040b915155000000f1"), ==, 0);
	tt_int_op(test_file_contains(e.path, "00040A815505000010"), ==, 0);
	tt_int_op(test_file_contains(e.path, "00040B815055000000F1"), ==, 0);
	tt_int_op(test_file_contains(e.path, "1917325476"), ==, 0);
	tt_int_op(test_file_contains(e.path, "5155000000F2"), ==, 1);
end:
	test_close(&e);
}

/* A member's own FORGET: the confirmation goes, then is forgotten too. */
static void
test_forget_confirm(void)
{
	struct test_env		 e;
	struct outbox_item	 it;
	int			 result;
	long			 n = -1, rows;

	memset(&it, 0, sizeof it);
	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(subscriber_join(e.db, PA, NULL, NULL, &test_sms_join, 100,
	    &result), ==, 0);
	tt_int_op(db_begin(e.db), ==, 0);
	tt_int_op(forget_number(e.db, PA, "1", 200, &rows), ==, 0);
	tt_int_op(forget_confirm(e.db, PA, "deleted", 200), ==, 0);
	tt_int_op(db_commit(e.db), ==, 0);
	tt_int_op(rows, ==, 3);
	/* queued, then being sent: kept */
	tt_int_op(forget_finished(e.db, "1", 210, &n), ==, 0);
	tt_int_op(n, ==, 0);
	tt_int_op(outbox_claim(e.db, "m1", 210, &it), ==, 1);
	tt_str_op(it.phone, ==, PA);
	tt_str_op(it.text, ==, "deleted");
	tt_int_op(forget_finished(e.db, "1", 211, &n), ==, 0);
	tt_int_op(n, ==, 0);
	tt_int_op(test_sent(e.db, it.id, 3, 220), ==, 0);
	/* sent: forgotten again */
	tt_int_op(forget_finished(e.db, "1", 230, &n), ==, 0);
	tt_int_op(n, ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox"), ==, 0);
	tt_int_op(mark_has(e.db, PA), ==, 1);
	tt_int_op(forget_finished(e.db, "1", 240, &n), ==, 0);
	tt_int_op(n, ==, 0);
	/* a row forgotten while in flight: the outcome finds nothing */
	tt_int_op(forget_confirm(e.db, PB, "deleted", 300), ==, 0);
	outbox_item_clear(&it);
	tt_int_op(outbox_claim(e.db, "m1", 300, &it), ==, 1);
	tt_int_op(forget_number(e.db, PB, "1", 301, &rows), ==, 0);
	tt_int_op(rows, ==, 1);
	tt_int_op(outbox_sent(e.db, it.id, "m1", &result, 1, 1, 302), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox_parts"), ==, 0);
end:
	outbox_item_clear(&it);
	test_close(&e);
}

/*
 * A marker key made inside a transaction that is rolled back is not
 * kept in memory either: the next marker must not be made with a key the
 * database never stored (it would match nothing after a restart).
 */
static void
test_mark_rollback(void)
{
	struct test_env	 e;
	char		*cause = NULL;
	long		 rows;

	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(db_begin(e.db), ==, 0);
	tt_int_op(forget_number(e.db, PA, "1", 100, &rows), ==, 0);
	db_rollback(e.db);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM settings WHERE key = "
	    "'mark_key'"), ==, 0);
	tt_int_op(forget_number(e.db, PA, "1", 110, &rows), ==, 0);
	tt_int_op(mark_has(e.db, PA), ==, 1);
	db_close(e.db);
	e.db = db_open(e.path, 1000, &cause);
	tt_assert(e.db != NULL);
	tt_int_op(mark_has(e.db, PA), ==, 1);
end:
	free(cause);
	test_close(&e);
}


/* Organizers: add, PIN hash and check, attempts and lock, pending codes
 * (hashed, used once, expiring, per number and kind), secret replies
 * blanked once sent, the broadcasts to tell "done". */
static void
test_organizer(void)
{
	struct test_env			 e;
	struct organizer		 o;
	struct organizer_pending	 p;
	struct broadcast_new		 bn;
	struct outbox_item		 it;
	char				 hash[ORGANIZER_HASH_MAX], buf[128];
	int64_t				 ids[4], bid;
	size_t				 n;
	long				 tries, rec;

	memset(&it, 0, sizeof it);
	tt_int_op(test_open(&e), ==, 0);
	tt_int_op(organizer_pin_valid("1234"), ==, 1);
	tt_int_op(organizer_pin_valid("12345678"), ==, 1);
	tt_int_op(organizer_pin_valid("123"), ==, 0);
	tt_int_op(organizer_pin_valid("123456789"), ==, 0);
	tt_int_op(organizer_pin_valid("12a4"), ==, 0);
	tt_int_op(organizer_pin_hash("24681357", hash), ==, 0);
	tt_assert(strstr(hash, "24681357") == NULL);
	tt_int_op(organizer_pin_check(hash, "24681357"), ==, 1);
	tt_int_op(organizer_pin_check(hash, "24681358"), ==, 0);
	tt_int_op(organizer_add(e.db, "+14155550101", "Ana", hash, 100), ==, 0);
	tt_int_op(organizer_add(e.db, "+14155550101", "Ana", hash, 100), ==, 1);
	tt_int_op(organizer_get(e.db, "+14155550101", &o), ==, 1);
	tt_str_op(o.name, ==, "Ana");
	tt_int_op(o.locked_until, ==, 0);
	tt_int_op(organizer_get(e.db, "+14155550102", &o), ==, 0);

	/* wrong attempts, counted in the window, then a lock */
	tt_int_op(organizer_attempt(e.db, "+14155550101", 100, 0, &tries), ==,
	    0);
	tt_int_op(tries, ==, 1);
	tt_int_op(organizer_attempt(e.db, "+14155550101", 5000, 1400, &tries),
	    ==, 0);
	tt_int_op(tries, ==, 1);	/* the first is out of the window */
	tt_int_op(organizer_attempts(e.db, "+14155550101", 0, &tries), ==, 0);
	tt_int_op(tries, ==, 2);	/* counted, none added */
	tt_int_op(organizer_attempts(e.db, "+14155550101", 1400, &tries), ==,
	    0);
	tt_int_op(tries, ==, 1);
	tt_int_op(organizer_lock(e.db, "+14155550101", 8600), ==, 0);
	tt_int_op(organizer_get(e.db, "+14155550101", &o), ==, 1);
	tt_int_op(o.locked_until, ==, 8600);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM organizer_attempts"),
	    ==, 0);
	/* a new PIN lifts the lock */
	tt_int_op(organizer_set_pin(e.db, "+14155550101", hash), ==, 0);
	tt_int_op(organizer_get(e.db, "+14155550101", &o), ==, 1);
	tt_int_op(o.locked_until, ==, 0);
	tt_int_op(organizer_set_pin(e.db, "+14155550109", hash), ==, 1);

	/* codes: hashed, per kind, used once, expiring */
	tt_int_op(organizer_pending_set(e.db, "+14155550101", "alert",
	    "482193", NULL, "Checkpoint", NULL, 700), ==, 0);
	tt_int_op(organizer_pending_set(e.db, "+14155550101", "wipe",
	    "555123", NULL, NULL, NULL, 400), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM organizer_pending WHERE "
	    "CAST(code_hash AS TEXT) LIKE '%%482193%%'"), ==, 0);
	tt_int_op(organizer_pending_wipe(e.db, "+14155550101", 300), ==, 1);
	tt_int_op(organizer_pending_wipe(e.db, "+14155550101", 400), ==, 0);
	tt_int_op(organizer_pending_take(e.db, "+14155550101", 0, "555123",
	    300, &p), ==, 0);	/* the wipe's code is no YES code */
	tt_int_op(organizer_pending_take(e.db, "+14155550102", 0, "482193",
	    300, &p), ==, 0);	/* another number */
	tt_int_op(organizer_pending_take(e.db, "+14155550101", 0, "482193",
	    700, &p), ==, 0);	/* expired */
	tt_int_op(organizer_pending_take(e.db, "+14155550101", 0, "482193",
	    300, &p), ==, 1);
	tt_str_op(p.kind, ==, "alert");
	tt_str_op(p.text, ==, "Checkpoint");
	tt_str_op(p.list, ==, "");
	organizer_pending_clear(&p);
	tt_int_op(organizer_pending_take(e.db, "+14155550101", 0, "482193",
	    300, &p), ==, 0);	/* used once */
	/* a new alert replaces an urgent one, not the wipe */
	tt_int_op(organizer_pending_set(e.db, "+14155550101", "urgent",
	    "111111", NULL, "a", NULL, 700), ==, 0);
	tt_int_op(organizer_pending_set(e.db, "+14155550101", "ask",
	    "222222", NULL, "b", "SAFE,HELP", 700), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM organizer_pending"),
	    ==, 2);
	tt_int_op(organizer_pending_take(e.db, "+14155550101", 0, "222222",
	    300, &p), ==, 1);
	tt_str_op(p.options, ==, "SAFE,HELP");
	organizer_pending_clear(&p);

	/* a secret reply expires with its code, and is blanked once sent */
	tt_int_op(organizer_reply(e.db, "+14155550101", "Reply YES 333333 to "
	    "send", 700, 100), ==, 0);
	tt_int_op(outbox_claim(e.db, "m1", 100, &it), ==, 1);
	tt_int_op(it.secret, ==, 1);
	tt_int_op(test_int(e.db, "SELECT expires_at FROM outbox WHERE id = "
	    "%lld", (long long)it.id), ==, 700);
	tt_str_op(it.text, ==, "Reply YES 333333 to send");
	tt_int_op(test_sent(e.db, it.id, 1, 101), ==, 0);
	tt_str_op(test_str(e.db, buf, sizeof buf, "SELECT text FROM outbox "
	    "WHERE id = %lld", (long long)it.id), ==, "");
	outbox_item_clear(&it);
	/* one the modems did not reach in time: expired, no text kept; an
	 * ordinary reply has no expiry */
	tt_int_op(organizer_reply(e.db, "+14155550101", "Reply YES 444444 to "
	    "send", 700, 100), ==, 0);
	tt_int_op(organizer_reply(e.db, "+14155550101", "Not accepted.", 0,
	    100), ==, 0);
	tt_int_op(outbox_expire(e.db, 700, &rec, &bid), ==, 0);
	tt_int_op(rec, ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE secret = 1 "
	    "AND state = 'expired' AND text = ''"), ==, 1);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE text LIKE "
	    "'%%444444%%'"), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM outbox WHERE text = "
	    "'Not accepted.' AND state = 'queued' AND expires_at IS NULL"), ==,
	    1);

	/* "done" to the organizer, once */
	memset(&bn, 0, sizeof bn);
	bn.text = "hello";
	bn.author = "Ana";
	bn.notify = "+14155550101";
	tt_int_op(broadcast_create(e.db, &bn, 100, &bid, &rec), ==, 0);
	tt_int_op(organizer_unnotified(e.db, ids, 4, &n), ==, 0);
	tt_int_op(n, ==, 1);	/* nobody to send to: done at once */
	tt_int_op(ids[0], ==, bid);
	tt_int_op(organizer_notified(e.db, bid), ==, 0);
	tt_int_op(organizer_unnotified(e.db, ids, 4, &n), ==, 0);
	tt_int_op(n, ==, 0);

	/* purge: expired codes and old attempts go */
	tt_int_op(organizer_purge(e.db, 800, 0, &rec), ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM organizer_pending"),
	    ==, 0);
	/* a removed organizer is told nothing more */
	tt_int_op(broadcast_create(e.db, &bn, 100, &bid, &rec), ==, 0);
	tt_int_op(organizer_unnotified(e.db, ids, 4, &n), ==, 0);
	tt_int_op(n, ==, 1);
	tt_int_op(organizer_remove(e.db, "+14155550101"), ==, 0);
	tt_int_op(organizer_unnotified(e.db, ids, 4, &n), ==, 0);
	tt_int_op(n, ==, 0);
	tt_int_op(test_int(e.db, "SELECT COUNT(*) FROM broadcasts WHERE id = "
	    "%lld AND notify IS NULL AND notified = 1", (long long)bid), ==, 1);
	tt_int_op(organizer_remove(e.db, "+14155550101"), ==, 1);
end:
	outbox_item_clear(&it);
	test_close(&e);
}

static const struct tt_case cases[] = {
	{ "balance/get_set", test_balance },
	{ "mark/rollback", test_mark_rollback },
	{ "forget/number", test_forget },
	{ "forget/confirm", test_forget_confirm },
	{ "forget/undecodable", test_forget_undecodable },
	{ "mark/add_has_del", test_mark },
	{ "inbox/part-duplicate", test_part_duplicate },
	{ "outbox/report", test_outbox_report },
	{ "outbox/report_clock_step", test_outbox_report_step },
	{ "broadcast/variants", test_broadcast_variants },
	{ "tx/nested", test_tx_nested },
	{ "open/create", test_open_create },
	{ "open/newer", test_open_newer },
	{ "open/errors", test_open_errors },
	{ "open/settings", test_open_settings },
	{ "open/busy", test_open_busy },
	{ "open/nocreate", test_open_nocreate },
	{ "open/atomic", test_open_atomic },
	{ "open/corrupt", test_open_corrupt },
	{ "open/data_version", test_open_data_version },
	{ "subscriber/join", test_sub_join },
	{ "subscriber/optout", test_sub_optout },
	{ "subscriber/optout_finishes", test_sub_optout_finishes },
	{ "subscriber/refused", test_sub_refused },
	{ "subscriber/optout_unknown", test_sub_optout_unknown },
	{ "subscriber/remove", test_sub_remove },
	{ "subscriber/foreach", test_sub_foreach },
	{ "subscriber/language", test_sub_language },
	{ "broadcast/create", test_bc_create },
	{ "broadcast/clock_step", test_bc_clock_step },
	{ "clock_step/stored", test_clock_step_stored },
	{ "clock_step/retry", test_clock_step_retry },
	{ "broadcast/empty_unknown", test_bc_empty_unknown },
	{ "broadcast/counts", test_bc_counts },
	{ "broadcast/cancel", test_bc_cancel },
	{ "broadcast/foreach", test_bc_foreach },
	{ "broadcast/large", test_bc_large },
	{ "outbox/priority", test_ob_priority },
	{ "outbox/claim_except", test_ob_claim_except },
	{ "outbox/forwards", test_ob_forwards },
	{ "outbox/forward-first", test_ob_forward_first },
	{ "poll/basics", test_poll },
	{ "subscriber/repeats", test_sub_repeats },
	{ "inbox/repeats", test_in_repeats },
	{ "outbox/due", test_ob_due },
	{ "outbox/optout_claim", test_ob_optout_claim },
	{ "outbox/one_per_number", test_ob_one_per_number },
	{ "outbox/all_skipped", test_ob_all_skipped },
	{ "outbox/expired", test_ob_expired },
	{ "outbox/transitions", test_ob_transitions },
	{ "outbox/recover", test_ob_recover },
	{ "outbox/count_since", test_ob_count_since },
	{ "outbox/text", test_ob_text },
	{ "inbox/add", test_in_add },
	{ "inbox/parts", test_in_parts },
	{ "inbox/parts_invalid", test_in_parts_invalid },
	{ "inbox/parts_expire", test_in_parts_expire },
	{ "inbox/parts_expire_fail", test_in_parts_expire_fail },
	{ "inbox/parts_ucs2", test_in_parts_ucs2 },
	{ "retain/purge", test_retain },
	{ "organizer", test_organizer },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
