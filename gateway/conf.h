/*
 * gateway/conf.h — the configuration of tambulid, parsed from an INI file.
 * Pure: no I/O, no logging; the caller reads the file and passes the
 * bytes.  Allocates: strings in struct conf and the error list are
 * malloc'd (x* allocators), freed with conf_free() and conf_free_errors().
 *
 *	[gateway]
 *	organization = Migrant Alliance
 *	forward = +14155550100, +14155550101
 *	[keywords]
 *	join = SUSCRIBIR:es, ENTRAR
 *	[reply es]
 *	join = "Bienvenido a {org}. STOP para salir."
 *	[modem sim1]
 *	device = /dev/serial/by-id/usb-Quectel_EC25-if02
 *
 * Lines are `[section]`, `[section NAME]`, `key = value`, blank, or a
 * comment starting with '#' or ';'.  A '#' or ';' that follows whitespace
 * starts a comment after a value too; quote the value ("...", with \" \\
 * and \n) to keep it, or to keep leading and trailing spaces.  Every
 * directive is defined once in the table in conf.c (type, range, default,
 * help).  The parser collects every error as "FILE:LINE: message" and
 * fails at the end.
 */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>

#define CONF_MODEMS_MAX		16
#define CONF_REPLIES_MAX	16	/* [reply LANG] sections */
#define CONF_NAME_MAX		32	/* modem name, NUL included */
#define CONF_LINE_MAX		4096	/* bytes in a line, without the LF */
#define CONF_ERRORS_MAX		50	/* then "too many errors" and stop */

/* encoding = ... */
enum conf_encoding {
	CONF_ENC_SMART = 0,	/* GSM 7-bit, typographic look-alikes */
	CONF_ENC_EXACT = 1,	/* never change a character */
	CONF_ENC_STRIP_ACCENTS = 2,	/* also drop accents to stay 7-bit */
};

/* A comma-separated list of phone numbers, each "+" and digits. */
struct conf_numbers {
	char	**v;
	size_t	  n;
};

/* [keywords]: extra words, each with an optional language ("" = any). */
struct conf_keyword {
	char	*word;
	char	 lang[4];
};

struct conf_keywords {
	struct conf_keyword	*v;
	size_t			 n;
};

/* [reply LANG]: templates; NULL when not set (use the built-in text). */
struct conf_reply {
	char	 code[4];	/* "es" */
	int	 line;		/* of the section header */
	char	*join;
	char	*stop;
	char	*info;
	char	*lang;		/* answer to the LANG keyword */
	char	*unknown;	/* answer to a text that is no keyword */
};

struct conf_modem {
	char		 name[CONF_NAME_MAX];
	int		 line;		/* of the section header, 0 if -m */
	char		*device;
	int		 baud;
	char		*pin;		/* NULL: no PIN */
	int		 per_minute;	/* caps: 0 = none */
	int		 per_hour;
	int		 per_day;
	long long	 spacing;	/* seconds between submissions */
	int		 rtscts;
	int		 reports;	/* delivery reports (default: gateway) */
	struct conf_numbers number;	/* the SIM's own number (0 or 1) */
	/* credit watch: NULL / -1 when not set */
	char		*balance;	/* USSD code, "*100#" */
	char		*balance_pattern;	/* POSIX ERE, group 1 the amount */
	double		 balance_low;	/* threshold, -1: none */
	long long	 balance_every;	/* seconds between checks */
};

struct conf {
	/* [gateway] */
	char		*database;
	char		*socket;
	char		*organization;
	char		*contact;
	int		 country;	/* calling code for national numbers */
	char		 language[4];
	long long	 retention;	/* seconds */
	int		 encoding;	/* enum conf_encoding */
	long long	 validity;	/* seconds */
	long long	 expires;	/* seconds */
	long long	 poll_window;	/* seconds answers are taken */
	int		 autoreply_limit;	/* per number per hour */
	struct conf_numbers forward;
	int		 reports;
	char		*group;		/* "" = tambuli, if it exists */
	char		*user;		/* to become when started as root */
	long long	 client_timeout;	/* idle control clients, seconds */
	int		 set_clock;	/* from the network when unsynchronized */
	int		 debug_numbers;	/* full numbers in debug lines to the
					 * journal too */

	/* [keywords] */
	struct conf_keywords kw_join;
	struct conf_keywords kw_stop;
	struct conf_keywords kw_info;
	struct conf_keywords kw_forget;

	struct conf_reply replies[CONF_REPLIES_MAX];
	size_t		 nreplies;

	struct conf_modem modems[CONF_MODEMS_MAX];
	size_t		 nmodems;
};

/* Fill c with every default (and no modem). */
void	 conf_defaults(struct conf *c);

/*
 * Parse len bytes of buf (NUL bytes allowed: they are errors) named file
 * in messages.  Returns 0 with out filled (defaults where the file says
 * nothing; *errors NULL, *nerrors 0), or -1 with out emptied (as after
 * conf_free) and *errors an allocated list of *nerrors messages
 * "FILE:LINE: message", in line order.
 */
int	 conf_parse(const char *file, const char *buf, size_t len,
	    struct conf *out, char ***errors, size_t *nerrors);

/*
 * Add a modem on device (an absolute path) with default settings and the
 * first free name "modem1", "modem2"...: for `tambulid -m DEVICE`.
 * Returns 0, or -1 with *err (too many modems, bad path, device already
 * configured).
 */
int	 conf_add_modem(struct conf *c, const char *device, const char **err);

/* The [reply LANG] section for code, or NULL. */
const struct conf_reply *conf_reply_find(const struct conf *c,
	    const char *code);

/* The languages known to [reply LANG], keyword suffixes and language. */
int	 conf_lang_valid(const char *code);

void	 conf_free(struct conf *c);
void	 conf_free_modems(struct conf *c);

/*
 * conf_file.c: read and parse path.  A missing file gives the defaults
 * unless named; errors go to stderr, each "file:line: message" (others
 * prefixed with prog).  Returns 0, or -1 with c freed (conf_free: nothing
 * left to free, freeing it again is harmless).
 */
int	 conf_file_load(const char *path, int named, const char *prog,
	    struct conf *c);
void	 conf_free_errors(char **errors, size_t nerrors);

#endif
