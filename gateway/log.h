/*
 * gateway/log.h — logging: fixed levels plus named traces.
 *
 * Processes log to stderr: the CLI as plain lines, the daemon with a
 * timestamp on each line, or, when stderr is the journal, with the
 * sd-daemon priority prefix "<N>" and no timestamp (the journal stamps
 * lines itself).  Debug lines start with
 * __func__.  Operational events are key=value with stable ids.  Library
 * code (db/, the pure cores) never logs; the boundary that decides what
 * to do with an error logs it, once.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Named traces, enabled with -T at,db or at run time. */
#define TRACE_AT	0x01	/* every byte to and from the modems */
#define TRACE_DB	0x02
#define TRACE_CTL	0x04	/* control socket requests */
#define TRACE_SCHED	0x08

enum log_to {
	LOG_TO_STDERR,		/* "name: message" (the CLI) */
	LOG_TO_DAEMON,		/* the journal if stderr is it, else stamped */
	LOG_TO_JOURNAL,		/* "<N>message" */
	LOG_TO_SYSLOG,
};

void	log_init(const char *, int, enum log_to);	/* name, debug */
enum log_to log_get_to(void);
/*
 * What a line written to stderr outside these functions (usage, the
 * configuration's errors) starts with: the sd-daemon prefix "<N>" for
 * priority pri when the log is the journal, else "".
 */
const char *log_prefix(int);
void	log_set_debug(int);
/*
 * Lines go to this stream instead of stderr (NULL: stderr again).  The
 * fuzz harness of the driver formats every line, modem bytes in them,
 * and writes it to /dev/null.
 */
void	log_set_stream(FILE *);
/* quiet: only fatal errors (a CLI reports failures itself) */
void	log_set_quiet(int);
int	log_get_debug(void);
/* debug_numbers = yes: debug shows full numbers even in the journal */
void	log_set_debug_numbers(int);
/* 1 when log_number() shows full numbers now (debug on, and the log is
 * not the journal or debug_numbers is set) */
int	log_numbers_shown(void);
void	log_set_traces(int);
int	log_get_traces(void);
/* parse "at,db,ctl,sched" into a mask; -1 and *bad on an unknown name */
int	log_parse_traces(const char *, const char **);

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_trace(int, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Info lines written between log_stage_begin() and log_stage_end() wait
 * (up to 16; past that they go out at once): they say what a transaction
 * did, so they are written only if it commits (log_stage_end(1)), never
 * for work undone.  Warnings and debug lines go out at once.
 */
void	log_stage_begin(void);
void	log_stage_end(int committed);
void	fatal(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));
void	fatalx(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

/*
 * Make bytes printable for a log line: \r \n \t \x1a and other controls
 * become visible escapes.  Writes at most outlen - 1 characters and a NUL;
 * a cut is marked with "...".  Returns out.
 */
char	*log_escape(const void *, size_t, char *, size_t);

/*
 * A phone number as logs may show it: masked ("+14*******00") unless
 * debug logging is on, and, when the log is the journal, debug_numbers is
 * set too.  Returns a static buffer (one of a small ring, so
 * a few may appear in one log call).
 */
const char *log_number(const char *);

#endif
