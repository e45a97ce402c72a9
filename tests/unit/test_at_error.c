/*
 * tests/unit/test_at_error.c — the +CMS / +CME ERROR classifier.
 */
#include <string.h>

#include "tt.h"
#include "at_error.h"

#define TMP	AT_ERROR_TEMPORARY
#define PERM	AT_ERROR_PERMANENT

static const struct {
	enum at_error_kind	 kind;
	int			 code;
	enum at_error_class	 cls;
	int			 modem;
	const char		*name;
} classify_cases[] = {
	/* TS 24.011 RP causes */
	{ AT_ERROR_CMS, 1, PERM, 0, "unassigned number" },
	{ AT_ERROR_CMS, 8, TMP, 1, "operator determined barring" },
	{ AT_ERROR_CMS, 10, PERM, 0, "call barred" },
	{ AT_ERROR_CMS, 21, PERM, 0, "short message transfer rejected" },
	{ AT_ERROR_CMS, 27, TMP, 0, "destination out of order" },
	{ AT_ERROR_CMS, 28, PERM, 0, "unidentified subscriber" },
	{ AT_ERROR_CMS, 29, PERM, 0, "facility rejected" },
	{ AT_ERROR_CMS, 30, PERM, 0, "unknown subscriber" },
	{ AT_ERROR_CMS, 38, TMP, 0, "network out of order" },
	{ AT_ERROR_CMS, 41, TMP, 0, "temporary failure" },
	{ AT_ERROR_CMS, 42, TMP, 0, "congestion" },
	{ AT_ERROR_CMS, 47, TMP, 0, "resources unavailable" },
	{ AT_ERROR_CMS, 50, TMP, 1, "requested facility not subscribed" },
	{ AT_ERROR_CMS, 69, TMP, 1, "requested facility not implemented" },
	{ AT_ERROR_CMS, 96, PERM, 0, "invalid mandatory information" },
	{ AT_ERROR_CMS, 111, TMP, 0, "protocol error" },
	/* unlisted RP cause: treated as 41 (TS 24.011 table 8.4) */
	{ AT_ERROR_CMS, 17, TMP, 0, "temporary failure" },
	/* TS 23.040 TP-FCS */
	{ AT_ERROR_CMS, 0xc0, TMP, 0, "SC busy" },
	{ AT_ERROR_CMS, 0xc3, PERM, 0, "invalid SME address" },
	{ AT_ERROR_CMS, 0x90, PERM, 0, "data coding scheme not supported" },
	{ AT_ERROR_CMS, 0x85, PERM, 0, "TPDU error" },
	{ AT_ERROR_CMS, 0xc8, TMP, 0, "SC or MS error" },
	{ AT_ERROR_CMS, 0xe5, TMP, 0, "application specific error" },
	{ AT_ERROR_CMS, 0xff, TMP, 0, "unspecified error cause" },
	/* TS 27.005 §3.2.5 */
	{ AT_ERROR_CMS, 300, TMP, 1, "ME failure" },
	{ AT_ERROR_CMS, 301, TMP, 1, "SMS service of ME reserved" },
	{ AT_ERROR_CMS, 302, TMP, 1, "operation not allowed" },
	{ AT_ERROR_CMS, 303, TMP, 1, "operation not supported" },
	{ AT_ERROR_CMS, 304, TMP, 0, "invalid PDU mode parameter" },
	{ AT_ERROR_CMS, 305, TMP, 0, "invalid text mode parameter" },
	{ AT_ERROR_CMS, 310, TMP, 1, "SIM not inserted" },
	{ AT_ERROR_CMS, 311, TMP, 1, "SIM PIN required" },
	{ AT_ERROR_CMS, 313, TMP, 1, "SIM failure" },
	{ AT_ERROR_CMS, 314, TMP, 1, "SIM busy" },
	{ AT_ERROR_CMS, 315, TMP, 1, "SIM wrong" },
	{ AT_ERROR_CMS, 316, TMP, 1, "SIM PUK required" },
	{ AT_ERROR_CMS, 320, TMP, 1, "memory failure" },
	{ AT_ERROR_CMS, 321, PERM, 0, "invalid memory index" },
	{ AT_ERROR_CMS, 322, TMP, 1, "memory full" },
	{ AT_ERROR_CMS, 330, TMP, 1, "SMSC address unknown" },
	{ AT_ERROR_CMS, 331, TMP, 1, "no network service" },
	{ AT_ERROR_CMS, 332, TMP, 0, "network timeout" },
	{ AT_ERROR_CMS, 340, TMP, 0, "no +CNMA acknowledgement expected" },
	{ AT_ERROR_CMS, 350, TMP, 0, "unknown network error" },
	{ AT_ERROR_CMS, 500, TMP, 0, "unknown error" },
	{ AT_ERROR_CMS, 512, TMP, 0, "manufacturer specific network error" },
	{ AT_ERROR_CMS, 513, TMP, 0, "manufacturer specific error" },
	{ AT_ERROR_CMS, 400, TMP, 0, "unknown error" },
	{ AT_ERROR_CMS, -1, TMP, 0, "unknown error" },
	{ AT_ERROR_CMS, 99999, TMP, 0, "manufacturer specific error" },
	/* TS 27.007 §9.2 */
	{ AT_ERROR_CME, 3, TMP, 0, "operation not allowed" },
	{ AT_ERROR_CME, 4, PERM, 0, "operation not supported" },
	{ AT_ERROR_CME, 10, TMP, 1, "SIM not inserted" },
	{ AT_ERROR_CME, 11, TMP, 1, "SIM PIN required" },
	{ AT_ERROR_CME, 13, TMP, 1, "SIM failure" },
	{ AT_ERROR_CME, 14, TMP, 1, "SIM busy" },
	{ AT_ERROR_CME, 16, PERM, 0, "incorrect password" },
	{ AT_ERROR_CME, 30, TMP, 1, "no network service" },
	{ AT_ERROR_CME, 31, TMP, 0, "network timeout" },
	{ AT_ERROR_CME, 100, TMP, 0, "unknown" },
	{ AT_ERROR_CME, 9, TMP, 0, "unknown error" },
	{ AT_ERROR_CME, 600, TMP, 0, "manufacturer specific error" },
};

static void
test_classify(void)
{
	struct at_error_info	info;
	size_t			i;

	for (i = 0; i < TT_NELEM(classify_cases); i++) {
		memset(&info, 0xa5, sizeof info);
		at_error_classify(classify_cases[i].kind,
		    classify_cases[i].code, &info);
		tt_int_op(info.cls, ==, classify_cases[i].cls);
		tt_int_op(info.modem, ==, classify_cases[i].modem);
		tt_str_op(info.name, ==, classify_cases[i].name);
	}
end:
	if (tt_failed_now)
		fprintf(stderr, "  case %zu (code %d)\n", i,
		    classify_cases[i].code);
}

/* Every code 0..1023: a name, and modem faults are never permanent. */
static void
test_total(void)
{
	struct at_error_info	info;
	int			code, k;

	for (k = 0; k < 2; k++) {
		for (code = -5; code < 1024; code++) {
			at_error_classify(k ? AT_ERROR_CME : AT_ERROR_CMS,
			    code, &info);
			tt_assert(info.name != NULL && info.name[0] != '\0');
			tt_assert(info.cls == AT_ERROR_TEMPORARY ||
			    info.cls == AT_ERROR_PERMANENT);
			if (info.modem)
				tt_int_op(info.cls, ==, AT_ERROR_TEMPORARY);
		}
	}
end:
	;
}

static const struct {
	enum at_error_kind	 kind;
	const char		*text;
	int			 code;
} text_cases[] = {
	{ AT_ERROR_CME, "SIM not inserted", 10 },
	{ AT_ERROR_CME, "sim not inserted", 10 },
	{ AT_ERROR_CME, "  SIM PIN required  ", 11 },
	{ AT_ERROR_CME, "SIM failure", 13 },
	{ AT_ERROR_CME, "SIM busy", 14 },
	{ AT_ERROR_CME, "(U)SIM busy", 14 },
	{ AT_ERROR_CME, "no network service", 30 },
	{ AT_ERROR_CME, "incorrect password.", 16 },
	{ AT_ERROR_CME, "operation not allowed", 3 },
	{ AT_ERROR_CMS, "operation not allowed", 302 },
	{ AT_ERROR_CMS, "(U)SIM not inserted", 310 },
	{ AT_ERROR_CMS, "SIM busy", 314 },
	{ AT_ERROR_CMS, "invalid PDU mode parameter", 304 },
	{ AT_ERROR_CMS, "unknown error", 500 },
	{ AT_ERROR_CMS, "SIM not", -1 },
	{ AT_ERROR_CMS, "SIM not inserted yet", -1 },
	{ AT_ERROR_CME, "", -1 },
	{ AT_ERROR_CME, "   ", -1 },
	{ AT_ERROR_CME, "(U)", -1 },
	{ AT_ERROR_CME, "(u", -1 },
	{ AT_ERROR_CME, "frobnicated", -1 },
};

static void
test_from_text(void)
{
	size_t	i;

	for (i = 0; i < TT_NELEM(text_cases); i++)
		tt_int_op(at_error_from_text(text_cases[i].kind,
		    text_cases[i].text, strlen(text_cases[i].text)), ==,
		    text_cases[i].code);
	/* a length shorter than the string is honoured */
	tt_int_op(at_error_from_text(AT_ERROR_CME, "SIM busyXYZ", 8), ==, 14);
end:
	if (tt_failed_now)
		fprintf(stderr, "  case %zu \"%s\"\n", i, text_cases[i].text);
}

static const struct tt_case cases[] = {
	{ "error/classify", test_classify },
	{ "error/total", test_total },
	{ "error/from_text", test_from_text },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
