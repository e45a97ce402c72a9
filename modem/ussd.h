/*
 * modem/ussd.h — USSD request coding and +CUSD answer parsing/decoding.
 * Pure: no I/O, no clock, no logging, no allocation.
 *
 * Implements 3GPP TS 27.007 §7.15 (+CUSD), the CBS data coding scheme of
 * TS 23.038 §5 (which USSD uses, not the SMS one of §4), the USSD packing
 * of §6.1.2.3 with its CR padding (§6.1.2.3.1), and the 182-character
 * limit of TS 24.080 §4.4.2 / TS 22.090 (160 octets of packed septets).
 * Deviations and vendor quirks are listed in ussd.c.
 */
#ifndef USSD_H
#define USSD_H

#include <stddef.h>

#define USSD_MAX_SEPTETS	182	/* 160 octets packed */
#define USSD_MAX_OCTETS		160

/* +CUSD <m>, TS 27.007 §7.15. */
enum ussd_status {
	USSD_DONE = 0,		/* no further user action required */
	USSD_ACTION = 1,	/* further user action required: reply */
	USSD_TERMINATED = 2,	/* terminated by network */
	USSD_OTHER_CLIENT = 3,	/* other local client has responded */
	USSD_UNSUPPORTED = 4,	/* operation not supported */
	USSD_TIMEOUT = 5,	/* network time out */
};

/* How the code goes into AT+CUSD=1,"<code>",15. */
enum ussd_req_coding {
	USSD_REQ_PLAIN,		/* the text itself (TE character set) */
	USSD_REQ_PACKED_HEX,	/* hex of packed GSM 7-bit (Huawei) */
};

/* How the modem presents <str> in its answers. */
enum ussd_str_coding {
	USSD_STR_AUTO,		/* guess from <dcs> and the string */
	USSD_STR_PACKED_HEX,	/* hex of the network octets (Huawei) */
	USSD_STR_CSCS_GSM,	/* AT+CSCS="GSM": one byte per septet */
	USSD_STR_CSCS_UCS2,	/* AT+CSCS="UCS2": hex of UCS-2 */
	USSD_STR_CSCS_IRA,	/* AT+CSCS="IRA": ASCII (UTF-8 accepted) */
};

/* The alphabet a CBS DCS selects (TS 23.038 §5). */
enum ussd_alphabet {
	USSD_ALPHA_GSM7,
	USSD_ALPHA_8BIT,
	USSD_ALPHA_UCS2,
};

/* Flags from ussd_dcs_alphabet(). */
#define USSD_DCS_LANG		0x1	/* language precedes text: 0x10, 0x11 */
#define USSD_DCS_COMPRESSED	0x2	/* TS 23.042: not supported */

/*
 * One parsed +CUSD line.  str points into the line given to ussd_parse()
 * and lives as long as it does; it is not NUL-terminated.
 */
struct ussd_resp {
	int		 status;	/* enum ussd_status */
	int		 has_str;
	const char	*str;
	size_t		 len;
	int		 dcs;		/* 0..255, or -1 when absent */
};

/*
 * Encode a UTF-8 USSD code for AT+CUSD: plain returns the code itself
 * after checking that every character is in the GSM 7-bit default alphabet
 * (or its extension table) and printable, with no '"'; packed-hex returns
 * uppercase hex of the packed septets with the §6.1.2.3.1 CR padding.  At
 * most USSD_MAX_SEPTETS septets.  Returns the length written (NUL
 * excluded), or -1 with *err set.
 */
int	 ussd_encode(const char *code, enum ussd_req_coding coding, char *out,
	    size_t outlen, const char **err);

/*
 * Build the whole command AT+CUSD=1,"<encoded code>",15 (no line
 * terminator).  Returns its length, or -1 with *err set.
 */
int	 ussd_request(const char *code, enum ussd_req_coding coding,
	    char *out, size_t outlen, const char **err);

/*
 * Parse one +CUSD line (len bytes; NULs allowed inside the string; a
 * trailing CR/LF is ignored).  Returns 0, or -1 with *err set.
 */
int	 ussd_parse(const char *line, size_t len, struct ussd_resp *r,
	    const char **err);

/*
 * Decode r's string to NUL-terminated UTF-8 per its DCS and the modem's
 * presentation.  Never emits invalid UTF-8 or control characters other
 * than TAB, LF and CR (each becomes U+FFFD).  A response without a string
 * decodes to "".  Returns the length written (NUL excluded), or -1 with
 * *err set; on "too long" out holds the truncated text.
 */
int	 ussd_decode(const struct ussd_resp *r, enum ussd_str_coding mode,
	    char *out, size_t outlen, const char **err);

/* The alphabet of a CBS DCS (-1 = absent: GSM 7-bit); flags may be NULL. */
enum ussd_alphabet ussd_dcs_alphabet(int dcs, int *flags);

/* "no further action required", ... for <m>; "unknown" out of range. */
const char	*ussd_status_name(int status);

#endif
