/*
 * gateway/reply.c — the automatic replies, per language, with the
 * configuration's overrides.
 *
 * Built-in texts exist for English, Spanish and Tagalog.  Each names the
 * organization and says how to stop and how to get help, and each is
 * written to fit one GSM 7-bit segment (no characters outside the GSM
 * alphabet, so no UCS-2), because every reply costs the organization
 * credit.  {org}, {contact}, {list} and {keyword} are substituted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "gateway.h"

static const struct {
	const char	*lang;
	enum reply_kind	 kind;
	const char	*text;
} reply_builtin[] = {
	{ "en", REPLY_JOIN, "{org}: you are subscribed to our alerts{list}. "
	  "Text STOP to stop, INFO for help." },
	{ "en", REPLY_STOP, "{org}: you are unsubscribed and will get no more "
	  "messages. Text JOIN to subscribe again." },
	{ "en", REPLY_INFO, "{org} alerts. Contact: {contact}. Text JOIN to "
	  "subscribe, STOP to stop." },
	{ "en", REPLY_LANG, "{org}: you will get our messages in English. "
	  "Text STOP to stop, INFO for help." },
	{ "en", REPLY_NO_LIST, "{org}: there is no list called {list}. Text "
	  "JOIN to join our alerts, INFO for help." },
	{ "en", REPLY_UNKNOWN_LANG, "{org}: we could not find that language. "
	  "Text LANG EN, LANG ES or LANG TL." },
	{ "en", REPLY_FORGET, "{org}: your number and messages are deleted and "
	  "you will get no more messages. Text JOIN to subscribe again." },

	{ "es", REPLY_JOIN, "{org}: te suscribiste a nuestras alertas{list}. "
	  "Responde ALTO para no recibirlas, AYUDA para ayuda." },
	{ "es", REPLY_STOP, "{org}: ya no te enviaremos mensajes. Para volver "
	  "a suscribirte responde UNIRSE." },
	{ "es", REPLY_INFO, "Alertas de {org}. Contacto: {contact}. Responde "
	  "UNIRSE para suscribirte, ALTO para no recibirlas." },
	{ "es", REPLY_LANG, "{org}: te enviaremos los mensajes en español. "
	  "Responde ALTO para no recibirlos, AYUDA para ayuda." },
	{ "es", REPLY_NO_LIST, "{org}: no existe la lista {list}. Responde "
	  "UNIRSE para suscribirte a las alertas, AYUDA para ayuda." },
	{ "es", REPLY_UNKNOWN_LANG, "{org}: no encontramos ese idioma. Responde "
	  "IDIOMA ES, IDIOMA EN o IDIOMA TL." },
	{ "es", REPLY_FORGET, "{org}: borramos tu numero y tus mensajes y ya "
	  "no te enviaremos nada. Para volver a suscribirte responde UNIRSE." },

	{ "tl", REPLY_JOIN, "{org}: naka-subscribe ka na sa aming mga "
	  "alerto{list}. I-text ang TIGIL para huminto, TULONG para sa "
	  "tulong." },
	{ "tl", REPLY_STOP, "{org}: hindi ka na makakatanggap ng mensahe. "
	  "I-text ang SALI para sumali muli." },
	{ "tl", REPLY_INFO, "Mga alerto ng {org}. Contact: {contact}. I-text "
	  "ang SALI para sumali, TIGIL para huminto." },
	{ "tl", REPLY_LANG, "{org}: makakatanggap ka ng mga mensahe sa "
	  "Tagalog. I-text ang TIGIL para huminto, TULONG para sa tulong." },
	{ "tl", REPLY_NO_LIST, "{org}: walang listahang {list}. I-text ang "
	  "SALI para sumali sa mga alerto, TULONG para sa tulong." },
	{ "tl", REPLY_UNKNOWN_LANG, "{org}: hindi namin alam ang wikang iyon. "
	  "I-text ang WIKA TL, WIKA EN o WIKA ES." },
	{ "tl", REPLY_FORGET, "{org}: binura na namin ang numero at mga "
	  "mensahe mo at wala ka nang matatanggap. I-text ang SALI para "
	  "sumali muli." },
};

const char *
reply_kind_name(enum reply_kind k)
{
	switch (k) {
	case REPLY_JOIN:
		return "join";
	case REPLY_STOP:
		return "stop";
	case REPLY_INFO:
		return "info";
	case REPLY_LANG:
		return "lang";
	case REPLY_NO_LIST:
		return "nolist";
	case REPLY_UNKNOWN_LANG:
		return "unknown";
	case REPLY_FORGET:
		return "forget";
	}
	return "?";
}

/* The template for a language: configured, built in, then English. */
static const char *
reply_template(const struct gw *gw, const char *lang, enum reply_kind k)
{
	const char	*t;
	size_t		 i, pass;

	if ((t = gw_reply_override(gw, lang, reply_kind_name(k))) != NULL)
		return t;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < sizeof reply_builtin /
		    sizeof reply_builtin[0]; i++) {
			if (reply_builtin[i].kind == k &&
			    strcmp(reply_builtin[i].lang, lang) == 0)
				return reply_builtin[i].text;
		}
		if ((t = gw_reply_override(gw, "en", reply_kind_name(k))) !=
		    NULL)
			return t;
		lang = "en";
	}
	return "";
}

/* Append s to the buffer, growing it. */
static void
reply_append(char **buf, size_t *len, const char *s, size_t n)
{
	*buf = xreallocarray(*buf, *len + n + 1, 1);
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

char *
reply_text(const struct gw *gw, const char *lang, enum reply_kind k,
    const char *list, const char *keyword)
{
	const char	*t, *v, *close;
	char		*out = NULL, listbuf[96];
	size_t		 len = 0, n;

	t = reply_template(gw, lang && *lang ? lang : gw_language(gw), k);
	reply_append(&out, &len, "", 0);
	while (*t != '\0') {
		if (*t != '{' || (close = strchr(t, '}')) == NULL) {
			n = strcspn(t + 1, "{") + 1;
			reply_append(&out, &len, t, n);
			t += n;
			continue;
		}
		n = (size_t)(close - t - 1);
		v = NULL;
		if (n == 3 && strncmp(t + 1, "org", 3) == 0)
			v = gw_organization(gw);
		else if (n == 7 && strncmp(t + 1, "contact", 7) == 0)
			v = gw_contact(gw);
		else if (n == 4 && strncmp(t + 1, "list", 4) == 0) {
			/* "{list}" reads " (rally)" after "alerts" in the
			 * join texts, the bare name elsewhere */
			if (list == NULL || *list == '\0' ||
			    strcmp(list, "default") == 0)
				v = k == REPLY_JOIN ? "" : list ? list : "";
			else if (k == REPLY_JOIN) {
				snprintf(listbuf, sizeof listbuf, " (%s)",
				    list);
				v = listbuf;
			} else
				v = list;
		} else if (n == 7 && strncmp(t + 1, "keyword", 7) == 0)
			v = keyword ? keyword : "";
		if (v == NULL) {
			/* not a variable: keep the text as written */
			reply_append(&out, &len, t, n + 2);
		} else
			reply_append(&out, &len, v, strlen(v));
		t = close + 1;
	}
	return out;
}
