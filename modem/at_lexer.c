/*
 * modem/at_lexer.c — the byte-fed AT response state machine.
 *
 * Framing follows ITU-T V.250 §5.7.1 (responses are <CR><LF>text<CR><LF>
 * with the default S3/S4) and 3GPP TS 27.005 §3.5.1 / §4.3 (AT+CMGS:
 * the TA sends <CR><LF><greater_than><space> and then waits for the PDU).
 * Two-line results follow TS 27.005 §3.4.1 (+CMT, +CDS in PDU mode) and
 * §3.4.2/§4.1 (+CMGL, +CMGR: a header line, then the PDU line).
 *
 * Deviations, because real modems deviate:
 * - any of CR LF, lone CR, lone LF, CR CR LF ends a line, and a line ends
 *   at its first CR (so "OK\r" is final without waiting for the LF);
 *   empty and blank lines are skipped;
 * - NUL bytes are dropped (so lines stay C strings); every other byte,
 *   0xff and invalid UTF-8 included, is kept: lines are byte strings;
 * - a '>' that starts a line is the prompt only while the in-flight
 *   command waits for one (AT_RESP_CTX_PROMPT) and no PDU line is owed.
 *   That makes it unambiguous: no answer of AT+CMGS/AT+CMGW and no URC
 *   starts with '>', while elsewhere "> " can start an ordinary line (a
 *   quoted SMS body).  The space after '>' is optional, and the prompt is
 *   reported at the '>' so a modem that sends ">" alone does not stall;
 * - a line longer than AT_LEXER_LINE_MAX becomes AT_EV_OVERFLOW and the
 *   rest of it is dropped;
 * - when the line after a two-line header is not hex (the slot was empty,
 *   or a URC or final result cut in), the header is released alone and
 *   that line is then processed as usual: nothing is swallowed.
 *
 * The byte level is a table of named states with byte-range transitions
 * (as in tmux's input.c).  The tables cover every byte of every state;
 * at_lexer_check() verifies that, so a gap is a bug caught by any test.
 */
#include <stdlib.h>
#include <string.h>

#include "at_lexer.h"

enum at_lexer_state {
	AT_LEXER_BOL,		/* at the beginning of a line */
	AT_LEXER_LINE,		/* inside a line */
	AT_LEXER_DISCARD,	/* inside an overlong line */
	AT_LEXER_PROMPT,	/* after the '>' of a prompt */
	AT_LEXER_NSTATES
};

enum at_lexer_action {
	AT_LEXER_DROP,		/* ignore the byte */
	AT_LEXER_KEEP,		/* append the byte to the line */
	AT_LEXER_END,		/* the line is complete */
	AT_LEXER_GT,		/* '>' at line start: prompt, or KEEP */
	AT_LEXER_AGAIN,		/* change state, re-read the byte there */
};

struct at_lexer_transition {
	unsigned char		 lo;
	unsigned char		 hi;
	enum at_lexer_action	 action;
	enum at_lexer_state	 next;
};

static const struct at_lexer_transition at_lexer_bol[] = {
	{ 0x00, 0x00, AT_LEXER_DROP, AT_LEXER_BOL },
	{ 0x01, 0x09, AT_LEXER_KEEP, AT_LEXER_LINE },
	{ 0x0a, 0x0a, AT_LEXER_DROP, AT_LEXER_BOL },	/* empty line */
	{ 0x0b, 0x0c, AT_LEXER_KEEP, AT_LEXER_LINE },
	{ 0x0d, 0x0d, AT_LEXER_DROP, AT_LEXER_BOL },	/* empty line */
	{ 0x0e, 0x3d, AT_LEXER_KEEP, AT_LEXER_LINE },
	{ 0x3e, 0x3e, AT_LEXER_GT, AT_LEXER_LINE },
	{ 0x3f, 0xff, AT_LEXER_KEEP, AT_LEXER_LINE },
};

static const struct at_lexer_transition at_lexer_line_t[] = {
	{ 0x00, 0x00, AT_LEXER_DROP, AT_LEXER_LINE },
	{ 0x01, 0x09, AT_LEXER_KEEP, AT_LEXER_LINE },
	{ 0x0a, 0x0a, AT_LEXER_END, AT_LEXER_BOL },
	{ 0x0b, 0x0c, AT_LEXER_KEEP, AT_LEXER_LINE },
	{ 0x0d, 0x0d, AT_LEXER_END, AT_LEXER_BOL },
	{ 0x0e, 0xff, AT_LEXER_KEEP, AT_LEXER_LINE },
};

static const struct at_lexer_transition at_lexer_discard[] = {
	{ 0x00, 0x09, AT_LEXER_DROP, AT_LEXER_DISCARD },
	{ 0x0a, 0x0a, AT_LEXER_DROP, AT_LEXER_BOL },
	{ 0x0b, 0x0c, AT_LEXER_DROP, AT_LEXER_DISCARD },
	{ 0x0d, 0x0d, AT_LEXER_DROP, AT_LEXER_BOL },
	{ 0x0e, 0xff, AT_LEXER_DROP, AT_LEXER_DISCARD },
};

static const struct at_lexer_transition at_lexer_prompt[] = {
	{ 0x00, 0x1f, AT_LEXER_AGAIN, AT_LEXER_BOL },
	{ 0x20, 0x20, AT_LEXER_DROP, AT_LEXER_BOL },	/* "> " */
	{ 0x21, 0xff, AT_LEXER_AGAIN, AT_LEXER_BOL },
};

static const struct {
	const char				*name;
	const struct at_lexer_transition	*t;
	size_t					 n;
} at_lexer_states[AT_LEXER_NSTATES] = {
#define AT_LEXER_STATE(name, t) { name, t, sizeof t / sizeof t[0] }
	AT_LEXER_STATE("bol", at_lexer_bol),
	AT_LEXER_STATE("line", at_lexer_line_t),
	AT_LEXER_STATE("discard", at_lexer_discard),
	AT_LEXER_STATE("prompt", at_lexer_prompt),
#undef AT_LEXER_STATE
};

struct at_lexer {
	enum at_lexer_state	 state;

	char			 cur[AT_LEXER_LINE_MAX + 1];
	size_t			 curlen;

	/* a two-line header waiting for its PDU line */
	int			 has_held;
	char			 held[AT_LEXER_LINE_MAX + 1];
	size_t			 heldlen;
	struct at_resp		 heldresp;

	/* work deferred until the ready event is taken */
	int			 pending;
#define AT_LEXER_P_NONE		0
#define AT_LEXER_P_LINE		1	/* cur holds a line to classify */
#define AT_LEXER_P_OVERFLOW	2	/* cur holds a cut line to report */
	int			 flushing;	/* at_lexer_flush() under way */

	int			 ready;
	struct at_event		 ev;

	/* the command in flight */
	int			 incmd;
	int			 echo_wanted;	/* its echo not seen yet */
	char			 cmd[AT_LEXER_CMD_MAX + 1];
	char			 prefix[AT_LEXER_PREFIX_MAX + 1];
	unsigned		 flags;		/* AT_RESP_CTX_* */
};

static const char at_lexer_gt[] = ">";

struct at_lexer *
at_lexer_new(void)
{
	struct at_lexer	*lx;

	if ((lx = malloc(sizeof *lx)) == NULL)
		return NULL;
	at_lexer_reset(lx);
	return lx;
}

void
at_lexer_free(struct at_lexer *lx)
{
	free(lx);
}

void
at_lexer_reset(struct at_lexer *lx)
{
	memset(lx, 0, sizeof *lx);
	lx->state = AT_LEXER_BOL;
	lx->pending = AT_LEXER_P_NONE;
}

const char *
at_lexer_cmd(struct at_lexer *lx, const char *cmd, const char *prefix,
    unsigned flags)
{
	if (cmd == NULL) {
		lx->incmd = 0;
		lx->echo_wanted = 0;
		lx->cmd[0] = '\0';
		lx->prefix[0] = '\0';
		lx->flags = 0;
		return NULL;
	}
	if (strlen(cmd) > AT_LEXER_CMD_MAX)
		return "command too long to track";
	if (prefix != NULL && strlen(prefix) > AT_LEXER_PREFIX_MAX)
		return "response prefix too long";
	lx->incmd = 1;
	memcpy(lx->cmd, cmd, strlen(cmd) + 1);
	lx->echo_wanted = cmd[0] != '\0';
	if (prefix != NULL)
		memcpy(lx->prefix, prefix, strlen(prefix) + 1);
	else
		lx->prefix[0] = '\0';
	lx->flags = flags & (AT_RESP_CTX_BARE | AT_RESP_CTX_PROMPT);
	return NULL;
}

static enum at_ev
at_lexer_ev_type(enum at_resp_kind kind)
{
	switch (kind) {
	case AT_RESP_FINAL:
		return AT_EV_FINAL;
	case AT_RESP_INTERMEDIATE:
		return AT_EV_INTERMEDIATE;
	case AT_RESP_ECHO:
		return AT_EV_ECHO;
	case AT_RESP_URC:
		break;
	}
	return AT_EV_URC;
}

/* Make the held two-line header the ready event, with pdu or without. */
static void
at_lexer_release(struct at_lexer *lx, const char *pdu, size_t pdulen)
{
	memset(&lx->ev, 0, sizeof lx->ev);
	lx->ev.type = at_lexer_ev_type(lx->heldresp.kind);
	lx->ev.line = lx->held;
	lx->ev.len = lx->heldlen;
	lx->ev.pdu = pdu;
	lx->ev.pdulen = pdulen;
	lx->ev.resp = lx->heldresp;
	lx->has_held = 0;
	lx->ready = 1;
}

static int
at_lexer_blank(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	}
	return 1;
}

/* A complete line is in cur (NUL-terminated): classify it. */
static void
at_lexer_line(struct at_lexer *lx)
{
	struct at_resp_ctx	 ctx, *ctxp = NULL;
	struct at_resp		 r;

	if (at_lexer_blank(lx->cur, lx->curlen)) {
		lx->curlen = 0;
		return;
	}
	if (lx->has_held) {
		if (at_resp_is_pdu(lx->cur, lx->curlen)) {
			at_lexer_release(lx, lx->cur, lx->curlen);
			lx->curlen = 0;
		} else {
			/* an empty slot, or a line cutting in: release the
			 * header alone, look at this line on the next call */
			at_lexer_release(lx, NULL, 0);
			lx->pending = AT_LEXER_P_LINE;
		}
		return;
	}

	if (lx->incmd) {
		ctx.cmd = lx->echo_wanted ? lx->cmd : NULL;
		ctx.prefix = lx->prefix[0] != '\0' ? lx->prefix : NULL;
		ctx.flags = lx->flags;
		ctxp = &ctx;
	}
	at_resp_classify(lx->cur, lx->curlen, ctxp, &r);

	if (r.flags & AT_RESP_PDU) {
		memcpy(lx->held, lx->cur, lx->curlen + 1);
		lx->heldlen = lx->curlen;
		lx->heldresp = r;
		lx->heldresp.value = lx->held + (r.value - lx->cur);
		lx->has_held = 1;
		lx->curlen = 0;
		return;
	}

	if (r.kind == AT_RESP_ECHO)
		lx->echo_wanted = 0;
	else if (r.kind == AT_RESP_FINAL)
		(void)at_lexer_cmd(lx, NULL, NULL, 0);

	memset(&lx->ev, 0, sizeof lx->ev);
	lx->ev.type = at_lexer_ev_type(r.kind);
	lx->ev.line = lx->cur;
	lx->ev.len = lx->curlen;
	lx->ev.resp = r;
	lx->ready = 1;
	lx->curlen = 0;
}

static void
at_lexer_overflow_ev(struct at_lexer *lx)
{
	memset(&lx->ev, 0, sizeof lx->ev);
	lx->ev.type = AT_EV_OVERFLOW;
	lx->ev.line = lx->cur;
	lx->ev.len = lx->curlen;
	lx->ready = 1;
	lx->curlen = 0;
}

/* The line outgrew the buffer: report what we have, drop the rest. */
static void
at_lexer_overflow(struct at_lexer *lx)
{
	lx->cur[lx->curlen] = '\0';
	lx->state = AT_LEXER_DISCARD;
	if (lx->has_held) {
		at_lexer_release(lx, NULL, 0);
		lx->pending = AT_LEXER_P_OVERFLOW;
		return;
	}
	at_lexer_overflow_ev(lx);
}

/* Do deferred work until an event is ready or none is left. */
static void
at_lexer_settle(struct at_lexer *lx)
{
	if (lx->ready)
		return;
	switch (lx->pending) {
	case AT_LEXER_P_LINE:
		lx->pending = AT_LEXER_P_NONE;
		at_lexer_line(lx);
		break;
	case AT_LEXER_P_OVERFLOW:
		lx->pending = AT_LEXER_P_NONE;
		at_lexer_overflow_ev(lx);
		break;
	}
	if (lx->ready || !lx->flushing)
		return;

	if (lx->state == AT_LEXER_LINE) {
		lx->cur[lx->curlen] = '\0';
		lx->state = AT_LEXER_BOL;
		at_lexer_line(lx);
		if (lx->ready)
			return;
	}
	lx->state = AT_LEXER_BOL;
	if (lx->has_held) {
		at_lexer_release(lx, NULL, 0);
		return;
	}
	lx->flushing = 0;
}

static const struct at_lexer_transition *
at_lexer_lookup(enum at_lexer_state state, unsigned char c)
{
	const struct at_lexer_transition	*t = at_lexer_states[state].t;
	size_t					 i;

	for (i = 0; i < at_lexer_states[state].n; i++) {
		if (c >= t[i].lo && c <= t[i].hi)
			return &t[i];
	}
	/* a hole in the tables: a programming error at_lexer_check()
	 * reports; no modem byte can cause it */
	abort();
}

size_t
at_lexer_push(struct at_lexer *lx, const void *buf, size_t len)
{
	const unsigned char			*p = buf;
	const struct at_lexer_transition	*t;
	size_t					 i = 0;

	at_lexer_settle(lx);
	if (lx->ready || lx->flushing)
		return 0;

	while (i < len && !lx->ready) {
		t = at_lexer_lookup(lx->state, p[i]);
		switch (t->action) {
		case AT_LEXER_AGAIN:
			lx->state = t->next;
			continue;
		case AT_LEXER_DROP:
			lx->state = t->next;
			break;
		case AT_LEXER_GT:
			if (lx->incmd && (lx->flags & AT_RESP_CTX_PROMPT) &&
			    !(lx->flags & AT_RESP_CTX_DATA) && !lx->has_held) {
				lx->flags |= AT_RESP_CTX_DATA;
				memset(&lx->ev, 0, sizeof lx->ev);
				lx->ev.type = AT_EV_PROMPT;
				lx->ev.line = at_lexer_gt;
				lx->ev.len = 1;
				lx->ready = 1;
				lx->state = AT_LEXER_PROMPT;
				break;
			}
			/* FALLTHROUGH */
		case AT_LEXER_KEEP:
			if (lx->curlen == AT_LEXER_LINE_MAX) {
				at_lexer_overflow(lx);
				break;
			}
			lx->cur[lx->curlen++] = (char)p[i];
			lx->state = t->next;
			break;
		case AT_LEXER_END:
			lx->cur[lx->curlen] = '\0';
			lx->state = t->next;
			at_lexer_line(lx);
			break;
		}
		i++;
	}
	return i;
}

int
at_lexer_next(struct at_lexer *lx, struct at_event *ev)
{
	at_lexer_settle(lx);
	if (!lx->ready)
		return 0;
	*ev = lx->ev;
	lx->ready = 0;
	return 1;
}

void
at_lexer_flush(struct at_lexer *lx)
{
	lx->flushing = 1;
}

static int
at_lexer_check_tables(void)
{
	const struct at_lexer_transition	*t;
	size_t					 s, i;
	unsigned				 next;

	for (s = 0; s < AT_LEXER_NSTATES; s++) {
		t = at_lexer_states[s].t;
		next = 0;
		for (i = 0; i < at_lexer_states[s].n; i++) {
			if (t[i].lo != next || t[i].hi < t[i].lo ||
			    t[i].next >= AT_LEXER_NSTATES)
				return -1;
			/* AGAIN must land where the byte is consumed */
			if (t[i].action == AT_LEXER_AGAIN &&
			    (t[i].next == s || t[i].next == AT_LEXER_PROMPT))
				return -1;
			next = t[i].hi + 1u;
		}
		if (next != 256)
			return -1;
	}
	return 0;
}

static int
at_lexer_check_str(const char *s, size_t size)
{
	return memchr(s, '\0', size) == NULL ? -1 : 0;
}

int
at_lexer_check(const struct at_lexer *lx)
{
	const struct at_event	*ev = &lx->ev;

	if (at_lexer_check_tables() == -1)
		return -1;
	if ((unsigned)lx->state >= AT_LEXER_NSTATES ||
	    lx->curlen > AT_LEXER_LINE_MAX || lx->heldlen > AT_LEXER_LINE_MAX)
		return -1;

	switch (lx->pending) {
	case AT_LEXER_P_NONE:
		/* a line is being built exactly when we are inside one */
		if ((lx->state == AT_LEXER_LINE) != (lx->curlen > 0))
			return -1;
		break;
	/* deferred work waits in cur while its predecessor is out */
	case AT_LEXER_P_LINE:
		if (lx->curlen == 0 ||
		    lx->state == AT_LEXER_LINE || lx->cur[lx->curlen] != '\0')
			return -1;
		break;
	case AT_LEXER_P_OVERFLOW:
		if (lx->curlen != AT_LEXER_LINE_MAX ||
		    lx->state == AT_LEXER_LINE)
			return -1;
		break;
	default:
		return -1;
	}

	if (lx->has_held) {
		if (lx->heldlen == 0 || lx->held[lx->heldlen] != '\0' ||
		    !(lx->heldresp.flags & AT_RESP_PDU) ||
		    lx->heldresp.value < lx->held ||
		    lx->heldresp.value + lx->heldresp.valuelen >
		    lx->held + lx->heldlen)
			return -1;
	}

	if (at_lexer_check_str(lx->cmd, sizeof lx->cmd) == -1 ||
	    at_lexer_check_str(lx->prefix, sizeof lx->prefix) == -1)
		return -1;
	if (!lx->incmd && (lx->echo_wanted || lx->cmd[0] != '\0' ||
	    lx->prefix[0] != '\0' || lx->flags != 0))
		return -1;
	if (lx->echo_wanted && lx->cmd[0] == '\0')
		return -1;
	if ((lx->flags & ~(unsigned)(AT_RESP_CTX_BARE | AT_RESP_CTX_PROMPT |
	    AT_RESP_CTX_DATA)) != 0)
		return -1;
	if ((lx->flags & AT_RESP_CTX_DATA) && !(lx->flags & AT_RESP_CTX_PROMPT))
		return -1;
	if (lx->ready) {
		if ((unsigned)ev->type > AT_EV_OVERFLOW || ev->line == NULL ||
		    ev->line[ev->len] != '\0')
			return -1;
		if (ev->pdu != NULL && ev->pdu[ev->pdulen] != '\0')
			return -1;
		if (ev->pdu != NULL && ev->line != lx->held)
			return -1;
	}
	return 0;
}

const char *
at_lexer_ev_name(enum at_ev ev)
{
	static const char	*names[] = {
		"FINAL", "INTERMEDIATE", "URC", "ECHO", "PROMPT", "OVERFLOW"
	};

	if ((size_t)ev >= sizeof names / sizeof names[0])
		return "?";
	return names[ev];
}
