/*
 * modem/plan.h — the message planner: how a text becomes SMS segments.
 * Pure: no I/O, no clock, no logging.
 *
 * Chooses the encoding that represents the text exactly in the fewest
 * segments (TS 23.038 GSM 7-bit with the extension table, national
 * language shift tables when allowed, else UCS-2/UTF-16), optionally after
 * replacing characters GSM 7-bit lacks with plain look-alikes, and splits
 * it into concatenated segments (TS 23.040 §9.2.3.24.1) without ever
 * splitting an escape pair or a surrogate pair.
 *
 * Capacities: a lone segment holds 160 septets / 70 UTF-16 units / 140
 * octets less what its header takes; each part of a concatenated message
 * carries the 6-octet concatenation header (153 / 67 / 134), and national
 * shift IEs take 3 octets each.
 */
#ifndef PLAN_H
#define PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "pdu.h"

#define PLAN_MAX_SEGMENTS	255
#define PLAN_MAX_FORCING	16	/* characters forcing UCS-2 recorded */

enum plan_force {
	PLAN_AUTO,
	PLAN_FORCE_GSM7,
	PLAN_FORCE_UCS2,
	PLAN_FORCE_8BIT,	/* the text's UTF-8 bytes as 8-bit data */
};

struct plan_opts {
	enum plan_force	 force;
	int		 smart;		/* typographic look-alikes */
	int		 strip_accents;	/* á -> a where it makes GSM fit */
	int		 shift;		/* national language id, 0 = none */
};

struct plan_forcing {
	uint32_t	 cp;
	size_t		 pos;		/* 1-based character position */
};

struct plan_seg {
	size_t		 start, end;	/* code point indexes [start, end) */
	size_t		 units;		/* septets, UTF-16 units or octets */
};

struct plan {
	enum sms_encoding encoding;
	int		 locking, single; /* language ids of tables used */
	size_t		 nseg;
	size_t		 units;		/* whole text, in encoding units */
	size_t		 capacity;	/* units per segment as sent */
	size_t		 last_used, last_left;
	size_t		 nchars;	/* code points after substitution */
	size_t		 replaced;	/* characters changed by smart */
	size_t		 stripped;	/* characters changed by strip */
	/* characters that GSM 7-bit cannot carry (positions in the
	 * original text), when the result is UCS-2 */
	struct plan_forcing forcing[PLAN_MAX_FORCING];
	size_t		 nforcing;	/* all such characters, may exceed
					 * PLAN_MAX_FORCING */
	/* internal: the text as sent, and segment bounds */
	uint32_t	*cp;
	size_t		 cpcap;
	const char	*raw;		/* 8-bit: the original bytes */
	size_t		 rawlen;
	struct plan_seg	 seg[PLAN_MAX_SEGMENTS];
};

/*
 * Plan a UTF-8 text.  Returns 0, or -1 with *err set to a static message
 * ("empty text", "invalid UTF-8 at byte 7", "text needs 300 segments, at
 * most 255 are possible", "text cannot be encoded in GSM 7-bit: 'ß' at
 * character 4", "out of memory").  On success free with plan_free().
 */
int	 plan_make(struct plan *p, const char *text, size_t len,
	    const struct plan_opts *o, const char **err);
void	 plan_free(struct plan *p);

/*
 * Fill the user data of segment i (0-based): septets (unpacked, escapes
 * included) for GSM 7-bit, big-endian UTF-16 octets for UCS-2, raw octets
 * for 8-bit.  ud holds PDU_UD_MAX * 8 / 7 + 1 bytes.  Returns the length
 * of ud, the ud_units of struct pdu_submit: septets for GSM 7-bit, octets
 * otherwise.  Also writes the segment's information elements (national
 * shift IEs, and the concatenation IE with reference ref when the plan has
 * more than one segment) to udh (at most 16 bytes) and their length to
 * *udh_len.
 */
size_t	 plan_segment(const struct plan *p, size_t i, unsigned ref,
	    uint8_t *ud, uint8_t *udh, size_t *udh_len);

/* The text as it will be sent (after substitution), as UTF-8 into out of
 * outlen bytes (NUL-terminated, truncated if short).  Returns the full
 * length needed, excluding the NUL. */
size_t	 plan_text(const struct plan *p, char *out, size_t outlen);

const char *plan_encoding_name(enum sms_encoding);

/*
 * How long segments take to go out through modems working at once: one
 * modem submits a segment every 3 to 6 seconds.  The CLI's preview and
 * the daemon's preview to an organizer's phone both use it, so they
 * agree.  Seconds, rounded up.
 */
#define PLAN_SEC_PER_SEGMENT	4
long	 plan_estimate_secs(long, int);

#endif
