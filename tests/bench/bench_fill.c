/*
 * tests/bench/bench_fill.c — helpers for tests/bench/bench_gateway.sh.
 *
 *   bench_fill fill DB N [LIST]   N active subscribers (+1415xxxxxxx) in
 *                                 one transaction, through the db API
 *                                 (subscriber_join, as an import does)
 *   bench_fill purge DB AGE BATCH the retention purge of what is older
 *                                 than AGE seconds, BATCH rows a step:
 *                                 counts, total time, longest step
 *   bench_fill now                the wall clock, microseconds since the
 *                                 epoch
 *   bench_fill stamp              copies standard input to standard
 *                                 output, each line prefixed with the
 *                                 wall clock (microseconds) at which it
 *                                 was read
 *
 * The shell has no portable sub-second clock, and the simulated modem's
 * verbose log carries no timestamps, hence "now" and "stamp": the script
 * compares the time "tambuli send" returned with the time the modem read
 * the first AT+CMGS.  Both use CLOCK_REALTIME because the two times are
 * taken in different processes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"

static long long
bench_fill_usec(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
bench_fill_fill(const char *path, long n, const char *list)
{
	struct db	*db;
	struct consent	 c = { "JOIN", NULL, "import" };
	char		*cause = NULL, phone[32];
	int64_t		 now = (int64_t)time(NULL);
	long		 i;
	int		 result;

	if ((db = db_open(path, 5000, &cause)) == NULL) {
		fprintf(stderr, "bench_fill: %s: %s\n", path, cause);
		free(cause);
		return 1;
	}
	/* the nested calls become savepoints: one transaction, one fsync */
	if (db_begin(db) == -1)
		goto fail;
	if (list != NULL && list_create(db, list, now) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		snprintf(phone, sizeof phone, "+1415%07d", (int)i);
		if (subscriber_join(db, phone, list, NULL, &c, now,
		    &result) == -1)
			goto fail;
		if (result != SUBSCRIBER_JOINED) {
			fprintf(stderr, "bench_fill: %s: not joined (%d)\n",
			    phone, result);
			db_rollback(db);
			db_close(db);
			return 1;
		}
	}
	if (db_commit(db) == -1)
		goto fail;
	db_close(db);
	return 0;
fail:
	fprintf(stderr, "bench_fill: %s\n", db_error(db));
	db_rollback(db);
	db_close(db);
	return 1;
}

/*
 * The retention purge of everything older than age seconds, in steps of
 * batch rows, as the daemon runs it: the counts, the total time and the
 * longest step (the longest the daemon's loop would wait).
 */
static int
bench_fill_purge(const char *path, long age, long batch)
{
	struct db	*db;
	struct retain	 r;
	char		*cause = NULL;
	int64_t		 now = (int64_t)time(NULL);
	long long	 t0, t1, start, worst = 0, ph[8] = { 0 };
	long		 steps = 0;
	int		 rc, p, i;

	if ((db = db_open(path, 5000, &cause)) == NULL) {
		fprintf(stderr, "bench_fill: %s: %s\n", path, cause);
		free(cause);
		return 1;
	}
	retain_start(&r, now, now - age, now - age);
	start = bench_fill_usec();
	do {
		p = r.phase & 7;
		t0 = bench_fill_usec();
		rc = retain_step(db, &r, (int)batch);
		t1 = bench_fill_usec();
		if (t1 - t0 > ph[p])
			ph[p] = t1 - t0;
		if (t1 - t0 > worst)
			worst = t1 - t0;
		steps++;
	} while (rc == 1);
	if (rc == -1) {
		fprintf(stderr, "bench_fill: %s\n", db_error(db));
		db_close(db);
		return 1;
	}
	printf("removed %ld inbox texts, %ld outbox rows, %ld numbers, %ld "
	    "consent texts in %ld steps of %ld: %.2f s in all, longest step "
	    "%.1f ms\n", r.n.inbox, r.n.outbox, r.n.numbers, r.n.consent_texts,
	    steps, batch, (double)(bench_fill_usec() - start) / 1e6,
	    (double)worst / 1e3);
	printf("  longest step by phase (inbox, parts, done, outbox, numbers, "
	    "consent), ms:");
	for (i = 0; i < 6; i++)
		printf(" %.1f", (double)ph[i] / 1e3);
	printf("\n");
	/* the same database, one-row transactions: what any write costs here */
	worst = 0;
	for (i = 0; i < (int)steps; i++) {
		t0 = bench_fill_usec();
		if (db_begin(db) == -1 || db_setting_set(db, "bench", "x") == -1 ||
		    db_commit(db) == -1) {
			fprintf(stderr, "bench_fill: %s\n", db_error(db));
			db_close(db);
			return 1;
		}
		t1 = bench_fill_usec();
		if (t1 - t0 > worst)
			worst = t1 - t0;
	}
	printf("  as many one-row transactions: longest %.1f ms\n",
	    (double)worst / 1e3);
	db_close(db);
	return 0;
}

static int
bench_fill_stamp(void)
{
	char	buf[4096];
	int	bol = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(buf, sizeof buf, stdin) != NULL) {
		if (bol)
			printf("%lld ", bench_fill_usec());
		fputs(buf, stdout);
		bol = strchr(buf, '\n') != NULL;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char	*end;
	long	 n;

	if (argc >= 4 && argc <= 5 && strcmp(argv[1], "fill") == 0) {
		n = strtol(argv[3], &end, 10);
		if (*end != '\0' || n < 0 || n > 9999999) {
			fprintf(stderr, "bench_fill: bad count %s\n", argv[3]);
			return 1;
		}
		return bench_fill_fill(argv[2], n, argc == 5 ? argv[4] : NULL);
	}
	if (argc == 5 && strcmp(argv[1], "purge") == 0)
		return bench_fill_purge(argv[2], strtol(argv[3], NULL, 10),
		    strtol(argv[4], NULL, 10));
	if (argc == 2 && strcmp(argv[1], "now") == 0) {
		printf("%lld\n", bench_fill_usec());
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "stamp") == 0)
		return bench_fill_stamp();
	fprintf(stderr, "usage: bench_fill fill DB N [LIST] | purge DB AGE BATCH | now | stamp\n");
	return 1;
}
