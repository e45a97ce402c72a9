/*
 * tests/unit/test_plan.c — encoding choice and segmentation
 * (modem/plan.c): the boundaries of TS 23.040 concatenation and
 * TS 23.038 escapes and surrogates, the substitution policies and the
 * shift tables.
 */
#include <stdlib.h>

#include "plan.h"
#include "tt.h"

/* n copies of s */
static char *
rep(const char *s, size_t n)
{
	size_t	len = strlen(s), i;
	char	*out = malloc(len * n + 1);

	for (i = 0; i < n; i++)
		memcpy(out + i * len, s, len);
	out[len * n] = '\0';
	return out;
}

/* prefix + n copies of s + suffix */
static char *
build(const char *prefix, const char *s, size_t n, const char *suffix)
{
	char	*mid = rep(s, n), *out;
	size_t	 len = strlen(prefix) + strlen(mid) + strlen(suffix) + 1;

	out = malloc(len);
	snprintf(out, len, "%s%s%s", prefix, mid, suffix);
	free(mid);
	return out;
}

struct seg_case {
	const char	*name;
	const char	*prefix, *unit;
	size_t		 n;
	const char	*suffix;
	enum sms_encoding enc;
	size_t		 nseg;
	size_t		 units;
	size_t		 first;		/* units in the first segment */
	size_t		 last_left;
};

static const struct seg_case seg_cases[] = {
	{ "160 septets", "", "a", 160, "", SMS_ENC_GSM7, 1, 160, 160, 0 },
	{ "161 septets", "", "a", 161, "", SMS_ENC_GSM7, 2, 161, 153, 145 },
	{ "306 septets", "", "a", 306, "", SMS_ENC_GSM7, 2, 306, 153, 0 },
	{ "307 septets", "", "a", 307, "", SMS_ENC_GSM7, 3, 307, 153, 152 },
	/* 158 + € (2 septets) = 160: one segment */
	{ "escape fits 160", "", "a", 158, "\xe2\x82\xac", SMS_ENC_GSM7, 1,
	  160, 160, 0 },
	/* 159 + € = 161 septets: two segments */
	{ "escape makes 161", "", "a", 159, "\xe2\x82\xac", SMS_ENC_GSM7, 2,
	  161, 153, 145 },
	/* 152 + € + a: the pair would straddle 153, so it moves on */
	{ "escape at 153", "", "a", 152, "\xe2\x82\xac" "aaaaaaaaaa",
	  SMS_ENC_GSM7, 2, 164, 152, 141 },
	/* 151 + € : 153 exactly in the first part (needs > 160 total) */
	{ "escape ends 153", "", "a", 151, "\xe2\x82\xac" "bbbbbbbbbb",
	  SMS_ENC_GSM7, 2, 163, 153, 143 },
	{ "70 units", "", "\xe4\xbd\xa0", 70, "", SMS_ENC_UCS2, 1, 70, 70, 0 },
	{ "71 units", "", "\xe4\xbd\xa0", 71, "", SMS_ENC_UCS2, 2, 71, 67,
	  63 },
	{ "134 units", "", "\xe4\xbd\xa0", 134, "", SMS_ENC_UCS2, 2, 134, 67,
	  0 },
	{ "135 units", "", "\xe4\xbd\xa0", 135, "", SMS_ENC_UCS2, 3, 135, 67,
	  66 },
	/* 68 + emoji (2 units) = 70: one segment */
	{ "surrogate fits 70", "", "\xe4\xbd\xa0", 68, "\xf0\x9f\x98\x80",
	  SMS_ENC_UCS2, 1, 70, 70, 0 },
	/* 66 + emoji: would straddle 67 -> moves to part 2 */
	{ "surrogate at 67", "", "\xe4\xbd\xa0", 66, "\xf0\x9f\x98\x80"
	  "\xe4\xbd\xa0\xe4\xbd\xa0\xe4\xbd\xa0", SMS_ENC_UCS2, 2, 71, 66,
	  62 },
	/* 65 + emoji = 67 exactly in part 1 */
	{ "surrogate ends 67", "", "\xe4\xbd\xa0", 65, "\xf0\x9f\x98\x80"
	  "\xe4\xbd\xa0\xe4\xbd\xa0\xe4\xbd\xa0\xe4\xbd\xa0",
	  SMS_ENC_UCS2, 2, 71, 67, 63 },
	{ "5 segments", "", "x", 153 * 5, "", SMS_ENC_GSM7, 5, 765, 153, 0 },
	{ "6 segments", "", "x", 153 * 5 + 1, "", SMS_ENC_GSM7, 6, 766, 153,
	  152 },
	{ "10 segments", "", "x", 153 * 10, "", SMS_ENC_GSM7, 10, 1530, 153,
	  0 },
	{ "10 segments ucs2", "", "\xc3\xa1\xe4\xbd\xa0", 335, "",
	  SMS_ENC_UCS2, 10, 670, 67, 0 },
	/* all-escape text: 80 € = 160 septets */
	{ "80 euros", "", "\xe2\x82\xac", 80, "", SMS_ENC_GSM7, 1, 160, 160,
	  0 },
	{ "81 euros", "", "\xe2\x82\xac", 81, "", SMS_ENC_GSM7, 2, 162, 152,
	  143 },
};

static void
test_segments(void)
{
	struct plan	*p = malloc(sizeof *p);
	struct plan_opts o = { PLAN_AUTO, 0, 0, 0 };
	const char	*err;
	char		*t = NULL;
	size_t		 i, k, sum;

	for (i = 0; i < TT_NELEM(seg_cases); i++) {
		const struct seg_case *c = &seg_cases[i];
		t = build(c->prefix, c->unit, c->n, c->suffix);
		if (plan_make(p, t, strlen(t), &o, &err) != 0) {
			tt_fail(__FILE__, __LINE__, "%s: %s", c->name, err);
			goto end;
		}
		if (p->encoding != c->enc || p->nseg != c->nseg ||
		    p->units != c->units || p->seg[0].units != c->first ||
		    p->last_left != c->last_left) {
			tt_fail(__FILE__, __LINE__, "%s: enc %d nseg %zu units "
			    "%zu first %zu left %zu", c->name, p->encoding,
			    p->nseg, p->units, p->seg[0].units, p->last_left);
			plan_free(p);
			goto end;
		}
		/* segments tile the text and respect the capacity */
		sum = 0;
		for (k = 0; k < p->nseg; k++) {
			tt_uint_op(p->seg[k].units, <=, p->capacity);
			if (k > 0)
				tt_uint_op(p->seg[k].start, ==,
				    p->seg[k - 1].end);
			sum += p->seg[k].units;
		}
		tt_uint_op(sum, ==, p->units);
		tt_uint_op(p->seg[p->nseg - 1].end, ==, p->nchars);
		plan_free(p);
		free(t);
		t = NULL;
	}
end:
	free(t);
	free(p);
}

/* plan_segment output: UDH and user data of each part. */
static void
test_segment_bytes(void)
{
	struct plan	*p = malloc(sizeof *p);
	struct plan_opts o = { PLAN_AUTO, 0, 0, 0 };
	uint8_t		 ud[200], udh[16];
	size_t		 n, hl;
	const char	*err;
	char		*t = build("", "a", 152, "\xe2\x82\xac" "bbbbbbbbbb");

	tt_int_op(plan_make(p, t, strlen(t), &o, &err), ==, 0);
	n = plan_segment(p, 0, 7, ud, udh, &hl);
	tt_uint_op(n, ==, 152);
	tt_uint_op(hl, ==, 5);
	tt_mem_op(udh, ==, "\x00\x03\x07\x02\x01", 5);
	n = plan_segment(p, 1, 7, ud, udh, &hl);
	tt_uint_op(n, ==, 12);
	tt_mem_op(ud, ==, "\x1b\x65\x62\x62", 4);
	tt_mem_op(udh, ==, "\x00\x03\x07\x02\x02", 5);
	plan_free(p);

	/* UCS-2: surrogate pair written big-endian */
	tt_int_op(plan_make(p, "A\xf0\x9f\x98\x80", 5, &o, &err), ==, 0);
	n = plan_segment(p, 0, 0, ud, udh, &hl);
	tt_uint_op(n, ==, 6);
	tt_uint_op(hl, ==, 0);
	tt_mem_op(ud, ==, "\x00\x41\xd8\x3d\xde\x00", 6);
	plan_free(p);

	/* Spanish single shift, one part: IE 24 01 02 only */
	o.shift = 2;
	tt_int_op(plan_make(p, "Acción rápida", strlen("Acción rápida"),
	    &o, &err), ==, 0);
	tt_int_op(p->encoding, ==, SMS_ENC_GSM7);
	tt_int_op(p->single, ==, 2);
	tt_int_op(p->locking, ==, 0);
	n = plan_segment(p, 0, 0, ud, udh, &hl);
	tt_uint_op(hl, ==, 3);
	tt_mem_op(udh, ==, "\x24\x01\x02", 3);
	/* one shift IE: 160 - ceil(4 * 8 / 7) = 155 */
	tt_uint_op(p->capacity, ==, 155);
	plan_free(p);
end:
	free(t);
	free(p);
}

struct choice_case {
	const char	*text;
	struct plan_opts o;
	enum sms_encoding enc;
	int		 locking, single;
	const char	*sent;		/* text as sent */
	size_t		 replaced, stripped;
};

static const struct choice_case choice_cases[] = {
	/* exact by default: curly quotes force UCS-2 */
	{ "Don\xe2\x80\x99t go", { PLAN_AUTO, 0, 0, 0 }, SMS_ENC_UCS2, 0, 0,
	  "Don\xe2\x80\x99t go", 0, 0 },
	{ "Don\xe2\x80\x99t go", { PLAN_AUTO, 1, 0, 0 }, SMS_ENC_GSM7, 0, 0,
	  "Don't go", 1, 0 },
	{ "\xe2\x80\x9c" "Avoid 5th & Main\xe2\x80\x9d \xe2\x80\x94 "
	  "know your rights\xe2\x80\xa6", { PLAN_AUTO, 1, 0, 0 },
	  SMS_ENC_GSM7, 0, 0, "\"Avoid 5th & Main\" - know your rights...",
	  4, 0 },
	/* smart does not touch a text that stays UCS-2 */
	{ "\xe2\x80\x9c\xe4\xbd\xa0\xe5\xa5\xbd\xe2\x80\x9d",
	  { PLAN_AUTO, 1, 1, 0 }, SMS_ENC_UCS2, 0, 0,
	  "\xe2\x80\x9c\xe4\xbd\xa0\xe5\xa5\xbd\xe2\x80\x9d", 0, 0 },
	/* é is GSM, á is not */
	{ "Café rápido", { PLAN_AUTO, 0, 0, 0 }, SMS_ENC_UCS2, 0, 0,
	  "Café rápido", 0, 0 },
	{ "Café rápido", { PLAN_AUTO, 0, 1, 0 }, SMS_ENC_GSM7, 0, 0,
	  "Café rapido", 0, 1 },
	/* Spanish shift keeps the accent exactly, preferred over strip */
	{ "Café rápido", { PLAN_AUTO, 0, 1, 2 }, SMS_ENC_GSM7, 0, 2,
	  "Café rápido", 0, 0 },
	/* Vietnamese: strip-accents makes it GSM */
	{ "Cu\xe1\xbb\x99" "c h\xe1\xbb\x8d" "p", { PLAN_AUTO, 0, 1, 0 },
	  SMS_ENC_GSM7, 0, 0, "Cuoc hop", 0, 2 },
	/* Turkish: locking table when it is cheaper */
	{ "\xc5\x9f\xc4\x9f\xc4\xb1\xc5\x9f\xc4\x9f\xc4\xb1",
	  { PLAN_AUTO, 0, 0, 1 }, SMS_ENC_GSM7, 1, 0,
	  "\xc5\x9f\xc4\x9f\xc4\xb1\xc5\x9f\xc4\x9f\xc4\xb1", 0, 0 },
	/* strip-accents changes nothing when the text still needs UCS-2:
	 * the dotless ı is no accented i, so without the Turkish tables
	 * "Işık" goes exactly, ş and all */
	{ "I\xc5\x9f\xc4\xb1k caf\xc3\xa9", { PLAN_AUTO, 0, 1, 0 },
	  SMS_ENC_UCS2, 0, 0, "I\xc5\x9f\xc4\xb1k caf\xc3\xa9", 0, 0 },
	{ "I\xc5\x9f\xc4\xb1k caf\xc3\xa9", { PLAN_AUTO, 1, 1, 0 },
	  SMS_ENC_UCS2, 0, 0, "I\xc5\x9f\xc4\xb1k caf\xc3\xa9", 0, 0 },
	/* with them, exact GSM 7-bit */
	{ "I\xc5\x9f\xc4\xb1k caf\xc3\xa9", { PLAN_AUTO, 0, 1, 1 },
	  SMS_ENC_GSM7, 1, 0, "I\xc5\x9f\xc4\xb1k caf\xc3\xa9", 0, 0 },
	/* accents and look-alikes next to Chinese: UCS-2, untouched */
	{ "\xe2\x80\x9cR\xc3\xa1pido\xe2\x80\x9d \xe4\xbd\xa0\xe5\xa5\xbd",
	  { PLAN_AUTO, 1, 1, 0 }, SMS_ENC_UCS2, 0, 0,
	  "\xe2\x80\x9cR\xc3\xa1pido\xe2\x80\x9d \xe4\xbd\xa0\xe5\xa5\xbd", 0, 0 },
	/* force UCS-2 on ASCII */
	{ "hello", { PLAN_FORCE_UCS2, 0, 0, 0 }, SMS_ENC_UCS2, 0, 0, "hello",
	  0, 0 },
	/* a fraction's space is not doubled after a space */
	{ "\xe2\x80\xa2 \xc2\xbd and 2\xc2\xbd", { PLAN_AUTO, 1, 0, 0 },
	  SMS_ENC_GSM7, 0, 0, "- 1/2 and 2 1/2", 3, 0 },
	/* zero-width space removed by smart */
	{ "a\xe2\x80\x8b" "b", { PLAN_AUTO, 1, 0, 0 }, SMS_ENC_GSM7, 0, 0,
	  "ab", 1, 0 },
};

static void
test_choice(void)
{
	struct plan	*p = malloc(sizeof *p);
	const char	*err;
	char		 out[512];
	size_t		 i;

	for (i = 0; i < TT_NELEM(choice_cases); i++) {
		const struct choice_case *c = &choice_cases[i];
		if (plan_make(p, c->text, strlen(c->text), &c->o, &err) != 0) {
			tt_fail(__FILE__, __LINE__, "case %zu: %s", i, err);
			goto end;
		}
		plan_text(p, out, sizeof out);
		if (p->encoding != c->enc || p->locking != c->locking ||
		    p->single != c->single || strcmp(out, c->sent) != 0 ||
		    p->replaced != c->replaced || p->stripped != c->stripped) {
			tt_fail(__FILE__, __LINE__, "case %zu: enc %d L%d S%d "
			    "\"%s\" r%zu s%zu", i, p->encoding, p->locking,
			    p->single, out, p->replaced, p->stripped);
			plan_free(p);
			goto end;
		}
		plan_free(p);
	}
end:
	free(p);
}

static void
test_forcing(void)
{
	struct plan	*p = malloc(sizeof *p);
	struct plan_opts o = { PLAN_AUTO, 0, 0, 0 };
	const char	*err;
	const char	*t = "It\xe2\x80\x99s at 5\xc2\xbd \xe2\x80\x94 ok";

	tt_int_op(plan_make(p, t, strlen(t), &o, &err), ==, 0);
	tt_int_op(p->encoding, ==, SMS_ENC_UCS2);
	tt_uint_op(p->nforcing, ==, 3);
	tt_uint_op(p->forcing[0].cp, ==, 0x2019);
	tt_uint_op(p->forcing[0].pos, ==, 3);
	tt_uint_op(p->forcing[1].cp, ==, 0xbd);
	tt_uint_op(p->forcing[1].pos, ==, 10);
	tt_uint_op(p->forcing[2].cp, ==, 0x2014);
	tt_uint_op(p->forcing[2].pos, ==, 12);
	plan_free(p);
	/* with --smart the quote and dash go away, ½ too */
	o.smart = 1;
	tt_int_op(plan_make(p, t, strlen(t), &o, &err), ==, 0);
	tt_int_op(p->encoding, ==, SMS_ENC_GSM7);
	tt_uint_op(p->nforcing, ==, 0);
	plan_free(p);
end:
	free(p);
}

static void
test_errors(void)
{
	struct plan	*p = malloc(sizeof *p);
	struct plan_opts o = { PLAN_AUTO, 0, 0, 0 };
	const char	*err;
	char		*t = NULL;

	tt_int_op(plan_make(p, "", 0, &o, &err), ==, -1);
	tt_str_op(err, ==, "empty text");
	tt_int_op(plan_make(p, "ab\xff", 3, &o, &err), ==, -1);
	tt_str_op(err, ==, "invalid UTF-8 at byte 3");
	tt_int_op(plan_make(p, "a\xc0\x80", 3, &o, &err), ==, -1);
	tt_str_op(err, ==, "invalid UTF-8 at byte 2");
	tt_int_op(plan_make(p, "\xed\xa0\x80", 3, &o, &err), ==, -1);
	tt_str_op(err, ==, "invalid UTF-8 at byte 1");
	o.force = PLAN_FORCE_GSM7;
	tt_int_op(plan_make(p, "ok \xe4\xbd\xa0", 6, &o, &err), ==, -1);
	tt_str_op(err, ==, "text cannot be encoded in GSM 7-bit: "
	    "'\xe4\xbd\xa0' (U+4F60) at character 4");
	o.force = PLAN_AUTO;
	t = rep("z", 153 * 255 + 1);
	tt_int_op(plan_make(p, t, strlen(t), &o, &err), ==, -1);
	tt_str_op(err, ==, "text needs 256 segments, at most 255 are "
	    "possible");
	t[153 * 255] = '\0';
	tt_int_op(plan_make(p, t, strlen(t), &o, &err), ==, 0);
	tt_uint_op(p->nseg, ==, 255);
	plan_free(p);
end:
	free(t);
	free(p);
}

static void
test_8bit(void)
{
	struct plan	*p = malloc(sizeof *p);
	struct plan_opts o = { PLAN_FORCE_8BIT, 0, 0, 0 };
	const char	*err;
	char		*t = rep("q", 141);

	tt_int_op(plan_make(p, t, 140, &o, &err), ==, 0);
	tt_uint_op(p->nseg, ==, 1);
	plan_free(p);
	tt_int_op(plan_make(p, t, 141, &o, &err), ==, 0);
	tt_uint_op(p->nseg, ==, 2);
	tt_uint_op(p->seg[0].units, ==, 134);
	tt_uint_op(p->seg[1].units, ==, 7);
	plan_free(p);
end:
	free(t);
	free(p);
}

/* Random UTF-8 texts: the plan always tiles the text within capacity. */
static void
test_random(void)
{
	static const char *pieces[] = { "a", " ", "\xe2\x82\xac", "{",
	    "\xc3\xa9", "\xc3\xa1", "\xe4\xbd\xa0", "\xf0\x9f\x98\x80",
	    "\xe2\x80\x99", "\xc5\x9f", "\xc3\xa7", "\xe2\x80\xa6" };
	struct plan	*p = malloc(sizeof *p);
	struct plan_opts o;
	const char	*err;
	char		 buf[4096];
	size_t		 len, k, i, sum;
	int		 it;

	for (it = 0; it < 300; it++) {
		len = 0;
		k = (size_t)rand() % 600 + 1;
		for (i = 0; i < k && len + 5 < sizeof buf; i++) {
			const char *s = pieces[rand() % TT_NELEM(pieces)];
			memcpy(buf + len, s, strlen(s));
			len += strlen(s);
		}
		memset(&o, 0, sizeof o);
		o.smart = rand() & 1;
		o.strip_accents = rand() & 1;
		o.shift = rand() % 4;
		tt_int_op(plan_make(p, buf, len, &o, &err), ==, 0);
		sum = 0;
		for (i = 0; i < p->nseg; i++) {
			tt_uint_op(p->seg[i].units, <=, p->capacity);
			tt_uint_op(p->seg[i].units, >, 0);
			sum += p->seg[i].units;
		}
		tt_uint_op(sum, ==, p->units);
		plan_free(p);
	}
end:
	free(p);
}

static const struct tt_case cases[] = {
	{ "segments/boundaries", test_segments },
	{ "segments/bytes", test_segment_bytes },
	{ "choice", test_choice },
	{ "forcing", test_forcing },
	{ "errors", test_errors },
	{ "8bit", test_8bit },
	{ "random", test_random },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
