/*
 * tests/unit/test_utf8.c — UTF-8 validation and UTF-16BE decoding.
 */
#include "tt.h"
#include "utf8.h"

static const struct {
	const char	*in;
	size_t		 len;
	int		 ok;
	size_t		 n_or_pos;	/* code points, or error offset */
	uint32_t	 last;
} decode_cases[] = {
	{ "", 0, 1, 0, 0 },
	{ "abc", 3, 1, 3, 'c' },
	{ "\xc3\xa9", 2, 1, 1, 0xe9 },
	{ "\xe2\x82\xac", 3, 1, 1, 0x20ac },
	{ "\xf0\x9f\x98\x80", 4, 1, 1, 0x1f600 },
	{ "\xf4\x8f\xbf\xbf", 4, 1, 1, 0x10ffff },
	{ "a\0b", 3, 1, 3, 'b' },			/* NUL is a character */
	{ "\x80", 1, 0, 0, 0 },				/* lone continuation */
	{ "\xc0\x80", 2, 0, 0, 0 },			/* overlong NUL */
	{ "\xc1\xbf", 2, 0, 0, 0 },			/* overlong */
	{ "\xe0\x80\xaf", 3, 0, 0, 0 },			/* overlong */
	{ "\xed\xa0\x80", 3, 0, 0, 0 },			/* surrogate */
	{ "\xf4\x90\x80\x80", 4, 0, 0, 0 },		/* > U+10FFFF */
	{ "\xf5\x80\x80\x80", 4, 0, 0, 0 },
	{ "ab\xe2\x82", 4, 0, 2, 0 },			/* truncated */
	{ "ab\xe2\x28\xa1", 5, 0, 2, 0 },		/* bad continuation */
	{ "\xff", 1, 0, 0, 0 },
};

static void
test_decode(void)
{
	uint32_t	cp[8];
	size_t		i, n, pos;
	int		rc;

	for (i = 0; i < TT_NELEM(decode_cases); i++) {
		n = pos = 99;
		rc = utf8_decode(decode_cases[i].in, decode_cases[i].len, cp, 8,
		    &n, &pos);
		if (decode_cases[i].ok) {
			tt_int_op(rc, ==, 0);
			tt_uint_op(n, ==, decode_cases[i].n_or_pos);
			if (n > 0)
				tt_uint_op(cp[n - 1], ==, decode_cases[i].last);
		} else {
			tt_int_op(rc, ==, -1);
			tt_uint_op(pos, ==, decode_cases[i].n_or_pos);
		}
	}
	/* capacity exceeded */
	tt_int_op(utf8_decode("abc", 3, cp, 2, &n, &pos), ==, -1);
	tt_uint_op(pos, ==, 3);
end:
	;
}

static void
test_encode(void)
{
	char		buf[4];
	uint32_t	cps[] = { 0, 0x7f, 0x80, 0x7ff, 0x800, 0xffff, 0x10000,
			    0x10ffff };
	uint32_t	back;
	size_t		i, n, k, pos;

	for (i = 0; i < TT_NELEM(cps); i++) {
		n = utf8_encode(cps[i], buf);
		tt_int_op(utf8_decode(buf, n, &back, 1, &k, &pos), ==, 0);
		tt_uint_op(back, ==, cps[i]);
	}
	/* invalid code points become U+FFFD */
	tt_uint_op(utf8_encode(0xd800, buf), ==, 3);
	tt_mem_op(buf, ==, "\xef\xbf\xbd", 3);
	tt_uint_op(utf8_encode(0x110000, buf), ==, 3);
end:
	;
}

static void
test_utf16(void)
{
	char	out[64];

	tt_uint_op(utf16be_to_utf8((const uint8_t *)"\x00\x41\x00\xe9", 4,
	    out), ==, 3);
	tt_str_op(out, ==, "A\xc3\xa9");
	utf16be_to_utf8((const uint8_t *)"\xd8\x3d\xde\x00", 4, out);
	tt_str_op(out, ==, "\xf0\x9f\x98\x80");
	/* unpaired surrogates, then a trailing odd byte */
	utf16be_to_utf8((const uint8_t *)"\xd8\x3d\x00\x41\xde\x00\x00", 7,
	    out);
	tt_str_op(out, ==, "\xef\xbf\xbd" "A" "\xef\xbf\xbd");
	/* high surrogate at the very end */
	utf16be_to_utf8((const uint8_t *)"\x00\x41\xd8\x3d", 4, out);
	tt_str_op(out, ==, "A\xef\xbf\xbd");
end:
	;
}

static const struct tt_case cases[] = {
	{ "decode", test_decode },
	{ "encode", test_encode },
	{ "utf16", test_utf16 },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
