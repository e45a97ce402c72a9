/*
 * modem/plan.c — choosing the cheapest exact encoding and segmenting.
 *
 * Every candidate table set (the default alphabet, and with a national
 * language the single shift, locking shift and both) is costed in septets
 * and segments; UCS-2 is costed in UTF-16 units.  The fewest segments
 * wins; ties go to the exact text (fewest substitutions), then to the
 * fewest header elements, then to the fewest septets, then to GSM 7-bit
 * over UCS-2.
 *
 * Segments are filled greedily: a character whose units do not fit in
 * the current segment starts the next one, so an escape pair (TS 23.038
 * §6.2.1.1 — a receiver seeing a lone ESC at the end of a part would
 * show garbage) and a surrogate pair are never split.  Greedy filling is
 * optimal here because every character costs 1 or 2 units and the
 * capacity of every part is the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gsm7.h"
#include "plan.h"
#include "translit.h"
#include "utf8.h"

#define PLAN_CONCAT_IE_LEN	5	/* 00 03 ref parts part */
#define PLAN_SHIFT_IE_LEN	3	/* 24|25 01 lang */
#define PLAN_REPL_MAX		8	/* code points in one replacement */

struct plan_cand {
	int	valid;
	int	locking, single;
	size_t	nie;		/* shift IEs */
	size_t	units;
	size_t	nseg;
	size_t	changed;	/* substitutions */
	size_t	replaced, stripped;
};

const char *
plan_encoding_name(enum sms_encoding e)
{
	switch (e) {
	case SMS_ENC_GSM7:
		return "gsm7";
	case SMS_ENC_8BIT:
		return "8bit";
	case SMS_ENC_UCS2:
		return "ucs2";
	}
	return "unknown";
}

long
plan_estimate_secs(long segments, int modems)
{
	if (modems < 1)
		modems = 1;
	return (segments * PLAN_SEC_PER_SEGMENT + modems - 1) / modems;
}

/* Units per segment for an encoding and header length in octets. */
static size_t
plan_capacity(enum sms_encoding e, size_t hdr)
{
	if (hdr > 0)
		hdr++;		/* UDHL */
	switch (e) {
	case SMS_ENC_GSM7:
		return 160 - (hdr * 8 + 6) / 7;
	case SMS_ENC_UCS2:
		return (PDU_UD_MAX - hdr) / 2;
	default:
		return PDU_UD_MAX - hdr;
	}
}

/* Units of one code point in a candidate, or 0 if it cannot be sent. */
static size_t
plan_units(enum sms_encoding e, uint32_t cp, int locking, int single)
{
	uint8_t	s[2];

	if (e == SMS_ENC_UCS2)
		return utf16_units(cp);
	return (size_t)gsm7_encode_char(cp, locking, single, s);
}

/*
 * Decode a replacement string into code points; returns the count, or 0
 * when one of them cannot be sent with these tables (an empty
 * replacement "removes" and returns PLAN_REPL_MAX + 1 with *n = 0).
 */
static int
plan_repl(const char *r, int locking, int single, uint32_t *out, size_t *n)
{
	size_t	pos, i;

	if (utf8_decode(r, strlen(r), out, PLAN_REPL_MAX, n, &pos) == -1)
		return 0;
	for (i = 0; i < *n; i++)
		if (plan_units(SMS_ENC_GSM7, out[i], locking, single) == 0)
			return 0;
	return 1;
}

/*
 * The replacement for cp under the enabled policies, decoded into out;
 * returns 1 if one exists whose characters all fit the tables.
 */
static int
plan_subst(const struct plan_opts *o, uint32_t cp, int locking, int single,
    uint32_t *out, size_t *n, int *kind)
{
	const char	*r;

	if (o->smart && (r = translit_smart(cp)) != NULL &&
	    plan_repl(r, locking, single, out, n)) {
		*kind = 0;
		return 1;
	}
	if (o->strip_accents && (r = translit_strip_accent(cp)) != NULL &&
	    plan_repl(r, locking, single, out, n)) {
		*kind = 1;
		return 1;
	}
	return 0;
}

/* Count segments by greedy filling; cost() per char. */
static size_t
plan_count_segments(size_t total, size_t cap_single, size_t cap_multi,
    const uint32_t *cp, size_t n, enum sms_encoding e, int locking,
    int single)
{
	size_t	i, used = 0, nseg = 1, u;

	if (total <= cap_single)
		return 1;
	for (i = 0; i < n; i++) {
		u = plan_units(e, cp[i], locking, single);
		if (used + u > cap_multi) {
			nseg++;
			used = 0;
		}
		used += u;
	}
	return nseg;
}

/*
 * Cost the text for one GSM table set, writing the substituted text into
 * out (cap code points).  Returns 0 when some character cannot be sent.
 */
static int
plan_cost_gsm7(const struct plan_opts *o, const uint32_t *cp, size_t n,
    struct plan_cand *c, uint32_t *out, size_t *nout)
{
	uint32_t	r[PLAN_REPL_MAX], *rs;
	size_t		i, u, nr, k = 0, total = 0;
	int		kind;

	c->replaced = c->stripped = 0;
	for (i = 0; i < n; i++) {
		u = plan_units(SMS_ENC_GSM7, cp[i], c->locking, c->single);
		if (u > 0) {
			out[k++] = cp[i];
			total += u;
			continue;
		}
		if (!plan_subst(o, cp[i], c->locking, c->single, r, &nr,
		    &kind))
			return 0;
		if (kind == 0)
			c->replaced++;
		else
			c->stripped++;
		/* " 1/2" keeps "2½" from reading "21/2", but after a space
		 * (or at the start) its own space would double one */
		rs = r;
		if (nr > 0 && rs[0] == ' ' && (k == 0 || out[k - 1] == ' ')) {
			rs++;
			nr--;
		}
		memcpy(out + k, rs, nr * sizeof *rs);
		k += nr;
		while (nr > 0)
			total += plan_units(SMS_ENC_GSM7, rs[--nr], c->locking,
			    c->single);
	}
	if (k == 0)
		return 0;
	*nout = k;
	c->units = total;
	c->changed = c->replaced + c->stripped;
	c->nseg = plan_count_segments(total,
	    plan_capacity(SMS_ENC_GSM7, c->nie * PLAN_SHIFT_IE_LEN),
	    plan_capacity(SMS_ENC_GSM7, PLAN_CONCAT_IE_LEN +
	    c->nie * PLAN_SHIFT_IE_LEN), out, k, SMS_ENC_GSM7, c->locking,
	    c->single);
	return 1;
}

/* Is a better than b? */
static int
plan_better(const struct plan_cand *a, const struct plan_cand *b)
{
	if (!b->valid)
		return 1;
	if (a->nseg != b->nseg)
		return a->nseg < b->nseg;
	if (a->changed != b->changed)
		return a->changed < b->changed;
	if (a->nie != b->nie)
		return a->nie < b->nie;
	return a->units < b->units;
}

/* Fill the segment table by greedy filling. */
static void
plan_split(struct plan *p)
{
	size_t	i, u, used = 0, cap, k = 0;

	cap = p->capacity;
	p->seg[0].start = 0;
	if (p->nseg == 1) {
		p->seg[0].end = p->nchars;
		p->seg[0].units = p->units;
		return;
	}
	for (i = 0; i < p->nchars; i++) {
		u = plan_units(p->encoding, p->cp[i], p->locking, p->single);
		if (used + u > cap) {
			p->seg[k].end = i;
			p->seg[k].units = used;
			k++;
			p->seg[k].start = i;
			used = 0;
		}
		used += u;
	}
	p->seg[k].end = p->nchars;
	p->seg[k].units = used;
}

static void
plan_split_octets(struct plan *p)
{
	size_t	i;

	for (i = 0; i < p->nseg; i++) {
		p->seg[i].start = i * p->capacity;
		p->seg[i].end = p->seg[i].start + p->capacity;
		if (p->seg[i].end > p->rawlen)
			p->seg[i].end = p->rawlen;
		p->seg[i].units = p->seg[i].end - p->seg[i].start;
	}
}

/* Record the characters that keep the text out of GSM 7-bit. */
static void
plan_forcing(struct plan *p, const struct plan_opts *o, const uint32_t *cp,
    size_t n, int locking, int single)
{
	uint32_t	r[PLAN_REPL_MAX];
	size_t		i, nr;
	int		kind;

	for (i = 0; i < n; i++) {
		if (plan_units(SMS_ENC_GSM7, cp[i], locking, single) > 0)
			continue;
		if (plan_subst(o, cp[i], locking, single, r, &nr, &kind))
			continue;
		if (p->nforcing < PLAN_MAX_FORCING) {
			p->forcing[p->nforcing].cp = cp[i];
			p->forcing[p->nforcing].pos = i + 1;
		}
		p->nforcing++;
	}
}

int
plan_make(struct plan *p, const char *text, size_t len,
    const struct plan_opts *o, const char **err)
{
	static char	 msg[96];
	struct plan_cand cand[4], best, ucs;
	uint32_t	*orig, *work;
	size_t		 n, pos, i, k, nwork, ncand = 0, cap_s, cap_m;
	int		 L = o->shift;

	memset(p, 0, sizeof *p);
	memset(&best, 0, sizeof best);

	if (len == 0) {
		*err = "empty text";
		return -1;
	}
	if (o->force == PLAN_FORCE_8BIT) {
		p->encoding = SMS_ENC_8BIT;
		p->raw = text;
		p->rawlen = p->units = p->nchars = len;
		cap_s = plan_capacity(SMS_ENC_8BIT, 0);
		cap_m = plan_capacity(SMS_ENC_8BIT, PLAN_CONCAT_IE_LEN);
		p->nseg = len <= cap_s ? 1 : (len + cap_m - 1) / cap_m;
		goto segments;
	}

	/* original text, then room for the substituted text: a
	 * replacement has at most PLAN_REPL_MAX code points */
	if (len > ((size_t)-1) / sizeof(uint32_t) / (PLAN_REPL_MAX + 2)) {
		*err = "text too long";
		return -1;
	}
	if ((orig = malloc((len + 1) * (PLAN_REPL_MAX + 1) *
	    sizeof *orig)) == NULL) {
		*err = "out of memory";
		return -1;
	}
	work = orig + len + 1;
	p->cp = orig;
	p->cpcap = len;
	if (utf8_decode(text, len, orig, len, &n, &pos) == -1) {
		snprintf(msg, sizeof msg, "invalid UTF-8 at byte %zu",
		    pos + 1);
		*err = msg;
		goto fail;
	}

	/* GSM 7-bit candidates */
	cand[ncand++] = (struct plan_cand){ .locking = 0, .single = 0 };
	if (L != 0 && gsm7_has_single(L))
		cand[ncand++] = (struct plan_cand){ .single = L, .nie = 1 };
	if (L != 0 && gsm7_has_locking(L))
		cand[ncand++] = (struct plan_cand){ .locking = L, .nie = 1 };
	if (L != 0 && gsm7_has_single(L) && gsm7_has_locking(L))
		cand[ncand++] = (struct plan_cand){ .locking = L, .single = L,
		    .nie = 2 };
	if (o->force != PLAN_FORCE_UCS2) {
		for (i = 0; i < ncand; i++) {
			cand[i].valid = plan_cost_gsm7(o, orig, n, &cand[i],
			    work, &nwork);
			if (cand[i].valid && plan_better(&cand[i], &best))
				best = cand[i];
		}
	}

	/* UCS-2 */
	memset(&ucs, 0, sizeof ucs);
	for (i = 0; i < n; i++)
		ucs.units += utf16_units(orig[i]);
	ucs.nseg = plan_count_segments(ucs.units,
	    plan_capacity(SMS_ENC_UCS2, 0),
	    plan_capacity(SMS_ENC_UCS2, PLAN_CONCAT_IE_LEN), orig, n,
	    SMS_ENC_UCS2, 0, 0);
	ucs.valid = 1;

	if (o->force == PLAN_FORCE_GSM7 && !best.valid) {
		plan_forcing(p, o, orig, n, ncand > 1 ? cand[ncand - 1].locking
		    : 0, ncand > 1 ? cand[ncand - 1].single : 0);
		if (p->nforcing == 0)
			*err = "text is empty after replacing characters";
		else {
			char c[5] = "";
			c[utf8_encode(p->forcing[0].cp, c)] = '\0';
			snprintf(msg, sizeof msg, "text cannot be encoded in "
			    "GSM 7-bit: '%s' (U+%04X) at character %zu", c,
			    p->forcing[0].cp, p->forcing[0].pos);
			*err = msg;
		}
		goto fail;
	}

	if (best.valid && (o->force == PLAN_FORCE_GSM7 ||
	    best.nseg <= ucs.nseg)) {
		p->encoding = SMS_ENC_GSM7;
		p->locking = best.locking;
		p->single = best.single;
		p->units = best.units;
		p->nseg = best.nseg;
		p->replaced = best.replaced;
		p->stripped = best.stripped;
		/* recompute the substituted text for the winner */
		plan_cost_gsm7(o, orig, n, &best, work, &nwork);
		memmove(orig, work, nwork * sizeof *orig);
		p->nchars = nwork;
		k = best.nie * PLAN_SHIFT_IE_LEN;
	} else {
		if (o->force != PLAN_FORCE_UCS2)
			plan_forcing(p, o, orig, n,
			    cand[ncand - 1].locking, cand[ncand - 1].single);
		p->encoding = SMS_ENC_UCS2;
		p->units = ucs.units;
		p->nseg = ucs.nseg;
		p->nchars = n;
		k = 0;
	}
	cap_s = plan_capacity(p->encoding, k);
	cap_m = plan_capacity(p->encoding, k + PLAN_CONCAT_IE_LEN);

segments:
	if (p->nseg > PLAN_MAX_SEGMENTS) {
		snprintf(msg, sizeof msg, "text needs %zu segments, at most "
		    "%d are possible", p->nseg, PLAN_MAX_SEGMENTS);
		*err = msg;
		goto fail;
	}
	p->capacity = p->nseg == 1 ? cap_s : cap_m;
	if (p->encoding == SMS_ENC_8BIT)
		plan_split_octets(p);
	else
		plan_split(p);
	p->last_used = p->seg[p->nseg - 1].units;
	p->last_left = p->capacity - p->last_used;
	return 0;
fail:
	plan_free(p);
	return -1;
}

void
plan_free(struct plan *p)
{
	free(p->cp);
	p->cp = NULL;
}

size_t
plan_segment(const struct plan *p, size_t i, unsigned ref, uint8_t *ud,
    uint8_t *udh, size_t *udh_len)
{
	const struct plan_seg	*s = &p->seg[i];
	size_t			 k, o = 0, h = 0;
	uint32_t		 c, hi, lo;
	uint8_t			 sept[2];
	int			 n;

	if (p->nseg > 1) {
		udh[h++] = 0x00;
		udh[h++] = 0x03;
		udh[h++] = ref & 0xff;
		udh[h++] = (uint8_t)p->nseg;
		udh[h++] = (uint8_t)(i + 1);
	}
	if (p->locking) {
		udh[h++] = 0x25;
		udh[h++] = 0x01;
		udh[h++] = (uint8_t)p->locking;
	}
	if (p->single) {
		udh[h++] = 0x24;
		udh[h++] = 0x01;
		udh[h++] = (uint8_t)p->single;
	}
	*udh_len = h;

	switch (p->encoding) {
	case SMS_ENC_8BIT:
		memcpy(ud, p->raw + s->start, s->units);
		return s->units;
	case SMS_ENC_UCS2:
		for (k = s->start; k < s->end; k++) {
			c = p->cp[k];
			if (c > 0xffff) {
				hi = 0xd800 + ((c - 0x10000) >> 10);
				lo = 0xdc00 + ((c - 0x10000) & 0x3ff);
				ud[o++] = (uint8_t)(hi >> 8);
				ud[o++] = (uint8_t)hi;
				c = lo;
			}
			ud[o++] = (uint8_t)(c >> 8);
			ud[o++] = (uint8_t)c;
		}
		return o;
	default:
		for (k = s->start; k < s->end; k++) {
			n = gsm7_encode_char(p->cp[k], p->locking, p->single,
			    sept);
			memcpy(ud + o, sept, (size_t)n);
			o += (size_t)n;
		}
		return o;
	}
}

size_t
plan_text(const struct plan *p, char *out, size_t outlen)
{
	char	buf[4];
	size_t	i, n, total = 0, w = 0;
	int	full = outlen == 0;

	if (p->encoding == SMS_ENC_8BIT) {
		if (outlen > 0) {
			n = p->rawlen < outlen - 1 ? p->rawlen : outlen - 1;
			memcpy(out, p->raw, n);
			out[n] = '\0';
		}
		return p->rawlen;
	}
	for (i = 0; i < p->nchars; i++) {
		n = utf8_encode(p->cp[i], buf);
		/* stop at a whole character once out is full */
		if (!full && w + n < outlen) {
			memcpy(out + w, buf, n);
			w += n;
		} else
			full = 1;
		total += n;
	}
	if (outlen > 0)
		out[w] = '\0';
	return total;
}
