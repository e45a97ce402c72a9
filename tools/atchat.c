/*
 * tools/atchat.c — a chat script for serial ports, for shell tests.
 *
 *	atchat [-npv] [-t SECONDS] TTY [SEND EXPECT]...
 *
 * Opens TTY in raw mode (discarding what is already queued unless -n),
 * then for each pair writes SEND and waits until EXPECT appears in what
 * the modem sent since the previous match, failing after SECONDS (default
 * 5) per expectation.  No fixed sleeps: it waits on the data.
 *
 * SEND is written followed by a CR, unless it ends in "\c" or is empty.
 * Escapes in SEND and EXPECT: \r \n \t \\ \e (ESC, cancels a PDU), \z
 * (Ctrl-Z, submits one), \xHH, and \c (no CR, at the end of SEND); in a
 * regular expression other backslashes are the expression's own.
 * EXPECT is a substring, or with the prefix "re:" a POSIX extended
 * regular expression; an empty EXPECT waits for nothing.
 *
 * -p prints everything received on stdout at the end (CRs removed), so a
 * test can pick values out of the answers; -v traces both directions on
 * stderr.  Exit status: 0 all matched, 1 a timeout or an I/O error (the
 * unmatched input is shown), 2 usage.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"

#define ATCHAT_MAX	(1024 * 1024)

struct atchat {
	int	 fd;
	int	 verbose;
	char	*buf;		/* everything received */
	size_t	 len, cap;
	size_t	 pos;		/* end of the previous match */
};

static void
atchat_usage(void)
{
	fprintf(stderr, "usage: atchat [-npv] [-t SECONDS] TTY "
	    "[SEND EXPECT]...\n");
	exit(2);
}

static void
atchat_show(FILE *f, const char *what, const char *s, size_t n)
{
	size_t		i;
	unsigned char	c;

	fprintf(f, "atchat: %s \"", what);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\r')
			fputs("\\r", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\\' || c == '"')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputs("\"\n", f);
}

static int
atchat_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Unescape s into a new buffer; *nocr is set by a final \c. */
static char *
atchat_unescape(const char *s, size_t *len, int *nocr, int re)
{
	char	*out = xmalloc(strlen(s) + 2);	/* + a CR */
	size_t	 n = 0;
	int	 h, l;

	*nocr = 0;
	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			out[n++] = *s;
			continue;
		}
		switch (*++s) {
		case 'r':
			out[n++] = '\r';
			break;
		case 'n':
			out[n++] = '\n';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'e':
			out[n++] = 0x1b;
			break;
		case 'z':
			out[n++] = 0x1a;
			break;
		case 'c':
			*nocr = 1;
			break;
		case 'x':
			if ((h = atchat_hexval(s[1])) >= 0 &&
			    (l = atchat_hexval(s[2])) >= 0) {
				out[n++] = (char)(h * 16 + l);
				s += 2;
			} else
				out[n++] = 'x';
			break;
		default:
			if (re)		/* the regex's own escape */
				out[n++] = '\\';
			out[n++] = *s;
			break;
		}
	}
	out[n] = '\0';
	*len = n;
	return out;
}

/* 64 bits: a 32-bit long holds under 25 days of milliseconds of uptime */
static int64_t
atchat_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
atchat_send(struct atchat *a, const char *s, size_t n)
{
	struct pollfd	pfd;
	ssize_t		w;

	if (a->verbose)
		atchat_show(stderr, "send", s, n);
	while (n > 0) {
		w = write(a->fd, s, n);
		if (w == -1 && (errno == EAGAIN || errno == EINTR)) {
			pfd.fd = a->fd;
			pfd.events = POLLOUT;
			(void)poll(&pfd, 1, 1000);
			continue;
		}
		if (w <= 0) {
			fprintf(stderr, "atchat: write: %s\n",
			    strerror(errno));
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Look for the expectation after pos; on a match move pos past it. */
static int
atchat_match(struct atchat *a, const char *exp, size_t elen, regex_t *re)
{
	regmatch_t	 m;
	char		*hit;
	size_t		 i;

	if (re != NULL) {
		/* NULs in the input would end the string early: skip them */
		char	*copy = xmalloc(a->len - a->pos + 1);
		size_t	 n = 0, *map = xcalloc(a->len - a->pos + 1,
			    sizeof *map);

		for (i = a->pos; i < a->len; i++) {
			if (a->buf[i] != '\0') {
				map[n] = i;
				copy[n++] = a->buf[i];
			}
		}
		map[n] = a->len;
		copy[n] = '\0';
		if (regexec(re, copy, 1, &m, 0) == 0) {
			a->pos = m.rm_eo > 0 ? map[m.rm_eo - 1] + 1 : a->pos;
			free(copy);
			free(map);
			return 1;
		}
		free(copy);
		free(map);
		return 0;
	}
	if (elen == 0)
		return 1;
	for (i = a->pos; i + elen <= a->len; i++) {
		hit = a->buf + i;
		if (memcmp(hit, exp, elen) == 0) {
			a->pos = i + elen;
			return 1;
		}
	}
	return 0;
}

static int
atchat_expect(struct atchat *a, const char *raw, long timeout_ms)
{
	struct pollfd	 pfd;
	regex_t		 re, *rep = NULL;
	char		*exp, tmp[4096];
	size_t		 elen;
	int64_t		 deadline = atchat_now_ms() + timeout_ms, left;
	ssize_t		 n;
	int		 nocr, rc = -1, e;

	if (strncmp(raw, "re:", 3) == 0) {
		exp = atchat_unescape(raw + 3, &elen, &nocr, 1);
		if ((e = regcomp(&re, exp, REG_EXTENDED)) != 0) {
			regerror(e, &re, tmp, sizeof tmp);
			fprintf(stderr, "atchat: bad regex %s: %s\n", raw + 3,
			    tmp);
			free(exp);
			exit(2);
		}
		rep = &re;
	} else
		exp = atchat_unescape(raw, &elen, &nocr, 0);
	for (;;) {
		if (atchat_match(a, exp, elen, rep)) {
			rc = 0;
			break;
		}
		if ((left = deadline - atchat_now_ms()) <= 0) {
			fprintf(stderr, "atchat: timeout waiting for \"%s\"\n",
			    raw);
			atchat_show(stderr, "received since last match",
			    a->buf + a->pos, a->len - a->pos);
			break;
		}
		pfd.fd = a->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(a->fd, tmp, sizeof tmp);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			fprintf(stderr, "atchat: read: %s\n",
			    n == 0 ? "end of file" : strerror(errno));
			atchat_show(stderr, "received since last match",
			    a->buf + a->pos, a->len - a->pos);
			break;
		}
		if (a->verbose)
			atchat_show(stderr, "recv", tmp, (size_t)n);
		if (a->len + (size_t)n > ATCHAT_MAX) {
			fprintf(stderr, "atchat: too much input\n");
			break;
		}
		if (a->len + (size_t)n + 1 > a->cap) {
			a->cap = (a->len + (size_t)n + 1) * 2;
			a->buf = xreallocarray(a->buf, a->cap, 1);
		}
		memcpy(a->buf + a->len, tmp, (size_t)n);
		a->len += (size_t)n;
	}
	if (rep != NULL)
		regfree(rep);
	free(exp);
	return rc;
}

int
main(int argc, char **argv)
{
	struct atchat	 a;
	struct termios	 t;
	const char	*errstr;
	char		*s;
	size_t		 n, i;
	int		 ch, noflush = 0, print = 0, nocr, rc = 0;
	long		 timeout_ms = 5000;

	memset(&a, 0, sizeof a);
	while ((ch = getopt(argc, argv, "npt:v")) != -1) {
		switch (ch) {
		case 'n':
			noflush = 1;
			break;
		case 'p':
			print = 1;
			break;
		case 't':
			timeout_ms = strtonum(optarg, 1, 3600, &errstr) * 1000;
			if (errstr != NULL) {
				fprintf(stderr, "atchat: -t %s is %s\n",
				    optarg, errstr);
				return 2;
			}
			break;
		case 'v':
			a.verbose = 1;
			break;
		default:
			atchat_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (argc - 1) % 2 != 0)
		atchat_usage();
	if ((a.fd = open(argv[0], O_RDWR | O_NOCTTY | O_NONBLOCK)) == -1) {
		fprintf(stderr, "atchat: %s: %s\n", argv[0], strerror(errno));
		return 1;
	}
	if (tcgetattr(a.fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cc[VMIN] = 0;
		t.c_cc[VTIME] = 0;
		(void)tcsetattr(a.fd, TCSANOW, &t);
	}
	if (!noflush)
		(void)tcflush(a.fd, TCIFLUSH);
	a.cap = 4096;
	a.buf = xmalloc(a.cap);
	for (i = 1; i + 1 < (size_t)argc; i += 2) {
		s = atchat_unescape(argv[i], &n, &nocr, 0);
		if (n > 0 && !nocr)
			s[n++] = '\r';
		if (n > 0 && atchat_send(&a, s, n) == -1) {
			free(s);
			rc = 1;
			break;
		}
		free(s);
		if (atchat_expect(&a, argv[i + 1], timeout_ms) == -1) {
			rc = 1;
			break;
		}
	}
	if (print) {
		for (n = 0; n < a.len; n++)
			if (a.buf[n] != '\r')
				putchar(a.buf[n]);
		fflush(stdout);
	}
	free(a.buf);
	close(a.fd);
	return rc;
}
