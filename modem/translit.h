/*
 * modem/translit.h — plain look-alikes for characters the GSM 7-bit
 * alphabet lacks.  Pure: static tables.
 *
 * Two independent policies, applied by the planner only to characters the
 * chosen GSM tables cannot represent:
 * - smart: typographic characters with a plain look-alike: curly quotes,
 *   primes, dashes and hyphens, ellipsis, Unicode spaces, zero-width
 *   characters (removed), bullets, fullwidth ASCII forms, vulgar fractions,
 *   guillemets;
 * - strip-accents: letters with diacritics to the bare letter
 *   (á -> a, ã -> a, ç -> c, Ł -> L, ...); the Turkish dotless ı is a
 *   letter of its own and is kept.
 */
#ifndef TRANSLIT_H
#define TRANSLIT_H

#include <stdint.h>

/* The UTF-8 replacement of cp under a policy, or NULL when it has none.
 * The empty string means "remove". */
const char	*translit_smart(uint32_t cp);
const char	*translit_strip_accent(uint32_t cp);
/* For matching words, not for sending: strip-accents, and also the
 * letters it keeps because they are not accented forms (ı -> i). */
const char	*translit_fold(uint32_t cp);

#endif
