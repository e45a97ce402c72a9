/*
 * tests/shim/pingate.c — a test-only LD_PRELOAD shim: organizer PIN
 * checks held at a gate, so a test can pile commands up behind a check
 * that has not finished, as on a slow Pi under a flood.
 *
 * Every call of libsodium's crypto_pwhash_str_verify() (the daemon's PIN
 * check, on its worker thread) first appends a line to the file named by
 * TAMBULI_PIN_STARTED, then waits while the file named by TAMBULI_PIN_GATE
 * exists, then checks as usual.  Without the variables nothing changes.
 *
 * Used by tests/regress/orgflood.sh; built by "make bin/pingate.so".
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int	crypto_pwhash_str_verify(const char *, const char *,
	    unsigned long long);

int
crypto_pwhash_str_verify(const char *str, const char *passwd,
    unsigned long long len)
{
	static int	(*real)(const char *, const char *,
			    unsigned long long);
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	const char	*started = getenv("TAMBULI_PIN_STARTED");
	const char	*gate = getenv("TAMBULI_PIN_GATE");
	int		 fd;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "crypto_pwhash_str_verify");
	if (started != NULL &&
	    (fd = open(started, O_WRONLY | O_APPEND | O_CREAT, 0600)) != -1) {
		if (write(fd, "check\n", 6) != 6)
			abort();	/* the test must not miss a check */
		close(fd);
	}
	while (gate != NULL && access(gate, F_OK) == 0)
		nanosleep(&tick, NULL);	/* a worker thread: blocking is fine */
	return real(str, passwd, len);
}
