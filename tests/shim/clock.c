/*
 * tests/shim/clock.c — a test-only LD_PRELOAD shim: the wall clock moved
 * by TAMBULI_TEST_CLOCK_SHIFT seconds (may be negative), without root
 * and without touching the machine's clock.
 *
 * time(), gettimeofday() and clock_gettime() of CLOCK_REALTIME and
 * CLOCK_REALTIME_COARSE return the real time plus the shift; every other
 * clock (CLOCK_MONOTONIC, which libevent's timers use, CLOCK_BOOTTIME,
 * the CPU clocks) is left alone, so timeouts and waits behave as usual.
 * Without the variable (or with 0) nothing changes.
 *
 * Used by tests/regress/retention.sh ("the daemon restarted 91 days
 * later"); built by "make bin/clockshift.so".
 */
#define _GNU_SOURCE
#include <sys/time.h>

#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static long long
clock_shift(void)
{
	const char	*s = getenv("TAMBULI_TEST_CLOCK_SHIFT");

	return s != NULL ? strtoll(s, NULL, 10) : 0;
}

int
clock_gettime(clockid_t id, struct timespec *ts)
{
	static int	(*real)(clockid_t, struct timespec *);
	int		 rc;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "clock_gettime");
	if ((rc = real(id, ts)) == 0 &&
	    (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
		ts->tv_sec += (time_t)clock_shift();
	return rc;
}

int
gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	static int	(*real)(struct timeval *restrict, void *restrict);
	int		 rc;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "gettimeofday");
	if ((rc = real(tv, tz)) == 0)
		tv->tv_sec += (time_t)clock_shift();
	return rc;
}

time_t
time(time_t *t)
{
	struct timespec	ts;
	time_t		now;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return (time_t)-1;
	now = ts.tv_sec;
	if (t != NULL)
		*t = now;
	return now;
}
