/* An event's fields by name, and their values as written out. */
#include <string.h>

#include "evtparse.h"

/* The event's field k, or NULL: the first, as it is written out. */
const struct efield *
event_field(const struct event *ev, const char *k)
{
	size_t i, n = strlen(k);

	for (i = 0; i < ev->nf; i++)
		if (ev->f[i].kl == n && memcmp(ev->text + ev->f[i].k, k, n) == 0)
			return &ev->f[i];
	return NULL;
}

size_t
event_value(const struct event *ev, const struct efield *f, char *buf,
    size_t size)
{
	const char *k = ev->text + f->k, *v = ev->text + f->v;
	size_t n = f->vl;

	if (!(f->flags & (F_QUOTED | F_ENRICHED)) &&
	    is_hex_string_key(k, f->kl) && n / 2 <= size &&
	    (n = hex_decode(v, f->vl, buf)) > 0)
		return n;
	n = f->vl < size ? f->vl : size;
	memcpy(buf, v, n);
	return n;
}

/* event_value of key as a C string in buf; NULL if absent or NUL in it. */
const char *
event_text(const struct event *ev, const char *key, char *buf, size_t size)
{
	const struct efield *f = event_field(ev, key);
	size_t n;

	if (f == NULL || size == 0)
		return NULL;
	n = event_value(ev, f, buf, size - 1);
	if (memchr(buf, '\0', n) != NULL)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/* A seccomp event's action, named from its code=; "-" if it has none. */
const char *
event_action(const struct event *ev)
{
	char code[32];
	unsigned long c;
	const char *name;

	if (event_text(ev, "code", code, sizeof(code)) != NULL &&
	    parse_hex(code, strlen(code), &c) &&
	    (name = seccomp_action(c)) != NULL)
		return name;
	return "-";
}
