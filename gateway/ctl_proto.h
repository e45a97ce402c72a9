/*
 * gateway/ctl_proto.h — the control protocol between the CLI `tambuli`
 * and the daemon `tambulid`, over a Unix socket.  Pure: no I/O, no
 * allocation, no logging; the caller reads lines off the socket (LF
 * terminated, the LF not passed in) and writes what the formatters build.
 *
 * Shape of a session (C: client, S: daemon):
 *
 *	C: HELLO tambuli 1
 *	S: 250 tambulid 1
 *	C: STATUS
 *	S: %begin 2
 *	S: modem1 ready signal=-71dBm ...
 *	S: %end 2
 *	S: 200 ok
 *	S: %event progress 12 340 400
 *
 * - Requests are one line, `VERB [ARG...]`, at most CTL_PROTO_LINE_MAX
 *   bytes without the LF, at most CTL_PROTO_ARGS_MAX arguments.  Args are
 *   separated by spaces.  An argument that is empty or holds a space, a
 *   double quote, a backslash, a control byte or DEL is written as a
 *   double-quoted string with the escapes \" \\ \n \t \xHH; bytes >= 0x80
 *   (UTF-8) pass through raw, quoted or not.  A NUL can never be carried.
 * - Each request line, valid or not, gets exactly one final reply line
 *   `NNN text` (2xx ok, 4xx the client's fault, 5xx the daemon's).  Request
 *   lines are numbered from 1 on each connection (HELLO is 1); replies come
 *   in request order.
 * - A reply with a body frames it as `%begin N` ... `%end N` (N the request
 *   number) right before its final line.  A body line that starts with '%'
 *   is sent with the '%' doubled.
 * - Asynchronous events, `%event NAME [ARG...]`, may come between replies
 *   but NEVER inside a %begin/%end block: the daemon holds events while a
 *   block is open and flushes them after %end.  The client-side reader
 *   treats any breach as a protocol error.
 * - The client opens with `HELLO tambuli VERSION`; the daemon answers 250
 *   when it speaks that version and 406 (naming its own) when not, and
 *   closes.  Bump CTL_PROTO_VERSION whenever the meaning of a verb, its
 *   arguments or a reply changes.  Verbs are numbered and append-only:
 *   never renumber or reuse one; a retired verb stays in the enum.
 */
#ifndef CTL_PROTO_H
#define CTL_PROTO_H

#include <stddef.h>

#define CTL_PROTO_VERSION	1
#define CTL_PROTO_LINE_MAX	4096	/* bytes in a line, without the LF */
#define CTL_PROTO_ARGS_MAX	16	/* arguments after the verb */

/* Verbs: numbered, append-only.  0 is never a verb. */
enum ctl_verb {
	CTL_VERB_HELLO = 1,	/* tambuli VERSION */
	CTL_VERB_STATUS = 2,	/* [MODEM] */
	CTL_VERB_KICK = 3,	/* new work in the DB: wake the scheduler */
	CTL_VERB_WATCH = 4,	/* BROADCAST-ID: stream progress as events */
	CTL_VERB_USSD = 5,	/* MODEM|- CODE */
	CTL_VERB_USSD_REPLY = 6,	/* MODEM TEXT */
	CTL_VERB_USSD_CANCEL = 7,	/* MODEM */
	CTL_VERB_TRACE = 8,	/* NAMES ("at,db", "none") */
	CTL_VERB_LOG_DEBUG = 9,	/* on|off */
	CTL_VERB_RELOAD = 10,
	CTL_VERB_QUIT = 11,
	CTL_VERB_BALANCE = 12,	/* MODEM|-: check the balance now */
	CTL_VERB_WIPE = 13,	/* DATABASE [stop|destroy]: panic wipe */
};
#define CTL_VERB_LAST	CTL_VERB_WIPE

/* Reply codes. */
#define CTL_CODE_OK		200
#define CTL_CODE_HELLO		250	/* "250 tambulid VERSION" */
#define CTL_CODE_BAD_REQUEST	400	/* did not parse; text says why */
#define CTL_CODE_NOT_ALLOWED	401	/* peer uid/gid may not do this */
#define CTL_CODE_NOT_FOUND	404	/* no such modem, broadcast, session */
#define CTL_CODE_VERSION	406	/* "406 tambulid speaks version N" */
#define CTL_CODE_BUSY		409	/* conflict: modem busy, USSD running */
#define CTL_CODE_INTERNAL	500
#define CTL_CODE_UNAVAILABLE	503	/* no modem up, shutting down */

/* Argument types, checked by ctl_proto_parse before any dispatch. */
enum ctl_arg_type {
	CTL_ARG_STRING = 1,	/* anything (no NUL) */
	CTL_ARG_INT,		/* decimal, within [min, max] */
	CTL_ARG_WORD,		/* [A-Za-z0-9_.,:+-]+, or one of words */
};

struct ctl_proto_argspec {
	enum ctl_arg_type	 type;
	const char		*name;	/* for usage and errors */
	long long		 min, max;	/* CTL_ARG_INT */
	const char *const	*words;	/* CTL_ARG_WORD: NULL-ended, or NULL */
};

struct ctl_proto_verb {
	enum ctl_verb		 verb;
	const char		*name;
	unsigned		 min, max;	/* arity */
	int			 flags;
#define CTL_PROTO_F_PRIVILEGED	0x1	/* changes state or costs money:
					   owner uid or group only */
	struct ctl_proto_argspec args[2];	/* the last repeats */
	const char		*help;
};

/* A parsed request.  Argument strings point into buf. */
struct ctl_arg {
	const char	*s;	/* unquoted, NUL-terminated */
	size_t		 len;
	long long	 n;	/* CTL_ARG_INT: the value */
};

struct ctl_request {
	enum ctl_verb	 verb;
	size_t		 argc;
	struct ctl_arg	 argv[CTL_PROTO_ARGS_MAX];
	char		 buf[CTL_PROTO_LINE_MAX + 1];
};

/*
 * Parse one request line (without its LF; one trailing CR is ignored)
 * into req, checking arity and argument types against the verb table.
 * Returns 0, or -1 with *err a static message naming the problem.
 */
int	 ctl_proto_parse(const char *line, size_t len, struct ctl_request *req,
	    const char **err);

/* The verb table entry for v, or NULL; by name (exact, uppercase). */
const struct ctl_proto_verb *ctl_proto_verb(enum ctl_verb v);
const struct ctl_proto_verb *ctl_proto_verb_find(const char *name,
	    size_t len);
const char *ctl_proto_verb_name(enum ctl_verb v);	/* "?" if unknown */

/*
 * Split s (len bytes) into at most maxargs arguments, unquoting into buf
 * (buflen >= len + 1 is always enough); argv[i] point into buf.  Returns
 * 0, or -1 with *err.
 */
int	 ctl_proto_split(const char *s, size_t len, char *buf, size_t buflen,
	    struct ctl_arg *argv, size_t maxargs, size_t *argc,
	    const char **err);

/*
 * Write arg to out as one protocol argument, quoted only when it must be.
 * Returns the length written (a NUL follows), or -1 when it does not fit.
 */
int	 ctl_proto_quote(const char *arg, char *out, size_t outlen);

/*
 * Build a request line "VERB ARG...\n" from a NULL-ended argv (NULL for
 * none), checked against the verb table as the daemon will check it.
 * Returns the length (LF included, NUL follows), or -1 with *err.
 */
int	 ctl_proto_format_request(enum ctl_verb verb, const char *const *argv,
	    char *out, size_t outlen, const char **err);

/*
 * Daemon side.  Each returns the length of the line written to out, LF
 * included, or -1 when it does not fit (or code is not 200..599, or name
 * is not a word).  Control bytes in final texts are replaced with '?';
 * a body line must not contain a LF (it is cut there).
 */
int	 ctl_proto_format_final(int code, const char *text, char *out,
	    size_t outlen);
int	 ctl_proto_format_begin(unsigned long long reqno, char *out,
	    size_t outlen);
int	 ctl_proto_format_end(unsigned long long reqno, char *out,
	    size_t outlen);
int	 ctl_proto_format_body(const char *line, size_t len, char *out,
	    size_t outlen);
int	 ctl_proto_format_event(const char *name, const char *const *argv,
	    char *out, size_t outlen);

/*
 * Client side: an incremental reply reader.  Call ctl_proto_reader_sent
 * after writing each request line, and feed each line read (without its
 * LF) to ctl_proto_reader_line, which yields one item.  Any framing
 * breach (a block for a request not sent or out of order, a nested
 * %begin, a final or event inside a block, an %end that does not match,
 * a body line outside a block, a bad final line) returns -1 with *err and
 * leaves the reader broken: every later line fails too, and the caller
 * should drop the connection.
 */
enum ctl_proto_item_type {
	CTL_ITEM_BEGIN = 1,	/* reqno */
	CTL_ITEM_BODY,		/* text: the line, '%%' unescaped */
	CTL_ITEM_END,		/* reqno */
	CTL_ITEM_FINAL,		/* reqno, code, text */
	CTL_ITEM_EVENT,		/* name, argc/argv */
};

struct ctl_proto_item {
	enum ctl_proto_item_type type;
	unsigned long long	 reqno;
	int			 code;
	const char		*text;	/* BODY, FINAL: NUL-terminated */
	size_t			 len;
	const char		*name;	/* EVENT */
	size_t			 argc;
	struct ctl_arg		 argv[CTL_PROTO_ARGS_MAX];
	char			 buf[CTL_PROTO_LINE_MAX + 1];
};

struct ctl_proto_reader {
	unsigned long long	 sent;	/* requests written */
	unsigned long long	 done;	/* finals read */
	int			 inblock;
	int			 broken;
};

void	 ctl_proto_reader_init(struct ctl_proto_reader *r);
void	 ctl_proto_reader_sent(struct ctl_proto_reader *r);
int	 ctl_proto_reader_line(struct ctl_proto_reader *r, const char *line,
	    size_t len, struct ctl_proto_item *it, const char **err);
/* 1 when every request sent has had its final reply */
int	 ctl_proto_reader_idle(const struct ctl_proto_reader *r);

#endif
