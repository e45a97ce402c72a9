/*
 * db/balance.c — the credit watch: each SIM's last balance answer, the
 * amount read from it, whether the organizers were told it is low, and
 * since when its sends are refused for lack of credit.  One row per SIM
 * (IMSI, or "modem:NAME"); each change is one statement, so one short
 * transaction of its own or part of the caller's.
 */
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "db_int.h"

int
balance_get(struct db *db, const char *sim, struct balance *b)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(b, 0, sizeof *b);
	if ((s = db_stmt(db, DB_ST_BAL_GET,
	    "SELECT modem, amount, text, checked_at, low, no_credit_at "
	    "FROM balances WHERE sim = ?1")) == NULL)
		return -1;
	db_bind_text(s, 1, sim);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		strlcpy(b->modem, db_col_text(s, 0), sizeof b->modem);
		if (sqlite3_column_type(s, 1) != SQLITE_NULL) {
			b->has_amount = 1;
			b->amount = sqlite3_column_double(s, 1);
		}
		if (sqlite3_column_type(s, 2) != SQLITE_NULL)
			b->text = xstrdup(db_col_text(s, 2));
		b->checked_at = sqlite3_column_int64(s, 3);
		b->low = sqlite3_column_int(s, 4);
		b->no_credit_at = sqlite3_column_int64(s, 5);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_fail(db, "balance");
	return 0;
}

void
balance_clear(struct balance *b)
{
	free(b->text);
	b->text = NULL;
}

int
balance_record(struct db *db, const char *sim, const char *modem,
    const double *amount, const char *text, int64_t at)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_BAL_RECORD,
	    "INSERT INTO balances (sim, modem, amount, text, checked_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (sim) DO UPDATE SET "
	    "modem = excluded.modem, amount = excluded.amount, "
	    "text = excluded.text, checked_at = excluded.checked_at")) == NULL)
		return -1;
	db_bind_text(s, 1, sim);
	db_bind_text(s, 2, modem);
	if (amount != NULL)
		sqlite3_bind_double(s, 3, *amount);
	else
		sqlite3_bind_null(s, 3);
	db_bind_text(s, 4, text);
	sqlite3_bind_int64(s, 5, at);
	return db_step_done(db, s, "balance");
}

int
balance_set_low(struct db *db, const char *sim, const char *modem, int low)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_BAL_LOW,
	    "INSERT INTO balances (sim, modem, low) VALUES (?1, ?2, ?3) "
	    "ON CONFLICT (sim) DO UPDATE SET modem = excluded.modem, "
	    "low = excluded.low")) == NULL)
		return -1;
	db_bind_text(s, 1, sim);
	db_bind_text(s, 2, modem);
	sqlite3_bind_int(s, 3, low != 0);
	return db_step_done(db, s, "balance low");
}

int
balance_set_no_credit(struct db *db, const char *sim, const char *modem,
    int64_t at)
{
	sqlite3_stmt	*s;

	if ((s = db_stmt(db, DB_ST_BAL_NO_CREDIT,
	    "INSERT INTO balances (sim, modem, no_credit_at) "
	    "VALUES (?1, ?2, ?3) ON CONFLICT (sim) DO UPDATE SET "
	    "modem = excluded.modem, no_credit_at = excluded.no_credit_at"))
	    == NULL)
		return -1;
	db_bind_text(s, 1, sim);
	db_bind_text(s, 2, modem);
	sqlite3_bind_int64(s, 3, at);
	return db_step_done(db, s, "balance no credit");
}
