/*
 * gateway/orgcmd.h — what a text from an organizer's phone commands.
 *
 * Pure: no I/O, no clock, no logging, no allocation.  The text is bytes
 * (any, NULs included).  A command is a verb (ALERT, URGENT, ASK, YES,
 * STATUS, CANCEL, WIPE; case does not matter), then 4 to 8 digits (a PIN
 * or a code), then the rest; spaces, tabs and newlines around the words
 * do not count.  Anything else is no command (ORGCMD_NONE): the text is an
 * ordinary one, "ALERT the others" or "YES" alone.  Whether the sender is
 * an organizer, what the digits are and whether a word is a list is for
 * the caller (gateway/organizer.c) to decide.
 */
#ifndef ORGCMD_H
#define ORGCMD_H

#include <stddef.h>
#include <stdint.h>

enum orgcmd_verb {
	ORGCMD_NONE = 0,
	ORGCMD_ALERT,		/* ALERT <PIN> [LIST] <text> */
	ORGCMD_URGENT,		/* URGENT <PIN> [LIST] <text> */
	ORGCMD_ASK,		/* ASK <PIN> [LIST] SAFE,HELP <text> */
	ORGCMD_YES,		/* YES <code> */
	ORGCMD_STATUS,		/* STATUS <PIN> */
	ORGCMD_CANCEL,		/* CANCEL <PIN> <id> */
	ORGCMD_WIPE,		/* WIPE <PIN>, then WIPE <code> */
};

#define ORGCMD_DIGITS_MIN	4
#define ORGCMD_DIGITS_MAX	8
#define ORGCMD_MASK		"****"	/* the digits, in the inbox */

struct orgcmd {
	enum orgcmd_verb verb;
	/* the PIN or code, NUL-terminated; "" for ORGCMD_NONE */
	char		 digits[ORGCMD_DIGITS_MAX + 1];
	/* what follows the digits, without the spaces around it: offset
	 * and length in the text (0 and 0 when nothing follows) */
	size_t		 rest_off, rest_len;
	/* CANCEL: the broadcast id (the first word of the rest), 0 when
	 * it is missing or not a number from 1 to 2^53 */
	int64_t		 id;
	/* ASK: the first word of the rest (the options, or a list), and
	 * what follows it, without spaces around */
	size_t		 word_off, word_len;
	size_t		 after_off, after_len;
};

/* Parse len bytes of text into *c; returns c->verb. */
enum orgcmd_verb orgcmd_parse(const char *, size_t, struct orgcmd *);
/*
 * The copy kept in the inbox: the verb (uppercase), ORGCMD_MASK for the
 * digits, and the rest ("ALERT **** main Checkpoint at 5th"), into out of
 * outlen bytes (NUL-terminated, truncated if short).  Returns the length
 * of the whole copy, as snprintf.  For ORGCMD_NONE, "".
 */
size_t	 orgcmd_redact(const char *, size_t, const struct orgcmd *, char *,
	    size_t);
/*
 * The first word of len bytes at s (after any spaces): *off and *wlen;
 * *next is the offset of what follows it, spaces skipped, and *nlen its
 * length without trailing spaces.  *wlen 0 when s holds only spaces.
 */
void	 orgcmd_word(const char *, size_t, size_t *, size_t *, size_t *,
	    size_t *);
/* "ALERT", "URGENT", ... "NONE" */
const char *orgcmd_verb_name(enum orgcmd_verb);

#endif
