/*
 * gateway/log.c — the log sink: stderr, as plain lines (the CLI), as
 * timestamped lines (a daemon on a terminal or writing to a file), or with
 * the sd-daemon priority prefix "<N>" and no timestamp when stderr is the
 * journal ($JOURNAL_STREAM names stderr's device:inode; the journal stamps
 * lines itself and files them by priority); or syslog.  errno is preserved
 * across calls.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "log.h"
#include "phone.h"

/* The log sink is a true singleton: a file-scope static. */
static struct {
	const char	*name;
	int		 debug;
	enum log_to	 to;
	int		 traces;
	int		 quiet;
	int		 debug_numbers;	/* full numbers even to the journal */
	FILE		*fp;		/* instead of stderr, or NULL */
} log_state = { "tambuli", 0, LOG_TO_STDERR, 0, 0, 0, NULL };

/* Is stderr the stream $JOURNAL_STREAM ("DEV:INODE") names? */
static int
log_stderr_is_journal(void)
{
	const char		*v = getenv("JOURNAL_STREAM");
	struct stat		 st;
	unsigned long long	 dev, ino;
	char			 end;

	if (v == NULL || sscanf(v, "%llu:%llu%c", &dev, &ino, &end) != 2 ||
	    fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_set_stream(FILE *fp)
{
	log_state.fp = fp;
}

void
log_set_quiet(int q)
{
	log_state.quiet = q;
}

void
log_init(const char *name, int debug, enum log_to to)
{
	log_state.name = name;
	log_state.debug = debug;
	if (to == LOG_TO_DAEMON && log_stderr_is_journal())
		to = LOG_TO_JOURNAL;
	log_state.to = to;
	if (to == LOG_TO_SYSLOG)
		openlog(name, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

enum log_to
log_get_to(void)
{
	return log_state.to;
}

const char *
log_prefix(int pri)
{
	static const char *const prefixes[] = {
		"<0>", "<1>", "<2>", "<3>", "<4>", "<5>", "<6>", "<7>"
	};

	if (log_state.to != LOG_TO_JOURNAL || pri < 0 || pri > 7)
		return "";
	return prefixes[pri];
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

/* Is the log kept where numbers must not go (the journal, syslog)? */
static int
log_kept(void)
{
	return (log_state.to == LOG_TO_JOURNAL ||
	    log_state.to == LOG_TO_SYSLOG) && !log_state.debug_numbers;
}

void
log_set_debug_numbers(int yes)
{
	log_state.debug_numbers = yes;
}

/*
 * Does debug logging write full phone numbers now?  Never into the
 * journal (or syslog, which a service's journal collects too) unless
 * debug_numbers is set: journals are kept, copied and forwarded, and a
 * member's number must not outlive the hour of debugging in them.
 */
int
log_numbers_shown(void)
{
	return log_state.debug && !log_kept();
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

/* One line, as the sink wants it; errmsg (may be NULL) ends it. */
static void
log_emit(int pri, const char *prefix, const char *msg, const char *errmsg)
{
	char		stamp[32];
	time_t		now;
	struct tm	tm;
	const char	*sep = errmsg != NULL ? ": " : "";
	FILE		*fp = stderr;

	if (errmsg == NULL)
		errmsg = "";
	if (log_state.fp != NULL)
		fp = log_state.fp;
	switch (log_state.to) {
	case LOG_TO_SYSLOG:
		syslog(pri, "%s%s%s%s", prefix, msg, sep, errmsg);
		return;
	case LOG_TO_JOURNAL:
		fprintf(fp, "<%d>%s%s%s%s\n", pri, prefix, msg, sep, errmsg);
		break;
	case LOG_TO_DAEMON:
		now = time(NULL);
		if (localtime_r(&now, &tm) == NULL ||
		    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm) == 0)
			stamp[0] = '\0';
		fprintf(fp, "%s %s: %s%s%s%s\n", stamp, log_state.name,
		    prefix, msg, sep, errmsg);
		break;
	case LOG_TO_STDERR:
		fprintf(fp, "%s: %s%s%s%s\n", log_state.name, prefix, msg,
		    sep, errmsg);
		break;
	}
	fflush(fp);
}

/*
 * Debug and trace lines echo what modems say (+CMT headers, PDUs, AT
 * commands with numbers) besides what log_number() masks: into a kept
 * log, every run of seven or more digits is masked like a number, its
 * first and last two digits left.
 */
static void
log_scrub(char *buf)
{
	char	*p = buf, *q;
	size_t	 n, i;

	while (*p != '\0') {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		for (q = p; *q >= '0' && *q <= '9'; q++)
			;
		n = (size_t)(q - p);
		for (i = 2; n >= 7 && i < n - 2; i++)
			p[i] = '*';
		p = q;
	}
}

static void
log_vwrite(int pri, const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#define LOG_STAGE_MAX	16
static struct {
	int	on;
	int	n;
	char	line[LOG_STAGE_MAX][512];
} log_stage;

void
log_stage_begin(void)
{
	log_stage.on = 1;
	log_stage.n = 0;
}

void
log_stage_end(int committed)
{
	int	i;

	for (i = 0; committed && i < log_stage.n; i++)
		log_emit(LOG_INFO, "", log_stage.line[i], NULL);
	log_stage.on = 0;
	log_stage.n = 0;
}

static void
log_vwrite(int pri, const char *prefix, const char *fmt, va_list ap)
{
	char	buf[2048];
	int	saved = errno;

	if (log_state.quiet && pri > LOG_CRIT)
		return;
	vsnprintf(buf, sizeof buf, fmt, ap);
	if (pri == LOG_DEBUG && log_kept())
		log_scrub(buf);
	if (log_stage.on && pri == LOG_INFO && *prefix == '\0' &&
	    log_stage.n < LOG_STAGE_MAX && strlen(buf) <
	    sizeof log_stage.line[0]) {
		memcpy(log_stage.line[log_stage.n++], buf, strlen(buf) + 1);
		errno = saved;
		return;
	}
	log_emit(pri, prefix, buf, NULL);
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
	log_emit(LOG_WARNING, "", buf, strerror(saved));
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
	log_emit(LOG_CRIT, "fatal: ", buf, strerror(saved));
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
	if (log_numbers_shown())
		return num;
	phone_mask(num, out, sizeof ring[0]);
	return out;
}
