/*
 * gateway/orgmask.h — an organizer's text that looks like a command but
 * is not one ("ALERT main 2468 text": the PIN in the wrong place).
 *
 * Pure: no I/O, no clock, no logging, no allocation.  gateway/orgcmd.c
 * decides what a command is; this only says whether a text starts with
 * one of its verbs, and makes the copy kept in the inbox with every run
 * of 4 or more digits (what may be a PIN or a code) masked.
 */
#ifndef ORGMASK_H
#define ORGMASK_H

#include <stddef.h>

#define ORGMASK_RUN	4	/* digits in a row that are masked */

/* 1 when the first word of len bytes of text is a command verb (ALERT,
 * URGENT, ASK, YES, STATUS, CANCEL, WIPE; any case), else 0. */
int	 orgmask_verb(const char *, size_t);
/* 1 when len bytes of text hold a run of ORGMASK_RUN or more ASCII
 * digits (what may be a PIN or a code), else 0. */
int	 orgmask_secret(const char *, size_t);
/*
 * The text with each run of ORGMASK_RUN or more ASCII digits replaced by
 * ORGCMD_MASK ("****"), into out of outlen bytes (NUL-terminated,
 * truncated if short; a NUL byte in the text ends the copy).  Returns the
 * length of the whole copy, as snprintf.
 */
size_t	 orgmask_digits(const char *, size_t, char *, size_t);

#endif
