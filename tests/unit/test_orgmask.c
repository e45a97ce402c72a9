/*
 * tests/unit/test_orgmask.c — an organizer's text that is no command
 * (gateway/orgmask.c): which texts start with a verb, the masked copy,
 * truncation at every buffer size, a NUL byte.
 */
#include <stdio.h>
#include <string.h>

#include "orgmask.h"
#include "tt.h"

struct vcase {
	const char	*text;
	int		 verb;
};

static const struct vcase verb_cases[] = {
	{ "ALERT main 2468 text", 1 },
	{ "alert", 1 },
	{ "  Urgent\tnow", 1 },
	{ "ask me", 1 },
	{ "yes", 1 },
	{ "STATUS?", 0 },		/* not the word */
	{ "status please", 1 },
	{ "CaNcEl 12", 1 },
	{ "wipe\n2468", 1 },
	{ "ALERTS are on", 0 },
	{ "hello ALERT 2468", 0 },
	{ "", 0 },
	{ "   ", 0 },
	{ "AL", 0 },
};

static void
test_verb_table(void)
{
	size_t	i;

	for (i = 0; i < sizeof verb_cases / sizeof verb_cases[0]; i++) {
		tt_int_op(orgmask_verb(verb_cases[i].text,
		    strlen(verb_cases[i].text)), ==, verb_cases[i].verb);
	}
end:
	;
}

static void
test_secret(void)
{
	tt_int_op(orgmask_secret("ALERT main 2468 x", 17), ==, 1);
	tt_int_op(orgmask_secret("YES123456", 9), ==, 1);
	tt_int_op(orgmask_secret("Yes I'm coming", 14), ==, 0);
	tt_int_op(orgmask_secret("ASK at 5th and 123 Main", 23), ==, 0);
	tt_int_op(orgmask_secret("12 34 56 78", 11), ==, 0);
	tt_int_op(orgmask_secret("1234", 3), ==, 0);	/* len counts */
	tt_int_op(orgmask_secret("", 0), ==, 0);
end:
	;
}

struct mcase {
	const char	*text;
	const char	*masked;
};

static const struct mcase mask_cases[] = {
	{ "ALERT main 2468 text", "ALERT main **** text" },
	{ "ALERT main 24681357 at 5th", "ALERT main **** at 5th" },
	{ "ALERT 123 and 4567", "ALERT 123 and ****" },
	{ "2468", "****" },
	{ "a1234b99999c", "a****b****c" },
	{ "at 5th and 12th", "at 5th and 12th" },
	{ "", "" },
	{ "CANCEL main 12", "CANCEL main 12" },
};

static void
test_mask_table(void)
{
	char	buf[64];
	size_t	i, n;

	for (i = 0; i < sizeof mask_cases / sizeof mask_cases[0]; i++) {
		n = orgmask_digits(mask_cases[i].text,
		    strlen(mask_cases[i].text), buf, sizeof buf);
		tt_str_op(buf, ==, mask_cases[i].masked);
		tt_int_op(n, ==, strlen(mask_cases[i].masked));
	}
end:
	;
}

/* every buffer size: the copy is a prefix, never written past */
static void
test_mask_short(void)
{
	static const char	 t[] = "ALERT x 2468 go 97531";
	static const char	 want[] = "ALERT x **** go ****";
	char			 buf[32];
	size_t			 k, j, n;

	for (k = 0; k < sizeof buf; k++) {
		memset(buf, 'x', sizeof buf);
		n = orgmask_digits(t, sizeof t - 1, buf, k);
		tt_int_op(n, ==, sizeof want - 1);
		if (k > 0) {
			tt_int_op(strlen(buf), ==, n < k ? n : k - 1);
			tt_assert(strncmp(buf, want, strlen(buf)) == 0);
		} else
			tt_int_op(buf[0], ==, 'x');
		for (j = k; j < sizeof buf; j++)
			tt_int_op(buf[j], ==, 'x');
	}
end:
	;
}

static void
test_mask_nul(void)
{
	static const char	 t[] = "ALERT 12\0" "345678";
	char			 buf[32];

	tt_int_op(orgmask_digits(t, sizeof t - 1, buf, sizeof buf), ==, 8);
	tt_str_op(buf, ==, "ALERT 12");
	tt_int_op(orgmask_verb(t, sizeof t - 1), ==, 1);
end:
	;
}

static const struct tt_case cases[] = {
	{ "verb/table", test_verb_table },
	{ "secret/runs", test_secret },
	{ "mask/table", test_mask_table },
	{ "mask/short", test_mask_short },
	{ "mask/nul", test_mask_nul },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return tt_main(argc, argv, cases);
}
