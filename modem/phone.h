/*
 * modem/phone.h — phone numbers: normalization to E.164, short codes,
 * masking for logs.  Pure: no I/O, no allocation.
 *
 * E.164 (ITU-T E.164): "+" followed by a country code and a national
 * significant number, 15 digits at most.  People type numbers as
 * "(415) 555-0100", "415.555.0100", "+1 415 555 0100", "001 415 555 0100",
 * "011 1 415 555 0100" (NANP international prefix) or "0917 123 4567"
 * (national trunk prefix 0); normalization turns each into "+14155550100"
 * given the default country code of the deployment.
 */
#ifndef PHONE_H
#define PHONE_H

#include <stddef.h>

#define PHONE_MAX	17	/* "+" 15 digits NUL */

/*
 * Normalize in to E.164 in out (PHONE_MAX bytes).  default_cc is the
 * country calling code used for national numbers ("1", "63", "52"), or
 * NULL when there is none (then only international forms are accepted).
 * Spaces, tabs, '-', '.', '/', '(' and ')' are ignored; anything else that
 * is not a digit (or a leading '+') is an error.  Returns 0, or -1 with
 * *err pointing to a static message naming the problem ("invalid
 * character 'x' in number", "number too short", "number too long", "empty
 * number", "national number needs a default country code").
 */
int	 phone_normalize(const char *in, const char *default_cc, char *out,
	    size_t outlen, const char **err);

/*
 * 1 when s is a network short code or service number (only digits, 3 to 8
 * of them, no '+', and fewer than the shortest national number of the
 * country default_cc when that is known: "91234567" is a number in Hong
 * Kong), which must never receive automatic replies; else 0.  default_cc
 * may be NULL.
 */
int	 phone_is_shortcode(const char *s, const char *default_cc);

/*
 * 1 when s is an alphanumeric sender ("BANK", "Movistar": contains a
 * letter), which cannot receive replies; else 0.
 */
int	 phone_is_alpha(const char *s);

/*
 * Mask a number for logs, keeping the "+", the first 2 and the last 2
 * digits: "+14155550100" -> "+14*******00".  Numbers of 6 characters or
 * fewer are fully masked but for the "+".  out holds PHONE_MAX bytes or
 * more; the result is always NUL-terminated (truncated if outlen is short).
 */
void	 phone_mask(const char *s, char *out, size_t outlen);

/*
 * The digits of s (a leading '+' skipped) as the semi-octets of a TS 23.040
 * address field, in upper-case hex: each pair of digits swapped, an odd
 * last digit padded with F ("+14155550142" -> "4151550541F2"), as they
 * appear in a raw PDU.  out holds the hex and a NUL: 2 * ceil(digits / 2)
 * + 1 bytes.  Returns the length of the hex, or -1 (out set to "") when s
 * has no digits, holds anything but digits, or out is too small.
 */
int	 phone_semioctets(const char *s, char *out, size_t outlen);

#endif
