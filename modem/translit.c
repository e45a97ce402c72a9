/*
 * modem/translit.c — plain look-alikes for characters the GSM 7-bit
 * alphabet lacks.
 *
 * The targets are the default alphabet and extension table of 3GPP TS
 * 23.038 §6.2.1 and §6.2.1.1; no table key is a character of either, so
 * a character that can be sent as is is never replaced (ç is mapped, Ç is
 * not).  Code points are from Unicode; letters follow their canonical
 * decomposition (NFD) with the diacritics dropped, and the letters without
 * one follow the usual ASCII spellings (ð -> d, þ -> th, œ -> oe, ł -> l).
 * Choices:
 * - bullets (• ‣ ◦ ⁃ ∙ and the middle dot ·) become "-", the usual plain
 *   text list marker;
 * - vulgar fractions get a leading space, " 1/2", so that "2½ hours"
 *   reads "2 1/2 hours" rather than "21/2 hours";
 * - the acute accent ´, often typed for an apostrophe, becomes "'";
 * - fullwidth forms U+FF01..U+FF5E are computed, not tabulated, and map
 *   to ASCII exactly; U+FF40 gives "`", which GSM lacks too;
 * - strip-accents also removes the combining diacritics U+0300..U+036F,
 *   since decomposed (NFD) text from some Vietnamese keyboards would
 *   otherwise keep its tone marks;
 * - the Turkish dotless ı is a letter of its own, not an accented i
 *   (ı and i tell words apart): strip-accents keeps it, so a Turkish text
 *   goes in UCS-2 or with the Turkish shift table, exactly.  Matching
 *   (translit_fold) does fold it to i.
 * Pure: static tables, no I/O, no allocation.
 */
#include <stddef.h>
#include <stdint.h>

#include "translit.h"

struct translit_entry {
	uint32_t	 cp;
	const char	*to;
};

/* Sorted by code point: looked up by binary search. */
static const struct translit_entry translit_smart_table[] = {
	{ 0x00A0, " " },	/* no-break space */
	{ 0x00A9, "(C)" },	/* copyright sign */
	{ 0x00AB, "\"" },	/* left-pointing double angle quotation mark */
	{ 0x00AD, "" },		/* soft hyphen */
	{ 0x00AE, "(R)" },	/* registered sign */
	{ 0x00B4, "'" },	/* acute accent */
	{ 0x00B7, "-" },	/* middle dot */
	{ 0x00BB, "\"" },	/* right-pointing double angle quotation mark */
	{ 0x00BC, " 1/4" },	/* vulgar fraction one quarter */
	{ 0x00BD, " 1/2" },	/* vulgar fraction one half */
	{ 0x00BE, " 3/4" },	/* vulgar fraction three quarters */
	{ 0x00D7, "x" },	/* multiplication sign */
	{ 0x00F7, "/" },	/* division sign */
	{ 0x1680, " " },	/* ogham space mark */
	{ 0x2000, " " },	/* en quad */
	{ 0x2001, " " },	/* em quad */
	{ 0x2002, " " },	/* en space */
	{ 0x2003, " " },	/* em space */
	{ 0x2004, " " },	/* three-per-em space */
	{ 0x2005, " " },	/* four-per-em space */
	{ 0x2006, " " },	/* six-per-em space */
	{ 0x2007, " " },	/* figure space */
	{ 0x2008, " " },	/* punctuation space */
	{ 0x2009, " " },	/* thin space */
	{ 0x200A, " " },	/* hair space */
	{ 0x200B, "" },		/* zero width space */
	{ 0x200C, "" },		/* zero width non-joiner */
	{ 0x200D, "" },		/* zero width joiner */
	{ 0x2010, "-" },	/* hyphen */
	{ 0x2011, "-" },	/* non-breaking hyphen */
	{ 0x2012, "-" },	/* figure dash */
	{ 0x2013, "-" },	/* en dash */
	{ 0x2014, "-" },	/* em dash */
	{ 0x2015, "-" },	/* horizontal bar */
	{ 0x2018, "'" },	/* left single quotation mark */
	{ 0x2019, "'" },	/* right single quotation mark */
	{ 0x201A, "'" },	/* single low-9 quotation mark */
	{ 0x201B, "'" },	/* single high-reversed-9 quotation mark */
	{ 0x201C, "\"" },	/* left double quotation mark */
	{ 0x201D, "\"" },	/* right double quotation mark */
	{ 0x201E, "\"" },	/* double low-9 quotation mark */
	{ 0x201F, "\"" },	/* double high-reversed-9 quotation mark */
	{ 0x2022, "-" },	/* bullet */
	{ 0x2023, "-" },	/* triangular bullet */
	{ 0x2026, "..." },	/* horizontal ellipsis */
	{ 0x202F, " " },	/* narrow no-break space */
	{ 0x2032, "'" },	/* prime */
	{ 0x2033, "\"" },	/* double prime */
	{ 0x2039, "'" },	/* single left-pointing angle quotation mark */
	{ 0x203A, "'" },	/* single right-pointing angle quotation mark */
	{ 0x2043, "-" },	/* hyphen bullet */
	{ 0x2044, "/" },	/* fraction slash */
	{ 0x205F, " " },	/* medium mathematical space */
	{ 0x2060, "" },		/* word joiner */
	{ 0x2122, "TM" },	/* trade mark sign */
	{ 0x2150, " 1/7" },	/* vulgar fraction one seventh */
	{ 0x2151, " 1/9" },	/* vulgar fraction one ninth */
	{ 0x2152, " 1/10" },	/* vulgar fraction one tenth */
	{ 0x2153, " 1/3" },	/* vulgar fraction one third */
	{ 0x2154, " 2/3" },	/* vulgar fraction two thirds */
	{ 0x2155, " 1/5" },	/* vulgar fraction one fifth */
	{ 0x2156, " 2/5" },	/* vulgar fraction two fifths */
	{ 0x2157, " 3/5" },	/* vulgar fraction three fifths */
	{ 0x2158, " 4/5" },	/* vulgar fraction four fifths */
	{ 0x2159, " 1/6" },	/* vulgar fraction one sixth */
	{ 0x215A, " 5/6" },	/* vulgar fraction five sixths */
	{ 0x215B, " 1/8" },	/* vulgar fraction one eighth */
	{ 0x215C, " 3/8" },	/* vulgar fraction three eighths */
	{ 0x215D, " 5/8" },	/* vulgar fraction five eighths */
	{ 0x215E, " 7/8" },	/* vulgar fraction seven eighths */
	{ 0x2189, " 0/3" },	/* vulgar fraction zero thirds */
	{ 0x2212, "-" },	/* minus sign */
	{ 0x2215, "/" },	/* division slash */
	{ 0x2219, "-" },	/* bullet operator */
	{ 0x2260, "!=" },	/* not equal to */
	{ 0x2264, "<=" },	/* less-than or equal to */
	{ 0x2265, ">=" },	/* greater-than or equal to */
	{ 0x25E6, "-" },	/* white bullet */
	{ 0x3000, " " },	/* ideographic space */
	{ 0x3001, "," },	/* ideographic comma */
	{ 0x3002, "." },	/* ideographic full stop */
	{ 0xFEFF, "" },		/* zero width no-break space */
};

/* Sorted by code point.  Latin-1 Supplement, Latin Extended-A, ơ ư and
 * the Vietnamese letters of Latin Extended Additional. */
static const struct translit_entry translit_accent_table[] = {
	{ 0x00C0, "A" }, { 0x00C1, "A" }, { 0x00C2, "A" },	/* À Á Â */
	{ 0x00C3, "A" }, { 0x00C8, "E" }, { 0x00CA, "E" },	/* Ã È Ê */
	{ 0x00CB, "E" }, { 0x00CC, "I" }, { 0x00CD, "I" },	/* Ë Ì Í */
	{ 0x00CE, "I" }, { 0x00CF, "I" }, { 0x00D0, "D" },	/* Î Ï Ð */
	{ 0x00D2, "O" }, { 0x00D3, "O" }, { 0x00D4, "O" },	/* Ò Ó Ô */
	{ 0x00D5, "O" }, { 0x00D9, "U" }, { 0x00DA, "U" },	/* Õ Ù Ú */
	{ 0x00DB, "U" }, { 0x00DD, "Y" }, { 0x00DE, "TH" },	/* Û Ý Þ */
	{ 0x00E1, "a" }, { 0x00E2, "a" }, { 0x00E3, "a" },	/* á â ã */
	{ 0x00E7, "c" }, { 0x00EA, "e" }, { 0x00EB, "e" },	/* ç ê ë */
	{ 0x00ED, "i" }, { 0x00EE, "i" }, { 0x00EF, "i" },	/* í î ï */
	{ 0x00F0, "d" }, { 0x00F3, "o" }, { 0x00F4, "o" },	/* ð ó ô */
	{ 0x00F5, "o" }, { 0x00FA, "u" }, { 0x00FB, "u" },	/* õ ú û */
	{ 0x00FD, "y" }, { 0x00FE, "th" }, { 0x00FF, "y" },	/* ý þ ÿ */
	{ 0x0100, "A" }, { 0x0101, "a" }, { 0x0102, "A" },	/* Ā ā Ă */
	{ 0x0103, "a" }, { 0x0104, "A" }, { 0x0105, "a" },	/* ă Ą ą */
	{ 0x0106, "C" }, { 0x0107, "c" }, { 0x0108, "C" },	/* Ć ć Ĉ */
	{ 0x0109, "c" }, { 0x010A, "C" }, { 0x010B, "c" },	/* ĉ Ċ ċ */
	{ 0x010C, "C" }, { 0x010D, "c" }, { 0x010E, "D" },	/* Č č Ď */
	{ 0x010F, "d" }, { 0x0110, "D" }, { 0x0111, "d" },	/* ď Đ đ */
	{ 0x0112, "E" }, { 0x0113, "e" }, { 0x0114, "E" },	/* Ē ē Ĕ */
	{ 0x0115, "e" }, { 0x0116, "E" }, { 0x0117, "e" },	/* ĕ Ė ė */
	{ 0x0118, "E" }, { 0x0119, "e" }, { 0x011A, "E" },	/* Ę ę Ě */
	{ 0x011B, "e" }, { 0x011C, "G" }, { 0x011D, "g" },	/* ě Ĝ ĝ */
	{ 0x011E, "G" }, { 0x011F, "g" }, { 0x0120, "G" },	/* Ğ ğ Ġ */
	{ 0x0121, "g" }, { 0x0122, "G" }, { 0x0123, "g" },	/* ġ Ģ ģ */
	{ 0x0124, "H" }, { 0x0125, "h" }, { 0x0126, "H" },	/* Ĥ ĥ Ħ */
	{ 0x0127, "h" }, { 0x0128, "I" }, { 0x0129, "i" },	/* ħ Ĩ ĩ */
	{ 0x012A, "I" }, { 0x012B, "i" }, { 0x012C, "I" },	/* Ī ī Ĭ */
	{ 0x012D, "i" }, { 0x012E, "I" }, { 0x012F, "i" },	/* ĭ Į į */
	{ 0x0130, "I" }, { 0x0132, "IJ" },			/* İ Ĳ */
	{ 0x0133, "ij" }, { 0x0134, "J" }, { 0x0135, "j" },	/* ĳ Ĵ ĵ */
	{ 0x0136, "K" }, { 0x0137, "k" }, { 0x0138, "q" },	/* Ķ ķ ĸ */
	{ 0x0139, "L" }, { 0x013A, "l" }, { 0x013B, "L" },	/* Ĺ ĺ Ļ */
	{ 0x013C, "l" }, { 0x013D, "L" }, { 0x013E, "l" },	/* ļ Ľ ľ */
	{ 0x013F, "L" }, { 0x0140, "l" }, { 0x0141, "L" },	/* Ŀ ŀ Ł */
	{ 0x0142, "l" }, { 0x0143, "N" }, { 0x0144, "n" },	/* ł Ń ń */
	{ 0x0145, "N" }, { 0x0146, "n" }, { 0x0147, "N" },	/* Ņ ņ Ň */
	{ 0x0148, "n" }, { 0x0149, "'n" }, { 0x014A, "N" },	/* ň ŉ Ŋ */
	{ 0x014B, "n" }, { 0x014C, "O" }, { 0x014D, "o" },	/* ŋ Ō ō */
	{ 0x014E, "O" }, { 0x014F, "o" }, { 0x0150, "O" },	/* Ŏ ŏ Ő */
	{ 0x0151, "o" }, { 0x0152, "OE" }, { 0x0153, "oe" },	/* ő Œ œ */
	{ 0x0154, "R" }, { 0x0155, "r" }, { 0x0156, "R" },	/* Ŕ ŕ Ŗ */
	{ 0x0157, "r" }, { 0x0158, "R" }, { 0x0159, "r" },	/* ŗ Ř ř */
	{ 0x015A, "S" }, { 0x015B, "s" }, { 0x015C, "S" },	/* Ś ś Ŝ */
	{ 0x015D, "s" }, { 0x015E, "S" }, { 0x015F, "s" },	/* ŝ Ş ş */
	{ 0x0160, "S" }, { 0x0161, "s" }, { 0x0162, "T" },	/* Š š Ţ */
	{ 0x0163, "t" }, { 0x0164, "T" }, { 0x0165, "t" },	/* ţ Ť ť */
	{ 0x0166, "T" }, { 0x0167, "t" }, { 0x0168, "U" },	/* Ŧ ŧ Ũ */
	{ 0x0169, "u" }, { 0x016A, "U" }, { 0x016B, "u" },	/* ũ Ū ū */
	{ 0x016C, "U" }, { 0x016D, "u" }, { 0x016E, "U" },	/* Ŭ ŭ Ů */
	{ 0x016F, "u" }, { 0x0170, "U" }, { 0x0171, "u" },	/* ů Ű ű */
	{ 0x0172, "U" }, { 0x0173, "u" }, { 0x0174, "W" },	/* Ų ų Ŵ */
	{ 0x0175, "w" }, { 0x0176, "Y" }, { 0x0177, "y" },	/* ŵ Ŷ ŷ */
	{ 0x0178, "Y" }, { 0x0179, "Z" }, { 0x017A, "z" },	/* Ÿ Ź ź */
	{ 0x017B, "Z" }, { 0x017C, "z" }, { 0x017D, "Z" },	/* Ż ż Ž */
	{ 0x017E, "z" }, { 0x017F, "s" }, { 0x01A0, "O" },	/* ž ſ Ơ */
	{ 0x01A1, "o" }, { 0x01AF, "U" }, { 0x01B0, "u" },	/* ơ Ư ư */
	{ 0x1EA0, "A" }, { 0x1EA1, "a" }, { 0x1EA2, "A" },	/* Ạ ạ Ả */
	{ 0x1EA3, "a" }, { 0x1EA4, "A" }, { 0x1EA5, "a" },	/* ả Ấ ấ */
	{ 0x1EA6, "A" }, { 0x1EA7, "a" }, { 0x1EA8, "A" },	/* Ầ ầ Ẩ */
	{ 0x1EA9, "a" }, { 0x1EAA, "A" }, { 0x1EAB, "a" },	/* ẩ Ẫ ẫ */
	{ 0x1EAC, "A" }, { 0x1EAD, "a" }, { 0x1EAE, "A" },	/* Ậ ậ Ắ */
	{ 0x1EAF, "a" }, { 0x1EB0, "A" }, { 0x1EB1, "a" },	/* ắ Ằ ằ */
	{ 0x1EB2, "A" }, { 0x1EB3, "a" }, { 0x1EB4, "A" },	/* Ẳ ẳ Ẵ */
	{ 0x1EB5, "a" }, { 0x1EB6, "A" }, { 0x1EB7, "a" },	/* ẵ Ặ ặ */
	{ 0x1EB8, "E" }, { 0x1EB9, "e" }, { 0x1EBA, "E" },	/* Ẹ ẹ Ẻ */
	{ 0x1EBB, "e" }, { 0x1EBC, "E" }, { 0x1EBD, "e" },	/* ẻ Ẽ ẽ */
	{ 0x1EBE, "E" }, { 0x1EBF, "e" }, { 0x1EC0, "E" },	/* Ế ế Ề */
	{ 0x1EC1, "e" }, { 0x1EC2, "E" }, { 0x1EC3, "e" },	/* ề Ể ể */
	{ 0x1EC4, "E" }, { 0x1EC5, "e" }, { 0x1EC6, "E" },	/* Ễ ễ Ệ */
	{ 0x1EC7, "e" }, { 0x1EC8, "I" }, { 0x1EC9, "i" },	/* ệ Ỉ ỉ */
	{ 0x1ECA, "I" }, { 0x1ECB, "i" }, { 0x1ECC, "O" },	/* Ị ị Ọ */
	{ 0x1ECD, "o" }, { 0x1ECE, "O" }, { 0x1ECF, "o" },	/* ọ Ỏ ỏ */
	{ 0x1ED0, "O" }, { 0x1ED1, "o" }, { 0x1ED2, "O" },	/* Ố ố Ồ */
	{ 0x1ED3, "o" }, { 0x1ED4, "O" }, { 0x1ED5, "o" },	/* ồ Ổ ổ */
	{ 0x1ED6, "O" }, { 0x1ED7, "o" }, { 0x1ED8, "O" },	/* Ỗ ỗ Ộ */
	{ 0x1ED9, "o" }, { 0x1EDA, "O" }, { 0x1EDB, "o" },	/* ộ Ớ ớ */
	{ 0x1EDC, "O" }, { 0x1EDD, "o" }, { 0x1EDE, "O" },	/* Ờ ờ Ở */
	{ 0x1EDF, "o" }, { 0x1EE0, "O" }, { 0x1EE1, "o" },	/* ở Ỡ ỡ */
	{ 0x1EE2, "O" }, { 0x1EE3, "o" }, { 0x1EE4, "U" },	/* Ợ ợ Ụ */
	{ 0x1EE5, "u" }, { 0x1EE6, "U" }, { 0x1EE7, "u" },	/* ụ Ủ ủ */
	{ 0x1EE8, "U" }, { 0x1EE9, "u" }, { 0x1EEA, "U" },	/* Ứ ứ Ừ */
	{ 0x1EEB, "u" }, { 0x1EEC, "U" }, { 0x1EED, "u" },	/* ừ Ử ử */
	{ 0x1EEE, "U" }, { 0x1EEF, "u" }, { 0x1EF0, "U" },	/* Ữ ữ Ự */
	{ 0x1EF1, "u" }, { 0x1EF2, "Y" }, { 0x1EF3, "y" },	/* ự Ỳ ỳ */
	{ 0x1EF4, "Y" }, { 0x1EF5, "y" }, { 0x1EF6, "Y" },	/* Ỵ ỵ Ỷ */
	{ 0x1EF7, "y" }, { 0x1EF8, "Y" }, { 0x1EF9, "y" },	/* ỷ Ỹ ỹ */
};

/* U+FF01..U+FF5E: the fullwidth forms of '!'..'~'. */
#define TRANSLIT_FULLWIDTH_FIRST	0xff01
#define TRANSLIT_FULLWIDTH_LAST		0xff5e

static const char translit_ascii[][2] = {
	"!", "\"", "#", "$", "%", "&", "'", "(", ")", "*", "+", ",",
	"-", ".", "/", "0", "1", "2", "3", "4", "5", "6", "7", "8",
	"9", ":", ";", "<", "=", ">", "?", "@", "A", "B", "C", "D",
	"E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P",
	"Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "[", "\\",
	"]", "^", "_", "`", "a", "b", "c", "d", "e", "f", "g", "h",
	"i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
	"u", "v", "w", "x", "y", "z", "{", "|", "}", "~",
};
_Static_assert(sizeof translit_ascii / sizeof translit_ascii[0] ==
    TRANSLIT_FULLWIDTH_LAST - TRANSLIT_FULLWIDTH_FIRST + 1,
    "one ASCII character per fullwidth form");

static const char *
translit_find(const struct translit_entry *table, size_t n, uint32_t cp)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (table[mid].cp == cp)
			return table[mid].to;
		if (table[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *
translit_smart(uint32_t cp)
{
	if (cp >= TRANSLIT_FULLWIDTH_FIRST && cp <= TRANSLIT_FULLWIDTH_LAST)
		return translit_ascii[cp - TRANSLIT_FULLWIDTH_FIRST];
	return translit_find(translit_smart_table,
	    sizeof translit_smart_table / sizeof translit_smart_table[0], cp);
}

const char *
translit_strip_accent(uint32_t cp)
{
	/* Combining Diacritical Marks: removed with what they mark. */
	if (cp >= 0x0300 && cp <= 0x036f)
		return "";
	return translit_find(translit_accent_table,
	    sizeof translit_accent_table / sizeof translit_accent_table[0],
	    cp);
}

const char *
translit_fold(uint32_t cp)
{
	if (cp == 0x0131)	/* ı */
		return "i";
	return translit_strip_accent(cp);
}
