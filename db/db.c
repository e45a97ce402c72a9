/*
 * db/db.c — opening the store, migrations, transactions, the statement
 * cache and settings.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "compat.h"
#include "db_int.h"

/*
 * Ordered migrations: migration i takes the schema from version i to
 * i + 1.  Append only; never edit one that has shipped.  States are
 * stored as fixed strings, never as enum ordinals.
 */
static const char *db_migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);"
	"CREATE TABLE lists ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL);"
	"INSERT INTO lists (id, name, created_at) VALUES (1, 'default', 0);"
	"CREATE TABLE subscribers ("
	"  id INTEGER PRIMARY KEY,"
	"  phone TEXT NOT NULL UNIQUE,"
	"  status TEXT NOT NULL CHECK (status IN ('active', 'opted-out')),"
	"  language TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE TABLE memberships ("
	"  subscriber_id INTEGER NOT NULL REFERENCES subscribers(id)"
	"    ON DELETE CASCADE,"
	"  list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,"
	"  joined_at INTEGER NOT NULL,"
	"  PRIMARY KEY (list_id, subscriber_id)) WITHOUT ROWID;"
	"CREATE INDEX memberships_subscriber ON memberships(subscriber_id);"
	"CREATE TABLE consent_events ("
	"  id INTEGER PRIMARY KEY,"
	"  phone TEXT NOT NULL,"
	"  event TEXT NOT NULL CHECK (event IN ('opt-in', 'opt-out',"
	"    'removed', 'language')),"
	"  list TEXT,"
	"  keyword TEXT,"
	"  text TEXT,"
	"  source TEXT NOT NULL,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX consent_events_phone ON consent_events(phone, at);"
	"CREATE TABLE inbox ("
	"  id INTEGER PRIMARY KEY,"
	"  phone TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  modem TEXT,"
	"  keyword TEXT,"
	"  flags TEXT NOT NULL DEFAULT '',"
	"  handled INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE inbound_parts ("
	"  id INTEGER PRIMARY KEY,"
	"  phone TEXT NOT NULL,"
	"  ref INTEGER NOT NULL,"
	"  parts INTEGER NOT NULL,"
	"  part INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  modem TEXT,"
	"  UNIQUE (phone, ref, parts, part));"
	"CREATE TABLE broadcasts ("
	"  id INTEGER PRIMARY KEY,"
	"  text TEXT NOT NULL,"
	"  list_id INTEGER NOT NULL REFERENCES lists(id),"
	"  priority INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'done',"
	"    'cancelled')),"
	"  created_at INTEGER NOT NULL,"
	"  scheduled_at INTEGER NOT NULL,"
	"  expires_at INTEGER,"
	"  recipients INTEGER NOT NULL DEFAULT 0,"
	"  encoding TEXT,"
	"  segments INTEGER);"
	"CREATE TABLE broadcast_variants ("
	"  broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id),"
	"  language TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  PRIMARY KEY (broadcast_id, language)) WITHOUT ROWID;"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  broadcast_id INTEGER REFERENCES broadcasts(id),"
	"  phone TEXT NOT NULL,"
	"  text TEXT,"
	"  kind TEXT NOT NULL CHECK (kind IN ('alert', 'reply', 'system',"
	"    'forward')),"
	"  priority INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent',"
	"    'delivered', 'failed', 'expired', 'skipped', 'cancelled')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  expires_at INTEGER,"
	"  modem TEXT,"
	"  mr INTEGER,"
	"  error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX outbox_claim ON outbox(state, priority DESC, id);"
	"CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"
	"CREATE INDEX outbox_broadcast ON outbox(broadcast_id, state);"
	"CREATE INDEX outbox_phone ON outbox(phone, state);",
	/* 1 -> 2: segments per message (caps count segments) and the
	 * message reference of every part sent (delivery reports) */
	"ALTER TABLE outbox ADD COLUMN segments INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX outbox_modem ON outbox(modem, updated_at);"
	"CREATE TABLE outbox_parts ("
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,"
	"  part INTEGER NOT NULL,"
	"  modem TEXT NOT NULL,"
	"  mr INTEGER NOT NULL,"
	"  phone TEXT NOT NULL,"
	"  sent_at INTEGER NOT NULL,"
	"  status INTEGER,"
	"  PRIMARY KEY (outbox_id, part)) WITHOUT ROWID;"
	"CREATE INDEX outbox_parts_mr ON outbox_parts(modem, mr, sent_at);"
	"CREATE INDEX outbox_expiry ON outbox(expires_at) "
	"  WHERE state = 'queued' AND expires_at IS NOT NULL;",
	/* 2 -> 3: the parts of completed messages, kept a day, so a part
	 * the network delivers twice is recognised, not a new message */
	"CREATE TABLE inbound_done ("
	"  phone TEXT NOT NULL,"
	"  ref INTEGER NOT NULL,"
	"  parts INTEGER NOT NULL,"
	"  part INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  done_at INTEGER NOT NULL,"
	"  PRIMARY KEY (phone, ref, parts, part)) WITHOUT ROWID;",
	/* 3 -> 4: the UTF-16 octets of a UCS-2 part, so that a surrogate
	 * pair split between two parts is joined before decoding */
	"ALTER TABLE inbound_parts ADD COLUMN ucs2 BLOB;"
	"ALTER TABLE inbound_done ADD COLUMN ucs2 BLOB;",
	/* 4 -> 5: floods are counted, not stored one by one: a consent
	 * event that changed nothing and an inbox text identical to the
	 * sender's previous one, within an hour, add to the row before
	 * (repeats, last_at); a forward names the number it comes from, so
	 * forwards are limited per source */
	"ALTER TABLE consent_events ADD COLUMN repeats INTEGER NOT NULL "
	"  DEFAULT 0;"
	"ALTER TABLE consent_events ADD COLUMN last_at INTEGER;"
	"ALTER TABLE inbox ADD COLUMN repeats INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE inbox ADD COLUMN last_at INTEGER;"
	"CREATE INDEX inbox_phone ON inbox(phone, id);"
	"ALTER TABLE outbox ADD COLUMN source TEXT;"
	"CREATE INDEX outbox_source ON outbox(source, created_at) "
	"  WHERE source IS NOT NULL;",
	/* 5 -> 6: numbers that asked not to be contacted, kept as keyed
	 * hashes (mark.c) once the number itself is forgotten */
	"CREATE TABLE optout_marks ("
	"  mark BLOB PRIMARY KEY,"
	"  at INTEGER NOT NULL) WITHOUT ROWID;",
	/* 6 -> 7: the credit watch (balance.c): the last balance of each SIM
	 * (keyed by IMSI, else "modem:NAME"), whether organizers were told it
	 * is low, and since when its sends fail for lack of credit */
	"CREATE TABLE balances ("
	"  sim TEXT PRIMARY KEY,"
	"  modem TEXT NOT NULL,"
	"  amount REAL,"
	"  text TEXT,"
	"  checked_at INTEGER,"
	"  low INTEGER NOT NULL DEFAULT 0,"
	"  no_credit_at INTEGER NOT NULL DEFAULT 0);",
	/* 7 -> 8: outbox rows deleted (retention, a member forgotten) leave
	 * their count on the broadcast, one column per outbox state, added
	 * to the live rows' counts */
	"ALTER TABLE broadcasts ADD COLUMN gone_queued INTEGER NOT NULL "
	"  DEFAULT 0;"
	"ALTER TABLE broadcasts ADD COLUMN gone_sending INTEGER NOT NULL "
	"  DEFAULT 0;"
	"ALTER TABLE broadcasts ADD COLUMN gone_sent INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE broadcasts ADD COLUMN gone_delivered INTEGER NOT NULL "
	"  DEFAULT 0;"
	"ALTER TABLE broadcasts ADD COLUMN gone_failed INTEGER NOT NULL "
	"  DEFAULT 0;"
	"ALTER TABLE broadcasts ADD COLUMN gone_expired INTEGER NOT NULL "
	"  DEFAULT 0;"
	"ALTER TABLE broadcasts ADD COLUMN gone_skipped INTEGER NOT NULL "
	"  DEFAULT 0;"
	"ALTER TABLE broadcasts ADD COLUMN gone_cancelled INTEGER NOT NULL "
	"  DEFAULT 0;",
	/* 8 -> 9: where "tambuli backup" wrote its snapshots (absolute
	 * paths), so "tambuli wipe" can destroy them too */
	"CREATE TABLE backups ("
	"  path TEXT PRIMARY KEY,"
	"  made_at INTEGER NOT NULL);",
	/* 9 -> 10: polls (send --ask): a broadcast's options, which of them
	 * are forwarded to the organizers, when answers are taken; and one
	 * answer per member per poll, the latest */
	"CREATE TABLE polls ("
	"  broadcast_id INTEGER PRIMARY KEY REFERENCES broadcasts(id),"
	"  options TEXT NOT NULL,"
	"  alert_on TEXT NOT NULL DEFAULT '',"
	"  opens_at INTEGER NOT NULL,"
	"  closes_at INTEGER NOT NULL);"
	"CREATE INDEX polls_closes ON polls(closes_at);"
	"CREATE TABLE poll_answers ("
	"  broadcast_id INTEGER NOT NULL REFERENCES polls(broadcast_id),"
	"  phone TEXT NOT NULL,"
	"  option TEXT NOT NULL,"
	"  text TEXT,"
	"  answered_at INTEGER NOT NULL,"
	"  PRIMARY KEY (broadcast_id, phone)) WITHOUT ROWID;",
	/* 10 -> 11: organizers' phones (organizer.c): the registered
	 * numbers with their PIN hashes and lock-outs, wrong PINs counted,
	 * commands waiting for their confirmation code (hashed); who wrote
	 * a broadcast and whom to tell when it is done; replies whose text
	 * is blanked once sent (they carry a code) */
	"CREATE TABLE organizers ("
	"  number TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  pin_hash TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  locked_until INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE organizer_attempts ("
	"  number TEXT NOT NULL,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX organizer_attempts_number ON organizer_attempts(number, at);"
	"CREATE TABLE organizer_pending ("
	"  number TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('alert', 'urgent', 'ask',"
	"    'wipe')),"
	"  code_hash BLOB NOT NULL,"
	"  list TEXT,"
	"  text TEXT,"
	"  options TEXT,"
	"  expires_at INTEGER NOT NULL,"
	"  PRIMARY KEY (number, kind)) WITHOUT ROWID;"
	"ALTER TABLE broadcasts ADD COLUMN author TEXT;"
	"ALTER TABLE broadcasts ADD COLUMN notify TEXT;"
	"ALTER TABLE broadcasts ADD COLUMN notified INTEGER NOT NULL "
	"  DEFAULT 0;"
	"CREATE INDEX broadcasts_notify ON broadcasts(id) "
	"  WHERE notify IS NOT NULL AND notified = 0;"
	"ALTER TABLE outbox ADD COLUMN secret INTEGER NOT NULL DEFAULT 0;"
	/* joined parts are kept as keyed digests from now on (inbox.c):
	 * the words of the last day go (a part repeated in the next day
	 * may then be taken as a new message: a duplicate at worst) */
	"DELETE FROM inbound_done;",
};

#define DB_NMIGRATIONS	(sizeof db_migrations / sizeof db_migrations[0])

const char *
db_error(const struct db *db)
{
	return db->err;
}

int
db_busy(const struct db *db)
{
	return db->busy;
}

int
db_corrupt(const struct db *db)
{
	return db->corrupt;
}

void
db_on_corrupt(struct db *db, void (*cb)(struct db *, void *), void *arg)
{
	db->corrupt_cb = cb;
	db->corrupt_arg = arg;
}

/*
 * Every failure passes here (or through db_exec): a damaged file is
 * recognised whichever statement met it, recorded, and reported once to
 * the owner of the handle (the daemon stops: going on would loop on the
 * same page, or write over what a restore could save).
 */
static void
db_note(struct db *db, int code)
{
	code &= 0xff;
	if (code != SQLITE_CORRUPT && code != SQLITE_NOTADB)
		return;
	if (db->corrupt)
		return;
	db->corrupt = 1;
	if (db->corrupt_cb != NULL)
		db->corrupt_cb(db, db->corrupt_arg);
}

int
db_fail(struct db *db, const char *what)
{
	int	code = sqlite3_errcode(db->h);

	db->busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
	if ((code & 0xff) == SQLITE_FULL)
		db->full = 1;
	snprintf(db->err, sizeof db->err, "%s: %s", what,
	    db->busy ? "the database is busy (another writer)" :
	    sqlite3_errmsg(db->h));
	db_note(db, code);
	return -1;
}

int
db_failf(struct db *db, const char *fmt, ...)
{
	va_list	ap;

	db->busy = 0;
	va_start(ap, fmt);
	vsnprintf(db->err, sizeof db->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* A cached statement, reset and unbound, ready to bind. */
sqlite3_stmt *
db_stmt(struct db *db, enum db_stmt_id id, const char *sql)
{
	sqlite3_stmt	*s = db->stmt[id];

	if (s == NULL) {
		if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
		    &s, NULL) != SQLITE_OK) {
			db_fail(db, "prepare");
			return NULL;
		}
		db->stmt[id] = s;
		return s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/* Step a statement that returns no rows. */
int
db_step_done(struct db *db, sqlite3_stmt *s, const char *what)
{
	int	rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, what);
	return 0;
}

void
db_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

const char *
db_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char	*t = sqlite3_column_text(s, i);

	return t != NULL ? (const char *)t : "";
}

static int
db_exec(struct db *db, const char *sql, const char *what)
{
	char	*msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		db->busy = sqlite3_errcode(db->h) == SQLITE_BUSY;
		snprintf(db->err, sizeof db->err, "%s: %s", what,
		    msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		db_note(db, sqlite3_errcode(db->h));
		return -1;
	}
	return 0;
}

/*
 * A write met a full disk.  The write-ahead log only grows until a
 * checkpoint copies it into the database (SQLite's own comes at 1000
 * pages, 4 MB: more than a small disk's last free space); once copied,
 * the next transaction writes over the log from its start, in space the
 * file already has, unless the copy itself needs the database file to
 * grow.  Passive: it never waits for a reader.  Its own failure changes
 * nothing (the next failing write tries again).
 */
static void
db_full_checkpoint(struct db *db)
{
	char	saved[sizeof db->err];

	db->full = 0;
	memcpy(saved, db->err, sizeof saved);
	(void)sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    NULL, NULL);
	memcpy(db->err, saved, sizeof saved);
}

/*
 * Transactions nest: the outermost is BEGIN IMMEDIATE (taking the write
 * lock at once: no read-to-write upgrade SQLITE_BUSY halfway through),
 * inner ones are savepoints, so a caller can group many single-change
 * functions (an import) into one transaction and one fsync, and an inner
 * rollback undoes only its own part.
 */
int
db_begin(struct db *db)
{
	sqlite3_stmt	*s;
	char		 sql[32];

	/* a write outside a transaction met the full disk */
	if (db->in_tx == 0 && db->full)
		db_full_checkpoint(db);
	if (db->in_tx > 0) {
		snprintf(sql, sizeof sql, "SAVEPOINT s%d", db->in_tx);
		if (db_exec(db, sql, "begin") == -1)
			return -1;
		db->in_tx++;
		return 0;
	}
	if ((s = db_stmt(db, DB_ST_BEGIN, "BEGIN IMMEDIATE")) == NULL)
		return -1;
	if (db_step_done(db, s, "begin") == -1)
		return -1;
	db->in_tx = 1;
	return 0;
}

int
db_commit(struct db *db)
{
	sqlite3_stmt	*s;
	char		 sql[32];

	if (db->in_tx > 1) {
		db->in_tx--;
		snprintf(sql, sizeof sql, "RELEASE s%d", db->in_tx);
		return db_exec(db, sql, "commit");
	}
	if ((s = db_stmt(db, DB_ST_COMMIT, "COMMIT")) == NULL)
		return -1;
	if (db_step_done(db, s, "commit") == -1) {
		db_rollback(db);
		return -1;
	}
	db->in_tx = 0;
	db->mark_key_tx = 0;
	return 0;
}

void
db_rollback(struct db *db)
{
	sqlite3_stmt	*s;
	char		 saved[sizeof db->err], sql[48];

	memcpy(saved, db->err, sizeof saved);
	/* a marker key read or made in what is undone must be read again */
	if (db->mark_key_tx) {
		db->mark_key_ok = 0;
		db->mark_key_tx = 0;
	}
	if (db->in_tx > 1) {
		db->in_tx--;
		snprintf(sql, sizeof sql, "ROLLBACK TO s%d; RELEASE s%d",
		    db->in_tx, db->in_tx);
		(void)db_exec(db, sql, "rollback");
		memcpy(db->err, saved, sizeof saved);
		return;
	}
	if (db->in_tx == 0 && sqlite3_get_autocommit(db->h))
		return;
	if ((s = db_stmt(db, DB_ST_ROLLBACK, "ROLLBACK")) != NULL)
		(void)db_step_done(db, s, "rollback");
	memcpy(db->err, saved, sizeof saved);
	db->in_tx = 0;
	if (db->full)
		db_full_checkpoint(db);
}

static int
db_user_version(struct db *db, int *v)
{
	sqlite3_stmt	*s;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK)
		return db_fail(db, "user_version");
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return db_fail(db, "user_version");
	}
	*v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

/* The schema version of a database file, or -1. */
static int
db_file_version(const char *path)
{
	sqlite3		*h = NULL;
	sqlite3_stmt	*s;
	int		 v = -1;

	if (access(path, F_OK) == -1)
		return -1;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK && sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &s,
	    NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	return v;
}

/*
 * Before migrating from version v: a snapshot at "<db>.pre-v<new>", so an
 * upgrade that goes wrong can be undone (README "Upgrades").  -1 (and no
 * migration) when it cannot be written: the disk is full, say.
 */
static int
db_pre_migration_backup(struct db *db, int v)
{
	const char	*path = sqlite3_db_filename(db->h, "main");
	char		*dst, *cause;
	int		 rc = 0;

	if (path == NULL || *path == '\0')
		return 0;	/* in memory */
	xasprintf(&dst, "%s.pre-v%d", path, DB_SCHEMA_VERSION);
	/* one there already, of this same version: an earlier attempt at
	 * this upgrade made it (one of another version is stale: replaced) */
	if (db_file_version(dst) == v) {
		free(dst);
		return 0;
	}
	if (backup_write(db->h, path, dst, &cause) == -1) {
		rc = db_failf(db, "not migrating from schema version %d to %d: "
		    "the backup before it failed: %s", v, DB_SCHEMA_VERSION,
		    cause);
		free(cause);
	}
	free(dst);
	return rc;
}

static int
db_migrate(struct db *db)
{
	char	sql[64];
	int	v;
	size_t	i;

	if (db_user_version(db, &v) == -1)
		return -1;
	if (v == DB_SCHEMA_VERSION)
		return 0;
	/* an upgrade keeps the database as it was, beside it, before
	 * touching it (a backup cannot be read inside our own write
	 * transaction, so it comes first) */
	if (v > 0 && v < DB_SCHEMA_VERSION &&
	    db_pre_migration_backup(db, v) == -1)
		return -1;
	/* the version is read again under the write lock: a CLI and the
	 * daemon opening a new database at once must not both migrate */
	if (db_exec(db, "BEGIN IMMEDIATE", "migration") == -1)
		return -1;
	if (db_user_version(db, &v) == -1)
		goto fail;
	if (v > DB_SCHEMA_VERSION) {
		db_exec(db, "ROLLBACK", "rollback");
		return db_failf(db, "the database has schema version %d, newer "
		    "than this tambuli (version %d): upgrade tambuli, or use "
		    "the database with the version that wrote it", v,
		    DB_SCHEMA_VERSION);
	}
	for (i = (size_t)v; i < DB_NMIGRATIONS; i++) {
		if (db_exec(db, db_migrations[i], "migration") == -1)
			goto fail;
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
	    DB_SCHEMA_VERSION);
	if (db_exec(db, sql, "migration") == -1 ||
	    db_exec(db, "COMMIT", "migration") == -1)
		goto fail;
	return 0;
fail:
	db_exec(db, "ROLLBACK", "rollback");
	return -1;
}

/*
 * WAL: readers never block the writer.  synchronous=FULL: a commit is on
 * disk before it returns, so "accepted" survives a power cut (NORMAL
 * could lose the last transactions).  secure_delete: deleted numbers and
 * texts are overwritten.
 */
static int
db_empty(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && st.st_size == 0;
}

static struct db *
db_handle(const char *path, int flags, int *status, char **cause)
{
	struct db	*db;
	int		 rc, v;

	db = xcalloc(1, sizeof *db);
	rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		xasprintf(cause, "%s: %s", path, db->h ?
		    sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		db_close(db);
		return NULL;
	}
	/* opening and migrating may wait for another process doing the
	 * same; the caller's short timeout applies from then on */
	sqlite3_busy_timeout(db->h, 10000);
	sqlite3_extended_result_codes(db->h, 0);
	if (mark_digest_register(db) == -1) {
		xasprintf(cause, "%s: %s", path, db->err);
		db_close(db);
		return NULL;
	}
	/* an empty file is no database: only a creator may lay one out
	 * (checked before the pragmas, which would write a header) */
	if (db_user_version(db, &v) == -1)
		goto fail;
	if (v == 0 && !(flags & DB_OPEN_CREATE)) {
		db_close(db);
		*status = DB_OPEN_MISSING;
		xasprintf(cause, "no database at %s (%s)", path,
		    db_empty(path) ? "an empty file" : "not a tambuli database");
		return NULL;
	}
	if (db_exec(db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA secure_delete = ON;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA temp_store = MEMORY;", "open") == -1)
		goto fail;
	if (v == 0)
		*status = DB_OPEN_CREATED;
	/* only the daemon upgrades (with a backup first): a CLI of a newer
	 * version must not change the schema under an older daemon */
	if (v > 0 && v < DB_SCHEMA_VERSION && !(flags & DB_OPEN_CREATE)) {
		db_failf(db, "the database has schema version %d and this "
		    "tambuli uses %d: restart tambulid, which upgrades it (a "
		    "backup of it is kept first)", v, DB_SCHEMA_VERSION);
		goto fail;
	}
	if (db_migrate(db) == -1)
		goto fail;
	return db;
fail:
	xasprintf(cause, "%s: %s", path, db->err);
	*status = db->corrupt ? DB_OPEN_CORRUPT : DB_OPEN_FAILED;
	db_close(db);
	return NULL;
}

static int
db_fsync_path(const char *path, int dir)
{
	int	fd, rc;

	if ((fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) |
	    O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * Make a new database at path: laid out and migrated at a temporary name
 * beside it, synced, then renamed into place, so nothing ever opens a
 * half-made database (a CLI refuses an empty one and never creates).
 */
static int
db_create(const char *path, char **cause)
{
	struct db	*db;
	char		*tmp, *dir, *p;
	struct stat	 st;
	int		 fd, rc = -1, st_dummy;

	xasprintf(&tmp, "%s-wal", path);
	if (stat(tmp, &st) == 0) {
		xasprintf(cause, "%s: no database but its write-ahead log %s "
		    "is there: the database was removed or moved without it; "
		    "restore the database (see the README), or remove %s and "
		    "%s-shm to start with an empty one", path, tmp, tmp, path);
		free(tmp);
		return -1;
	}
	free(tmp);
	xasprintf(&tmp, "%s.new-%ld", path, (long)getpid());
	unlink(tmp);
	/* created 0600 here: SQLite would use the umask */
	if ((fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	if ((db = db_handle(tmp, DB_OPEN_CREATE, &st_dummy, cause)) == NULL)
		goto out;
	db_close(db);	/* the last connection: checkpointed, WAL removed */
	if (db_fsync_path(tmp, 0) == -1 || rename(tmp, path) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	dir = xstrdup(path);
	if ((p = strrchr(dir, '/')) == NULL)
		strlcpy(dir, ".", 2);
	else if (p == dir)
		p[1] = '\0';
	else
		*p = '\0';
	(void)db_fsync_path(dir, 1);
	free(dir);
	rc = 0;
out:
	if (rc == -1) {
		unlink(tmp);
		p = NULL;
		xasprintf(&p, "%s-wal", tmp);
		unlink(p);
		free(p);
		xasprintf(&p, "%s-shm", tmp);
		unlink(p);
		free(p);
	}
	free(tmp);
	return rc;
}

/*
 * PRAGMA quick_check: every page of every table and index readable and
 * well formed (not the cross-checks of integrity_check).
 */
static int
db_quick_check(struct db *db)
{
	sqlite3_stmt	*s;
	const char	*r;
	char		*p;
	int		 rc;

	if (sqlite3_prepare_v2(db->h, "PRAGMA quick_check(1)", -1, &s,
	    NULL) != SQLITE_OK)
		return db_fail(db, "quick_check");
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return db_fail(db, "quick_check");
	}
	r = db_col_text(s, 0);
	if (strcmp(r, "ok") != 0) {
		/* "*** in database main ***\nPage 17: ...": one line */
		db_failf(db, "quick_check: %s", r);
		for (p = db->err; *p != '\0'; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		sqlite3_finalize(s);
		db->corrupt = 1;
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

struct db *
db_open_mode(const char *path, int busy_ms, int flags, int *status,
    char **cause)
{
	struct db	*db;
	struct stat	 st;
	int		 created = 0, dummy;

	if (status == NULL)
		status = &dummy;
	*status = DB_OPEN_OK;
	if (sodium_init() == -1) {	/* idempotent */
		*status = DB_OPEN_FAILED;
		xasprintf(cause, "libsodium could not be initialized");
		return NULL;
	}
	if (stat(path, &st) == -1) {
		if (errno != ENOENT) {
			*status = DB_OPEN_FAILED;
			xasprintf(cause, "%s: %s", path, strerror(errno));
			return NULL;
		}
		if (!(flags & DB_OPEN_CREATE)) {
			*status = DB_OPEN_MISSING;
			xasprintf(cause, "no database at %s", path);
			return NULL;
		}
		if (db_create(path, cause) == -1) {
			*status = DB_OPEN_FAILED;
			return NULL;
		}
		created = 1;
	}
	if ((db = db_handle(path, flags, status, cause)) == NULL)
		return NULL;
	if ((flags & DB_OPEN_CHECK) && db_quick_check(db) == -1) {
		*status = db->corrupt ? DB_OPEN_CORRUPT : DB_OPEN_FAILED;
		xasprintf(cause, "%s: %s", path, db->err);
		db_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db->h, busy_ms);
	if (created)
		*status = DB_OPEN_CREATED;
	return db;
}

struct db *
db_open(const char *path, int busy_ms, char **cause)
{
	return db_open_mode(path, busy_ms, DB_OPEN_CREATE, NULL, cause);
}

int
db_data_version(struct db *db, int64_t *v)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_DATA_VERSION, "PRAGMA data_version")) ==
	    NULL)
		return -1;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(db, "data_version");
	}
	*v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

void
db_close(struct db *db)
{
	size_t	i;

	if (db == NULL)
		return;
	for (i = 0; i < DB_ST_MAX; i++)
		sqlite3_finalize(db->stmt[i]);
	sqlite3_close(db->h);
	free(db);
}

int
db_setting_get(struct db *db, const char *key, char *out, size_t len)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_SETTING_GET,
	    "SELECT value FROM settings WHERE key = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		strlcpy(out, db_col_text(s, 0), len);
		sqlite3_reset(s);
		return 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(db, "setting");
	return 0;
}

int
db_setting_set(struct db *db, const char *key, const char *value)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_SETTING_SET,
	    "INSERT INTO settings (key, value) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) == NULL)
		return -1;
	db_bind_text(s, 1, key);
	db_bind_text(s, 2, value);
	return db_step_done(db, s, "setting");
}

/* The id of a list by name (NULL: the default list), 0 if none. */
int64_t
db_list_id(struct db *db, const char *name)
{
	sqlite3_stmt	*s;
	int64_t		 id = 0;

	if (name == NULL || *name == '\0')
		return 1;
	if ((s = db_stmt(db, DB_ST_LIST_ID,
	    "SELECT id FROM lists WHERE name = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, name);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return id;
}

/*
 * The newest time recorded anywhere in the store (0 when empty): a system
 * clock behind it has gone backwards (a Pi booting without a network
 * clock).
 */
int
db_latest_time(struct db *db, int64_t *t)
{
	sqlite3_stmt	*s;
	int		 rc;

	*t = 0;
	if ((s = db_stmt(db, DB_ST_LATEST_TIME,
	    "SELECT max(t) FROM ("
	    "  SELECT max(updated_at) AS t FROM subscribers"
	    "  UNION ALL SELECT max(at) FROM consent_events"
	    "  UNION ALL SELECT max(received_at) FROM inbox"
	    "  UNION ALL SELECT max(created_at) FROM broadcasts"
	    "  UNION ALL SELECT max(updated_at) FROM outbox)")) == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*t = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : db_fail(db, "latest time");
}
