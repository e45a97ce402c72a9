/*
 * tests/unit/test_at_resp.c — classification of single AT lines.
 */
#include <string.h>

#include "tt.h"
#include "at_resp.h"

#define F	AT_RESP_FINAL
#define I	AT_RESP_INTERMEDIATE
#define U	AT_RESP_URC
#define E	AT_RESP_ECHO
#define NOCTX	0, NULL, NULL, 0	/* no command in flight */
#define BARE	AT_RESP_CTX_BARE
#define DATA	(AT_RESP_CTX_PROMPT | AT_RESP_CTX_DATA)

static const struct {
	const char	*line;
	int		 ctx;	/* 0: no command in flight */
	const char	*cmd;
	const char	*prefix;
	unsigned	 flags;
	enum at_resp_kind kind;
	int		 sub;	/* enum at_final or enum at_urc, -1 if n/a */
	int		 err;
	const char	*mem;
	int		 index;
	int		 stat;
	unsigned	 rflags;
	const char	*value;
} cases[] = {
	/* finals */
	{ "OK", NOCTX, F, AT_FINAL_OK, -1, "", -1, -1, 0, "" },
	{ "OK  ", NOCTX, F, AT_FINAL_OK, -1, "", -1, -1, 0, "" },
	{ "\xff\xfeOK", NOCTX, F, AT_FINAL_OK, -1, "", -1, -1, 0, "" },
	{ "ERROR", 1, "AT+CSQ", "+CSQ:", 0, F, AT_FINAL_ERROR, -1, "", -1,
	    -1, 0, "" },
	{ "OKAY", NOCTX, U, AT_URC_OTHER, -1, "", -1, -1, 0, "OKAY" },
	{ "+CME ERROR: 10", NOCTX, F, AT_FINAL_CME, 10, "", -1, -1, 0,
	    "10" },
	{ "+CME ERROR: SIM not inserted", NOCTX, F, AT_FINAL_CME, 10, "",
	    -1, -1, 0, "SIM not inserted" },
	{ "+CME ERROR: SIM busy", NOCTX, F, AT_FINAL_CME, 14, "", -1, -1, 0,
	    "SIM busy" },
	{ "+CME ERROR: no network service", NOCTX, F, AT_FINAL_CME, 30, "",
	    -1, -1, 0, "no network service" },
	{ "+CME ERROR: something odd", NOCTX, F, AT_FINAL_CME, -1, "", -1,
	    -1, 0, "something odd" },
	{ "+CME ERROR:", NOCTX, F, AT_FINAL_CME, -1, "", -1, -1, 0, "" },
	{ "+CME ERROR 3", NOCTX, F, AT_FINAL_CME, 3, "", -1, -1, 0, "3" },
	{ "+CME ERRORS", NOCTX, U, AT_URC_OTHER, -1, "", -1, -1, 0,
	    "+CME ERRORS" },
	{ "+CMS ERROR: 500", NOCTX, F, AT_FINAL_CMS, 500, "", -1, -1, 0,
	    "500" },
	{ "+CMS ERROR: 12abc", NOCTX, F, AT_FINAL_CMS, -1, "", -1, -1, 0,
	    "12abc" },
	{ "+CMS ERROR: 1234567", NOCTX, F, AT_FINAL_CMS, -1, "", -1, -1, 0,
	    "1234567" },
	{ "+CMS ERROR: SIM busy", NOCTX, F, AT_FINAL_CMS, 314, "", -1, -1, 0,
	    "SIM busy" },
	{ "NO CARRIER", NOCTX, F, AT_FINAL_NO_CARRIER, -1, "", -1, -1, 0,
	    "" },
	{ "COMMAND NOT SUPPORT", NOCTX, F, AT_FINAL_NOT_SUPPORTED, -1, "",
	    -1, -1, 0, "" },
	{ "TOO MANY PARAMETERS", NOCTX, F, AT_FINAL_TOO_MANY_PARAMS, -1, "",
	    -1, -1, 0, "" },
	{ "BUSY", NOCTX, F, AT_FINAL_BUSY, -1, "", -1, -1, 0, "" },
	{ "NO DIALTONE", NOCTX, F, AT_FINAL_NO_DIALTONE, -1, "", -1, -1, 0,
	    "" },

	/* echo */
	{ "AT+CSQ", 1, "AT+CSQ", "+CSQ:", 0, E, -1, -1, "", -1, -1, 0,
	    "AT+CSQ" },
	{ "at+csq", 1, "AT+CSQ", "+CSQ:", 0, E, -1, -1, "", -1, -1, 0,
	    "at+csq" },
	{ "AT+CSQ", 1, NULL, "+CSQ:", 0, U, AT_URC_OTHER, -1, "", -1, -1, 0,
	    "AT+CSQ" },
	{ "AT+CSQ", NOCTX, U, AT_URC_OTHER, -1, "", -1, -1, 0, "AT+CSQ" },
	{ "AT+CSQX", 1, "AT+CSQ", "+CSQ:", 0, U, AT_URC_OTHER, -1, "", -1,
	    -1, 0, "AT+CSQX" },
	/* data echo after "> " */
	{ "0011000B915121551532F40000AA0AE8329BFD4697D9EC37\x1a", 1, NULL,
	    "+CMGS:", DATA, E, -1, -1, "", -1, -1, 0,
	    "0011000B915121551532F40000AA0AE8329BFD4697D9EC37" },
	{ "0011000B91", 1, NULL, "+CMGS:", DATA, E, -1, -1, "", -1, -1, 0,
	    "0011000B91" },
	{ "\x1b", 1, NULL, "+CMGS:", DATA, E, -1, -1, "", -1, -1, 0, "" },
	{ "+CMGS: 12", 1, NULL, "+CMGS:", DATA, I, -1, -1, "", -1, -1, 0,
	    "12" },
	{ "+CMTI: \"SM\",3", 1, NULL, "+CMGS:", DATA, U,
	    AT_URC_NEW_MSG_INDEX, -1, "SM", 3, -1, 0, "\"SM\",3" },
	/* hex without the data context is just an unknown line */
	{ "0011000B91", 1, NULL, "+CMGS:", AT_RESP_CTX_PROMPT, U,
	    AT_URC_OTHER, -1, "", -1, -1, 0, "0011000B91" },

	/* intermediates */
	{ "+CSQ: 20,99", 1, "AT+CSQ", "+CSQ:", 0, I, -1, -1, "", -1, -1, 0,
	    "20,99" },
	{ "+csq:20,99", 1, "AT+CSQ", "+CSQ:", 0, I, -1, -1, "", -1, -1, 0,
	    "20,99" },
	{ "+CSQ: 20,99", NOCTX, U, AT_URC_OTHER, -1, "", -1, -1, 0,
	    "+CSQ: 20,99" },
	{ "866262037123456", 1, NULL, NULL, BARE, I, -1, -1, "", -1, -1, 0,
	    "866262037123456" },
	{ "866262037123456", 1, NULL, NULL, 0, U, AT_URC_OTHER, -1, "", -1,
	    -1, 0, "866262037123456" },
	{ "^RSSI:15", 1, NULL, NULL, BARE, U, AT_URC_NOISE, -1, "", -1, -1,
	    0, "15" },
	{ "RDY", 1, NULL, NULL, BARE, U, AT_URC_BOOT, -1, "", -1, -1, 0, "" },
	{ "+CMGL: 1,0,,23", 1, NULL, "+CMGL:", 0, I, -1, -1, "", -1, -1,
	    AT_RESP_PDU, "1,0,,23" },
	{ "+CMGR: 0,,0", 1, NULL, "+CMGR:", 0, I, -1, -1, "", -1, -1,
	    AT_RESP_PDU, "0,,0" },
	{ "+CMGL: 1,0,,23", NOCTX, U, AT_URC_OTHER, -1, "", -1, -1, 0,
	    "+CMGL: 1,0,,23" },
	{ "+CPIN: READY", 1, NULL, "+CPIN:", 0, I, -1, -1, "", -1, -1, 0,
	    "READY" },
	{ "+CPIN: READY", NOCTX, U, AT_URC_SIM_STATUS, -1, "", -1, -1, 0,
	    "READY" },
	{ "+CFUN: 1", 1, NULL, "+CFUN:", 0, I, -1, -1, "", -1, -1, 0, "1" },
	{ "+CFUN: 1", NOCTX, U, AT_URC_BOOT, -1, "", -1, -1, 0, "" },
	{ "+CFUN: 0", NOCTX, U, AT_URC_NOISE, -1, "", -1, -1, 0, "0" },

	/* registration: answer or URC, by shape */
	{ "+CREG: 0,1", 1, NULL, "+CREG:", 0, I, -1, -1, "", -1, 1, 0,
	    "0,1" },
	{ "+CREG: 2,5,\"00C3\",\"1234\"", 1, NULL, "+CREG:", 0, I, -1, -1,
	    "", -1, 5, 0, "2,5,\"00C3\",\"1234\"" },
	{ "+CREG: 1", 1, NULL, "+CREG:", 0, U, AT_URC_REG, -1, "", -1, 1, 0,
	    "1" },
	{ "+CREG: 5,\"00C3\",\"1234\"", 1, NULL, "+CREG:", 0, U, AT_URC_REG,
	    -1, "", -1, 5, 0, "5,\"00C3\",\"1234\"" },
	{ "+CREG: 1", NOCTX, U, AT_URC_REG, -1, "", -1, 1, 0, "1" },
	{ "+CEREG: 1,\"1A2B\",\"01A2B3C4\",7", NOCTX, U, AT_URC_REG, -1, "",
	    -1, 1, 0, "1,\"1A2B\",\"01A2B3C4\",7" },
	{ "+CGREG: 2", 1, NULL, "+CREG:", 0, U, AT_URC_REG, -1, "", -1, 2, 0,
	    "2" },
	{ "+CREG: x", NOCTX, U, AT_URC_REG, -1, "", -1, -1, 0, "x" },

	/* URCs */
	{ "+CMTI: \"SM\",3", NOCTX, U, AT_URC_NEW_MSG_INDEX, -1, "SM", 3, -1,
	    0, "\"SM\",3" },
	{ "+CMTI: \"ME\", 12 ", NOCTX, U, AT_URC_NEW_MSG_INDEX, -1, "ME", 12,
	    -1, 0, "\"ME\", 12" },
	{ "+CMTI: SM,7", NOCTX, U, AT_URC_NEW_MSG_INDEX, -1, "SM", 7, -1, 0,
	    "SM,7" },
	{ "+CMTI: \"VERYLONGMEM\",3", NOCTX, U, AT_URC_NEW_MSG_INDEX, -1, "",
	    3, -1, 0, "\"VERYLONGMEM\",3" },
	{ "+CMTI: \"SM\"", NOCTX, U, AT_URC_NEW_MSG_INDEX, -1, "SM", -1, -1,
	    0, "\"SM\"" },
	{ "+CMTI:", NOCTX, U, AT_URC_NEW_MSG_INDEX, -1, "", -1, -1, 0, "" },
	{ "+CMTI: \"S,M\",4", NOCTX, U, AT_URC_NEW_MSG_INDEX, -1, "S,M", 4,
	    -1, 0, "\"S,M\",4" },
	{ "+CDSI: \"SR\",1", NOCTX, U, AT_URC_STATUS_REPORT_INDEX, -1, "SR",
	    1, -1, 0, "\"SR\",1" },
	{ "+CMT: ,23", NOCTX, U, AT_URC_MSG, -1, "", -1, -1, AT_RESP_PDU,
	    ",23" },
	{ "+CDS: 25", NOCTX, U, AT_URC_STATUS_REPORT, -1, "", -1, -1,
	    AT_RESP_PDU, "25" },
	{ "+CUSD: 0,\"Balance 5.00\",15", NOCTX, U, AT_URC_USSD, -1, "", -1,
	    -1, 0, "0,\"Balance 5.00\",15" },
	{ "RING", NOCTX, U, AT_URC_RING, -1, "", -1, -1, 0, "" },
	{ "RINGING", NOCTX, U, AT_URC_OTHER, -1, "", -1, -1, 0, "RINGING" },
	{ "+CLIP: \"+15551234567\",145", NOCTX, U, AT_URC_NOISE, -1, "", -1,
	    -1, 0, "\"+15551234567\",145" },
	{ "Call Ready", NOCTX, U, AT_URC_BOOT, -1, "", -1, -1, 0, "" },
	{ "SMS Ready", NOCTX, U, AT_URC_BOOT, -1, "", -1, -1, 0, "" },
	{ "\xff\xff\xffRDY", NOCTX, U, AT_URC_BOOT, -1, "", -1, -1, 0, "" },
	{ "+QIND: SMS DONE", NOCTX, U, AT_URC_BOOT, -1, "", -1, -1, 0, "" },
	{ "+QIND: PB DONE", NOCTX, U, AT_URC_NOISE, -1, "", -1, -1, 0,
	    "PB DONE" },
	{ "^BOOT:20952329,0,0,0,75", NOCTX, U, AT_URC_NOISE, -1, "", -1, -1,
	    0, "20952329,0,0,0,75" },
	{ "^MODE:5,4", NOCTX, U, AT_URC_NOISE, -1, "", -1, -1, 0, "5,4" },
	{ "^SIMST:1", NOCTX, U, AT_URC_SIM_STATUS, -1, "", -1, -1, 0, "1" },
	{ "^SMMEMFULL: \"SM\"", NOCTX, U, AT_URC_MEM_FULL, -1, "", -1, -1, 0,
	    ": \"SM\"" },
	{ "*PSUTTZ: 2024,5,1,12,0,0,\"+32\",1", NOCTX, U, AT_URC_NOISE, -1,
	    "", -1, -1, 0, "2024,5,1,12,0,0,\"+32\",1" },
	{ "DST: 1", NOCTX, U, AT_URC_NOISE, -1, "", -1, -1, 0, "1" },
	{ "UNDER-VOLTAGE WARNNING", NOCTX, U, AT_URC_POWER, -1, "", -1, -1,
	    0, "" },
	{ "NORMAL POWER DOWN", NOCTX, U, AT_URC_POWER, -1, "", -1, -1, 0,
	    "" },
	{ "> hello", NOCTX, U, AT_URC_OTHER, -1, "", -1, -1, 0, "> hello" },
	{ "\xff\xfe", NOCTX, U, AT_URC_OTHER, -1, "", -1, -1, 0,
	    "\xff\xfe" },
	{ "", NOCTX, U, AT_URC_OTHER, -1, "", -1, -1, 0, "" },
};

static void
test_classify(void)
{
	struct at_resp_ctx	 ctx;
	struct at_resp		 r;
	size_t			 i, len;

	for (i = 0; i < TT_NELEM(cases); i++) {
		ctx.cmd = cases[i].cmd;
		ctx.prefix = cases[i].prefix;
		ctx.flags = cases[i].flags;
		len = strlen(cases[i].line);
		at_resp_classify(cases[i].line, len,
		    cases[i].ctx ? &ctx : NULL, &r);
		tt_int_op(r.kind, ==, cases[i].kind);
		if (r.kind == AT_RESP_FINAL)
			tt_int_op(r.final, ==, cases[i].sub);
		if (r.kind == AT_RESP_URC)
			tt_int_op(r.urc, ==, cases[i].sub);
		tt_int_op(r.err, ==, cases[i].err);
		tt_str_op(r.mem, ==, cases[i].mem);
		tt_int_op(r.index, ==, cases[i].index);
		tt_int_op(r.stat, ==, cases[i].stat);
		tt_uint_op(r.flags, ==, cases[i].rflags);
		tt_uint_op(r.valuelen, ==, strlen(cases[i].value));
		tt_assert(r.value >= cases[i].line &&
		    r.value + r.valuelen <= cases[i].line + len);
		tt_mem_op(r.value, ==, cases[i].value, r.valuelen);
	}
end:
	if (tt_failed_now)
		fprintf(stderr, "  case %zu \"%s\"\n", i, cases[i].line);
}

/* The classifier reads only len bytes: no terminator needed. */
static void
test_bounds(void)
{
	struct at_resp_ctx	 ctx = { "AT+CMGL=4", "+CMGL:", 0 };
	struct at_resp		 r;
	char			 buf[16];

	memcpy(buf, "OKAYXXXXXXXXXXXX", sizeof buf);
	at_resp_classify(buf, 2, NULL, &r);
	tt_int_op(r.kind, ==, AT_RESP_FINAL);
	tt_int_op(r.final, ==, AT_FINAL_OK);
	memcpy(buf, "+CMGL: 1,0,,23XX", sizeof buf);
	at_resp_classify(buf, 5, &ctx, &r);
	tt_int_op(r.kind, ==, AT_RESP_URC);
	tt_int_op(r.urc, ==, AT_URC_OTHER);
	at_resp_classify(buf, 0, &ctx, &r);
	tt_int_op(r.kind, ==, AT_RESP_URC);
end:
	;
}

static const struct {
	const char	*s;
	int		 pdu;
} pdu_cases[] = {
	{ "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07", 1 },
	{ "0011", 1 },
	{ "abcdef", 1 },
	{ "  0011  ", 1 },
	{ "00 11", 0 },
	{ "", 0 },
	{ "   ", 0 },
	{ "OK", 0 },
	{ "0011G", 0 },
	{ "+CMTI: \"SM\",1", 0 },
};

static void
test_is_pdu(void)
{
	size_t	i;

	for (i = 0; i < TT_NELEM(pdu_cases); i++)
		tt_int_op(at_resp_is_pdu(pdu_cases[i].s,
		    strlen(pdu_cases[i].s)), ==, pdu_cases[i].pdu);
end:
	if (tt_failed_now)
		fprintf(stderr, "  case %zu \"%s\"\n", i, pdu_cases[i].s);
}

/* The <length> of a two-line header (TS 27.005): its last field. */
static const struct {
	const char	*s;
	const char	*prefix;	/* of the command in flight, or NULL */
	int		 len;
} pdu_len_cases[] = {
	{ "+CMT: ,23", NULL, 23 },
	{ "+CMT: \"Anna, Maria\",23", NULL, 23 },
	{ "+CMT: \"\", 7", NULL, 7 },
	{ "+CDS: 25", NULL, 25 },
	{ "+CDS:25", NULL, 25 },
	{ "+CMGR: 0,,22", "+CMGR:", 22 },
	{ "+CMGR: 1,\"x\",140", "+CMGR:", 140 },
	{ "+CMGL: 1,0,,23", "+CMGL:", 23 },
	{ "+CMGR: 0,,0", "+CMGR:", 0 },
	{ "+CMT: ,", NULL, -1 },
	{ "+CMT: ,2x3", NULL, -1 },
	{ "+CMT: \"a\"23", NULL, -1 },
	{ "+CDS:", NULL, -1 },
	{ "+CMT: ,1234567", NULL, -1 },
	/* not a two-line header */
	{ "+CMTI: \"SM\",3", NULL, -1 },
	{ "+CSQ: 20,99", "+CSQ:", -1 },
};

static void
test_pdu_len(void)
{
	struct at_resp_ctx	 ctx = { NULL, NULL, 0 };
	struct at_resp		 r;
	size_t			 i;

	for (i = 0; i < TT_NELEM(pdu_len_cases); i++) {
		ctx.prefix = pdu_len_cases[i].prefix;
		at_resp_classify(pdu_len_cases[i].s,
		    strlen(pdu_len_cases[i].s), &ctx, &r);
		tt_int_op(r.pdu_len, ==, pdu_len_cases[i].len);
	}
end:
	if (tt_failed_now)
		fprintf(stderr, "  case %zu \"%s\"\n", i, pdu_len_cases[i].s);
}

static void
test_names(void)
{
	tt_str_op(at_resp_final_name(AT_FINAL_CMS), ==, "+CMS ERROR");
	tt_str_op(at_resp_final_name(AT_FINAL_TOO_MANY_PARAMS), ==,
	    "TOO MANY PARAMETERS");
	tt_str_op(at_resp_final_name((enum at_final)99), ==, "?");
	tt_str_op(at_resp_urc_name(AT_URC_NEW_MSG_INDEX), ==,
	    "NEW_MSG_INDEX");
	tt_str_op(at_resp_urc_name(AT_URC_OTHER), ==, "OTHER");
	tt_str_op(at_resp_urc_name((enum at_urc)99), ==, "?");
end:
	;
}

static const struct tt_case tcases[] = {
	{ "resp/classify", test_classify },
	{ "resp/bounds", test_bounds },
	{ "resp/is_pdu", test_is_pdu },
	{ "resp/pdu_len", test_pdu_len },
	{ "resp/names", test_names },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, tcases);
}
