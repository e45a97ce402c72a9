/*
 * gateway/amount.h — the amount of credit in a USSD balance answer.
 * Pure: no I/O, no clock, no logging, no allocation beyond regcomp's.
 *
 * The operator's answer ("Your balance is PHP 1,234.50 valid until ...")
 * is matched against the modem's balance_pattern, a POSIX extended
 * regular expression whose first group holds the amount; the amount is
 * read from that group by amount_parse.
 */
#ifndef AMOUNT_H
#define AMOUNT_H

#include <regex.h>
#include <stddef.h>

/*
 * Read a number from s (len bytes): the first run of digits and the
 * separators '.' and ',' between them, text around it ignored; a '-'
 * right before the first digit makes it negative.  Separators:
 *   - both '.' and ',' present: the last one is the decimal point, the
 *     others group thousands ("1,234.50", "1.234,50": 1234.5);
 *   - one kind, several times: thousands ("1,234,567": 1234567);
 *   - one separator followed by exactly three digits, after one to three
 *     digits not starting with 0: thousands ("1,234", "1.500": 1234,
 *     1500); otherwise the decimal point ("12,50", "12.5": 12.5;
 *     "0.125": 0.125; "1234.567": 1234.567).
 * A trailing separator (the end of a sentence) is not part of it.
 * Returns 0 and *out, or -1 when there is no digit.
 */
int	amount_parse(const char *s, size_t len, double *out);

/*
 * Compile pattern (REG_EXTENDED) into re; it must have at least one
 * group.  Returns 0, or -1 with a message in err (re then needs no
 * regfree).
 */
int	amount_compile(regex_t *re, const char *pattern, char *err,
	    size_t errlen);

/*
 * The amount in text: group 1 of re, read by amount_parse.  Returns 0
 * and *out, or -1 with *err a static message ("the answer does not match
 * balance_pattern", "no amount in the matched group").
 */
int	amount_match(const regex_t *re, const char *text, double *out,
	    const char **err);

#endif
