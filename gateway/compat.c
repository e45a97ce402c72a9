/*
 * gateway/compat.c — strlcpy, strlcat and strtonum for glibc.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "compat.h"

#ifdef COMPAT_NEED_STRLCPY
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t	len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t	dlen = strnlen(dst, size);

	if (dlen == size)
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}
#endif

long long
strtonum(const char *s, long long min, long long max, const char **errstr)
{
	long long	 v;
	char		*end;
	int		 saved = errno;

	*errstr = NULL;
	if (min > max || s == NULL || *s == '\0') {
		*errstr = "invalid";
		return 0;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || *s == ' ' || *s == '\t' || *s == '+') {
		*errstr = "invalid";
		v = 0;
	} else if ((v == LLONG_MIN && errno == ERANGE) || v < min) {
		*errstr = "too small";
		v = 0;
	} else if ((v == LLONG_MAX && errno == ERANGE) || v > max) {
		*errstr = "too large";
		v = 0;
	}
	errno = saved;
	return v;
}
