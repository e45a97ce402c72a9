/*
 * gateway/log.c — the log sink: stderr in the foreground, syslog for a
 * detached daemon.  errno is preserved across calls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "compat.h"
#include "log.h"
#include "phone.h"

/* The log sink is a true singleton: a file-scope static. */
static struct {
	const char	*name;
	int		 debug;
	int		 syslog;
	int		 traces;
	int		 quiet;
} log_state = { "tambuli", 0, 0, 0, 0 };

void
log_set_quiet(int q)
{
	log_state.quiet = q;
}

void
log_init(const char *name, int debug, int use_syslog)
{
	log_state.name = name;
	log_state.debug = debug;
	log_state.syslog = use_syslog;
	if (use_syslog)
		openlog(name, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_debug(int d)
{
	log_state.debug = d;
}

int
log_get_debug(void)
{
	return log_state.debug;
}

void
log_set_traces(int t)
{
	log_state.traces = t;
}

int
log_get_traces(void)
{
	return log_state.traces;
}

int
log_parse_traces(const char *s, const char **bad)
{
	static const struct {
		const char	*name;
		int		 bit;
	} names[] = {
		{ "at", TRACE_AT }, { "db", TRACE_DB }, { "ctl", TRACE_CTL },
		{ "sched", TRACE_SCHED }, { "all", 0xff },
	};
	static char	 word[32];
	size_t		 i, len;
	int		 mask = 0, found;

	while (*s != '\0') {
		len = strcspn(s, ",");
		found = 0;
		for (i = 0; i < sizeof names / sizeof names[0]; i++) {
			if (strlen(names[i].name) == len &&
			    strncmp(names[i].name, s, len) == 0) {
				mask |= names[i].bit;
				found = 1;
			}
		}
		if (!found && len > 0) {
			bsnprintf(word, sizeof word, "%.*s", (int)len, s);
			*bad = word;
			return -1;
		}
		s += len;
		if (*s == ',')
			s++;
	}
	return mask;
}

static void	log_vwrite(int, const char *, const char *, va_list)
	    __attribute__((format(printf, 3, 0)));

static void
log_vwrite(int pri, const char *prefix, const char *fmt, va_list ap)
{
	char	buf[2048];
	int	saved = errno;

	if (log_state.quiet && pri > LOG_CRIT)
		return;
	vsnprintf(buf, sizeof buf, fmt, ap);
	if (log_state.syslog)
		syslog(pri, "%s%s", prefix, buf);
	else {
		fprintf(stderr, "%s: %s%s\n", log_state.name, prefix, buf);
		fflush(stderr);
	}
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	char	buf[2048];
	va_list	ap;
	int	saved = errno;

	if (log_state.quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (log_state.syslog)
		syslog(LOG_WARNING, "%s: %s", buf, strerror(saved));
	else {
		fprintf(stderr, "%s: %s: %s\n", log_state.name, buf,
		    strerror(saved));
		fflush(stderr);
	}
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, "", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, "", fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!log_state.debug)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, "", fmt, ap);
	va_end(ap);
}

void
log_trace(int what, const char *fmt, ...)
{
	va_list	ap;

	if (!(log_state.traces & what))
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, "trace: ", fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	char	buf[2048];
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (log_state.syslog)
		syslog(LOG_CRIT, "fatal: %s: %s", buf, strerror(saved));
	else
		fprintf(stderr, "%s: fatal: %s: %s\n", log_state.name, buf,
		    strerror(saved));
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, "fatal: ", fmt, ap);
	va_end(ap);
	exit(1);
}

char *
log_escape(const void *p, size_t len, char *out, size_t outlen)
{
	const unsigned char	*b = p;
	char			 tmp[5];
	size_t			 i, o = 0, n;

	if (outlen == 0)
		return out;
	for (i = 0; i < len; i++) {
		switch (b[i]) {
		case '\r':
			memcpy(tmp, "\\r", 3);
			break;
		case '\n':
			memcpy(tmp, "\\n", 3);
			break;
		case '\t':
			memcpy(tmp, "\\t", 3);
			break;
		case '\\':
			memcpy(tmp, "\\\\", 3);
			break;
		default:
			if (b[i] < 0x20 || b[i] >= 0x7f)
				snprintf(tmp, sizeof tmp, "\\x%02x", b[i]);
			else {
				tmp[0] = (char)b[i];
				tmp[1] = '\0';
			}
			break;
		}
		n = strlen(tmp);
		if (o + n + 4 > outlen) {
			if (outlen >= 4) {
				o = o + 3 < outlen ? o : outlen - 4;
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(out + o, tmp, n);
		o += n;
	}
	out[o < outlen ? o : outlen - 1] = '\0';
	return out;
}

const char *
log_number(const char *num)
{
	static char	ring[4][PHONE_MAX + 8];
	static int	k;
	char		*out = ring[k++ % 4];

	if (num == NULL)
		return "(none)";
	if (log_state.debug)
		return num;
	phone_mask(num, out, sizeof ring[0]);
	return out;
}
