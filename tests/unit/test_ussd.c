/*
 * tests/unit/test_ussd.c — USSD coding: request packing (TS 23.038
 * §6.1.2.3), +CUSD parsing (TS 27.007 §7.15) and answer decoding per CBS
 * DCS (TS 23.038 §5) in every presentation a modem uses.
 *
 * Packed vectors were computed independently of gsm7_pack (a few lines of
 * Python packing LSB first), except *100# -> AA180C3602, which is the
 * well-known Huawei request.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gsm7.h"
#include "tt.h"
#include "ussd.h"
#include "utf8.h"

#define BIG	(USSD_MAX_SEPTETS * 3 + 64)

/* ---- encode ---- */

struct enc_case {
	const char		*code;
	enum ussd_req_coding	 coding;
	const char		*want;		/* NULL: error */
	const char		*err;
};

static const struct enc_case enc_cases[] = {
	{ "*100#", USSD_REQ_PACKED_HEX, "AA180C3602", NULL },
	{ "*123#", USSD_REQ_PACKED_HEX, "AA986C3602", NULL },
	{ "#100#", USSD_REQ_PACKED_HEX, "A3180C3602", NULL },
	{ "1", USSD_REQ_PACKED_HEX, "31", NULL },
	/* 7 septets: 7 spare bits carry CR (0x0D << 1 = 0x1A) */
	{ "*123*1#", USSD_REQ_PACKED_HEX, "AA986CA68A8D1A", NULL },
	/* 8 septets: exactly 7 octets, no padding */
	{ "*123*12#", USSD_REQ_PACKED_HEX, "AA986CA68AC946", NULL },
	{ "*100*1234567#", USSD_REQ_PACKED_HEX,
	    "AA180CA68AC966B49AED3602", NULL },
	/* a real final CR on an octet boundary is followed by another */
	{ "1234567\r", USSD_REQ_PACKED_HEX, "31D98C56B3DD1A0D", NULL },
	/* '"' is harmless in hex */
	{ "\"", USSD_REQ_PACKED_HEX, "22", NULL },
	/* € is ESC 0x65: 1B 65 -> 9B 32 */
	{ "\xe2\x82\xac", USSD_REQ_PACKED_HEX, "9B32", NULL },
	{ "*100#", USSD_REQ_PLAIN, "*100#", NULL },
	{ "*141*1*2#", USSD_REQ_PLAIN, "*141*1*2#", NULL },
	{ "a\xc3\xb1o", USSD_REQ_PLAIN, "a\xc3\xb1o", NULL },
	{ "", USSD_REQ_PLAIN, NULL, "empty USSD code" },
	{ "", USSD_REQ_PACKED_HEX, NULL, "empty USSD code" },
	{ "*1\"#", USSD_REQ_PLAIN, NULL, "'\"' in USSD code" },
	{ "*1\r#", USSD_REQ_PLAIN, NULL, "control character in USSD code" },
	{ "*1\t#", USSD_REQ_PACKED_HEX, NULL,
	    "control character in USSD code" },
	{ "*1\xe4\xb8\xad#", USSD_REQ_PACKED_HEX, NULL,
	    "character not in the GSM 7-bit alphabet" },
	{ "*1\xc3\x28#", USSD_REQ_PLAIN, NULL, "invalid UTF-8 in USSD code" },
	{ "*1\xc0\xaa#", USSD_REQ_PACKED_HEX, NULL,
	    "invalid UTF-8 in USSD code" },
};

static void
test_encode_vectors(void)
{
	const struct enc_case	*c;
	char			 out[BIG];
	const char		*err;
	size_t			 i;
	int			 n;

	for (i = 0; i < TT_NELEM(enc_cases); i++) {
		c = &enc_cases[i];
		err = NULL;
		n = ussd_encode(c->code, c->coding, out, sizeof out, &err);
		if (c->want == NULL) {
			tt_int_op(n, ==, -1);
			tt_str_op(err, ==, c->err);
			tt_str_op(out, ==, "");
		} else {
			tt_str_op(out, ==, c->want);
			tt_int_op(n, ==, strlen(c->want));
			tt_assert(err == NULL);
		}
	}
end:
	;
}

static void
test_encode_limits(void)
{
	char		 code[400], out[BIG];
	const char	*err = NULL;
	int		 n;

	/* 182 septets is the most: 160 octets */
	memset(code, '1', 182);
	code[182] = '\0';
	n = ussd_encode(code, USSD_REQ_PACKED_HEX, out, sizeof out, &err);
	tt_int_op(n, ==, 320);
	tt_int_op(ussd_encode(code, USSD_REQ_PLAIN, out, sizeof out, &err),
	    ==, 182);
	code[182] = '1';
	code[183] = '\0';
	tt_int_op(ussd_encode(code, USSD_REQ_PACKED_HEX, out, sizeof out,
	    &err), ==, -1);
	tt_str_op(err, ==, "USSD code too long");
	/* far too long: utf8_decode's capacity is hit first */
	memset(code, '1', 399);
	code[399] = '\0';
	tt_int_op(ussd_encode(code, USSD_REQ_PLAIN, out, sizeof out, &err),
	    ==, -1);
	tt_str_op(err, ==, "USSD code too long");
	/* extension characters count twice: 91 x € = 182 septets */
	code[0] = '\0';
	for (n = 0; n < 91; n++)
		strcat(code, "\xe2\x82\xac");
	tt_int_op(ussd_encode(code, USSD_REQ_PACKED_HEX, out, sizeof out,
	    &err), ==, 320);
	strcat(code, "1");
	tt_int_op(ussd_encode(code, USSD_REQ_PACKED_HEX, out, sizeof out,
	    &err), ==, -1);
	tt_str_op(err, ==, "USSD code too long");

	/* output buffers: exactly enough, and one byte short */
	tt_int_op(ussd_encode("*100#", USSD_REQ_PACKED_HEX, out, 11, &err),
	    ==, 10);
	tt_int_op(ussd_encode("*100#", USSD_REQ_PACKED_HEX, out, 10, &err),
	    ==, -1);
	tt_str_op(err, ==, "output buffer too small");
	tt_int_op(ussd_encode("*100#", USSD_REQ_PLAIN, out, 6, &err), ==, 5);
	tt_int_op(ussd_encode("*100#", USSD_REQ_PLAIN, out, 5, &err), ==, -1);
	tt_str_op(err, ==, "output buffer too small");
	tt_int_op(ussd_encode("*100#", USSD_REQ_PLAIN, NULL, 0, &err), ==, -1);
	tt_int_op(ussd_encode(NULL, USSD_REQ_PLAIN, out, sizeof out, &err),
	    ==, -1);
	tt_str_op(err, ==, "empty USSD code");
end:
	;
}

static void
test_request(void)
{
	char		 out[64];
	const char	*err = NULL;

	tt_int_op(ussd_request("*100#", USSD_REQ_PACKED_HEX, out, sizeof out,
	    &err), ==, 25);
	tt_str_op(out, ==, "AT+CUSD=1,\"AA180C3602\",15");
	tt_int_op(ussd_request("*100#", USSD_REQ_PLAIN, out, sizeof out,
	    &err), ==, 20);
	tt_str_op(out, ==, "AT+CUSD=1,\"*100#\",15");
	tt_int_op(ussd_request("*100#", USSD_REQ_PLAIN, out, 20, &err), ==,
	    -1);
	tt_str_op(err, ==, "output buffer too small");
	tt_str_op(out, ==, "");
	tt_int_op(ussd_request("*1\"#", USSD_REQ_PLAIN, out, sizeof out,
	    &err), ==, -1);
	tt_str_op(err, ==, "'\"' in USSD code");
end:
	;
}

/* ---- parse ---- */

struct parse_case {
	const char	*line;
	const char	*err;		/* NULL: parses */
	int		 status;
	const char	*str;		/* NULL: no string */
	int		 dcs;
};

static const struct parse_case parse_cases[] = {
	{ "+CUSD: 0", NULL, 0, NULL, -1 },
	{ "+CUSD:4", NULL, 4, NULL, -1 },
	{ "+CUSD: 5\r\n", NULL, 5, NULL, -1 },
	{ "+CUSD: 2,", NULL, 2, NULL, -1 },
	{ "+CUSD: 2,\"abc\"", NULL, 2, "abc", -1 },
	{ "+CUSD: 0,\"abc\",15", NULL, 0, "abc", 15 },
	{ "+CUSD: 1,\"abc\",72\r", NULL, 1, "abc", 72 },
	{ "+cusd: 1,\"x\",0", NULL, 1, "x", 0 },
	{ "  +CUSD:  0 ,  \"abc\" ,  15  ", NULL, 0, "abc", 15 },
	{ "+CUSD: 0,\"\",15", NULL, 0, "", 15 },
	{ "+CUSD: 0,\"\"", NULL, 0, "", -1 },
	{ "+CUSD: 0,\"Balance: 5,00 USD\",15", NULL, 0,
	    "Balance: 5,00 USD", 15 },
	/* commas and quotes inside: the last '",' ends the string */
	{ "+CUSD: 0,\"a,b\",c\",15", NULL, 0, "a,b\",c", 15 },
	{ "+CUSD: 0,\"say \"hi\", ok\"", NULL, 0, "say \"hi\", ok", -1 },
	{ "+CUSD: 0,\"x\",\"y\",255", NULL, 0, "x\",\"y", 255 },
	{ "+CUSD: 0,\"15\"", NULL, 0, "15", -1 },
	/* unquoted strings */
	{ "+CUSD: 0,abc,15", NULL, 0, "abc", 15 },
	{ "+CUSD: 0,abc def , 15", NULL, 0, "abc def", 15 },
	{ "+CUSD: 0,,15", NULL, 0, "", 15 },
	{ "+CUSD: 0,Balance 5,500", NULL, 0, "Balance 5,500", -1 },
	{ "+CUSD: 0,12345", NULL, 0, "12345", -1 },
	{ "+CUSD: 0,a\"b", NULL, 0, "a\"b", -1 },
	/* errors */
	{ "", "not a +CUSD line" },
	{ "+CUS", "not a +CUSD line" },
	{ "+CMTI: \"SM\",1", "not a +CUSD line" },
	{ "+CUSD:", "missing <m>" },
	{ "+CUSD: ,\"x\"", "missing <m>" },
	{ "+CUSD: 6", "<m> out of range" },
	{ "+CUSD: 12,\"x\"", "<m> out of range" },
	{ "+CUSD: 1x", "junk after <m>" },
	{ "+CUSD: 1 \"x\"", "junk after <m>" },
	{ "+CUSD: 0,\"abc", "unterminated string" },
	{ "+CUSD: 0,\"", "unterminated string" },
	{ "+CUSD: 0,\"abc\",1x", "bad <dcs>" },
	{ "+CUSD: 0,\"abc\",", "bad <dcs>" },
	{ "+CUSD: 0,\"abc\",256", "<dcs> out of range" },
	{ "+CUSD: 0,\"abc\",99999999999999999999", "<dcs> out of range" },
};

static int
check_parse(const struct parse_case *c, const char *line, size_t len)
{
	struct ussd_resp	 r;
	const char		*err = NULL;
	int			 rv;

	rv = ussd_parse(line, len, &r, &err);
	if (c->err != NULL) {
		tt_int_op(rv, ==, -1);
		tt_str_op(err, ==, c->err);
		return 0;
	}
	tt_int_op(rv, ==, 0);
	tt_int_op(r.status, ==, c->status);
	tt_int_op(r.dcs, ==, c->dcs);
	if (c->str == NULL) {
		tt_int_op(r.has_str, ==, 0);
		return 0;
	}
	tt_int_op(r.has_str, ==, 1);
	tt_uint_op(r.len, ==, strlen(c->str));
	tt_mem_op(r.str, ==, c->str, r.len);
	/* str points into the line */
	tt_assert(r.str >= line && r.str + r.len <= line + len);
	return 0;
end:
	return -1;
}

static void
test_parse_table(void)
{
	const struct parse_case	*c;
	char			*copy = NULL;
	size_t			 i, len;

	for (i = 0; i < TT_NELEM(parse_cases); i++) {
		c = &parse_cases[i];
		len = strlen(c->line);
		/* an exact-size heap copy lets ASan catch any overread */
		free(copy);
		copy = malloc(len ? len : 1);
		tt_assert(copy != NULL);
		memcpy(copy, c->line, len);
		if (check_parse(c, copy, len) != 0) {
			printf("  case %zu: %s\n", i, c->line);
			goto end;
		}
	}
end:
	free(copy);
}

static void
test_parse_nul_inside(void)
{
	static const char	 line[] = "+CUSD: 0,\"a\0b\",15\r\n";
	struct ussd_resp	 r;
	const char		*err = NULL;

	tt_int_op(ussd_parse(line, sizeof line - 1, &r, &err), ==, 0);
	tt_uint_op(r.len, ==, 3);
	tt_mem_op(r.str, ==, "a\0b", 3);
	tt_int_op(r.dcs, ==, 15);
	tt_int_op(ussd_parse(NULL, 0, &r, &err), ==, -1);
	tt_str_op(err, ==, "no line");
	tt_int_op(r.has_str, ==, 0);
end:
	;
}

/* ---- decode ---- */

struct dec_case {
	const char		*line;
	size_t			 len;	/* 0: strlen(line) */
	enum ussd_str_coding	 mode;
	const char		*want;	/* NULL: error */
	const char		*err;
};

#define AUTO	USSD_STR_AUTO
#define PHEX	USSD_STR_PACKED_HEX
#define CGSM	USSD_STR_CSCS_GSM
#define CUCS	USSD_STR_CSCS_UCS2
#define CIRA	USSD_STR_CSCS_IRA

/* "Balance: 12.50 USD", 18 septets packed */
#define BAL_HEX	"C2303BEC1E9775A098CC558381AA5322"
/* "1. Balance\n2. Bundles", 21 septets packed */
#define MENU_HEX "311748186687DDE3B242E60209EB6E32BB3C07"
#define MENU	"1. Balance\n2. Bundles"
#define BALANCE_UCS2 "00420061006C0061006E00630065"
/* 余额: 12 元 */
#define ZH_UCS2	"4F59989D003A00200031003200205143"
#define ZH	"\xe4\xbd\x99\xe9\xa2\x9d: 12 \xe5\x85\x83"
/* Số dư: 5000đ */
#define VI_UCS2	"00531ED10020006401B0003A002000350030003000300111"
#define VI	"S\xe1\xbb\x91 d\xc6\xb0: 5000\xc4\x91"
#define FFFD	"\xef\xbf\xbd"

static const struct dec_case dec_cases[] = {
	/* Huawei packed hex, DCS 15 */
	{ "+CUSD: 0,\"" BAL_HEX "\",15", 0, PHEX, "Balance: 12.50 USD" },
	{ "+CUSD: 0,\"" BAL_HEX "\",15", 0, AUTO, "Balance: 12.50 USD" },
	{ "+CUSD: 0,\"" BAL_HEX "\"", 0, AUTO, "Balance: 12.50 USD" },
	{ "+CUSD: 0,\"c2303bec1e9775a098cc558381aa5322\",15", 0, PHEX,
	    "Balance: 12.50 USD" },
	{ "+CUSD: 1,\"" MENU_HEX "\",15", 0, PHEX, MENU },
	{ "+CUSD: 1,\"" MENU_HEX "\",15", 0, AUTO, MENU },
	{ "+CUSD: 0,\"" BAL_HEX "\",0", 0, PHEX, "Balance: 12.50 USD" },
	{ "+CUSD: 0,\"" BAL_HEX "\",64", 0, PHEX, "Balance: 12.50 USD" },
	{ "+CUSD: 0,\"" BAL_HEX "\",240", 0, PHEX, "Balance: 12.50 USD" },
	/* reserved groups are GSM 7-bit */
	{ "+CUSD: 0,\"" BAL_HEX "\",128", 0, PHEX, "Balance: 12.50 USD" },
	{ "+CUSD: 0,\"" BAL_HEX "\",18", 0, PHEX, "Balance: 12.50 USD" },
	/* §6.1.2.3.1 padding */
	{ "+CUSD: 0,\"AA986CA68A8D1A\",15", 0, PHEX, "*123*1#" },
	{ "+CUSD: 0,\"AA986CA68A8D00\",15", 0, PHEX, "*123*1#" },
	{ "+CUSD: 0,\"AA986CA68AC946\",15", 0, PHEX, "*123*12#" },
	{ "+CUSD: 0,\"31D98C56B3DD1A0D\",15", 0, PHEX, "1234567\r" },
	{ "+CUSD: 0,\"AA180C3602\",15", 0, PHEX, "*100#" },
	{ "+CUSD: 0,\"31\",15", 0, PHEX, "1" },
	/* € and ESC ESC (a space) and a trailing lone ESC (dropped) */
	{ "+CUSD: 0,\"9B32\",15", 0, PHEX, "\xe2\x82\xac" },
	{ "+CUSD: 0,\"9B0D\",15", 0, PHEX, " " },
	{ "+CUSD: 0,\"311B\",15", 0, PHEX, "16" },
	{ "+CUSD: 0,\"B10D\",15", 0, PHEX, "1" },
	/* DCS 0x10: "en\r" precedes the text */
	{ "+CUSD: 0,\"6577035966B3DF\",16", 0, PHEX, "Hello" },
	{ "+CUSD: 0,\"en\rHello\",16", 0, CIRA, "Hello" },
	{ "+CUSD: 0,\"en\",16", 0, CIRA, "" },
	{ "+CUSD: 0,\"0065006E000D00480069\",16", 0, CUCS, "Hi" },
	/* DCS 0x11: two octets of packed language, then UCS-2 */
	{ "+CUSD: 0,\"653700480069\",17", 0, PHEX, "Hi" },
	{ "+CUSD: 0,\"653700480069\",17", 0, AUTO, "Hi" },
	{ "+CUSD: 0,\"6537\",17", 0, PHEX, "" },
	{ "+CUSD: 0,\"\",17", 0, PHEX, "" },

	/* UCS-2 hex, DCS 72, in every presentation */
	{ "+CUSD: 0,\"" BALANCE_UCS2 "\",72", 0, PHEX, "Balance" },
	{ "+CUSD: 0,\"" BALANCE_UCS2 "\",72", 0, AUTO, "Balance" },
	{ "+CUSD: 0,\"" BALANCE_UCS2 "\",72", 0, CUCS, "Balance" },
	{ "+CUSD: 0,\"" BALANCE_UCS2 "\",72", 0, CGSM, "Balance" },
	{ "+CUSD: 0,\"" BALANCE_UCS2 "\",72", 0, CIRA, "Balance" },
	{ "+CUSD: 0,\"" ZH_UCS2 "\",72", 0, AUTO, ZH },
	{ "+CUSD: 0,\"" ZH_UCS2 "\",72", 0, PHEX, ZH },
	{ "+CUSD: 0,\"" VI_UCS2 "\",72", 0, PHEX, VI },
	{ "+CUSD: 0,\"" VI_UCS2 "\",72", 0, CUCS, VI },
	{ "+CUSD: 0,\"" VI_UCS2 "\",8", 0, CUCS, VI },
	{ "+CUSD: 0,\"" VI_UCS2 "\",152", 0, PHEX, VI },	/* 0x98 */
	/* a surrogate pair, and unpaired surrogates */
	{ "+CUSD: 0,\"D83DDE00\",72", 0, PHEX, "\xf0\x9f\x98\x80" },
	{ "+CUSD: 0,\"D83D0041\",72", 0, PHEX, FFFD "A" },
	{ "+CUSD: 0,\"DE000041\",72", 0, PHEX, FFFD "A" },
	{ "+CUSD: 0,\"0041D83D\",72", 0, PHEX, "A" FFFD },
	/* control characters never reach a terminal */
	{ "+CUSD: 0,\"001B005B00000041\",72", 0, PHEX, FFFD "[" FFFD "A" },
	{ "+CUSD: 0,\"0041000C0085\",72", 0, PHEX, "A\n" FFFD },
	/* UCS2 DCS but the modem printed text */
	{ "+CUSD: 0,\"Balance\",72", 0, AUTO, "Balance" },
	{ "+CUSD: 0,\"Balance\",72", 0, CIRA, "Balance" },
	{ "+CUSD: 0,\"Saldo \x02\",72", 0, CGSM, "Saldo $" },

	/* CSCS "GSM": each byte a septet; $ is 0x02, ñ is 0x7D */
	{ "+CUSD: 0,\"Saldo \x02" "5 a\x7Do\",15", 0, CGSM,
	    "Saldo $5 a\xc3\xb1o" },
	{ "+CUSD: 0,\"\x1b\x65" "5\",15", 0, CGSM, "\xe2\x82\xac" "5" },
	{ "+CUSD: 0,\"a\x00" "b\",15", 17, CGSM, "a@b" },
	{ "+CUSD: 0,\"a\x80" "b\",15", 0, CGSM, "a" FFFD "b" },
	{ "+CUSD: 0,\"\x1b\x80\",15", 0, CGSM, FFFD },
	{ "+CUSD: 0,\"\x1b\x41\",15", 0, CGSM, "A" },
	{ "+CUSD: 1,\"" MENU "\",15", 0, CGSM, MENU },
	/* CSCS "UCS2" with a GSM 7-bit answer */
	{ "+CUSD: 0,\"0042006100240031\",15", 0, CUCS, "Ba$1" },
	{ "+CUSD: 0,\"0042006100240031\",15", 0, AUTO, "Ba$1" },
	/* CSCS "IRA" */
	{ "+CUSD: 1,\"" MENU "\",15", 0, CIRA, MENU },
	{ "+CUSD: 1,\"" MENU "\",15", 0, AUTO, MENU },
	{ "+CUSD: 0,\"caf\xc3\xa9\",15", 0, CIRA, "caf\xc3\xa9" },
	{ "+CUSD: 0,\"caf\xe9!\",15", 0, CIRA, "caf" FFFD "!" },
	{ "+CUSD: 0,\"\xed\xa0\x80\",15", 0, CIRA, FFFD FFFD FFFD },
	{ "+CUSD: 0,\"\xf0\x9f\x98\",15", 0, CIRA, FFFD FFFD FFFD },
	{ "+CUSD: 0,\"\x1b[2Jx\",15", 0, CIRA, FFFD "[2Jx" },
	{ "+CUSD: 0,\"a\tb\rc\",15", 0, CIRA, "a\tb\rc" },
	/* AUTO: hex-looking plain answers stay plain */
	{ "+CUSD: 0,\"1234\",15", 0, AUTO, "1234" },
	{ "+CUSD: 0,\"ABCD\",15", 0, AUTO, "ABCD" },
	{ "+CUSD: 0,\"100\",15", 0, AUTO, "100" },
	{ "+CUSD: 0,\"1234567890\",15", 0, AUTO, "1234567890" },
	{ "+CUSD: 0,\"\",15", 0, AUTO, "" },
	/* 8-bit data: hex octets in every character set */
	{ "+CUSD: 0,\"48656C6C6F\",68", 0, AUTO, "Hello" },
	{ "+CUSD: 0,\"48656C6C6F\",244", 0, CGSM, "Hello" },
	{ "+CUSD: 0,\"48656C6C6F\",68", 0, CUCS, "Hello" },
	{ "+CUSD: 0,\"48FF\",68", 0, PHEX, "H" FFFD },
	{ "+CUSD: 0,\"C3A9\",68", 0, PHEX, "\xc3\xa9" },
	{ "+CUSD: 0,\"Hello\",68", 0, AUTO, "Hello" },
	{ "+CUSD: 0,\"\x02\",68", 0, CGSM, "$" },
	/* no string */
	{ "+CUSD: 4", 0, AUTO, "" },
	{ "+CUSD: 2", 0, PHEX, "" },

	/* errors */
	{ "+CUSD: 0,\"Balance\",15", 0, PHEX, NULL,
	    "packed USSD string is not hex" },
	{ "+CUSD: 0,\"AA1\",15", 0, PHEX, NULL, "odd number of hex digits" },
	{ "+CUSD: 0,\"Balance\",72", 0, PHEX, NULL,
	    "UCS-2 USSD string is not hex" },
	{ "+CUSD: 0,\"004200\",72", 0, PHEX, NULL,
	    "UCS-2 hex length not a multiple of 4" },
	{ "+CUSD: 0,\"004200\",15", 0, CUCS, NULL,
	    "UCS-2 hex length not a multiple of 4" },
	{ "+CUSD: 0,\"Hello\",68", 0, PHEX, NULL,
	    "8-bit USSD string is not hex" },
	{ "+CUSD: 0,\"" BAL_HEX "\",96", 0, PHEX, NULL,
	    "compressed USSD text not supported" },
};

static void
test_decode_table(void)
{
	const struct dec_case	*c;
	struct ussd_resp	 r;
	char			 out[BIG];
	const char		*err;
	size_t			 i, len;
	int			 n;

	for (i = 0; i < TT_NELEM(dec_cases); i++) {
		c = &dec_cases[i];
		len = c->len ? c->len : strlen(c->line);
		err = NULL;
		if (ussd_parse(c->line, len, &r, &err) != 0) {
			printf("  case %zu: parse: %s\n", i, err);
			tt_assert(0);
		}
		n = ussd_decode(&r, c->mode, out, sizeof out, &err);
		if (c->want == NULL) {
			if (n != -1)
				printf("  case %zu: got \"%s\"\n", i, out);
			tt_int_op(n, ==, -1);
			tt_str_op(err, ==, c->err);
			continue;
		}
		if (n < 0 || strcmp(out, c->want) != 0)
			printf("  case %zu: %s (%s)\n", i, c->line,
			    n < 0 ? err : "wrong text");
		tt_str_op(out, ==, c->want);
		tt_int_op(n, ==, strlen(c->want));
	}
end:
	;
}

static void
test_decode_truncated(void)
{
	struct ussd_resp	 r;
	char			 out[8];
	const char		*err = NULL;
	static const char	 line[] = "+CUSD: 0,\"" ZH_UCS2 "\",72";

	tt_int_op(ussd_parse(line, strlen(line), &r, &err), ==, 0);
	/* 余额 is 6 bytes; the ':' would need the 8th byte, the NUL's */
	tt_int_op(ussd_decode(&r, AUTO, out, 8, &err), ==, -1);
	tt_str_op(err, ==, "USSD answer too long for buffer");
	tt_str_op(out, ==, "\xe4\xbd\x99\xe9\xa2\x9d:");
	/* never a partial character */
	tt_int_op(ussd_decode(&r, AUTO, out, 6, &err), ==, -1);
	tt_str_op(out, ==, "\xe4\xbd\x99");
	tt_int_op(ussd_decode(&r, AUTO, out, 1, &err), ==, -1);
	tt_str_op(out, ==, "");
	tt_int_op(ussd_decode(&r, AUTO, NULL, 0, &err), ==, -1);
	tt_str_op(err, ==, "no output buffer");
	tt_int_op(ussd_decode(NULL, AUTO, out, sizeof out, &err), ==, -1);
	tt_str_op(err, ==, "no response");
end:
	;
}

/* ---- DCS ---- */

static void
test_dcs(void)
{
	static const struct {
		int	dcs;
		int	alpha;
		int	flags;
	} t[] = {
		{ -1, USSD_ALPHA_GSM7, 0 },
		{ 0x00, USSD_ALPHA_GSM7, 0 },
		{ 0x0e, USSD_ALPHA_GSM7, 0 },
		{ 0x0f, USSD_ALPHA_GSM7, 0 },
		{ 0x10, USSD_ALPHA_GSM7, USSD_DCS_LANG },
		{ 0x11, USSD_ALPHA_UCS2, USSD_DCS_LANG },
		{ 0x12, USSD_ALPHA_GSM7, 0 },
		{ 0x1f, USSD_ALPHA_GSM7, 0 },
		{ 0x20, USSD_ALPHA_GSM7, 0 },
		{ 0x3f, USSD_ALPHA_GSM7, 0 },
		{ 0x40, USSD_ALPHA_GSM7, 0 },
		{ 0x44, USSD_ALPHA_8BIT, 0 },
		{ 0x48, USSD_ALPHA_UCS2, 0 },
		{ 0x4c, USSD_ALPHA_GSM7, 0 },	/* reserved alphabet */
		{ 0x59, USSD_ALPHA_UCS2, 0 },
		{ 0x60, USSD_ALPHA_GSM7, USSD_DCS_COMPRESSED },
		{ 0x68, USSD_ALPHA_UCS2, USSD_DCS_COMPRESSED },
		{ 0x7f, USSD_ALPHA_GSM7, USSD_DCS_COMPRESSED },
		{ 0x80, USSD_ALPHA_GSM7, 0 },
		{ 0x94, USSD_ALPHA_8BIT, 0 },
		{ 0x98, USSD_ALPHA_UCS2, 0 },
		{ 0xa8, USSD_ALPHA_GSM7, 0 },
		{ 0xe8, USSD_ALPHA_GSM7, 0 },
		{ 0xf0, USSD_ALPHA_GSM7, 0 },
		{ 0xf4, USSD_ALPHA_8BIT, 0 },
		{ 0xfb, USSD_ALPHA_GSM7, 0 },
		{ 0xff, USSD_ALPHA_8BIT, 0 },
		{ 256, USSD_ALPHA_GSM7, 0 },
	};
	size_t	i;
	int	flags;

	for (i = 0; i < TT_NELEM(t); i++) {
		flags = -1;
		tt_int_op(ussd_dcs_alphabet(t[i].dcs, &flags), ==, t[i].alpha);
		tt_int_op(flags, ==, t[i].flags);
		tt_int_op(ussd_dcs_alphabet(t[i].dcs, NULL), ==, t[i].alpha);
	}
	tt_str_op(ussd_status_name(0), ==, "no further action required");
	tt_str_op(ussd_status_name(1), ==, "further user action required");
	tt_str_op(ussd_status_name(5), ==, "network time out");
	tt_str_op(ussd_status_name(6), ==, "unknown");
	tt_str_op(ussd_status_name(-1), ==, "unknown");
end:
	;
}

/* ---- round trips and random input ---- */

static uint32_t rng_state;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Characters for random codes: basic, extension, and '@'. */
static const char *const pool[] = {
	"*", "#", "0", "1", "9", "a", "Z", " ", "@", "$", "\xc3\xb1",
	"\xce\x94", "\xe2\x82\xac", "{", "\\", "^", "|", "\n",
};

static void
test_roundtrip(void)
{
	char		 code[BIG], hex[BIG], line[BIG + 32], out[BIG];
	struct ussd_resp r;
	const char	*err = NULL, *p;
	size_t		 len, i, sep;
	int		 iter, n, k;
	uint8_t		 tmp[2];
	uint32_t	 last = 0;

	rng_state = tt_seed() | 1;
	for (iter = 0; iter < 3000; iter++) {
		/* 1..182 septets */
		code[0] = '\0';
		len = 1 + rng() % USSD_MAX_SEPTETS;
		for (sep = 0; sep < len; ) {
			p = pool[rng() % TT_NELEM(pool)];
			if (strcmp(p, "\xe2\x82\xac") == 0 || *p == '{' ||
			    *p == '\\' || *p == '^' || *p == '|') {
				if (sep + 2 > len)
					continue;
				sep += 2;
			} else
				sep++;
			strcat(code, p);
			last = (uint8_t)*p;
		}
		/*
		 * A final '@' on an octet boundary is indistinguishable from
		 * a sloppy encoder's zero padding: documented loss.
		 */
		if (sep % 8 == 0 && last == '@')
			code[strlen(code) - 1] = 'x';
		n = ussd_encode(code, USSD_REQ_PACKED_HEX, hex, sizeof hex,
		    &err);
		if (n < 0)
			printf("  seed %u: %s: %s\n", tt_seed(), code, err);
		tt_assert(n > 0);
		tt_int_op(n % 2, ==, 0);
		tt_assert(n / 2 <= USSD_MAX_OCTETS);
		k = snprintf(line, sizeof line, "+CUSD: 1,\"%s\",15", hex);
		tt_assert(k > 0 && (size_t)k < sizeof line);
		tt_int_op(ussd_parse(line, (size_t)k, &r, &err), ==, 0);
		tt_int_op(ussd_decode(&r, PHEX, out, sizeof out, &err), >=, 0);
		if (strcmp(out, code) != 0)
			printf("  seed %u: hex %s\n", tt_seed(), hex);
		tt_str_op(out, ==, code);
	}
	/* every length 1..182 once, with a final CR in packed mode too */
	for (len = 1; len <= USSD_MAX_SEPTETS; len++) {
		memset(code, '7', len);
		code[len - 1] = '\r';
		code[len] = '\0';
		tt_assert(gsm7_encode_char('\r', 0, 0, tmp) == 1);
		n = ussd_encode(code, USSD_REQ_PACKED_HEX, hex, sizeof hex,
		    &err);
		tt_assert(n > 0);
		k = snprintf(line, sizeof line, "+CUSD: 0,\"%s\",15", hex);
		tt_int_op(ussd_parse(line, (size_t)k, &r, &err), ==, 0);
		tt_int_op(ussd_decode(&r, PHEX, out, sizeof out, &err), ==,
		    (int)len);
		tt_str_op(out, ==, code);
		code[len - 1] = '7';
		n = ussd_encode(code, USSD_REQ_PACKED_HEX, hex, sizeof hex,
		    &err);
		/* 8n-1 septets are padded to 8n: 7n octets */
		tt_int_op(n, ==, 2 * ((7 * (len + (len % 8 == 7)) + 7) / 8));
		k = snprintf(line, sizeof line, "+CUSD: 0,\"%s\",15", hex);
		tt_int_op(ussd_parse(line, (size_t)k, &r, &err), ==, 0);
		tt_int_op(ussd_decode(&r, AUTO, out, sizeof out, &err), ==,
		    (int)len);
		tt_str_op(out, ==, code);
	}
	/* every UCS-2 unit of the BMP round-trips or becomes U+FFFD */
	for (i = 0; i < 0x10000; i += 3) {
		char	 want[8];
		size_t	 wl;

		k = snprintf(line, sizeof line, "+CUSD: 0,\"%04zX\",72", i);
		tt_int_op(ussd_parse(line, (size_t)k, &r, &err), ==, 0);
		tt_int_op(ussd_decode(&r, PHEX, out, sizeof out, &err), >=, 0);
		if (i == 0x0c)
			wl = utf8_encode('\n', want);
		else if ((i < 0x20 && i != '\t' && i != '\n' &&
		    i != '\r') || (i >= 0x7f && i <= 0x9f) ||
		    (i >= 0xd800 && i <= 0xdfff))
			wl = utf8_encode(0xfffd, want);
		else
			wl = utf8_encode((uint32_t)i, want);
		want[wl] = '\0';
		tt_str_op(out, ==, want);
	}
end:
	;
}

/* Output of any input is valid UTF-8 without NUL or stray controls. */
static int
clean_utf8(const char *s, size_t len)
{
	static uint32_t	 cp[BIG];
	size_t		 n, pos, i;

	if (utf8_decode(s, len, cp, TT_NELEM(cp), &n, &pos) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		if ((cp[i] < 0x20 && cp[i] != '\t' && cp[i] != '\n' &&
		    cp[i] != '\r') || (cp[i] >= 0x7f && cp[i] <= 0x9f))
			return 0;
	}
	return 1;
}

static void
test_random_input(void)
{
	static const char *const heads[] = {
		"+CUSD: 0,\"", "+CUSD: 1,", "+CUSD: 2,\"00", "+CUSD: 0,\"D8",
	};
	static const char *const tails[] = {
		"\",15", "\",72", "\",17", "\",16", "\",68", "", "\"", ",0",
	};
	static const char alpha[] = "0123456789ABCDEFabcdef\",\x1b\r\n\x00\x80"
	    "\xc3\xed\xf0 +CUSD:";
	char		 line[300], out[BIG], small[5], *copy = NULL;
	struct ussd_resp r;
	const char	*err;
	size_t		 len, i, cut;
	int		 iter, mode, n;

	rng_state = tt_seed() * 2654435761u | 1;
	for (iter = 0; iter < 5000; iter++) {
		len = (size_t)snprintf(line, sizeof line, "%s",
		    heads[rng() % TT_NELEM(heads)]);
		cut = rng() % 40;
		for (i = 0; i < cut; i++)
			line[len++] = alpha[rng() % (sizeof alpha - 1)];
		len += (size_t)snprintf(line + len, sizeof line - len, "%s",
		    tails[rng() % TT_NELEM(tails)]);
		/* every prefix, too, in an exact-size copy for ASan */
		for (cut = 0; cut <= len; cut++) {
			free(copy);
			if ((copy = malloc(cut ? cut : 1)) == NULL)
				goto end;
			memcpy(copy, line, cut);
			err = NULL;
			if (ussd_parse(copy, cut, &r, &err) != 0) {
				tt_assert(err != NULL);
				continue;
			}
			tt_assert(r.status >= 0 && r.status <= 5);
			tt_assert(r.dcs >= -1 && r.dcs <= 255);
			tt_assert(!r.has_str ||
			    (r.str >= copy && r.str + r.len <= copy + cut));
			for (mode = AUTO; mode <= CIRA; mode++) {
				n = ussd_decode(&r, (enum ussd_str_coding)mode,
				    out, sizeof out, &err);
				tt_assert(n >= -1);
				tt_assert(clean_utf8(out, strlen(out)));
				if (n >= 0)
					tt_uint_op(strlen(out), ==, (size_t)n);
				n = ussd_decode(&r, (enum ussd_str_coding)mode,
				    small, sizeof small, &err);
				tt_assert(strlen(small) < sizeof small);
				tt_assert(clean_utf8(small, strlen(small)));
			}
		}
	}
end:
	free(copy);
}

static const struct tt_case cases[] = {
	{ "encode/vectors", test_encode_vectors },
	{ "encode/limits", test_encode_limits },
	{ "encode/request", test_request },
	{ "parse/table", test_parse_table },
	{ "parse/nul", test_parse_nul_inside },
	{ "decode/table", test_decode_table },
	{ "decode/truncated", test_decode_truncated },
	{ "decode/dcs", test_dcs },
	{ "roundtrip/packed", test_roundtrip },
	{ "random/input", test_random_input },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
