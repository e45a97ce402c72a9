/*
 * modem/ussd.c — USSD request coding and +CUSD answer parsing/decoding.
 * Pure: no I/O, no clock, no logging, no allocation.
 *
 * Implements:
 * - TS 27.007 §7.15: AT+CUSD=1,"<str>",15 and +CUSD: <m>[,<str>[,<dcs>]];
 *   <str> is converted by the modem into the +CSCS character set when the
 *   DCS is GSM 7-bit, and 8-bit data is given as hex octets.
 * - TS 23.038 §5: the CBS data coding scheme, which USSD uses (TS 23.090).
 * - TS 23.038 §6.1.2.3: USSD packing.  When 8n-1 septets leave 7 spare
 *   bits in the last octet, a CR fills them so the receiver cannot read a
 *   phantom '@'; a text that really ends in CR on an octet boundary gets a
 *   second CR (§6.1.2.3.1).  The receiver drops a final CR that ends on an
 *   octet boundary.
 * - TS 24.080 §4.4.2 / TS 22.090: at most 160 octets, i.e. 182 septets.
 *
 * Deviations and vendor quirks, all lenient, because an answer that costs
 * money must not be lost to pedantry:
 * - Huawei sticks (^USSDMODE=0 or old firmware) take and give <str> as hex
 *   of the network octets whatever +CSCS says: USSD_REQ_PACKED_HEX and
 *   USSD_STR_PACKED_HEX.
 * - Some encoders pad 8n-1 septets with zero bits: a final '@' ending on an
 *   octet boundary is dropped like the padding CR (a real final '@' in a
 *   text of exactly 8n septets is lost; none has been seen in practice).
 * - A second CR after a CR that ended on an octet boundary is dropped too.
 * - Some modems omit the quotes; a string may hold commas and quotes.  A
 *   quoted string ends at the last '"' (the one before ",<dcs>" if any).
 *   In an unquoted string the part after the last comma is the DCS only
 *   if it is a number 0..255 ("5,500" stays text).
 * - With a UCS2 DCS and +CSCS "GSM" or "IRA", modems print hex of UCS-2
 *   (27.007 leaves it open); plain text is accepted as a fallback.
 * - DCS 0x10: the first two characters and a CR (the ISO 639 language) are
 *   stripped; DCS 0x11: the two octets of packed language are stripped.
 * - Group 1001 (UDH present) is read like group 01xx; the UDH is not
 *   removed (never seen in USSD).  Compressed text (TS 23.042) is an
 *   error.  8-bit data is shown as UTF-8, invalid bytes as U+FFFD.
 * - The output never holds invalid UTF-8, NUL or control characters other
 *   than TAB, LF and CR (form feed becomes LF): it goes to terminals.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gsm7.h"
#include "ussd.h"
#include "utf8.h"

#define USSD_CR		0x0d
#define USSD_REPL	0xfffd

/* Bounded UTF-8 output with the language-prefix skipping of DCS 0x10. */
struct ussd_out {
	char		*buf;
	size_t		 cap;
	size_t		 len;
	int		 full;
	unsigned	 skip;		/* characters still to drop */
	int		 skip_cr;	/* then drop one CR */
};

/* What <str> holds, once the DCS and the presentation are known. */
enum ussd_how {
	USSD_AS_PLAIN,		/* UTF-8 (IRA is its subset) */
	USSD_AS_SEPTETS,	/* one byte per septet (+CSCS "GSM") */
	USSD_AS_PACKED,		/* hex of packed septets */
	USSD_AS_UCS2,		/* hex of UTF-16BE */
	USSD_AS_OCTETS,		/* hex of 8-bit data */
};

/* The bytes of a string, raw or from hex digit pairs. */
struct ussd_src {
	const char	*s;
	size_t		 n;		/* bytes (octets when hex) */
	int		 hex;
};

static void
ussd_put(struct ussd_out *o, uint32_t cp)
{
	char	tmp[4];
	size_t	n;

	if (o->skip > 0) {
		o->skip--;
		return;
	}
	if (o->skip_cr) {
		o->skip_cr = 0;
		if (cp == USSD_CR)
			return;
	}
	if (cp == 0x0c)		/* GSM page break (ESC 0x0a) */
		cp = '\n';
	if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
	    (cp >= 0x7f && cp <= 0x9f))
		cp = USSD_REPL;
	n = utf8_encode(cp, tmp);	/* surrogates, > 0x10ffff: U+FFFD */
	if (o->full || o->len + n >= o->cap) {
		o->full = 1;
		return;
	}
	memcpy(o->buf + o->len, tmp, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static int
ussd_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
ussd_is_hex(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (ussd_hexval(s[i]) < 0)
			return 0;
	}
	return 1;
}

static uint8_t
ussd_byte(const struct ussd_src *src, size_t i)
{
	if (!src->hex)
		return (uint8_t)src->s[i];
	return (uint8_t)(ussd_hexval(src->s[2 * i]) << 4 |
	    ussd_hexval(src->s[2 * i + 1]));
}

/* Septet k of packed octets; 7k + 7 <= 8 * src->n. */
static uint8_t
ussd_septet(const struct ussd_src *src, size_t k)
{
	size_t	bit = 7 * k, at = bit / 8;
	uint8_t	in[2] = { 0, 0 }, s;

	in[0] = ussd_byte(src, at);
	if (at + 1 < src->n)
		in[1] = ussd_byte(src, at + 1);
	gsm7_unpack(in, 1, (unsigned)(bit % 8), &s);
	return s;
}

/*
 * The number of septets a packed USSD string carries, after the
 * §6.1.2.3.1 padding (and the zero-padding of sloppy encoders).
 */
static size_t
ussd_packed_count(const struct ussd_src *src)
{
	size_t	n = src->n * 8 / 7;
	uint8_t	last;

	if (n == 0)
		return 0;
	last = ussd_septet(src, n - 1);
	if (src->n % 7 == 0) {
		/* octet boundary: a final CR or '@' is padding */
		if (last == USSD_CR || last == 0x00)
			n--;
	} else if (n % 8 == 1 && n >= 2 && last == USSD_CR &&
	    ussd_septet(src, n - 2) == USSD_CR) {
		/* the CR added after a CR that ended on a boundary */
		n--;
	}
	return n;
}

/* Septet i: packed, or one per byte (+CSCS "GSM"); > 0x7f is invalid. */
static uint8_t
ussd_src_septet(const struct ussd_src *src, int packed, size_t i)
{
	return packed ? ussd_septet(src, i) : ussd_byte(src, i);
}

/* Septets to text with the default alphabet and extension table. */
static void
ussd_emit_septets(struct ussd_out *o, const struct ussd_src *src,
    int packed, size_t n)
{
	size_t		i;
	uint8_t		s, t;
	uint32_t	cp;

	for (i = 0; i < n; i++) {
		s = ussd_src_septet(src, packed, i);
		if (s > 0x7f) {
			ussd_put(o, USSD_REPL);
			continue;
		}
		if (s != GSM7_ESC) {
			ussd_put(o, gsm7_locking_char(s, 0));
			continue;
		}
		if (i + 1 == n)
			break;	/* a trailing lone ESC is dropped */
		t = ussd_src_septet(src, packed, ++i);
		if (t > 0x7f)
			cp = USSD_REPL;
		else if (t == GSM7_ESC)
			cp = ' ';	/* §6.2.1.1: reserved, shown as space */
		else if ((cp = gsm7_single_char(t, 0)) == 0)
			cp = gsm7_locking_char(t, 0);
		ussd_put(o, cp);
	}
}

/*
 * Would these packed septets be a plausible text?  Hex that is really
 * plain text (a voucher number, "1234") unpacks to Greek capitals, '¤' or
 * undefined escapes, which real answers do not contain.
 */
static int
ussd_packed_plausible(const struct ussd_src *src, size_t n)
{
	size_t	i;
	uint8_t	s;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		s = ussd_septet(src, i);
		if (s == GSM7_ESC) {
			if (i + 1 == n ||
			    gsm7_single_char(ussd_septet(src, ++i), 0) == 0)
				return 0;
			continue;
		}
		if (s == 0x10 || (s >= 0x12 && s <= 0x1a) || s == 0x24)
			return 0;
	}
	return 1;
}

static uint32_t
ussd_ucs2_unit(const struct ussd_src *src, size_t i)
{
	return (uint32_t)ussd_byte(src, i) << 8 | ussd_byte(src, i + 1);
}

/* UTF-16BE octets from 'from' to text; unpaired surrogates as U+FFFD. */
static void
ussd_emit_ucs2(struct ussd_out *o, const struct ussd_src *src, size_t from)
{
	size_t		i;
	uint32_t	u, lo;

	for (i = from; i + 1 < src->n; i += 2) {
		u = ussd_ucs2_unit(src, i);
		if (u >= 0xd800 && u <= 0xdbff && i + 3 < src->n) {
			lo = ussd_ucs2_unit(src, i + 2);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			}
		}
		ussd_put(o, u);
	}
}

/*
 * Is hex UCS-2 of a GSM 7-bit text?  That is what a modem with +CSCS
 * "UCS2" prints for a GSM 7-bit answer.  Packed septets almost never look
 * like it: every other octet would have to be 0x00.
 */
static int
ussd_ucs2_gsm_plausible(const struct ussd_src *src)
{
	size_t		i;
	uint32_t	u;
	uint8_t		tmp[2];

	if (src->n == 0 || src->n % 2 != 0)
		return 0;
	for (i = 0; i < src->n; i += 2) {
		u = ussd_ucs2_unit(src, i);
		if (u < 0x20 && u != '\n' && u != '\r')
			return 0;
		if (gsm7_encode_char(u, 0, 0, tmp) == 0)
			return 0;
	}
	return 1;
}

/* Bytes as UTF-8; each byte of an invalid sequence becomes U+FFFD. */
static void
ussd_emit_utf8(struct ussd_out *o, const struct ussd_src *src)
{
	size_t		i = 0, need, j;
	uint32_t	c, min;
	uint8_t		b;

	while (i < src->n) {
		c = ussd_byte(src, i);
		if (c < 0x80) {
			need = 0;
			min = 0;
		} else if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			c &= 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			c &= 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			c &= 0x07;
			min = 0x10000;
		} else
			goto bad;
		if (src->n - i <= need)
			goto bad;
		for (j = 1; j <= need; j++) {
			b = ussd_byte(src, i + j);
			if ((b & 0xc0) != 0x80)
				goto bad;
			c = (c << 6) | (b & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			goto bad;
		ussd_put(o, c);
		i += need + 1;
		continue;
bad:
		ussd_put(o, USSD_REPL);
		i++;
	}
}

enum ussd_alphabet
ussd_dcs_alphabet(int dcs, int *flags)
{
	int	f = 0, a;

	if (flags != NULL)
		*flags = 0;
	if (dcs < 0 || dcs > 255)
		return USSD_ALPHA_GSM7;
	switch (dcs >> 4) {
	case 0x1:
		if (dcs == 0x10 || dcs == 0x11)
			f = USSD_DCS_LANG;
		if (flags != NULL)
			*flags = f;
		return dcs == 0x11 ? USSD_ALPHA_UCS2 : USSD_ALPHA_GSM7;
	case 0x4:
	case 0x5:
	case 0x6:
	case 0x7:
		if (dcs & 0x20)
			f = USSD_DCS_COMPRESSED;
		/* FALLTHROUGH */
	case 0x9:
		if (flags != NULL)
			*flags = f;
		a = (dcs >> 2) & 0x3;
		if (a == 1)
			return USSD_ALPHA_8BIT;
		if (a == 2)
			return USSD_ALPHA_UCS2;
		return USSD_ALPHA_GSM7;	/* 11 is reserved */
	case 0xf:
		return (dcs & 0x04) ? USSD_ALPHA_8BIT : USSD_ALPHA_GSM7;
	default:
		/* 0000, 001x languages; reserved groups are GSM 7-bit (§5) */
		return USSD_ALPHA_GSM7;
	}
}

const char *
ussd_status_name(int status)
{
	switch (status) {
	case USSD_DONE:
		return "no further action required";
	case USSD_ACTION:
		return "further user action required";
	case USSD_TERMINATED:
		return "terminated by network";
	case USSD_OTHER_CLIENT:
		return "other local client has responded";
	case USSD_UNSUPPORTED:
		return "operation not supported";
	case USSD_TIMEOUT:
		return "network time out";
	}
	return "unknown";
}

static int
ussd_fail(const char **err, const char *msg)
{
	if (err != NULL)
		*err = msg;
	return -1;
}

int
ussd_decode(const struct ussd_resp *r, enum ussd_str_coding mode, char *out,
    size_t outlen, const char **err)
{
	struct ussd_out	 o;
	struct ussd_src	 src;
	enum ussd_alphabet a;
	const char	*s;
	size_t		 len, n;
	int		 flags, hex;
	enum ussd_how	 how;

	if (out == NULL || outlen == 0)
		return ussd_fail(err, "no output buffer");
	out[0] = '\0';
	if (r == NULL)
		return ussd_fail(err, "no response");
	if (!r->has_str)
		return 0;
	memset(&o, 0, sizeof o);
	o.buf = out;
	o.cap = outlen;
	s = r->str;
	len = r->len;
	if (s == NULL && len != 0)
		return ussd_fail(err, "no string");

	a = ussd_dcs_alphabet(r->dcs, &flags);
	if (flags & USSD_DCS_COMPRESSED)
		return ussd_fail(err, "compressed USSD text not supported");
	hex = ussd_is_hex(s, len);

	/* What does the string hold, given the DCS and the presentation? */
	switch (a) {
	case USSD_ALPHA_8BIT:
		/* 27.007 §7.15: 8-bit data is hex in every character set */
		if (hex && len % 2 == 0)
			how = USSD_AS_OCTETS;
		else if (mode == USSD_STR_PACKED_HEX ||
		    mode == USSD_STR_CSCS_UCS2)
			return ussd_fail(err, "8-bit USSD string is not hex");
		else if (mode == USSD_STR_CSCS_GSM)
			how = USSD_AS_SEPTETS;
		else
			how = USSD_AS_PLAIN;
		break;
	case USSD_ALPHA_UCS2:
		if (hex && len % 4 == 0)
			how = USSD_AS_UCS2;
		else if (mode == USSD_STR_PACKED_HEX ||
		    mode == USSD_STR_CSCS_UCS2)
			how = USSD_AS_UCS2;	/* reports the error below */
		else if (mode == USSD_STR_CSCS_GSM)
			how = USSD_AS_SEPTETS;
		else
			how = USSD_AS_PLAIN;
		break;
	default:
		switch (mode) {
		case USSD_STR_PACKED_HEX:
			how = USSD_AS_PACKED;
			break;
		case USSD_STR_CSCS_GSM:
			how = USSD_AS_SEPTETS;
			break;
		case USSD_STR_CSCS_UCS2:
			how = USSD_AS_UCS2;
			break;
		case USSD_STR_CSCS_IRA:
			how = USSD_AS_PLAIN;
			break;
		default:
			how = USSD_AS_PLAIN;
			if (!hex || len == 0 || len % 2 != 0)
				break;
			src.s = s;
			src.n = len / 2;
			src.hex = 1;
			if (len % 4 == 0 && ussd_ucs2_gsm_plausible(&src))
				how = USSD_AS_UCS2;
			else if (ussd_packed_plausible(&src,
			    ussd_packed_count(&src)))
				how = USSD_AS_PACKED;
			break;
		}
		if (flags & USSD_DCS_LANG) {
			o.skip = 2;
			o.skip_cr = 1;
		}
		break;
	}

	src.s = s;
	switch (how) {
	case USSD_AS_PLAIN:
	case USSD_AS_SEPTETS:
		src.n = len;
		src.hex = 0;
		if (how == USSD_AS_PLAIN)
			ussd_emit_utf8(&o, &src);
		else
			ussd_emit_septets(&o, &src, 0, len);
		break;
	case USSD_AS_PACKED:
		if (!hex)
			return ussd_fail(err, "packed USSD string is not hex");
		if (len % 2 != 0)
			return ussd_fail(err, "odd number of hex digits");
		src.n = len / 2;
		src.hex = 1;
		n = ussd_packed_count(&src);
		ussd_emit_septets(&o, &src, 1, n);
		break;
	case USSD_AS_UCS2:
		if (!hex)
			return ussd_fail(err, "UCS-2 USSD string is not hex");
		if (len % 4 != 0)
			return ussd_fail(err,
			    "UCS-2 hex length not a multiple of 4");
		src.n = len / 2;
		src.hex = 1;
		/* DCS 0x11: skip the language, two octets of packed septets */
		ussd_emit_ucs2(&o, &src,
		    a == USSD_ALPHA_UCS2 && (flags & USSD_DCS_LANG) ? 2 : 0);
		break;
	case USSD_AS_OCTETS:
		src.n = len / 2;
		src.hex = 1;
		ussd_emit_utf8(&o, &src);
		break;
	}
	if (o.full)
		return ussd_fail(err, "USSD answer too long for buffer");
	return (int)o.len;
}

static int
ussd_space(char c)
{
	return c == ' ' || c == '\t';
}

static int
ussd_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits [i, e) as a DCS; -1 when out of 0..255. */
static int
ussd_dcs_value(const char *line, size_t i, size_t e)
{
	int	v = 0;

	for (; i < e; i++) {
		v = v * 10 + (line[i] - '0');
		if (v > 255)
			return -1;
	}
	return v;
}

int
ussd_parse(const char *line, size_t len, struct ussd_resp *r,
    const char **err)
{
	static const char	 prefix[] = "+CUSD:";
	size_t			 i = 0, e = len, j, k, q;
	int			 m, c;

	if (r == NULL)
		return ussd_fail(err, "no response");
	memset(r, 0, sizeof *r);
	r->dcs = -1;
	if (line == NULL)
		return ussd_fail(err, "no line");

	while (e > 0 && (ussd_space(line[e - 1]) || line[e - 1] == '\r' ||
	    line[e - 1] == '\n'))
		e--;
	while (i < e && ussd_space(line[i]))
		i++;
	for (k = 0; k < sizeof prefix - 1; k++, i++) {
		c = i < e ? line[i] : '\0';
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c != prefix[k])
			return ussd_fail(err, "not a +CUSD line");
	}
	while (i < e && ussd_space(line[i]))
		i++;

	if (i == e || !ussd_digit(line[i]))
		return ussd_fail(err, "missing <m>");
	for (m = 0; i < e && ussd_digit(line[i]); i++) {
		if ((m = m * 10 + (line[i] - '0')) > 5)
			return ussd_fail(err, "<m> out of range");
	}
	r->status = m;
	while (i < e && ussd_space(line[i]))
		i++;
	if (i == e)
		return 0;
	if (line[i] != ',')
		return ussd_fail(err, "junk after <m>");
	i++;
	while (i < e && ussd_space(line[i]))
		i++;
	if (i == e)
		return 0;	/* "+CUSD: 2," */

	/* digits at the end: a DCS candidate [j, e) */
	for (j = e; j > i && ussd_digit(line[j - 1]); j--)
		;

	if (line[i] != '"') {
		/* unquoted: "<str>,<dcs>" only if a sane number follows */
		r->has_str = 1;
		r->str = line + i;
		r->len = e - i;
		if (j == e)
			return 0;
		for (k = j; k > i && ussd_space(line[k - 1]); k--)
			;
		if (k == i || line[k - 1] != ',' ||
		    (c = ussd_dcs_value(line, j, e)) < 0)
			return 0;
		for (k--; k > i && ussd_space(line[k - 1]); k--)
			;
		r->len = k - i;
		r->dcs = c;
		return 0;
	}

	/* quoted: the closing quote is the last one, before any ",<dcs>" */
	if (j < e) {
		for (k = j; k > i + 1 && ussd_space(line[k - 1]); k--)
			;
		if (k > i + 1 && line[k - 1] == ',') {
			for (k--; k > i + 1 && ussd_space(line[k - 1]); k--)
				;
			if (k > i + 1 && line[k - 1] == '"') {
				if ((c = ussd_dcs_value(line, j, e)) < 0)
					return ussd_fail(err,
					    "<dcs> out of range");
				r->has_str = 1;
				r->str = line + i + 1;
				r->len = k - 1 - (i + 1);
				r->dcs = c;
				return 0;
			}
		}
	}
	if (e - i >= 2 && line[e - 1] == '"') {
		r->has_str = 1;
		r->str = line + i + 1;
		r->len = e - 1 - (i + 1);
		return 0;
	}
	for (q = i + 1; q + 1 < e; q++) {
		if (line[q] == '"' && line[q + 1] == ',')
			return ussd_fail(err, "bad <dcs>");
	}
	return ussd_fail(err, "unterminated string");
}

int
ussd_encode(const char *code, enum ussd_req_coding coding, char *out,
    size_t outlen, const char **err)
{
	static const char	 hexd[] = "0123456789ABCDEF";
	uint32_t		 cp[USSD_MAX_SEPTETS + 1];
	uint8_t			 sep[USSD_MAX_SEPTETS + 2], tmp[2];
	uint8_t			 oct[USSD_MAX_OCTETS + 1];
	size_t			 len, ncp, errpos, i, ns = 0, no;
	int			 k;

	if (out == NULL || outlen == 0)
		return ussd_fail(err, "no output buffer");
	out[0] = '\0';
	if (code == NULL || (len = strlen(code)) == 0)
		return ussd_fail(err, "empty USSD code");
	if (utf8_decode(code, len, cp, USSD_MAX_SEPTETS + 1, &ncp,
	    &errpos) != 0) {
		if (errpos == len)
			return ussd_fail(err, "USSD code too long");
		return ussd_fail(err, "invalid UTF-8 in USSD code");
	}
	for (i = 0; i < ncp; i++) {
		/* CR and LF go through hex but would end the AT command */
		if (cp[i] < 0x20 && (coding == USSD_REQ_PLAIN ||
		    (cp[i] != '\r' && cp[i] != '\n')))
			return ussd_fail(err, "control character in USSD code");
		if (cp[i] == '"' && coding == USSD_REQ_PLAIN)
			return ussd_fail(err, "'\"' in USSD code");
		if ((k = gsm7_encode_char(cp[i], 0, 0, tmp)) == 0)
			return ussd_fail(err,
			    "character not in the GSM 7-bit alphabet");
		if (ns + (size_t)k > USSD_MAX_SEPTETS)
			return ussd_fail(err, "USSD code too long");
		memcpy(sep + ns, tmp, (size_t)k);
		ns += (size_t)k;
	}

	if (coding == USSD_REQ_PLAIN) {
		if (len >= outlen)
			return ussd_fail(err, "output buffer too small");
		memcpy(out, code, len + 1);
		return (int)len;
	}
	if (coding != USSD_REQ_PACKED_HEX)
		return ussd_fail(err, "unknown request coding");

	/*
	 * §6.1.2.3.1: CR fills 7 spare bits; a final CR on a boundary is
	 * followed by another.
	 */
	if (ns % 8 == 7 || (ns % 8 == 0 && sep[ns - 1] == USSD_CR))
		sep[ns++] = USSD_CR;
	no = gsm7_pack(sep, ns, 0, oct);
	if (2 * no >= outlen)
		return ussd_fail(err, "output buffer too small");
	for (i = 0; i < no; i++) {
		out[2 * i] = hexd[oct[i] >> 4];
		out[2 * i + 1] = hexd[oct[i] & 0xf];
	}
	out[2 * no] = '\0';
	return (int)(2 * no);
}

int
ussd_request(const char *code, enum ussd_req_coding coding, char *out,
    size_t outlen, const char **err)
{
	char	enc[2 * USSD_MAX_SEPTETS + 1];	/* <= 2 bytes per septet */
	int	n;

	if (out == NULL || outlen == 0)
		return ussd_fail(err, "no output buffer");
	out[0] = '\0';
	if (ussd_encode(code, coding, enc, sizeof enc, err) < 0)
		return -1;
	n = snprintf(out, outlen, "AT+CUSD=1,\"%s\",15", enc);
	if (n < 0 || (size_t)n >= outlen) {
		out[0] = '\0';
		return ussd_fail(err, "output buffer too small");
	}
	return n;
}
