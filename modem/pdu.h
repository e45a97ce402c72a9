/*
 * modem/pdu.h — the SMS transfer-layer PDU codec.  Pure: bytes in, typed
 * results out; no I/O, no clock, no logging, no allocation.
 *
 * Implements 3GPP TS 23.040 §9.2: SMS-SUBMIT encoding, and decoding of
 * SMS-DELIVER, SMS-SUBMIT and SMS-STATUS-REPORT as a modem prints them in
 * PDU mode (TS 27.005 §3.1: the SMSC address information first, then the
 * TPDU).  Data coding per TS 23.038 §4, user data header per TS 23.040
 * §9.2.3.24.
 *
 * Deviations and leniencies, all on the decoding side, because a message
 * from the network must never be lost to pedantry:
 * - octets after the user data are ignored;
 * - a timestamp with non-decimal digits or impossible fields is reported
 *   absent rather than failing the message;
 * - a concatenation element with 0 parts or a part number out of range is
 *   ignored, as §9.2.3.24.1 requires;
 * - reserved DCS coding groups decode as the GSM 7-bit alphabet (TS 23.038
 *   §4 "any reserved codings shall be assumed to be the GSM 7 bit default
 *   alphabet");
 * - a status report's optional user data (TP-PI, §9.2.3.27) is left
 *   out when the PDU ends before it: the report still counts;
 * - the message-type indicator 3 (reserved) is an error.
 * Not lenient: UCS-2 user data with an odd number of octets is an error,
 * not trimmed.
 */
#ifndef PDU_H
#define PDU_H

#include <stddef.h>
#include <stdint.h>

#define PDU_MAX_OCTETS		176	/* 12 SMSC + 164 TPDU, rounded up */
#define PDU_UD_MAX		140	/* user data octets */
#define PDU_ADDR_MAX		24	/* digits, or 11 alphanumeric chars */
#define PDU_TEXT_MAX		(160 * 3 + 1)

enum sms_type {
	SMS_DELIVER,
	SMS_SUBMIT,
	SMS_STATUS_REPORT,
};

enum sms_encoding {
	SMS_ENC_GSM7,
	SMS_ENC_8BIT,
	SMS_ENC_UCS2,
};

/* Type of number (TON), TS 23.040 §9.1.2.5. */
#define SMS_TON_UNKNOWN		0
#define SMS_TON_INTERNATIONAL	1
#define SMS_TON_NATIONAL	2
#define SMS_TON_ALPHANUMERIC	5

struct sms_addr {
	unsigned	ton;
	unsigned	npi;
	/* "+" and digits for international numbers, the digits (and *#abc)
	 * otherwise, decoded UTF-8 text for alphanumeric addresses */
	char		text[PDU_ADDR_MAX * 3 + 2];
};

struct sms_time {
	int		present;	/* 0 when absent or invalid */
	int		year;		/* 1990..2089 */
	int		month, day, hour, minute, second;
	int		tz_quarters;	/* offset from UTC in 15 minutes */
};

struct sms_concat {
	int		present;
	unsigned	ref;		/* 8- or 16-bit reference */
	unsigned	parts;
	unsigned	part;		/* 1-based */
	int		ref16;		/* 1 when IE 0x08 */
};

struct sms_msg {
	enum sms_type	type;
	int		has_smsc;
	struct sms_addr	smsc;
	struct sms_addr	addr;		/* originator (deliver), destination
					 * (submit), recipient (report) */
	unsigned	first_octet;
	unsigned	mr;		/* TP-MR: submit and status report */
	int		srr;		/* submit: status report requested;
					 * deliver: TP-SRI */
	int		more;		/* deliver: !TP-MMS */
	unsigned	pid;
	unsigned	dcs;
	int		msg_class;	/* 0..3, or -1 */
	enum sms_encoding encoding;
	int		compressed;	/* text was not decoded */
	int		vp_minutes;	/* submit: relative VP, or -1 */
	struct sms_time	scts;		/* deliver, report */
	struct sms_time	discharge;	/* report: TP-DT */
	unsigned	status;		/* report: TP-ST */
	int		has_ud;		/* report: TP-UD present */
	int		has_pid, has_dcs; /* report: announced by TP-PI */
	struct sms_concat concat;
	int		locking, single; /* national language tables used */
	int		has_ports;
	unsigned	src_port, dst_port;
	size_t		ud_units;	/* TP-UDL: septets or octets */
	/* decoded text (gsm7, ucs2): UTF-8, NUL-terminated */
	char		text[PDU_TEXT_MAX];
	/* user data after the header (8-bit, compressed) */
	uint8_t		data[PDU_UD_MAX];
	size_t		data_len;
};

/*
 * Decode a PDU as printed by a modem (SMSC information first).  Returns 0,
 * or -1 with *err set to a static message naming the problem ("PDU
 * truncated in originating address", "user data header length 9 exceeds
 * user data", …).  A compressed message (TS 23.042) decodes with
 * compressed = 1 and its raw user data in data.
 */
int	 pdu_decode(const uint8_t *pdu, size_t len, struct sms_msg *m,
	    const char **err);

/*
 * Decode a PDU whose TPDU length the modem announced: the <length> of
 * +CMT, +CDS, +CMGR and +CMGL (TS 27.005 §3.1, §3.4.1), which counts the
 * TPDU octets without the SMSC information.  len == tpdu_len is a bare
 * TPDU (no SMSC information field, as some modems print it);
 * len == tpdu_len + 1 + pdu[0] is SMSC information, then the TPDU.  Any
 * other length is an error naming both numbers.
 */
int	 pdu_decode_len(const uint8_t *pdu, size_t len, size_t tpdu_len,
	    struct sms_msg *m, const char **err);
/* Which reading the announced length gives: 1 SMSC information first,
 * 0 a bare TPDU, -1 neither. */
int	 pdu_len_smsc(const uint8_t *pdu, size_t len, size_t tpdu_len);
/* A time stamp (TS 23.040 §9.2.3.11, its zone applied) in seconds since
 * 1970-01-01 UTC; 0 when absent. */
int64_t	 pdu_time_epoch(const struct sms_time *);

/*
 * Convert hex (case-insensitive, no separators) to bytes.  Returns the
 * number of bytes, or -1 with *err set ("odd number of hex digits",
 * "invalid hex digit 'g' at position 3", "PDU too long").
 */
long	 pdu_from_hex(const char *hex, size_t len, uint8_t *out, size_t cap,
	    const char **err);
/* Write 2 * len uppercase hex digits and a NUL to out. */
void	 pdu_to_hex(const uint8_t *in, size_t len, char *out);

/* An SMS-SUBMIT to build. */
struct pdu_submit {
	const char	*to;		/* "+<digits>", "<digits>" or NULL */
	const char	*smsc;		/* NULL: use the modem's ("00") */
	unsigned	 mr;		/* TP-MR; modems replace it */
	int		 srr;		/* request a status report */
	int		 vp_minutes;	/* relative validity, -1 for none */
	unsigned	 pid;
	int		 msg_class;	/* -1 for none */
	enum sms_encoding encoding;
	const uint8_t	*udh;		/* information elements, no UDHL */
	size_t		 udh_len;
	const uint8_t	*ud;		/* septets (gsm7) or octets */
	size_t		 ud_units;
};

/*
 * Encode an SMS-SUBMIT into out (PDU_MAX_OCTETS).  *len receives the
 * whole length, *tpdu_len the length without the SMSC information (the
 * number given to AT+CMGS).  Returns 0, or -1 with *err set ("invalid
 * character in destination number", "user data too long", …).
 */
int	 pdu_encode_submit(const struct pdu_submit *s, uint8_t *out,
	    size_t *len, size_t *tpdu_len, const char **err);

/*
 * An SMS-DELIVER or SMS-STATUS-REPORT to build, as a network would send
 * it: used by the simulated modem and by tests.
 */
struct pdu_deliver {
	const char	*smsc;		/* NULL: no SMSC information */
	const char	*from;		/* "+<digits>", "<digits>" or text
					 * (alphanumeric sender) */
	unsigned	 pid;
	int		 msg_class;	/* -1 for none */
	int		 sri;		/* status report indication */
	int		 more;		/* more messages to send (!TP-MMS) */
	struct sms_time	 scts;
	enum sms_encoding encoding;
	const uint8_t	*udh;		/* information elements, no UDHL */
	size_t		 udh_len;
	const uint8_t	*ud;		/* septets (gsm7) or octets */
	size_t		 ud_units;
};

int	 pdu_encode_deliver(const struct pdu_deliver *d, uint8_t *out,
	    size_t *len, size_t *tpdu_len, const char **err);

struct pdu_report {
	const char	*smsc;		/* NULL: no SMSC information */
	unsigned	 mr;		/* TP-MR of the submitted message */
	const char	*recipient;	/* "+<digits>" or "<digits>" */
	struct sms_time	 scts;		/* when the SC received it */
	struct sms_time	 discharge;	/* TP-DT */
	unsigned	 status;	/* TP-ST: 0 delivered, 0x40.. failed */
};

int	 pdu_encode_report(const struct pdu_report *r, uint8_t *out,
	    size_t *len, size_t *tpdu_len, const char **err);

/* Relative validity period octet (TS 23.040 §9.2.3.12.1) for a duration,
 * rounded up, capped at 63 weeks. */
unsigned pdu_vp_relative(int minutes);
/* Minutes a relative validity period octet stands for. */
int	 pdu_vp_minutes(unsigned vp);

#endif
