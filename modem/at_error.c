/*
 * modem/at_error.c — the +CMS / +CME ERROR classifier.
 *
 * Tables: TS 27.005 §3.2.5 (<err> of +CMS ERROR), whose 0..127 are the
 * RP-cause values of TS 24.011 table 8.4 (part 1, mobile originating) and
 * whose 128..255 are the TP-FCS values of TS 23.040 §9.2.3.22; and
 * TS 27.007 §9.2.1 and §9.2.2 (<err> of +CME ERROR).  Names follow the
 * specifications' wording, shortened and lowercased.
 *
 * The retry class is ours, not the standards'.  The rule: PERMANENT only
 * when the same message to the same destination can never succeed from
 * any modem (a bad destination, a PDU we built wrong, a barred number);
 * otherwise TEMPORARY, because an alert retried with backoff and a cap
 * costs little while an alert dropped on an ambiguous code costs a lot.
 * Codes that mean "this modem or SIM cannot send right now" are flagged
 * modem, so the scheduler blames the modem and not the recipient.
 * Deviations and judgement calls are commented entry by entry.
 */
#include <stddef.h>

#include "at_error.h"

#define T	AT_ERROR_TEMPORARY, 0
#define P	AT_ERROR_PERMANENT, 0
#define M	AT_ERROR_TEMPORARY, 1

struct at_error_entry {
	int			 code;
	enum at_error_class	 cls;
	int			 modem;
	const char		*name;
};

static const struct at_error_entry at_error_cms[] = {
	/* TS 24.011 table 8.4 part 1: RP-ERROR causes for MO transfer */
	{ 1, P, "unassigned number" },		/* no such destination */
	/*
	 * Annex E: sent when "the MS's network operator or service provider
	 * has forbidden such transactions", i.e. barring on OUR subscription
	 * (prepaid credit exhausted, SMS barred).  Not the message's fault:
	 * after a top-up or from another SIM it goes through.
	 */
	{ 8, M, "operator determined barring" },
	/* outgoing call barring on our subscription applies to this
	 * destination: retrying it from here cannot succeed */
	{ 10, P, "call barred" },
	{ 11, T, "reserved" },
	/*
	 * The destination's side refused the message (TS 24.011 RP-cause
	 * 21): the rule "a malformed or barred destination is
	 * permanent".  Some prepaid networks use it for policy refusals
	 * too; those would need a top-up, not a retry a minute later.
	 */
	{ 21, P, "short message transfer rejected" },
	{ 22, T, "memory capacity exceeded" },
	{ 27, T, "destination out of order" },	/* transient by nature */
	/* the subscriber the message is for is not known (TS 24.011
	 * RP-cause 28): retrying the same destination cannot succeed */
	{ 28, P, "unidentified subscriber" },
	/* the PLMN does not support the requested facility: no retry or
	 * modem choice changes the message that asked for it */
	{ 29, P, "facility rejected" },
	/* "IMSI or directory number not allocated": our own SIM is
	 * registered (we could not submit otherwise), so the number that
	 * is not allocated is the destination */
	{ 30, P, "unknown subscriber" },
	{ 38, T, "network out of order" },
	{ 41, T, "temporary failure" },
	{ 42, T, "congestion" },
	{ 47, T, "resources unavailable" },
	/* SMS not in our subscription: another SIM may have it */
	{ 50, M, "requested facility not subscribed" },
	/* the network cannot provide SMS to this modem */
	{ 69, M, "requested facility not implemented" },
	{ 81, T, "invalid short message transfer reference value" },
	{ 95, P, "semantically incorrect message" },	/* our TPDU */
	{ 96, P, "invalid mandatory information" },	/* our TPDU */
	{ 97, P, "message type non-existent or not implemented" },
	{ 98, T, "message not compatible with protocol state" },
	{ 99, P, "information element non-existent or not implemented" },
	{ 111, T, "protocol error" },
	{ 127, T, "interworking unspecified" },

	/* TS 23.040 §9.2.3.22 TP-FCS: faults in the TPDU we built are
	 * permanent for that PDU; faults of the SC or MS are transient */
	{ 0x80, P, "telematic interworking not supported" },
	{ 0x81, P, "short message type 0 not supported" },
	{ 0x82, P, "cannot replace short message" },
	{ 0x8f, P, "unspecified TP-PID error" },
	{ 0x90, P, "data coding scheme not supported" },
	{ 0x91, P, "message class not supported" },
	{ 0x9f, P, "unspecified TP-DCS error" },
	{ 0xa0, P, "command cannot be actioned" },
	{ 0xa1, P, "command unsupported" },
	{ 0xaf, P, "unspecified TP-command error" },
	{ 0xb0, P, "TPDU not supported" },
	{ 0xc0, T, "SC busy" },
	{ 0xc1, M, "no SC subscription" },
	{ 0xc2, T, "SC system failure" },
	{ 0xc3, P, "invalid SME address" },
	{ 0xc4, P, "destination SME barred" },
	/* the SC already holds this very message: resending cannot add
	 * anything (and it is likely on its way) */
	{ 0xc5, P, "SM rejected, duplicate SM" },
	{ 0xc6, P, "TP-VPF not supported" },
	{ 0xc7, P, "TP-VP not supported" },
	{ 0xd0, T, "SIM SMS storage full" },
	{ 0xd1, T, "no SMS storage capability in SIM" },
	{ 0xd2, T, "error in MS" },
	{ 0xd3, T, "memory capacity exceeded" },
	{ 0xd4, T, "SIM application toolkit busy" },
	{ 0xd5, T, "SIM data download error" },
	{ 0xff, T, "unspecified error cause" },

	/* TS 27.005 §3.2.5 ME and network errors */
	{ 300, M, "ME failure" },
	{ 301, M, "SMS service of ME reserved" },
	/* modems say this when not ready yet (SIM still loading, wrong
	 * +CMGF after a reset): a modem state, not a message fault */
	{ 302, M, "operation not allowed" },
	{ 303, M, "operation not supported" },	/* this modem cannot */
	/*
	 * Was permanent ("our PDU is bad"), but our encoder is tested and
	 * what a modem calls a bad PDU is far more often the line out of
	 * step: the PDU written before the "> " it belonged to, after a
	 * stray OK, or garbled on the wire.  A message must not be given
	 * up for that; the driver resynchronises the line, and the retry
	 * cap still ends a PDU that is really refused every time.
	 */
	{ 304, T, "invalid PDU mode parameter" },
	{ 305, T, "invalid text mode parameter" },	/* the same */
	{ 310, M, "SIM not inserted" },
	{ 311, M, "SIM PIN required" },
	{ 312, M, "PH-SIM PIN required" },
	{ 313, M, "SIM failure" },
	{ 314, M, "SIM busy" },		/* typical right after boot */
	{ 315, M, "SIM wrong" },
	{ 316, M, "SIM PUK required" },
	{ 317, M, "SIM PIN2 required" },
	{ 318, M, "SIM PUK2 required" },
	{ 320, M, "memory failure" },
	/* the index named by our command does not exist: the driver's
	 * request is wrong, repeating it cannot help */
	{ 321, P, "invalid memory index" },
	{ 322, M, "memory full" },
	{ 330, M, "SMSC address unknown" },	/* AT+CSCA fixes it */
	{ 331, M, "no network service" },
	{ 332, T, "network timeout" },
	{ 340, T, "no +CNMA acknowledgement expected" },
	/* vendor code seen on SIMCom and Quectel when the SMSC or network
	 * rejects the submission without a cause: treat as transient */
	{ 350, T, "unknown network error" },
	{ 500, T, "unknown error" },
	/* SIMCom and Huawei: generic network / SMS failure */
	{ 512, T, "manufacturer specific network error" },
};

static const struct at_error_entry at_error_cme[] = {
	/* TS 27.007 §9.2.1 general errors */
	{ 0, M, "phone failure" },
	{ 1, M, "no connection to phone" },
	{ 2, M, "phone-adaptor link reserved" },
	/* usually "not now" (another USSD session open, SIM loading) */
	{ 3, T, "operation not allowed" },
	{ 4, P, "operation not supported" },
	{ 5, M, "PH-SIM PIN required" },
	{ 6, M, "PH-FSIM PIN required" },
	{ 7, M, "PH-FSIM PUK required" },
	{ 10, M, "SIM not inserted" },
	{ 11, M, "SIM PIN required" },
	{ 12, M, "SIM PUK required" },
	{ 13, M, "SIM failure" },
	{ 14, M, "SIM busy" },
	{ 15, M, "SIM wrong" },
	/* never retry a wrong PIN: each try burns one of three attempts */
	{ 16, P, "incorrect password" },
	{ 17, M, "SIM PIN2 required" },
	{ 18, M, "SIM PUK2 required" },
	{ 20, M, "memory full" },
	{ 21, P, "invalid index" },
	{ 22, P, "not found" },
	{ 23, M, "memory failure" },
	{ 24, P, "text string too long" },
	{ 25, P, "invalid characters in text string" },
	{ 26, P, "dial string too long" },
	{ 27, P, "invalid characters in dial string" },
	{ 30, M, "no network service" },
	{ 31, T, "network timeout" },
	{ 32, M, "network not allowed - emergency calls only" },
	{ 40, M, "network personalization PIN required" },
	{ 41, M, "network personalization PUK required" },
	{ 42, M, "network subset personalization PIN required" },
	{ 43, M, "network subset personalization PUK required" },
	{ 44, M, "service provider personalization PIN required" },
	{ 45, M, "service provider personalization PUK required" },
	{ 46, M, "corporate personalization PIN required" },
	{ 47, M, "corporate personalization PUK required" },
	{ 48, M, "hidden key required" },
	{ 49, P, "EAP method not supported" },
	{ 50, P, "incorrect parameters" },
	{ 51, M, "command implemented but currently disabled" },
	{ 52, T, "command aborted by user" },
	{ 53, M, "not attached to network due to MT functionality "
	    "restrictions" },
	{ 54, M, "modem not allowed - MT restricted to emergency calls "
	    "only" },
	{ 55, M, "operation not allowed because of MT functionality "
	    "restrictions" },
	{ 56, P, "fixed dial number only allowed" },
	{ 57, T, "temporarily out of service due to other MT usage" },
	{ 58, P, "language/alphabet not supported" },
	{ 59, P, "unexpected data value" },
	{ 60, T, "system failure" },
	{ 61, T, "data missing" },
	{ 62, P, "call barred" },
	{ 63, T, "message waiting indication subscription failure" },
	{ 100, T, "unknown" },
	/* §9.2.2 GPRS-related errors: all about this modem's attach */
	{ 103, M, "illegal MS" },
	{ 106, M, "illegal ME" },
	{ 107, M, "GPRS services not allowed" },
	{ 111, M, "PLMN not allowed" },
	{ 112, M, "location area not allowed" },
	{ 113, M, "roaming not allowed in this location area" },
	{ 148, T, "unspecified GPRS error" },
};

#undef T
#undef P
#undef M

static const struct at_error_entry *
at_error_table(enum at_error_kind kind, size_t *n)
{
	if (kind == AT_ERROR_CMS) {
		*n = sizeof at_error_cms / sizeof at_error_cms[0];
		return at_error_cms;
	}
	*n = sizeof at_error_cme / sizeof at_error_cme[0];
	return at_error_cme;
}

void
at_error_classify(enum at_error_kind kind, int code,
    struct at_error_info *out)
{
	const struct at_error_entry	*t;
	size_t				 n, i;

	t = at_error_table(kind, &n);
	for (i = 0; i < n; i++) {
		if (t[i].code == code) {
			out->cls = t[i].cls;
			out->modem = t[i].modem;
			out->name = t[i].name;
			return;
		}
	}

	/* Not listed: temporary unless a whole range is ours to blame. */
	out->cls = AT_ERROR_TEMPORARY;
	out->modem = 0;
	if (kind == AT_ERROR_CME) {
		out->name = code >= 512 ? "manufacturer specific error" :
		    "unknown error";
		return;
	}
	if (code >= 0 && code <= 127) {
		/* TS 24.011 table 8.4: "all other cause values shall be
		 * treated as cause number 41" */
		out->name = "temporary failure";
	} else if (code >= 0x80 && code <= 0xbf) {
		/* TP-FCS 0x80..0xbf are all errors in the TPDU we sent
		 * (PID, DCS, command, TPDU type): permanent for it */
		out->cls = AT_ERROR_PERMANENT;
		out->name = "TPDU error";
	} else if (code >= 0xc0 && code <= 0xff) {
		out->name = code >= 0xe0 ? "application specific error" :
		    "SC or MS error";
	} else if (code >= 512)
		out->name = "manufacturer specific error";
	else
		out->name = "unknown error";
}

static int
at_error_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * Compare text (not NUL-terminated) with a table name: case-insensitive,
 * "(U)" in the text skipped (newer modems say "(U)SIM"), trailing blanks
 * and dots ignored.
 */
static int
at_error_textmatch(const char *s, size_t len, const char *name)
{
	size_t	i = 0;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '.' ||
	    s[len - 1] == '\t'))
		len--;
	while (i < len) {
		if (len - i >= 3 && s[i] == '(' &&
		    at_error_lower((unsigned char)s[i + 1]) == 'u' &&
		    s[i + 2] == ')') {
			i += 3;
			continue;
		}
		if (*name == '\0' || at_error_lower((unsigned char)s[i]) !=
		    at_error_lower((unsigned char)*name))
			return 0;
		i++;
		name++;
	}
	return *name == '\0';
}

int
at_error_from_text(enum at_error_kind kind, const char *s, size_t len)
{
	const struct at_error_entry	*t;
	size_t				 n, i;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (len == 0)
		return -1;
	t = at_error_table(kind, &n);
	for (i = 0; i < n; i++) {
		if (at_error_textmatch(s, len, t[i].name))
			return t[i].code;
	}
	return -1;
}
