/*
 * tests/shim/ebusy.c — a test-only LD_PRELOAD shim: a serial port held
 * exclusively by another program (TIOCEXCL, as ModemManager sets), without
 * root and without touching the port.
 *
 * Every open() of the path in TAMBULI_EBUSY_PORT fails with EBUSY, as the
 * kernel answers anyone without CAP_SYS_ADMIN while another program holds
 * the port with TIOCEXCL; the port itself is never opened.  A port that
 * libserialport knows (one under /sys/class/tty) reaches
 * modem/serial_sp.c this way, which a pty cannot.
 *
 * Used by tests/regress/modem_cli.sh; built by "make bin/ebusy.so".
 */
#define _GNU_SOURCE
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* 1 when opening path must fail now. */
static int
ebusy_held(const char *path)
{
	const char	*port = getenv("TAMBULI_EBUSY_PORT");

	return port != NULL && path != NULL && strcmp(path, port) == 0;
}

/* the mode argument, there when the flags create a file */
#define EBUSY_MODE(flags, mode) do {					\
	va_list	ap;							\
									\
	if ((flags) & (O_CREAT | O_TMPFILE)) {				\
		va_start(ap, flags);					\
		(mode) = va_arg(ap, mode_t);				\
		va_end(ap);						\
	}								\
} while (0)

#define EBUSY_NEXT(type, name, args)					\
	static type (*next) args;					\
	if (next == NULL)						\
		*(void **)&next = dlsym(RTLD_NEXT, name)

int	__open_2(const char *, int);
int	__open64_2(const char *, int);

int
open(const char *path, int flags, ...)
{
	mode_t	mode = 0;

	EBUSY_MODE(flags, mode);
	if (ebusy_held(path)) {
		errno = EBUSY;
		return -1;
	}
	EBUSY_NEXT(int, "open", (const char *, int, ...));
	return next(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	mode_t	mode = 0;

	EBUSY_MODE(flags, mode);
	if (ebusy_held(path)) {
		errno = EBUSY;
		return -1;
	}
	EBUSY_NEXT(int, "open64", (const char *, int, ...));
	return next(path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t	mode = 0;

	EBUSY_MODE(flags, mode);
	if (ebusy_held(path)) {
		errno = EBUSY;
		return -1;
	}
	EBUSY_NEXT(int, "openat", (int, const char *, int, ...));
	return next(dirfd, path, flags, mode);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t	mode = 0;

	EBUSY_MODE(flags, mode);
	if (ebusy_held(path)) {
		errno = EBUSY;
		return -1;
	}
	EBUSY_NEXT(int, "openat64", (int, const char *, int, ...));
	return next(dirfd, path, flags, mode);
}

/* what open() becomes with _FORTIFY_SOURCE (libserialport calls it) */
int
__open_2(const char *path, int flags)
{
	if (ebusy_held(path)) {
		errno = EBUSY;
		return -1;
	}
	EBUSY_NEXT(int, "__open_2", (const char *, int));
	return next(path, flags);
}

int
__open64_2(const char *path, int flags)
{
	if (ebusy_held(path)) {
		errno = EBUSY;
		return -1;
	}
	EBUSY_NEXT(int, "__open64_2", (const char *, int));
	return next(path, flags);
}
