/*
 * tests/unit/test_amount.c — the amount in a USSD balance answer:
 * numbers as operators write them, and balance_pattern matching.
 */
#include <regex.h>
#include <string.h>

#include "amount.h"
#include "tt.h"

struct parse_case {
	const char	*in;
	int		 rc;
	double		 want;
};

static const struct parse_case parse_cases[] = {
	{ "12.50", 0, 12.5 },
	{ "12,50", 0, 12.5 },
	{ "12.5", 0, 12.5 },
	{ "12", 0, 12 },
	{ "0", 0, 0 },
	{ "0.00", 0, 0 },
	{ "1,234.50", 0, 1234.5 },
	{ "1.234,50", 0, 1234.5 },
	{ "1,234,567", 0, 1234567 },
	{ "1.234.567,89", 0, 1234567.89 },
	{ "1,234", 0, 1234 },
	{ "1.500", 0, 1500 },
	{ "0.125", 0, 0.125 },
	{ "1234.567", 0, 1234.567 },
	{ "PHP 12.50", 0, 12.5 },
	{ "P12.50.", 0, 12.5 },		/* end of a sentence */
	{ "12.50, valid", 0, 12.5 },
	{ "-3.20", 0, -3.2 },
	{ "Rs.45.20", 0, 45.2 },	/* a dot before the digits */
	{ "", -1, 0 },
	{ "PHP", -1, 0 },
	{ ".,", -1, 0 },
};

static void
test_parse_table(void)
{
	const struct parse_case	*c;
	double			 v;
	size_t			 i;

	for (i = 0; i < TT_NELEM(parse_cases); i++) {
		c = &parse_cases[i];
		v = -999;
		tt_int_op(amount_parse(c->in, strlen(c->in), &v), ==, c->rc);
		if (c->rc == 0 && (v < c->want - 1e-9 || v > c->want + 1e-9)) {
			tt_fail(__FILE__, __LINE__, "\"%s\": %f, want %f",
			    c->in, v, c->want);
			goto end;
		}
	}
end:
	;
}

/* Only len bytes are read: no NUL needed, nothing read past. */
static void
test_parse_len(void)
{
	double	v = 0;

	tt_int_op(amount_parse("12.509", 4, &v), ==, 0);
	tt_assert(v > 12.49 && v < 12.51);
	tt_int_op(amount_parse("abc7", 3, &v), ==, -1);
end:
	;
}

struct match_case {
	const char	*pattern;
	const char	*text;
	int		 rc;
	double		 want;
	const char	*err;
};

static const struct match_case match_cases[] = {
	{ "balance is PHP ([0-9.,]+)",
	    "Your balance is PHP 12.50 valid until 2026-12-31.", 0, 12.5,
	    NULL },
	{ "balance is PHP ([0-9.,]+)",
	    "Your balance is PHP 1,234.50.", 0, 1234.5, NULL },
	{ "[Ss]aldo:? *\\$? *([0-9.,]+)", "Su saldo: $ 3,75", 0, 3.75, NULL },
	{ "balance is PHP ([0-9.,]+)", "Service unavailable", -1, 0,
	    "the answer does not match balance_pattern" },
	{ "balance (is PHP ([0-9]+))?", "balance due", -1, 0,
	    "no amount in the matched group" },
	{ "(PHP)", "PHP only", -1, 0, "no amount in the matched group" },
};

static void
test_match_table(void)
{
	const struct match_case	*c;
	regex_t			 re;
	char			 err[128];
	const char		*why;
	double			 v;
	size_t			 i;
	int			 rc;

	for (i = 0; i < TT_NELEM(match_cases); i++) {
		c = &match_cases[i];
		tt_int_op(amount_compile(&re, c->pattern, err, sizeof err), ==,
		    0);
		why = NULL;
		v = -999;
		rc = amount_match(&re, c->text, &v, &why);
		regfree(&re);
		tt_int_op(rc, ==, c->rc);
		if (rc == 0)
			tt_assert(v > c->want - 1e-9 && v < c->want + 1e-9);
		else
			tt_str_op(why, ==, c->err);
	}
end:
	;
}

static void
test_compile_errors(void)
{
	regex_t	re;
	char	err[128];

	err[0] = '\0';
	tt_int_op(amount_compile(&re, "balance ([0-9", err, sizeof err), ==,
	    -1);
	tt_assert(err[0] != '\0');
	tt_int_op(amount_compile(&re, "balance [0-9]+", err, sizeof err), ==,
	    -1);
	tt_str_op(err, ==, "no group: put the amount in parentheses, as in "
	    "\"balance is ([0-9.,]+)\"");
end:
	;
}

static const struct tt_case cases[] = {
	{ "parse/table", test_parse_table },
	{ "parse/len", test_parse_len },
	{ "match/table", test_match_table },
	{ "compile/errors", test_compile_errors },
	TT_END
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
