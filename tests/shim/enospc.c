/*
 * tests/shim/enospc.c — a test-only LD_PRELOAD shim: "the disk is full"
 * for one database, without root.
 *
 * While the file named by TAMBULI_ENOSPC_FLAG exists, every write to a
 * file whose name starts with the base name in TAMBULI_ENOSPC_DB (the
 * database, its -wal and -journal; not its -shm, which lives in memory)
 * fails with ENOSPC, as on a full file system: SQLite then returns
 * SQLITE_FULL.  Remove the flag file and the disk has room again.
 *
 * Used by tests/regress/inbound.sh; built by "make bin/enospc.so".
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 1 when a write to fd must fail now. */
static int
enospc_full(int fd)
{
	const char	*flag = getenv("TAMBULI_ENOSPC_FLAG");
	const char	*db = getenv("TAMBULI_ENOSPC_DB");
	const char	*base, *name;
	char		 proc[64], path[4096];
	struct stat	 sb;
	ssize_t		 n;
	int		 saved = errno;

	if (flag == NULL || db == NULL || stat(flag, &sb) == -1) {
		errno = saved;
		return 0;
	}
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	if ((n = readlink(proc, path, sizeof path - 1)) <= 0) {
		errno = saved;
		return 0;
	}
	path[n] = '\0';
	base = (base = strrchr(db, '/')) != NULL ? base + 1 : db;
	name = (name = strrchr(path, '/')) != NULL ? name + 1 : path;
	errno = saved;
	if (strncmp(name, base, strlen(base)) != 0)
		return 0;
	n = (ssize_t)strlen(name);
	return !(n > 4 && strcmp(name + n - 4, "-shm") == 0);
}

#define ENOSPC_NEXT(type, name, args)					\
	static type (*next) args;					\
	if (next == NULL)						\
		*(void **)&next = dlsym(RTLD_NEXT, name)

ssize_t
write(int fd, const void *buf, size_t len)
{
	ENOSPC_NEXT(ssize_t, "write", (int, const void *, size_t));
	if (enospc_full(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return next(fd, buf, len);
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	ENOSPC_NEXT(ssize_t, "pwrite", (int, const void *, size_t, off_t));
	if (enospc_full(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return next(fd, buf, len, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off64_t off)
{
	ENOSPC_NEXT(ssize_t, "pwrite64", (int, const void *, size_t,
	    off64_t));
	if (enospc_full(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return next(fd, buf, len, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	ENOSPC_NEXT(ssize_t, "writev", (int, const struct iovec *, int));
	if (enospc_full(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return next(fd, iov, n);
}

int
fallocate(int fd, int mode, off_t off, off_t len)
{
	ENOSPC_NEXT(int, "fallocate", (int, int, off_t, off_t));
	if (enospc_full(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return next(fd, mode, off, len);
}

int
posix_fallocate(int fd, off_t off, off_t len)
{
	ENOSPC_NEXT(int, "posix_fallocate", (int, off_t, off_t));
	if (enospc_full(fd))
		return ENOSPC;
	return next(fd, off, len);
}
