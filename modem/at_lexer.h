/*
 * modem/at_lexer.h — the AT response engine: bytes from the serial port
 * in, typed events out.  Pure: no I/O, no clock, no logging; the only
 * allocation is the struct itself, in at_lexer_new().
 *
 * Usage, from the driver's read callback:
 *
 *	at_lexer_cmd(lx, "AT+CSQ", "+CSQ:", 0);	   before writing it
 *	while (len > 0) {
 *		n = at_lexer_push(lx, buf, len);    consumes what it can
 *		buf += n, len -= n;
 *		while (at_lexer_next(lx, &ev))	    then drain the events
 *			handle(&ev);
 *	}
 *
 * at_lexer_push() stops consuming as soon as an event is ready, so memory
 * stays bounded whatever the driver feeds it; it returns 0 until the
 * ready events are drained.  Bytes may be split anywhere: the events are
 * the same.  Line splitting (V.250 §5.7.1: S3/S4 CR LF, but any of CRLF,
 * CR, LF, CR CR LF is accepted), the "> " prompt (TS 27.005 §3.5.1, no
 * terminator), echo, two-line results and the line cap are handled
 * here; each line's meaning comes from at_resp_classify().
 */
#ifndef AT_LEXER_H
#define AT_LEXER_H

#include <stddef.h>

#include "at_resp.h"

#define AT_LEXER_LINE_MAX	1024	/* bytes of one line, terminator aside */
#define AT_LEXER_CMD_MAX	512	/* command text kept for echo matching */
#define AT_LEXER_PREFIX_MAX	32

struct at_lexer;

enum at_ev {
	AT_EV_FINAL,		/* final result; the command is over */
	AT_EV_INTERMEDIATE,	/* a line of the in-flight command's answer */
	AT_EV_URC,		/* unsolicited result code */
	AT_EV_ECHO,		/* echo of the command line, or of the data
				 * typed after "> " */
	AT_EV_PROMPT,		/* "> ": write the PDU and ^Z now */
	AT_EV_OVERFLOW,		/* a line exceeded AT_LEXER_LINE_MAX; line
				 * holds its first AT_LEXER_LINE_MAX bytes,
				 * the rest up to the terminator is dropped */
};

struct at_event {
	enum at_ev	 type;
	/* the line, NUL-terminated, without terminator; NUL bytes from the
	 * modem are dropped, any other byte is kept; ">" for a prompt */
	const char	*line;
	size_t		 len;
	/* the PDU line of a two-line result (+CMT, +CDS, +CMGR, +CMGL), or
	 * NULL when the next line was not hex (an empty slot) */
	const char	*pdu;
	size_t		 pdulen;
	/* classification (FINAL, INTERMEDIATE, URC, ECHO) */
	struct at_resp	 resp;
};

/* Allocate (malloc) a lexer; NULL if out of memory.  No command in flight. */
struct at_lexer	*at_lexer_new(void);
void		 at_lexer_free(struct at_lexer *);

/*
 * Forget everything: partial line, pending events, command in flight.
 * For a reopened or reset modem.
 */
void		 at_lexer_reset(struct at_lexer *);

/*
 * Tell the lexer which command is in flight, before writing it.  cmd is
 * the command line without its CR (its echo is then AT_EV_ECHO); prefix
 * its intermediate prefix, colon included, or NULL; flags are
 * AT_RESP_CTX_BARE (answer is bare lines, AT+CGMI/AT+CGSN/AT+CIMI) and
 * AT_RESP_CTX_PROMPT (AT+CMGS, AT+CMGW: a "> " is awaited).  cmd NULL
 * means no command in flight (after a timeout).  The strings are copied.
 * The lexer itself drops the command at its final result.  Returns NULL,
 * or an error message if a string is too long (nothing is changed).
 */
const char	*at_lexer_cmd(struct at_lexer *, const char *, const char *,
		    unsigned);

/* Feed bytes; returns how many were consumed (see above). */
size_t		 at_lexer_push(struct at_lexer *, const void *, size_t);

/*
 * Take the next event: 1 and *ev filled, or 0 if none.  The event's
 * pointers stay valid until the next call on this lexer.
 */
int		 at_lexer_next(struct at_lexer *, struct at_event *);

/*
 * No more bytes are coming for now (the driver's response timer fired):
 * an unterminated line counts as complete, and a two-line header still
 * waiting for its PDU is released without one.  Drain with at_lexer_next().
 */
void		 at_lexer_flush(struct at_lexer *);

/* Check the internal invariants: 0 if consistent, -1 if not. */
int		 at_lexer_check(const struct at_lexer *);

const char	*at_lexer_ev_name(enum at_ev);

#endif
