/*
 * gateway/xmalloc.c — allocation and formatting that never fail silently.
 *
 * Running out of memory on a 512 MB Pi is not something to limp through:
 * the wrappers print the reason and exit, and the queue in SQLite lets a
 * restart carry on.
 */
#define _GNU_SOURCE	/* vasprintf */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "compat.h"

static void xmalloc_die(const char *, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

static void
xmalloc_die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fputs("fatal: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		xmalloc_die("xmalloc: zero size");
	if ((p = malloc(size)) == NULL)
		xmalloc_die("xmalloc: allocating %zu bytes: out of memory",
		    size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		xmalloc_die("xcalloc: zero size");
	if ((p = calloc(n, size)) == NULL)
		xmalloc_die("xcalloc: allocating %zu * %zu bytes: out of "
		    "memory", n, size);
	return p;
}

void *
xreallocarray(void *ptr, size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		xmalloc_die("xreallocarray: zero size");
	if (SIZE_MAX / n < size)
		xmalloc_die("xreallocarray: %zu * %zu overflows", n, size);
	if ((p = realloc(ptr, n * size)) == NULL)
		xmalloc_die("xreallocarray: allocating %zu * %zu bytes: out "
		    "of memory", n, size);
	return p;
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		xmalloc_die("xstrdup: out of memory");
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		xmalloc_die("xstrndup: out of memory");
	return p;
}

int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	i;

	i = vasprintf(ret, fmt, ap);
	if (i < 0 || *ret == NULL)
		xmalloc_die("xvasprintf: out of memory");
	return i;
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	ap;
	int	i;

	va_start(ap, fmt);
	i = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return i;
}

int
xsnprintf(char *str, size_t len, const char *fmt, ...)
{
	va_list	ap;
	int	i;

	va_start(ap, fmt);
	i = vsnprintf(str, len, fmt, ap);
	va_end(ap);
	if (i < 0 || (size_t)i >= len)
		xmalloc_die("xsnprintf: \"%s\" truncated to %zu bytes", fmt,
		    len);
	return i;
}

int
bsnprintf(char *str, size_t len, const char *fmt, ...)
{
	va_list	ap;
	int	i;

	va_start(ap, fmt);
	i = vsnprintf(str, len, fmt, ap);
	va_end(ap);
	return i >= 0 && (size_t)i < len;
}
