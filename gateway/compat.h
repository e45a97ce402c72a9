/*
 * gateway/compat.h — small replacements for what glibc lacks, and the
 * allocation and formatting wrappers that never fail silently.
 */
#ifndef COMPAT_H
#define COMPAT_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/* glibc gained strlcpy/strlcat in 2.38. */
#if !defined(__GLIBC__) || __GLIBC__ < 2 || \
    (__GLIBC__ == 2 && __GLIBC_MINOR__ < 38)
#define COMPAT_NEED_STRLCPY 1
size_t		 strlcpy(char *, const char *, size_t);
size_t		 strlcat(char *, const char *, size_t);
#endif

/* OpenBSD strtonum(3): range-checked, *errstr "invalid", "too small",
 * "too large" or NULL. */
long long	 strtonum(const char *, long long, long long, const char **);

/* xmalloc.c: allocation that aborts with a message when memory is out. */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);
int		 xasprintf(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
int		 xvasprintf(char **, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));
/* truncation is a bug: abort */
int		 xsnprintf(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
/* truncation is an input error: returns 0 (and leaves a terminated
 * prefix), 1 when the whole string fit */
int		 bsnprintf(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

#endif
