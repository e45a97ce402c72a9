/*
 * tests/dbpage.c — a test-only helper for tests/regress/dblife.sh: where
 * a table's pages are, and a commit from another connection.
 *
 *   dbpage DB root NAME   checkpoint the WAL into the database (so the
 *                         file holds the current pages), then print
 *                         "PAGE PAGESIZE" for the root page of the table
 *                         or index NAME
 *   dbpage DB touch       commit one settings row (another process's
 *                         write, with no wake-up for the daemon)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

static long long
dbpage_int(sqlite3 *h, const char *sql, const char *arg)
{
	sqlite3_stmt	*s;
	long long	 v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "dbpage: %s: %s\n", sql, sqlite3_errmsg(h));
		exit(1);
	}
	if (arg != NULL)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

int
main(int argc, char **argv)
{
	sqlite3		*h;
	char		*msg = NULL;
	long long	 page, size;

	if (argc < 3 || (strcmp(argv[2], "root") == 0 && argc != 4)) {
		fprintf(stderr, "usage: dbpage DB root NAME | dbpage DB touch\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &h, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "dbpage: %s: %s\n", argv[1], sqlite3_errmsg(h));
		return 1;
	}
	sqlite3_busy_timeout(h, 10000);
	if (strcmp(argv[2], "touch") == 0) {
		if (sqlite3_exec(h, "INSERT INTO settings (key, value) VALUES "
		    "('dbpage', 'touch') ON CONFLICT (key) DO UPDATE SET value = "
		    "value || '.'", NULL, NULL, &msg) != SQLITE_OK) {
			fprintf(stderr, "dbpage: touch: %s\n", msg);
			return 1;
		}
		sqlite3_close(h);
		return 0;
	}
	if (sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
	    &msg) != SQLITE_OK) {
		fprintf(stderr, "dbpage: checkpoint: %s\n", msg);
		return 1;
	}
	page = dbpage_int(h, "SELECT rootpage FROM sqlite_master WHERE name "
	    "= ?1", argv[3]);
	size = dbpage_int(h, "PRAGMA page_size", NULL);
	if (page <= 1) {
		fprintf(stderr, "dbpage: no table or index %s\n", argv[3]);
		return 1;
	}
	printf("%lld %lld\n", page, size);
	sqlite3_close(h);
	return 0;
}
