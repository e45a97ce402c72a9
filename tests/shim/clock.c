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
 * With TAMBULI_TEST_CLOCK_FILE, the shift is read from that file instead,
 * on every call, so a test steps the clock of a running program by
 * writing a new number into it (the file missing or empty: no shift).
 *
 * Used by tests/regress/retention.sh ("the daemon restarted 91 days
 * later") and tests/regress/clockstep.sh (the clock corrected while a
 * broadcast goes out); built by "make bin/clockshift.so".
 */
#define _GNU_SOURCE
#include <sys/time.h>

#include <dlfcn.h>
#include <stdlib.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

static long long
clock_shift(void)
{
	const char	*s = getenv("TAMBULI_TEST_CLOCK_SHIFT");
	const char	*f = getenv("TAMBULI_TEST_CLOCK_FILE");
	char		 buf[32];
	ssize_t		 n;
	int		 fd;

	if (f != NULL) {
		/* open/read, not stdio: no allocation, no locks, in a
		 * function any library may call */
		if ((fd = open(f, O_RDONLY | O_CLOEXEC)) == -1)
			return 0;
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			return 0;
		buf[n] = '\0';
		return strtoll(buf, NULL, 10);
	}
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
