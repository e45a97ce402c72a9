/*
 * db/mark.c — opt-out markers: a number that asked not to be contacted,
 * remembered without keeping the number.
 *
 * A marker is BLAKE2b (libsodium's crypto_generichash) of the normalized
 * number, keyed with a random per-database key kept in the settings table
 * (created on first use).  Without the key, the markers cannot be tested
 * against the few billion possible numbers; with the database file stolen
 * they can (the key is in it), so markers protect against casual reading
 * and against a copy of the markers alone, not against a full dump.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "db_int.h"

#define MARK_KEY_SETTING	"mark_key"
#define MARK_DIGEST_LEN		16

/* The per-database key: read once, created (random) when missing. */
int
mark_key(struct db *db)
{
	char	 hex[2 * MARK_KEY_LEN + 1];
	size_t	 n;
	int	 rc;

	if (db->mark_key_ok)
		return 0;
	if ((rc = db_setting_get(db, MARK_KEY_SETTING, hex, sizeof hex)) == -1)
		return -1;
	if (rc == 1 && sodium_hex2bin(db->mark_key, MARK_KEY_LEN, hex,
	    strlen(hex), NULL, &n, NULL) == 0 && n == MARK_KEY_LEN) {
		db->mark_key_ok = 1;
		db->mark_key_tx = db->in_tx > 0;
		return 0;
	}
	if (rc == 1)
		return db_failf(db, "marker key: setting %s is damaged",
		    MARK_KEY_SETTING);
	randombytes_buf(db->mark_key, MARK_KEY_LEN);
	sodium_bin2hex(hex, sizeof hex, db->mark_key, MARK_KEY_LEN);
	if (db_setting_set(db, MARK_KEY_SETTING, hex) == -1)
		return -1;
	db->mark_key_ok = 1;
	db->mark_key_tx = db->in_tx > 0;
	return 0;
}

int
mark_of(struct db *db, const char *phone, unsigned char out[MARK_LEN])
{
	if (mark_key(db) == -1)
		return -1;
	crypto_generichash(out, MARK_LEN, (const unsigned char *)phone,
	    strlen(phone), db->mark_key, MARK_KEY_LEN);
	return 0;
}

int
mark_add(struct db *db, const char *phone, int64_t at)
{
	unsigned char	 m[MARK_LEN];
	sqlite3_stmt	*s;

	if (mark_of(db, phone, m) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_MARK_ADD,
	    "INSERT INTO optout_marks (mark, at) VALUES (?1, ?2) "
	    "ON CONFLICT (mark) DO NOTHING")) == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, m, sizeof m, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, at);
	return db_step_done(db, s, "opt-out marker");
}

int
mark_has(struct db *db, const char *phone)
{
	unsigned char	 m[MARK_LEN];
	sqlite3_stmt	*s;
	int		 rc;

	if (mark_of(db, phone, m) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_MARK_HAS,
	    "SELECT 1 FROM optout_marks WHERE mark = ?1")) == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, m, sizeof m, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_fail(db, "opt-out marker");
	return 0;
}

int
mark_del(struct db *db, const char *phone)
{
	unsigned char	 m[MARK_LEN];
	sqlite3_stmt	*s;

	if (mark_of(db, phone, m) == -1)
		return -1;
	if ((s = db_stmt(db, DB_ST_MARK_DEL,
	    "DELETE FROM optout_marks WHERE mark = ?1")) == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, m, sizeof m, SQLITE_TRANSIENT);
	return db_step_done(db, s, "opt-out marker");
}

int
mark_count(struct db *db, long *n)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_stmt(db, DB_ST_MARK_COUNT,
	    "SELECT count(*) FROM optout_marks")) == NULL)
		return -1;
	rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return db_fail(db, "opt-out markers");
	return 0;
}

/*
 * SQL function tambuli_digest(x): a keyed BLAKE2b digest (16 octets) of a
 * text or blob, NULL for NULL.  For rows that need only to be compared,
 * never read back (inbound_done: the parts of a message already joined,
 * kept a day to recognise the network delivering one twice), so that
 * they hold no words: an organizer's PIN, a member's report.  The key
 * must be loaded first (mark_key()): the function does not touch the
 * database itself.
 */
static void
mark_digest_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct db	*db = sqlite3_user_data(ctx);
	unsigned char	 d[MARK_DIGEST_LEN];
	const void	*p;
	int		 n;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if (!db->mark_key_ok) {
		sqlite3_result_error(ctx, "tambuli_digest: no key loaded", -1);
		return;
	}
	if (sqlite3_value_type(argv[0]) == SQLITE_BLOB)
		p = sqlite3_value_blob(argv[0]);
	else
		p = sqlite3_value_text(argv[0]);
	n = sqlite3_value_bytes(argv[0]);
	crypto_generichash(d, sizeof d, p, (unsigned long long)n,
	    db->mark_key, MARK_KEY_LEN);
	sqlite3_result_blob(ctx, d, sizeof d, SQLITE_TRANSIENT);
}

int
mark_digest_register(struct db *db)
{
	if (sqlite3_create_function_v2(db->h, "tambuli_digest", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, db, mark_digest_fn, NULL,
	    NULL, NULL) != SQLITE_OK)
		return db_fail(db, "tambuli_digest");
	return 0;
}
