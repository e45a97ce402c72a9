/*
 * modem/at_resp.h — classify one AT response line.  Pure: no I/O, no
 * clock, no logging, no allocation, no state between calls.
 *
 * Given a line (bytes, without its terminator) and the context of the
 * command in flight, decide whether it is the echo of that command, its
 * final result code (V.250 §5.7.1, TS 27.007 §9.2, TS 27.005 §3.2.5), an
 * intermediate line of its answer, or an unsolicited result code, and
 * pull out the fields the driver acts on.  at_lexer.h calls this for
 * every line; it is public so the driver and the fuzzer can use it alone.
 */
#ifndef AT_RESP_H
#define AT_RESP_H

#include <stddef.h>

/* The command in flight, as the driver knows it. */
struct at_resp_ctx {
	/* The command line as written, without its CR ("AT+CSQ"); a line
	 * equal to it is its echo (ATE1).  NULL: no echo expected. */
	const char	*cmd;
	/* The prefix of its intermediate lines, colon included ("+CSQ:").
	 * NULL if the answer has no prefixed lines. */
	const char	*prefix;
	unsigned	 flags;
#define AT_RESP_CTX_BARE	0x1	/* answer lines are bare (AT+CGSN) */
#define AT_RESP_CTX_PROMPT	0x2	/* waits for "> " (AT+CMGS) */
#define AT_RESP_CTX_DATA	0x4	/* after "> ": the data may echo */
};

enum at_resp_kind {
	AT_RESP_FINAL,
	AT_RESP_INTERMEDIATE,
	AT_RESP_URC,
	AT_RESP_ECHO,
};

enum at_final {
	AT_FINAL_OK,
	AT_FINAL_ERROR,
	AT_FINAL_CME,		/* +CME ERROR: <err> */
	AT_FINAL_CMS,		/* +CMS ERROR: <err> */
	AT_FINAL_NO_CARRIER,
	AT_FINAL_BUSY,
	AT_FINAL_NO_ANSWER,
	AT_FINAL_NO_DIALTONE,
	AT_FINAL_NOT_SUPPORTED,	/* ZTE/Huawei "COMMAND NOT SUPPORT" */
	AT_FINAL_TOO_MANY_PARAMS, /* Huawei "TOO MANY PARAMETERS" */
};

enum at_urc {
	AT_URC_NEW_MSG_INDEX,	/* +CMTI: mem,index */
	AT_URC_MSG,		/* +CMT: header, PDU on the next line */
	AT_URC_STATUS_REPORT,	/* +CDS: header, PDU on the next line */
	AT_URC_STATUS_REPORT_INDEX, /* +CDSI: mem,index */
	AT_URC_REG,		/* +CREG/+CGREG/+CEREG/+C5GREG: stat */
	AT_URC_USSD,		/* +CUSD: (raw; parsed by the USSD module) */
	AT_URC_RING,		/* RING, +CRING: */
	AT_URC_BOOT,		/* the modem (re)started: re-initialise it */
	AT_URC_SIM_STATUS,	/* +CPIN:, ^SIMST:, +QUSIM:, +SIMCARD: */
	AT_URC_MEM_FULL,	/* ^SMMEMFULL: SMS storage is full */
	AT_URC_POWER,		/* power down or under/over-voltage */
	AT_URC_NOISE,		/* known chatter, safe to ignore */
	AT_URC_OTHER,		/* not recognised */
};

enum at_reg {
	AT_REG_CS,		/* +CREG */
	AT_REG_GPRS,		/* +CGREG */
	AT_REG_EPS,		/* +CEREG */
	AT_REG_5GS,		/* +C5GREG */
};

struct at_resp {
	enum at_resp_kind	 kind;
	unsigned		 flags;
#define AT_RESP_PDU	0x1	/* a PDU line should follow (+CMT, +CDS,
				 * +CMGR, +CMGL in PDU mode) */
	/*
	 * What follows the recognised prefix (after blanks), with trailing
	 * blanks cut: "3" of "+CME ERROR: 3", "\"SM\",3" of +CMTI, "READY"
	 * of "+CPIN: READY".  Points into the classified line; the whole
	 * (trimmed) line when nothing was recognised.
	 */
	const char		*value;
	size_t			 valuelen;
	/* static text naming what was matched ("+CMTI:", "^RSSI:", "OK");
	 * NULL for AT_URC_OTHER and bare intermediate lines */
	const char		*name;

	/* AT_RESP_PDU: the header's <length> (its last field), the octets
	 * of the TPDU on the next line without the SMSC information
	 * (TS 27.005 §3.4.1, §4.1, §4.2); -1 when absent or not a number */
	int			 pdu_len;

	enum at_final		 final;	/* AT_RESP_FINAL */
	int			 err;	/* CME/CMS number (the verbose text
					 * mapped when standard), else -1 */

	enum at_urc		 urc;	/* AT_RESP_URC */
	char			 mem[8]; /* +CMTI/+CDSI storage, "" if none */
	int			 index;	/* +CMTI/+CDSI index, else -1 */
	/* +CxREG: URCs, and intermediate answers to +CxREG? */
	enum at_reg		 reg;
	int			 stat;	/* registration status, else -1 */
};

/*
 * Classify len bytes at line.  ctx is NULL when no command is in flight.
 * Every line classifies; out's pointers point into line.
 */
void		 at_resp_classify(const char *, size_t,
		    const struct at_resp_ctx *, struct at_resp *);

/* 1 if the line (blanks aside) is non-empty hex: the PDU of a two-line
 * result (TS 27.005 §3.1). */
int		 at_resp_is_pdu(const char *, size_t);

const char	*at_resp_final_name(enum at_final);
const char	*at_resp_urc_name(enum at_urc);

#endif
