/*
 * modem/pdu.c — SMS TPDU encoding and decoding (3GPP TS 23.040 §9.2).
 *
 * See pdu.h for the contract and the decoder's leniencies.  Every read is
 * bounds-checked through struct pdu_rd, so any byte string decodes to a
 * message or to an error naming the field where it went wrong.
 */
#include <stdio.h>
#include <string.h>

#include "gsm7.h"
#include "pdu.h"
#include "utf8.h"

/* TP-MTI, TS 23.040 §9.2.3.1 (as seen by the mobile). */
#define PDU_MTI_DELIVER		0
#define PDU_MTI_SUBMIT		1
#define PDU_MTI_STATUS_REPORT	2

/* First-octet bits. */
#define PDU_FO_MMS		0x04	/* deliver, report: no more messages */
#define PDU_FO_VPF_MASK		0x18	/* submit */
#define PDU_FO_VPF_NONE		0x00
#define PDU_FO_VPF_ENHANCED	0x08
#define PDU_FO_VPF_RELATIVE	0x10
#define PDU_FO_VPF_ABSOLUTE	0x18
#define PDU_FO_SRR		0x20	/* submit: SRR; deliver: SRI */
#define PDU_FO_UDHI		0x40

/* User data header information elements, TS 23.040 §9.2.3.24. */
#define PDU_IE_CONCAT8		0x00
#define PDU_IE_PORT8		0x04
#define PDU_IE_PORT16		0x05
#define PDU_IE_CONCAT16		0x08
#define PDU_IE_SINGLE_SHIFT	0x24
#define PDU_IE_LOCKING_SHIFT	0x25

#define PDU_ADDR_DIGITS_MAX	20	/* 10 octets of semi-octets */

struct pdu_rd {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
};

static int
pdu_rd_byte(struct pdu_rd *r, unsigned *v)
{
	if (r->off >= r->len)
		return -1;
	*v = r->p[r->off++];
	return 0;
}

static int
pdu_rd_bytes(struct pdu_rd *r, size_t n, const uint8_t **v)
{
	if (r->len - r->off < n)
		return -1;
	*v = r->p + r->off;
	r->off += n;
	return 0;
}

static const char pdu_semi_digits[] = "0123456789*#abc";

/*
 * Semi-octet digits (TS 23.040 §9.1.2.3): low nibble first; 0xF fills the
 * last octet of an odd count.
 */
static size_t
pdu_semi_decode(const uint8_t *in, size_t ndigits, char *out)
{
	size_t		i, o = 0;
	unsigned	d;

	for (i = 0; i < ndigits; i++) {
		d = (i & 1) ? in[i / 2] >> 4 : in[i / 2] & 0x0f;
		if (d == 0x0f)
			break;
		out[o++] = pdu_semi_digits[d];
	}
	out[o] = '\0';
	return o;
}

static int
pdu_addr_decode(struct pdu_rd *r, struct sms_addr *a, const char **err,
    const char *what)
{
	const uint8_t	*v;
	uint8_t		 septets[PDU_ADDR_DIGITS_MAX * 4 / 7 + 1];
	unsigned	 ndigits, type;
	size_t		 nsept, o = 0;

	if (pdu_rd_byte(r, &ndigits) == -1 || pdu_rd_byte(r, &type) == -1) {
		*err = what;
		return -1;
	}
	if (ndigits > PDU_ADDR_DIGITS_MAX) {
		*err = "address longer than 20 digits";
		return -1;
	}
	if (pdu_rd_bytes(r, (ndigits + 1) / 2, &v) == -1) {
		*err = what;
		return -1;
	}
	a->ton = (type >> 4) & 0x07;
	a->npi = type & 0x0f;
	if (a->ton == SMS_TON_ALPHANUMERIC) {
		/* TS 23.040 §9.1.2.5: GSM 7-bit packed, ndigits counts
		 * the useful semi-octets */
		nsept = ndigits * 4 / 7;
		gsm7_unpack(v, nsept, 0, septets);
		gsm7_decode(septets, nsept, 0, 0, a->text);
		return 0;
	}
	if (a->ton == SMS_TON_INTERNATIONAL && ndigits > 0)
		a->text[o++] = '+';
	pdu_semi_decode(v, ndigits, a->text + o);
	return 0;
}

static int
pdu_bcd(unsigned o, int *v)
{
	unsigned lo = o & 0x0f, hi = o >> 4;

	if (lo > 9 || hi > 9)
		return -1;
	*v = (int)(lo * 10 + hi);
	return 0;
}

/* TS 23.040 §9.2.3.11: seven swapped semi-octet pairs, the last the time
 * zone in quarters of an hour with its sign in bit 3. */
static int
pdu_time_decode(struct pdu_rd *r, struct sms_time *t)
{
	const uint8_t	*v;
	int		 f[6], i, q;
	unsigned	 tz;

	if (pdu_rd_bytes(r, 7, &v) == -1)
		return -1;
	memset(t, 0, sizeof *t);
	for (i = 0; i < 6; i++) {
		if (pdu_bcd(v[i], &f[i]) == -1)
			return 0;
	}
	tz = v[6];
	if ((tz >> 4) > 9 || (tz & 0x07) > 9)
		return 0;
	q = (int)((tz & 0x07) * 10 + (tz >> 4));
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 ||
	    f[4] > 59 || f[5] > 59 || q > 72)
		return 0;
	t->present = 1;
	/* two-digit years: SMS is younger than 1990 (as Android reads it) */
	t->year = f[0] >= 90 ? 1900 + f[0] : 2000 + f[0];
	t->month = f[1];
	t->day = f[2];
	t->hour = f[3];
	t->minute = f[4];
	t->second = f[5];
	t->tz_quarters = (tz & 0x08) ? -q : q;
	return 0;
}

/* TS 23.038 §4: alphabet and class from the SMS data coding scheme. */
static void
pdu_dcs_decode(unsigned dcs, struct sms_msg *m)
{
	unsigned	group = dcs >> 4;

	m->encoding = SMS_ENC_GSM7;
	m->msg_class = -1;
	m->compressed = 0;
	if (group <= 0x07) {
		/* general data coding / automatic deletion groups */
		m->compressed = (dcs & 0x20) != 0;
		switch ((dcs >> 2) & 0x03) {
		case 1:
			m->encoding = SMS_ENC_8BIT;
			break;
		case 2:
			m->encoding = SMS_ENC_UCS2;
			break;
		default:	/* 3 is reserved: GSM 7-bit */
			break;
		}
		if (dcs & 0x10)
			m->msg_class = (int)(dcs & 0x03);
	} else if (group == 0x0e)
		m->encoding = SMS_ENC_UCS2;	/* MWI store, UCS-2 */
	else if (group == 0x0f) {
		if (dcs & 0x04)
			m->encoding = SMS_ENC_8BIT;
		m->msg_class = (int)(dcs & 0x03);
	}
	/* 0x8-0xB reserved, 0xC/0xD message waiting: GSM 7-bit */
}

static int
pdu_udh_decode(const uint8_t *h, size_t n, struct sms_msg *m,
    const char **err)
{
	size_t		i = 0;
	unsigned	iei, iedl;
	const uint8_t	*d;

	while (i < n) {
		if (n - i < 2) {
			*err = "user data header element truncated";
			return -1;
		}
		iei = h[i];
		iedl = h[i + 1];
		d = h + i + 2;
		if (iedl > n - i - 2) {
			*err = "user data header element longer than header";
			return -1;
		}
		switch (iei) {
		case PDU_IE_CONCAT8:
			if (iedl != 3)
				break;
			if (d[1] == 0 || d[2] == 0 || d[2] > d[1])
				break;	/* §9.2.3.24.1: ignore the IE */
			m->concat.present = 1;
			m->concat.ref16 = 0;
			m->concat.ref = d[0];
			m->concat.parts = d[1];
			m->concat.part = d[2];
			break;
		case PDU_IE_CONCAT16:
			if (iedl != 4)
				break;
			if (d[2] == 0 || d[3] == 0 || d[3] > d[2])
				break;
			m->concat.present = 1;
			m->concat.ref16 = 1;
			m->concat.ref = ((unsigned)d[0] << 8) | d[1];
			m->concat.parts = d[2];
			m->concat.part = d[3];
			break;
		case PDU_IE_PORT8:
			if (iedl != 2)
				break;
			m->has_ports = 1;
			m->dst_port = d[0];
			m->src_port = d[1];
			break;
		case PDU_IE_PORT16:
			if (iedl != 4)
				break;
			m->has_ports = 1;
			m->dst_port = ((unsigned)d[0] << 8) | d[1];
			m->src_port = ((unsigned)d[2] << 8) | d[3];
			break;
		case PDU_IE_SINGLE_SHIFT:
			if (iedl == 1 && gsm7_has_single(d[0]))
				m->single = d[0];
			break;
		case PDU_IE_LOCKING_SHIFT:
			if (iedl == 1 && gsm7_has_locking(d[0]))
				m->locking = d[0];
			break;
		default:	/* unknown elements are skipped */
			break;
		}
		i += 2 + iedl;
	}
	return 0;
}

/* Octets of user data a TP-UDL announces. */
static size_t
pdu_ud_octets(const struct sms_msg *m, unsigned udl)
{
	if (m->encoding == SMS_ENC_GSM7 && !m->compressed)
		return (udl * 7 + 7) / 8;
	return udl;
}

/* Are TP-UDL and all the user data it announces in the PDU? */
static int
pdu_ud_complete(const struct pdu_rd *r, const struct sms_msg *m)
{
	if (r->off >= r->len)
		return 0;
	return r->len - r->off - 1 >= pdu_ud_octets(m, r->p[r->off]);
}

/* TP-UDL and TP-UD, with the header when udhi is set. */
static int
pdu_ud_decode(struct pdu_rd *r, int udhi, struct sms_msg *m,
    const char **err)
{
	const uint8_t	*ud;
	uint8_t		 septets[160];
	unsigned	 udl;
	size_t		 avail, need, hdr = 0, hsept, fill, n;

	if (pdu_rd_byte(r, &udl) == -1) {
		*err = "PDU truncated before user data length";
		return -1;
	}
	m->ud_units = udl;
	avail = r->len - r->off;
	ud = r->p + r->off;

	if (m->encoding == SMS_ENC_GSM7 && !m->compressed) {
		if (udl > 160) {
			*err = "user data length exceeds 160 septets";
			return -1;
		}
	} else if (udl > PDU_UD_MAX) {
		*err = "user data length exceeds 140 octets";
		return -1;
	}
	need = pdu_ud_octets(m, udl);
	if (avail < need) {
		*err = "user data shorter than its length says";
		return -1;
	}
	r->off += need;

	if (udhi && udl > 0) {
		hdr = (size_t)ud[0] + 1;
		if (hdr > need) {
			*err = "user data header length exceeds user data";
			return -1;
		}
		if (pdu_udh_decode(ud + 1, hdr - 1, m, err) == -1)
			return -1;
	}

	if (m->encoding == SMS_ENC_GSM7 && !m->compressed) {
		/* the header is padded with fill bits to a septet boundary */
		hsept = (hdr * 8 + 6) / 7;
		if (hsept > udl) {
			*err = "user data header length exceeds user data";
			return -1;
		}
		fill = hsept * 7 - hdr * 8;
		n = udl - hsept;
		gsm7_unpack(ud + hdr, n, (unsigned)fill, septets);
		gsm7_decode(septets, n, m->locking, m->single, m->text);
		return 0;
	}
	n = need - hdr;
	/* UTF-16 comes in pairs of octets: an odd count is malformed, and
	 * trimming it would hide a lost or garbled octet */
	if (m->encoding == SMS_ENC_UCS2 && !m->compressed && n % 2 != 0) {
		*err = "UCS-2 user data has an odd number of octets";
		return -1;
	}
	memcpy(m->data, ud + hdr, n);
	m->data_len = n;
	if (m->encoding == SMS_ENC_UCS2 && !m->compressed)
		utf16be_to_utf8(m->data, n, m->text);
	return 0;
}

static void
pdu_msg_init(struct sms_msg *m)
{
	memset(m, 0, sizeof *m);
	m->msg_class = -1;
	m->vp_minutes = -1;
}

/* SMSC information (TS 24.011 §8.2.5.1 as TS 27.005 §3.1 prints it):
 * length octet, then type and semi-octets. */
static int
pdu_smsc_decode(struct pdu_rd *r, struct sms_msg *m, const char **err)
{
	const uint8_t	*v;
	unsigned	 sl = 0, x;

	(void)pdu_rd_byte(r, &sl);
	if (sl > 12) {
		*err = "SMSC address length exceeds 12 octets";
		return -1;
	}
	if (sl > 0) {
		if (pdu_rd_bytes(r, sl, &v) == -1) {
			*err = "PDU truncated in SMSC address";
			return -1;
		}
		m->has_smsc = 1;
		m->smsc.ton = (v[0] >> 4) & 0x07;
		m->smsc.npi = v[0] & 0x0f;
		x = 0;
		if (m->smsc.ton == SMS_TON_INTERNATIONAL && sl > 1)
			m->smsc.text[x++] = '+';
		pdu_semi_decode(v + 1, (sl - 1) * 2, m->smsc.text + x);
	}
	return 0;
}

static int	pdu_tpdu_decode(struct pdu_rd *, struct sms_msg *,
		    const char **);

int
pdu_decode(const uint8_t *pdu, size_t len, struct sms_msg *m,
    const char **err)
{
	struct pdu_rd	 r = { pdu, len, 0 };

	pdu_msg_init(m);
	if (len == 0) {
		*err = "empty PDU";
		return -1;
	}
	if (pdu_smsc_decode(&r, m, err) == -1)
		return -1;
	return pdu_tpdu_decode(&r, m, err);
}

int64_t
pdu_time_epoch(const struct sms_time *t)
{
	int64_t	y, m, era, yoe, doy, doe;

	if (!t->present)
		return 0;
	/* days from the civil date (proleptic Gregorian, March-based) */
	y = t->year - (t->month <= 2);
	m = t->month;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + t->day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468) * 86400 + t->hour * 3600 +
	    t->minute * 60 + t->second - (int64_t)t->tz_quarters * 900;
}

int
pdu_len_smsc(const uint8_t *pdu, size_t len, size_t tpdu_len)
{
	if (len == tpdu_len)
		return 0;
	if (len > tpdu_len && len - tpdu_len - 1 == pdu[0])
		return 1;
	return -1;
}

int
pdu_decode_len(const uint8_t *pdu, size_t len, size_t tpdu_len,
    struct sms_msg *m, const char **err)
{
	/* static, like pdu_from_hex's: valid until the next call */
	static char	 msg[128];
	struct pdu_rd	 r = { pdu, len, 0 };

	pdu_msg_init(m);
	if (len == 0) {
		*err = "empty PDU";
		return -1;
	}
	switch (pdu_len_smsc(pdu, len, tpdu_len)) {
	case 0:		/* no SMSC information */
		return pdu_tpdu_decode(&r, m, err);
	case 1:
		if (pdu_smsc_decode(&r, m, err) == -1)
			return -1;
		return pdu_tpdu_decode(&r, m, err);
	default:
		break;
	}
	snprintf(msg, sizeof msg, "PDU of %zu octets does not match the "
	    "announced TPDU length %zu, with or without SMSC information",
	    len, tpdu_len);
	*err = msg;
	return -1;
}

/* The TPDU from r's offset on. */
static int
pdu_tpdu_decode(struct pdu_rd *r, struct sms_msg *m, const char **err)
{
	const uint8_t	*v;
	unsigned	 fo, vpf, x, pi;

	if (pdu_rd_byte(r, &fo) == -1) {
		*err = "PDU truncated before first octet";
		return -1;
	}
	m->first_octet = fo;

	switch (fo & 0x03) {
	case PDU_MTI_DELIVER:
		m->type = SMS_DELIVER;
		m->more = !(fo & PDU_FO_MMS);
		m->srr = (fo & PDU_FO_SRR) != 0;
		if (pdu_addr_decode(r, &m->addr, err,
		    "PDU truncated in originating address") == -1)
			return -1;
		if (pdu_rd_byte(r, &m->pid) == -1 ||
		    pdu_rd_byte(r, &m->dcs) == -1) {
			*err = "PDU truncated before data coding scheme";
			return -1;
		}
		pdu_dcs_decode(m->dcs, m);
		if (pdu_time_decode(r, &m->scts) == -1) {
			*err = "PDU truncated in service centre timestamp";
			return -1;
		}
		return pdu_ud_decode(r, fo & PDU_FO_UDHI, m, err);

	case PDU_MTI_SUBMIT:
		m->type = SMS_SUBMIT;
		m->srr = (fo & PDU_FO_SRR) != 0;
		if (pdu_rd_byte(r, &m->mr) == -1) {
			*err = "PDU truncated before message reference";
			return -1;
		}
		if (pdu_addr_decode(r, &m->addr, err,
		    "PDU truncated in destination address") == -1)
			return -1;
		if (pdu_rd_byte(r, &m->pid) == -1 ||
		    pdu_rd_byte(r, &m->dcs) == -1) {
			*err = "PDU truncated before data coding scheme";
			return -1;
		}
		pdu_dcs_decode(m->dcs, m);
		vpf = fo & PDU_FO_VPF_MASK;
		if (vpf == PDU_FO_VPF_RELATIVE) {
			if (pdu_rd_byte(r, &x) == -1) {
				*err = "PDU truncated in validity period";
				return -1;
			}
			m->vp_minutes = pdu_vp_minutes(x);
		} else if (vpf != PDU_FO_VPF_NONE) {
			if (pdu_rd_bytes(r, 7, &v) == -1) {
				*err = "PDU truncated in validity period";
				return -1;
			}
		}
		return pdu_ud_decode(r, fo & PDU_FO_UDHI, m, err);

	case PDU_MTI_STATUS_REPORT:
		m->type = SMS_STATUS_REPORT;
		m->more = !(fo & PDU_FO_MMS);
		if (pdu_rd_byte(r, &m->mr) == -1) {
			*err = "PDU truncated before message reference";
			return -1;
		}
		if (pdu_addr_decode(r, &m->addr, err,
		    "PDU truncated in recipient address") == -1)
			return -1;
		if (pdu_time_decode(r, &m->scts) == -1) {
			*err = "PDU truncated in service centre timestamp";
			return -1;
		}
		if (pdu_time_decode(r, &m->discharge) == -1) {
			*err = "PDU truncated in discharge time";
			return -1;
		}
		if (pdu_rd_byte(r, &m->status) == -1) {
			*err = "PDU truncated before status";
			return -1;
		}
		/* TP-PI and what it announces are optional (§9.2.3.27);
		 * networks send all sorts here, so a short tail is not an
		 * error: the report itself is complete */
		if (pdu_rd_byte(r, &pi) == -1 || pi == 0xff)
			return 0;
		for (x = pi; x & 0x80;) {	/* extension octets: skip */
			if (pdu_rd_byte(r, &x) == -1)
				return 0;
		}
		if (pi & 0x01) {
			if (pdu_rd_byte(r, &m->pid) == -1)
				return 0;
			m->has_pid = 1;
		}
		if (pi & 0x02) {
			if (pdu_rd_byte(r, &m->dcs) == -1)
				return 0;
			m->has_dcs = 1;
			pdu_dcs_decode(m->dcs, m);
		}
		/* announced user data that is not there (the PDU ends
		 * early) is left out; malformed user data is an error */
		if ((pi & 0x04) && pdu_ud_complete(r, m)) {
			if (pdu_ud_decode(r, fo & PDU_FO_UDHI, m, err) == -1)
				return -1;
			m->has_ud = 1;
		}
		return 0;

	default:
		*err = "reserved message type indicator 3";
		return -1;
	}
}

long
pdu_from_hex(const char *hex, size_t len, uint8_t *out, size_t cap,
    const char **err)
{
	/* a static buffer keeps the API allocation-free; the message is
	 * valid until the next call */
	static char	 msg[64];
	size_t		 i;
	unsigned	 v = 0, d;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)hex[i];
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else {
			if (c > 0x20 && c < 0x7f)
				snprintf(msg, sizeof msg, "invalid hex digit "
				    "'%c' at position %zu", c, i + 1);
			else
				snprintf(msg, sizeof msg, "invalid hex digit "
				    "\\x%02x at position %zu", c, i + 1);
			*err = msg;
			return -1;
		}
		if (i / 2 >= cap) {
			*err = "PDU too long";
			return -1;
		}
		v = (v << 4) | d;
		if (i & 1) {
			out[i / 2] = (uint8_t)v;
			v = 0;
		}
	}
	if (len % 2 != 0) {
		*err = "odd number of hex digits";
		return -1;
	}
	return (long)(len / 2);
}

void
pdu_to_hex(const uint8_t *in, size_t len, char *out)
{
	static const char	hexd[] = "0123456789ABCDEF";
	size_t			i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hexd[in[i] >> 4];
		out[2 * i + 1] = hexd[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

/* ---- encoding ---------------------------------------------------------- */

struct pdu_wr {
	uint8_t		*p;
	size_t		 off;
};

static void
pdu_wr_byte(struct pdu_wr *w, unsigned v)
{
	w->p[w->off++] = (uint8_t)v;
}

/*
 * Parse a number for an address field: optional '+', then 1..20 digits.
 * Returns the digit count and the start of the digits, or -1.
 */
static int
pdu_number(const char *s, const char **digits, int *intl)
{
	size_t	i, n;

	*intl = 0;
	if (*s == '+') {
		*intl = 1;
		s++;
	}
	n = strlen(s);
	if (n > PDU_ADDR_DIGITS_MAX)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	*digits = s;
	return (int)n;
}

static void
pdu_semi_encode(struct pdu_wr *w, const char *d, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i += 2) {
		unsigned lo = (unsigned)(d[i] - '0');
		unsigned hi = i + 1 < n ? (unsigned)(d[i + 1] - '0') : 0x0f;
		pdu_wr_byte(w, lo | (hi << 4));
	}
}

static int
pdu_smsc_encode(struct pdu_wr *w, const char *smsc, const char **err)
{
	const char	*d;
	int		 n, intl;

	if (smsc == NULL) {
		pdu_wr_byte(w, 0);
		return 0;
	}
	if ((n = pdu_number(smsc, &d, &intl)) <= 0 || n > 20) {
		*err = "invalid SMSC number";
		return -1;
	}
	pdu_wr_byte(w, 1 + ((unsigned)n + 1) / 2);
	pdu_wr_byte(w, intl ? 0x91 : 0x81);
	pdu_semi_encode(w, d, (size_t)n);
	return 0;
}

static int
pdu_addr_encode(struct pdu_wr *w, const char *num, int alpha_ok,
    const char **err)
{
	const char	*d;
	uint8_t		 sept[16], enc[2];
	uint32_t	 cps[12];
	size_t		 ns = 0, i, ncp;
	int		 n, intl, k;

	if (num == NULL || *num == '\0') {
		pdu_wr_byte(w, 0);
		pdu_wr_byte(w, 0x81);
		return 0;
	}
	if ((n = pdu_number(num, &d, &intl)) >= 0 && !(intl && n == 0)) {
		pdu_wr_byte(w, (unsigned)n);
		pdu_wr_byte(w, intl ? 0x91 : 0x81);
		pdu_semi_encode(w, d, (size_t)n);
		return 0;
	}
	if (!alpha_ok) {
		*err = "invalid character in destination number";
		return -1;
	}
	/* alphanumeric sender: up to 11 GSM characters, packed */
	if (utf8_decode(num, strlen(num), cps, sizeof cps / sizeof cps[0],
	    &ncp, &i) == -1) {
		*err = "alphanumeric sender must be at most 11 GSM characters";
		return -1;
	}
	for (i = 0; i < ncp; i++) {
		k = gsm7_encode_char(cps[i], 0, 0, enc);
		if (k == 0 || ns + (size_t)k > 11) {
			*err = "alphanumeric sender must be at most 11 GSM "
			    "characters";
			return -1;
		}
		memcpy(sept + ns, enc, (size_t)k);
		ns += (size_t)k;
	}
	pdu_wr_byte(w, (unsigned)((ns * 7 + 3) / 4));
	pdu_wr_byte(w, 0xd0);
	w->off += gsm7_pack(sept, ns, 0, w->p + w->off);
	return 0;
}

static unsigned
pdu_dcs_encode(enum sms_encoding enc, int msg_class)
{
	unsigned	dcs;

	switch (enc) {
	case SMS_ENC_8BIT:
		dcs = 0x04;
		break;
	case SMS_ENC_UCS2:
		dcs = 0x08;
		break;
	default:
		dcs = 0x00;
		break;
	}
	if (msg_class >= 0 && msg_class <= 3)
		dcs |= 0x10 | (unsigned)msg_class;
	return dcs;
}

static int
pdu_ud_encode(struct pdu_wr *w, enum sms_encoding enc, const uint8_t *udh,
    size_t udh_len, const uint8_t *ud, size_t units, const char **err)
{
	size_t	hdr = udh_len ? udh_len + 1 : 0, hsept, fill, udl;

	if (udh_len > PDU_UD_MAX - 1) {
		*err = "user data header too long";
		return -1;
	}
	if (enc == SMS_ENC_GSM7) {
		hsept = (hdr * 8 + 6) / 7;
		fill = hsept * 7 - hdr * 8;
		udl = hsept + units;
		if (udl > 160) {
			*err = "user data too long for one segment";
			return -1;
		}
		pdu_wr_byte(w, (unsigned)udl);
		if (hdr) {
			pdu_wr_byte(w, (unsigned)udh_len);
			memcpy(w->p + w->off, udh, udh_len);
			w->off += udh_len;
		}
		w->off += gsm7_pack(ud, units, (unsigned)fill, w->p + w->off);
		return 0;
	}
	udl = hdr + units;
	if (udl > PDU_UD_MAX) {
		*err = "user data too long for one segment";
		return -1;
	}
	pdu_wr_byte(w, (unsigned)udl);
	if (hdr) {
		pdu_wr_byte(w, (unsigned)udh_len);
		memcpy(w->p + w->off, udh, udh_len);
		w->off += udh_len;
	}
	memcpy(w->p + w->off, ud, units);
	w->off += units;
	return 0;
}

int
pdu_encode_submit(const struct pdu_submit *s, uint8_t *out, size_t *len,
    size_t *tpdu_len, const char **err)
{
	struct pdu_wr	w = { out, 0 };
	size_t		sc;
	unsigned	fo = PDU_MTI_SUBMIT;

	if (pdu_smsc_encode(&w, s->smsc, err) == -1)
		return -1;
	sc = w.off;
	if (s->vp_minutes >= 0)
		fo |= PDU_FO_VPF_RELATIVE;
	if (s->srr)
		fo |= PDU_FO_SRR;
	if (s->udh_len > 0)
		fo |= PDU_FO_UDHI;
	pdu_wr_byte(&w, fo);
	pdu_wr_byte(&w, s->mr & 0xff);
	if (pdu_addr_encode(&w, s->to, 0, err) == -1)
		return -1;
	pdu_wr_byte(&w, s->pid & 0xff);
	pdu_wr_byte(&w, pdu_dcs_encode(s->encoding, s->msg_class));
	if (s->vp_minutes >= 0)
		pdu_wr_byte(&w, pdu_vp_relative(s->vp_minutes));
	if (pdu_ud_encode(&w, s->encoding, s->udh, s->udh_len, s->ud,
	    s->ud_units, err) == -1)
		return -1;
	*len = w.off;
	*tpdu_len = w.off - sc;
	return 0;
}

static void
pdu_time_encode(struct pdu_wr *w, const struct sms_time *t)
{
	int		v[6], i, q;
	unsigned	tz;

	v[0] = t->year % 100;
	v[1] = t->month;
	v[2] = t->day;
	v[3] = t->hour;
	v[4] = t->minute;
	v[5] = t->second;
	for (i = 0; i < 6; i++)
		pdu_wr_byte(w, (unsigned)((v[i] % 10) << 4 | (v[i] / 10) % 10));
	q = t->tz_quarters < 0 ? -t->tz_quarters : t->tz_quarters;
	tz = (unsigned)((q % 10) << 4 | (q / 10) % 10);
	if (t->tz_quarters < 0)
		tz |= 0x08;
	pdu_wr_byte(w, tz);
}

int
pdu_encode_deliver(const struct pdu_deliver *d, uint8_t *out, size_t *len,
    size_t *tpdu_len, const char **err)
{
	struct pdu_wr	w = { out, 0 };
	size_t		sc;
	unsigned	fo = PDU_MTI_DELIVER;

	if (pdu_smsc_encode(&w, d->smsc, err) == -1)
		return -1;
	sc = w.off;
	if (!d->more)
		fo |= PDU_FO_MMS;
	if (d->sri)
		fo |= PDU_FO_SRR;
	if (d->udh_len > 0)
		fo |= PDU_FO_UDHI;
	pdu_wr_byte(&w, fo);
	if (pdu_addr_encode(&w, d->from, 1, err) == -1)
		return -1;
	pdu_wr_byte(&w, d->pid & 0xff);
	pdu_wr_byte(&w, pdu_dcs_encode(d->encoding, d->msg_class));
	pdu_time_encode(&w, &d->scts);
	if (pdu_ud_encode(&w, d->encoding, d->udh, d->udh_len, d->ud,
	    d->ud_units, err) == -1)
		return -1;
	*len = w.off;
	*tpdu_len = w.off - sc;
	return 0;
}

int
pdu_encode_report(const struct pdu_report *r, uint8_t *out, size_t *len,
    size_t *tpdu_len, const char **err)
{
	struct pdu_wr	w = { out, 0 };
	size_t		sc;

	if (pdu_smsc_encode(&w, r->smsc, err) == -1)
		return -1;
	sc = w.off;
	pdu_wr_byte(&w, PDU_MTI_STATUS_REPORT | PDU_FO_MMS);
	pdu_wr_byte(&w, r->mr & 0xff);
	if (pdu_addr_encode(&w, r->recipient, 0, err) == -1)
		return -1;
	pdu_time_encode(&w, &r->scts);
	pdu_time_encode(&w, &r->discharge);
	pdu_wr_byte(&w, r->status & 0xff);
	*len = w.off;
	*tpdu_len = w.off - sc;
	return 0;
}

unsigned
pdu_vp_relative(int minutes)
{
	if (minutes <= 5)
		return 0;
	if (minutes <= 12 * 60)
		return (unsigned)((minutes + 4) / 5 - 1);
	if (minutes <= 24 * 60)
		return (unsigned)(143 + (minutes - 12 * 60 + 29) / 30);
	if (minutes <= 30 * 24 * 60)
		return (unsigned)(166 + (minutes + 1439) / 1440);
	if (minutes >= 63 * 7 * 24 * 60)
		return 255;
	return (unsigned)(192 + (minutes + 10079) / 10080);
}

int
pdu_vp_minutes(unsigned vp)
{
	vp &= 0xff;
	if (vp <= 143)
		return (int)(vp + 1) * 5;
	if (vp <= 167)
		return 12 * 60 + (int)(vp - 143) * 30;
	if (vp <= 196)
		return (int)(vp - 166) * 24 * 60;
	return (int)(vp - 192) * 7 * 24 * 60;
}
