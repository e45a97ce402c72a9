/*
 * db/organizer.c — organizers' phones: the registered numbers and their
 * PIN hashes, wrong PINs counted, lock-outs, commands waiting for their
 * confirmation code, the broadcasts they started.
 *
 * A PIN is hashed with Argon2id (libsodium's crypto_pwhash_str, a random
 * salt in the string).  A PIN has at most 10^8 values, so no hash keeps
 * a stolen database from giving it up for long: the hash only slows that
 * down; the lock-out after three wrong PINs and the code sent back to the
 * real number are the defence on the air.  The memory limit is 16 MiB,
 * not libsodium's interactive 64 MiB: a Pi Zero 2 W has 512 MB for
 * everything, and the daemon checks a PIN on a worker thread while the
 * modems keep sending.
 *
 * A confirmation code is kept as a keyed BLAKE2b hash (mark.c's
 * per-database key) of the number, the kind and the code, only until it
 * is used or expires.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "db_int.h"

#define ORGANIZER_OPSLIMIT	crypto_pwhash_OPSLIMIT_INTERACTIVE
#define ORGANIZER_MEMLIMIT	(16u * 1024 * 1024)

_Static_assert(ORGANIZER_HASH_MAX >= crypto_pwhash_STRBYTES,
    "ORGANIZER_HASH_MAX is too small for crypto_pwhash_str");
_Static_assert(ORGANIZER_MEMLIMIT >= crypto_pwhash_MEMLIMIT_MIN,
    "memory limit below libsodium's minimum");

int
organizer_pin_valid(const char *pin)
{
	size_t	n = strlen(pin);

	if (n < ORGANIZER_PIN_MIN || n > ORGANIZER_PIN_MAX)
		return 0;
	return strspn(pin, "0123456789") == n;
}

int
organizer_pin_hash(const char *pin, char out[ORGANIZER_HASH_MAX])
{
	if (sodium_init() == -1)
		return -1;
	return crypto_pwhash_str(out, pin, strlen(pin), ORGANIZER_OPSLIMIT,
	    ORGANIZER_MEMLIMIT) == 0 ? 0 : -1;
}

int
organizer_pin_check(const char *hash, const char *pin)
{
	return crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}

int
organizer_add(struct db *db, const char *number, const char *name,
    const char *hash, int64_t now)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_ORG_ADD,
	    "INSERT INTO organizers (number, name, pin_hash, created_at) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (number) DO NOTHING")) == NULL)
		return -1;
	db_bind_text(s, 1, number);
	db_bind_text(s, 2, name);
	db_bind_text(s, 3, hash);
	sqlite3_bind_int64(s, 4, now);
	if (db_step_done(db, s, "organizer") == -1)
		return -1;
	return sqlite3_changes(db->h) == 0;
}

/* The number's attempts and pending commands go. */
static int
organizer_forget_state(struct db *db, const char *number)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_ORG_DEL_ATT,
	    "DELETE FROM organizer_attempts WHERE number = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, number);
	if (db_step_done(db, s, "organizer attempts") == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_ORG_DEL_PEND,
	    "DELETE FROM organizer_pending WHERE number = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, number);
	return db_step_done(db, s, "organizer pending");
}

int
organizer_set_pin(struct db *db, const char *number, const char *hash)
{
	sqlite3_stmt	*s;
	int		 n;

	if (db_begin(db) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_ORG_PIN,
	    "UPDATE organizers SET pin_hash = ?2, locked_until = 0 "
	    "WHERE number = ?1")) == NULL)
		goto fail;
	db_bind_text(s, 1, number);
	db_bind_text(s, 2, hash);
	if (db_step_done(db, s, "organizer PIN") == -1)
		goto fail;
	if ((n = sqlite3_changes(db->h)) == 0) {
		db_rollback(db);
		return 1;
	}
	if (organizer_forget_state(db, number) == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
organizer_remove(struct db *db, const char *number)
{
	sqlite3_stmt	*s;

	if (db_begin(db) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_ORG_DEL,
	    "DELETE FROM organizers WHERE number = ?1")) == NULL)
		goto fail;
	db_bind_text(s, 1, number);
	if (db_step_done(db, s, "organizer") == -1)
		goto fail;
	if (sqlite3_changes(db->h) == 0) {
		db_rollback(db);
		return 1;
	}
	if (organizer_forget_state(db, number) == -1)
		goto fail;
	/* no "Broadcast N done" to a phone no longer an organizer's */
	if ((s = db_stmt(db, DB_ST_ORG_DEL_NOTIFY,
	    "UPDATE broadcasts SET notify = NULL, notified = 1 WHERE notify = "
	    "?1 AND notified = 0")) == NULL)
		goto fail;
	db_bind_text(s, 1, number);
	if (db_step_done(db, s, "organizer broadcasts") == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

static void
organizer_row(sqlite3_stmt *s, struct organizer *o)
{
	memset(o, 0, sizeof *o);
	strlcpy(o->number, db_col_text(s, 0), sizeof o->number);
	strlcpy(o->name, db_col_text(s, 1), sizeof o->name);
	strlcpy(o->pin_hash, db_col_text(s, 2), sizeof o->pin_hash);
	o->created_at = sqlite3_column_int64(s, 3);
	o->locked_until = sqlite3_column_int64(s, 4);
}

int
organizer_get(struct db *db, const char *number, struct organizer *o)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_ORG_GET,
	    "SELECT number, name, pin_hash, created_at, locked_until "
	    "FROM organizers WHERE number = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, number);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		organizer_row(s, o);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_fail(db, "organizer");
	return 0;
}

int
organizer_foreach(struct db *db, int (*cb)(const struct organizer *, void *),
    void *arg)
{
	sqlite3_stmt	*s;
	struct organizer *v = NULL;
	size_t		 n = 0, cap = 0, i;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_ORG_ALL,
	    "SELECT number, name, pin_hash, created_at, locked_until "
	    "FROM organizers ORDER BY number")) == NULL)
		return -1;
	/* collected first: the callback may use the database */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof *v);
		}
		organizer_row(s, &v[n++]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(v);
		return db_fail(db, "organizers");
	}
	rc = 0;
	for (i = 0; i < n && rc == 0; i++)
		rc = cb(&v[i], arg);
	sodium_memzero(v, n * sizeof *v);
	free(v);
	return rc;
}

int
organizer_attempt(struct db *db, const char *number, int64_t now,
    int64_t since, long *n)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_ORG_ATT_ADD,
	    "INSERT INTO organizer_attempts (number, at) VALUES (?1, ?2)"))
	    == NULL)
		return -1;
	db_bind_text(s, 1, number);
	sqlite3_bind_int64(s, 2, now);
	if (db_step_done(db, s, "organizer attempt") == -1)
		return -1;
	return organizer_attempts(db, number, since, n);
}

int
organizer_attempts(struct db *db, const char *number, int64_t since,
    long *n)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_ORG_ATT_COUNT,
	    "SELECT COUNT(*) FROM organizer_attempts WHERE number = ?1 AND "
	    "at >= ?2")) == NULL)
		return -1;
	db_bind_text(s, 1, number);
	sqlite3_bind_int64(s, 2, since);
	rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return db_fail(db, "organizer attempts");
	return 0;
}

int
organizer_lock(struct db *db, const char *number, int64_t until)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_ORG_LOCK,
	    "UPDATE organizers SET locked_until = ?2 WHERE number = ?1")) ==
	    NULL)
		return -1;
	db_bind_text(s, 1, number);
	sqlite3_bind_int64(s, 2, until);
	if (db_step_done(db, s, "organizer lock") == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_ORG_DEL_ATT,
	    "DELETE FROM organizer_attempts WHERE number = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, number);
	return db_step_done(db, s, "organizer attempts");
}

/* The keyed hash of a code: number, wipe or not, code. */
static int
organizer_code_hash(struct db *db, const char *number, int wipe,
    const char *code, unsigned char out[MARK_LEN])
{
	char	buf[96];

	snprintf(buf, sizeof buf, "code:%s:%s:%s", number, wipe ? "wipe" :
	    "send", code);
	if (mark_of(db, buf, out) == -1) {
		sodium_memzero(buf, sizeof buf);
		return -1;
	}
	sodium_memzero(buf, sizeof buf);
	return 0;
}

void
organizer_pending_clear(struct organizer_pending *p)
{
	free(p->text);
	free(p->options);
	p->text = p->options = NULL;
}

int
organizer_pending_set(struct db *db, const char *number, const char *kind,
    const char *code, const char *list, const char *text,
    const char *options, int64_t expires_at)
{
	unsigned char	 h[MARK_LEN];
	sqlite3_stmt	*s;
	int		 wipe = strcmp(kind, ORGANIZER_KIND_WIPE) == 0;

	if (organizer_code_hash(db, number, wipe, code, h) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_ORG_PEND_DROP,
	    "DELETE FROM organizer_pending WHERE number = ?1 AND "
	    "(kind = 'wipe') = ?2")) == NULL)
		return -1;
	db_bind_text(s, 1, number);
	sqlite3_bind_int(s, 2, wipe);
	if (db_step_done(db, s, "organizer pending") == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_ORG_PEND_SET,
	    "INSERT INTO organizer_pending (number, kind, code_hash, list, "
	    "text, options, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"))
	    == NULL)
		return -1;
	db_bind_text(s, 1, number);
	db_bind_text(s, 2, kind);
	sqlite3_bind_blob(s, 3, h, sizeof h, SQLITE_TRANSIENT);
	db_bind_text(s, 4, list != NULL && *list != '\0' ? list : NULL);
	db_bind_text(s, 5, text);
	db_bind_text(s, 6, options);
	sqlite3_bind_int64(s, 7, expires_at);
	return db_step_done(db, s, "organizer pending");
}

int
organizer_pending_take(struct db *db, const char *number, int wipe,
    const char *code, int64_t now, struct organizer_pending *p)
{
	unsigned char	 h[MARK_LEN];
	sqlite3_stmt	*s;
	int		 rc;

	memset(p, 0, sizeof *p);
	if (organizer_code_hash(db, number, wipe, code, h) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_ORG_PEND_GET,
	    "SELECT kind, list, text, options, expires_at FROM "
	    "organizer_pending WHERE number = ?1 AND (kind = 'wipe') = ?2 "
	    "AND code_hash = ?3 AND expires_at > ?4")) == NULL)
		return -1;
	db_bind_text(s, 1, number);
	sqlite3_bind_int(s, 2, wipe);
	sqlite3_bind_blob(s, 3, h, sizeof h, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		strlcpy(p->kind, db_col_text(s, 0), sizeof p->kind);
		strlcpy(p->list, db_col_text(s, 1), sizeof p->list);
		if (sqlite3_column_type(s, 2) != SQLITE_NULL)
			p->text = xstrdup(db_col_text(s, 2));
		if (sqlite3_column_type(s, 3) != SQLITE_NULL)
			p->options = xstrdup(db_col_text(s, 3));
		p->expires_at = sqlite3_column_int64(s, 4);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, "organizer pending");
	if ((s = db_stmt(db, DB_ST_ORG_PEND_DEL,
	    "DELETE FROM organizer_pending WHERE number = ?1 AND kind = ?2"))
	    == NULL) {
		organizer_pending_clear(p);
		return -1;
	}
	db_bind_text(s, 1, number);
	db_bind_text(s, 2, p->kind);
	if (db_step_done(db, s, "organizer pending") == -1) {
		organizer_pending_clear(p);
		return -1;
	}
	return 1;
}

int
organizer_pending_wipe(struct db *db, const char *number, int64_t now)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_ORG_PEND_WIPE,
	    "SELECT 1 FROM organizer_pending WHERE number = ?1 AND "
	    "kind = 'wipe' AND expires_at > ?2")) == NULL)
		return -1;
	db_bind_text(s, 1, number);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_fail(db, "organizer pending");
	return 0;
}

int
organizer_reply(struct db *db, const char *phone, const char *text,
    int64_t secret_until, int64_t now)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_ORG_REPLY,
	    "INSERT INTO outbox (phone, text, kind, priority, state, "
	    "next_attempt_at, created_at, updated_at, secret, expires_at) "
	    "VALUES (?1, ?2, 'system', ?3, 'queued', ?4, ?4, ?4, ?5, ?6)")) ==
	    NULL)
		return -1;
	db_bind_text(s, 1, phone);
	db_bind_text(s, 2, text);
	sqlite3_bind_int(s, 3, OUTBOX_PRIO_ORGANIZER);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int(s, 5, secret_until != 0);
	if (secret_until != 0)
		sqlite3_bind_int64(s, 6, secret_until);
	else
		sqlite3_bind_null(s, 6);
	return db_step_done(db, s, "organizer reply");
}

/* Up to max ids of a one-column query into v. */
static int
organizer_ids(struct db *db, sqlite3_stmt *s, int64_t *v, size_t max,
    size_t *n, const char *what)
{
	int	rc;

	*n = 0;
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		v[(*n)++] = sqlite3_column_int64(s, 0);
	if (*n == max)
		rc = SQLITE_DONE;
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(db, what);
	return 0;
}

int
organizer_unnotified(struct db *db, int64_t *v, size_t max, size_t *n)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_ORG_UNNOTIFIED,
	    "SELECT id FROM broadcasts INDEXED BY broadcasts_notify WHERE "
	    "notify IS NOT NULL AND notified = 0 AND state IN ('done', "
	    "'cancelled') ORDER BY id")) == NULL)
		return -1;
	return organizer_ids(db, s, v, max, n, "broadcasts to tell");
}

int
organizer_notified(struct db *db, int64_t id)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_ORG_NOTIFIED,
	    "UPDATE broadcasts SET notified = 1 WHERE id = ?1")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return db_step_done(db, s, "broadcast told");
}

int
organizer_running(struct db *db, int64_t *v, size_t max, size_t *n)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_ORG_RUNNING,
	    "SELECT id FROM broadcasts WHERE state IN ('queued', 'sending') "
	    "ORDER BY id")) == NULL)
		return -1;
	return organizer_ids(db, s, v, max, n, "broadcasts running");
}

int
organizer_purge(struct db *db, int64_t now, int64_t before, long *n)
{
	sqlite3_stmt	*s;

	*n = 0;
	if (db_begin(db) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_ORG_PURGE_PEND,
	    "DELETE FROM organizer_pending WHERE expires_at <= ?1")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, now);
	if (db_step_done(db, s, "organizer pending") == -1)
		goto fail;
	*n += sqlite3_changes(db->h);
	if ((s = db_stmt(db, DB_ST_ORG_PURGE_ATT,
	    "DELETE FROM organizer_attempts WHERE at < ?1")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, before);
	if (db_step_done(db, s, "organizer attempts") == -1)
		goto fail;
	*n += sqlite3_changes(db->h);
	if ((s = db_stmt(db, DB_ST_ORG_PURGE_SECRET,
	    "UPDATE outbox SET text = '' WHERE secret = 1 AND text <> '' AND "
	    "state NOT IN ('queued', 'sending')")) == NULL)
		goto fail;
	if (db_step_done(db, s, "secret replies") == -1)
		goto fail;
	*n += sqlite3_changes(db->h);
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

int
organizer_clock_step(struct db *db, int64_t step, int64_t now)
{
	sqlite3_stmt	*s;

	if (db_begin(db) == -1)
		return -1;
	/* ?2: now on the clock before the step */
	if ((s = db_stmt(db, DB_ST_ORG_STEP_LOCK,
	    "UPDATE organizers SET locked_until = locked_until + ?1 "
	    "WHERE locked_until > ?2")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, step);
	sqlite3_bind_int64(s, 2, now - step);
	if (db_step_done(db, s, "organizer clock step") == -1)
		goto fail;
	if ((s = db_stmt(db, DB_ST_ORG_STEP_ATT,
	    "UPDATE organizer_attempts SET at = at + ?1")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, step);
	if (db_step_done(db, s, "organizer clock step") == -1)
		goto fail;
	if ((s = db_stmt(db, DB_ST_ORG_STEP_PEND,
	    "UPDATE organizer_pending SET expires_at = expires_at + ?1 "
	    "WHERE expires_at > ?2")) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, step);
	sqlite3_bind_int64(s, 2, now - step);
	if (db_step_done(db, s, "organizer clock step") == -1)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}
