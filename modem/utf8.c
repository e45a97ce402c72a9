/*
 * modem/utf8.c — UTF-8 (RFC 3629) and UTF-16BE conversions.  Pure.
 */
#include "utf8.h"

int
utf8_decode(const char *s, size_t len, uint32_t *cp, size_t cap, size_t *n,
    size_t *errpos)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k = 0, need, j;
	uint32_t		 c, min;

	while (i < len) {
		c = p[i];
		if (c < 0x80) {
			need = 0;
			min = 0;
		} else if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			c &= 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			c &= 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			c &= 0x07;
			min = 0x10000;
		} else
			goto bad;
		if (len - i <= need)
			goto bad;
		for (j = 1; j <= need; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				goto bad;
			c = (c << 6) | (p[i + j] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			goto bad;
		if (k == cap) {
			*errpos = len;
			return -1;
		}
		cp[k++] = c;
		i += need + 1;
	}
	*n = k;
	return 0;
bad:
	*errpos = i;
	return -1;
}

size_t
utf8_encode(uint32_t cp, char *out)
{
	unsigned char	*o = (unsigned char *)out;

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * A surrogate pair takes 4 input bytes and yields 4 output bytes; any
 * other unit takes 2 and yields at most 3, so 3 * (len / 2) + 1 bounds
 * the output.
 */
size_t
utf16be_to_utf8(const uint8_t *in, size_t len, char *out)
{
	size_t		 i, o = 0;
	uint32_t	 u, lo;

	for (i = 0; i + 1 < len; i += 2) {
		u = ((uint32_t)in[i] << 8) | in[i + 1];
		if (u >= 0xd800 && u <= 0xdbff && i + 3 < len) {
			lo = ((uint32_t)in[i + 2] << 8) | in[i + 3];
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			}
		}
		/* a lone surrogate is replaced by utf8_encode */
		o += utf8_encode(u, out + o);
	}
	out[o] = '\0';
	return o;
}
