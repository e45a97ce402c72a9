/*
 * modem/at_error.h — classify "+CMS ERROR: <n>" and "+CME ERROR: <n>".
 * Pure: no I/O, no clock, no logging, no allocation.
 *
 * +CMS codes are 3GPP TS 27.005 §3.2.5 (0..127 are TS 24.011 RP-cause
 * values, 128..255 TS 23.040 §9.2.3.22 TP-FCS values, 300..340 ME and
 * network errors, 500 unknown, 512 and up manufacturer specific).  +CME
 * codes are TS 27.007 §9.2.  Each code maps to a short English name for
 * messages and a retry class; the reasoning for each class is in the
 * table in at_error.c.
 */
#ifndef AT_ERROR_H
#define AT_ERROR_H

#include <stddef.h>

enum at_error_kind {
	AT_ERROR_CMS,		/* +CMS ERROR: message service, TS 27.005 */
	AT_ERROR_CME,		/* +CME ERROR: equipment, TS 27.007 */
};

enum at_error_class {
	/* worth retrying later, with backoff and an attempt cap */
	AT_ERROR_TEMPORARY,
	/* this message (or this request) can never succeed as it is */
	AT_ERROR_PERMANENT,
};

struct at_error_info {
	enum at_error_class	 cls;
	/*
	 * The fault is the modem's or the SIM's, not the message's: no
	 * message can be sent through this modem right now (SIM missing,
	 * no network, SMS barred on our subscription...).  The scheduler
	 * should move work to another modem and not count the attempt
	 * against the recipient.  Always AT_ERROR_TEMPORARY.
	 */
	int			 modem;
	const char		*name;	/* "network out of order"; never NULL */
};

/*
 * Classify a numeric code.  Codes not in the tables (including negative
 * ones) are temporary: retrying with a cap is safer than dropping an alert.
 */
void	at_error_classify(enum at_error_kind, int, struct at_error_info *);

/*
 * Map the verbose text of "+CME ERROR: SIM not inserted" (AT+CMEE=2) to
 * its number, comparing case-insensitively and ignoring "(U)" and
 * trailing blanks or dots.  Returns -1 if the text is not a known name.
 */
int	at_error_from_text(enum at_error_kind, const char *, size_t);

#endif
