/*
 * modem/gsm7.h — the GSM 7-bit alphabets and septet packing.
 *
 * Implements 3GPP TS 23.038: the default alphabet and its extension table
 * (§6.2.1, §6.2.1.1), the national language locking and single shift tables
 * of Annex A for Turkish, Spanish and Portuguese, and the packing of septets
 * into octets (§6.1.2.1).  Pure: no I/O, no allocation.
 *
 * Tables are selected by national language identifier (§6.2.1.2.4), the
 * value carried in the UDH information elements 0x24 (single shift) and
 * 0x25 (locking shift) of TS 23.040 §9.2.3.24.15/16.  Identifier 0 is the
 * default alphabet / default extension table.
 */
#ifndef GSM7_H
#define GSM7_H

#include <stddef.h>
#include <stdint.h>

#define GSM7_ESC	0x1b	/* escape to the (single shift) extension */

enum gsm7_lang {
	GSM7_LANG_DEFAULT = 0,
	GSM7_LANG_TURKISH = 1,
	GSM7_LANG_SPANISH = 2,
	GSM7_LANG_PORTUGUESE = 3,
};

/* 1 when a locking (single) shift table exists for lang, else 0. */
int	 gsm7_has_locking(int lang);
int	 gsm7_has_single(int lang);

/*
 * Encode one code point with the given locking and single shift tables
 * (language identifiers; 0 = default).  Writes the septet, or GSM7_ESC and
 * the extension septet, to out; returns the number of septets (1 or 2), or
 * 0 when the character has no representation in these tables.  The
 * locking table is preferred; the extension table is used only for
 * characters the locking table lacks.  Unsupported identifiers behave as 0.
 */
int	 gsm7_encode_char(uint32_t cp, int locking, int single, uint8_t out[2]);

/*
 * Decode septets (values 0..127) to UTF-8 with the given tables.  An
 * escape followed by a septet the single shift table does not define is
 * shown as the locking table's character for that septet, and ESC ESC as a
 * space (TS 23.038 §6.2.1.1); a trailing lone ESC is dropped.  out must
 * hold 3 * n + 1 bytes; the result is NUL-terminated.  Returns the number
 * of bytes written, excluding the NUL.
 */
size_t	 gsm7_decode(const uint8_t *septets, size_t n, int locking,
	    int single, char *out);

/* The code point of septet s in a locking table (0..127); ESC gives 0x1b. */
uint32_t gsm7_locking_char(uint8_t s, int locking);
/* The code point after ESC s in a single shift table, or 0 if undefined. */
uint32_t gsm7_single_char(uint8_t s, int single);

/*
 * Pack n septets into octets, least significant bit first, after fill_bits
 * (0..6) zero bits at the start of out.  Returns the number of octets
 * written: (fill_bits + 7 * n + 7) / 8.
 */
size_t	 gsm7_pack(const uint8_t *septets, size_t n, unsigned fill_bits,
	    uint8_t *out);

/*
 * Unpack n septets from in, skipping fill_bits first.  in must hold
 * (fill_bits + 7 * n + 7) / 8 octets.
 */
void	 gsm7_unpack(const uint8_t *in, size_t n, unsigned fill_bits,
	    uint8_t *septets);

#endif
