/*
 * modem/utf8.h — UTF-8 and UTF-16 conversions for the SMS codec.  Pure.
 *
 * UTF-8 is validated strictly (RFC 3629): no overlong forms, no surrogate
 * code points, nothing above U+10FFFF.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode len bytes of UTF-8 into at most cap code points.  Returns 0 and
 * the count in *n, or -1 with the offset of the first invalid byte in
 * *errpos (or cap exceeded: *errpos = len).
 */
int	 utf8_decode(const char *s, size_t len, uint32_t *cp, size_t cap,
	    size_t *n, size_t *errpos);

/* Encode one code point; returns its length (1..4).  out holds 4 bytes. */
size_t	 utf8_encode(uint32_t cp, char *out);

/* Number of UTF-16 code units of one code point (1 or 2). */
#define utf16_units(cp)	((cp) > 0xffff ? 2 : 1)

/*
 * Decode big-endian UTF-16 (UCS-2 with surrogate pairs) to NUL-terminated
 * UTF-8.  An unpaired surrogate becomes U+FFFD, a trailing odd byte is
 * ignored.  out holds 3 * (len / 2) + 1 bytes.  Returns bytes written.
 */
size_t	 utf16be_to_utf8(const uint8_t *in, size_t len, char *out);

#endif
