/*
 * An event as one JSON object: its own record's fields in log order,
 * then the context records' fields it did not have.  Where the same key
 * comes twice the first value stands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtparse.h"
#include "jsonw.h"
#include "modes.h"
#include "util.h"

static struct jw	 jw;
static char		*scratch;
static size_t		 scratchcap;

static char *
scratch_for(size_t n)
{
	if (n > scratchcap) {
		scratchcap = n > 4096 ? n : 4096;
		scratch = xrealloc(scratch, scratchcap);
	}
	return scratch;
}

/*
 * Each key once per object, whether it came from the log or from us: a
 * crafted record cannot add a second "action" or "apparmor".
 */
static struct htab	 claimed;	/* the keys of the object being written */

static void
claims_reset(void)
{
	htab_clear(&claimed);
}

static int
claim(const char *k, size_t n)
{
	return htab_sadd(&claimed, k, n, (void *)k);
}

static int
put_key(const char *k, size_t n)
{
	if (!claim(k, n))
		return 0;
	jw_key_plain(&jw, k, n);	/* kv_parse takes no other key */
	return 1;
}

#define key_is(ev, f, lit) ((f)->kl == sizeof(lit) - 1 && \
	memcmp((ev)->text + (f)->k, lit, sizeof(lit) - 1) == 0)

/* A number only where the key holds numbers: the type is the key's. */
static void
str_or_number(const char *k, size_t kl, const char *v, size_t n, int quoted)
{
	long long num;

	if (!quoted && parse_long(v, n, &num) && !is_string_key(k, kl))
		jw_int(&jw, num);
	else
		jw_str(&jw, v, n);
}


static void
named_number(const char *key, const char *name, long long nr)
{
	char unknown[32];

	if (name == NULL) {
		snprintf(unknown, sizeof(unknown), "unknown(%lld)", nr);
		name = unknown;
	}
	jw_str(&jw, name, strlen(name));
	if (put_key(key, strlen(key)))
		jw_int(&jw, nr);
}

/* What the fields of an event mean beside themselves. */
struct facts {
	int	machine;	/* of its arch=, for syscall names */
	int	netlink;	/* a netlink socket's */
	int	label_names;	/* label= is who did it: there is no profile= */
};

/* The facts, in one look at the fields: each event pays it. */
static void
facts_of(const struct event *ev, struct facts *x)
{
	const struct efield *f;
	unsigned long arch;
	size_t i;
	int arch_seen = 0, family_seen = 0;

	x->machine = -1;
	x->netlink = 0;
	x->label_names = 1;
	for (i = 0; i < ev->nf; i++) {
		f = &ev->f[i];
		if (!arch_seen && key_is(ev, f, "arch")) {
			arch_seen = 1;
			if (parse_hex(ev->text + f->v, f->vl, &arch))
				arch_name(arch, &x->machine);
		} else if (!family_seen && key_is(ev, f, "family")) {
			family_seen = 1;
			x->netlink = f->vl == 7 &&
			    memcmp(ev->text + f->v, "netlink", 7) == 0;
		} else if (key_is(ev, f, "profile"))
			x->label_names = 0;
	}
}

static void
emit_field(const struct event *ev, const struct efield *f,
    const struct facts *x)
{
	const char *k = ev->text + f->k, *v = ev->text + f->v, *name;
	int quoted = f->flags & F_QUOTED, m, machine = x->machine;
	unsigned long hex;
	long long nr;
	size_t n, i;

	if (key_is(ev, f, "type"))
		return;
	/* dbus names the subject label=, every other event profile= */
	if (x->label_names && key_is(ev, f, "label"))
		k = "profile", n = 7;
	else
		n = f->kl;
	if (!put_key(k, n))
		return;
	if (f->flags & F_ENRICHED) {
		jw_str(&jw, v, f->vl);
	} else if (!quoted && is_hex_string_key(k, f->kl) &&
	    (n = hex_decode(v, f->vl, scratch_for(f->vl))) > 0) {
		if (key_is(ev, f, "proctitle"))	/* argv, NUL separated */
			for (i = 0; i < n; i++)
				if (scratch[i] == '\0')
					scratch[i] = ' ';
		jw_str(&jw, scratch, n);
	} else if (!quoted && key_is(ev, f, "protocol") &&
	    parse_long(v, f->vl, &nr)) {
		named_number("protocol_nr", protocol_name((long)nr,
		    x->netlink), nr);
	} else if (!quoted && key_is(ev, f, "syscall") &&
	    parse_long(v, f->vl, &nr)) {
		named_number("syscall_nr", syscall_name((long)nr, machine), nr);
	} else if (!quoted && key_is(ev, f, "arch") &&
	    parse_hex(v, f->vl, &hex) && (name = arch_name(hex, &m)) != NULL) {
		jw_str(&jw, name, strlen(name));
		if (put_key("arch_raw", 8))
			jw_str(&jw, v, f->vl);
	} else if (ev->kind == EV_SECCOMP && key_is(ev, f, "code") &&
	    parse_hex(v, f->vl, &hex) && (name = seccomp_action(hex)) != NULL) {
		jw_str(&jw, v, f->vl);
		if (put_key("action", 6))
			jw_str(&jw, name, strlen(name));
	} else {
		str_or_number(k, f->kl, v, f->vl, quoted);
	}
}

/* "time" with milliseconds, and "serial" where the log gave one. */
static void
put_when(long long sec, int ms, int has_id, unsigned long serial)
{
	char num[4];

	put_key("time", 4);
	jw_int(&jw, sec);
	num[0] = '.';
	num[1] = (char)('0' + ms / 100 % 10);
	num[2] = (char)('0' + ms / 10 % 10);
	num[3] = (char)('0' + ms % 10);
	jw_raw(&jw, num, 4);
	if (has_id && put_key("serial", 6))
		jw_int(&jw, (long long)serial);
}

/*
 * Events written, by kind and mode (--metrics): the modes AppArmor and
 * seccomp have, and one for any other a log may hold, so that a crafted
 * log cannot make a label of every word.
 */
static unsigned long	by_mode[2][16];

static void
tally(const struct event *ev)
{
	const char *const *known = ev->kind == EV_APPARMOR ? apparmor_modes :
	    seccomp_actions;
	char mode[32];
	size_t n;
	int i;

	if (ev->kind == EV_APPARMOR) {
		n = ev->modelen < sizeof(mode) - 1 ? ev->modelen :
		    sizeof(mode) - 1;
		memcpy(mode, ev->text + ev->mode, n);
		mode[n] = '\0';
	} else
		snprintf(mode, sizeof(mode), "%s", event_action(ev));
	for (i = 0; known[i] != NULL && strcmp(known[i], mode) != 0; i++)
		;
	by_mode[ev->kind == EV_SECCOMP][i]++;
}

void
emit_counts(void (*fn)(const char *kind, const char *mode,
    unsigned long n))
{
	int k, i;

	for (k = 0; k < 2; k++) {
		const char *const *known = k ? seccomp_actions : apparmor_modes;

		for (i = 0; known[i] != NULL; i++)
			if (by_mode[k][i] > 0)
				fn(k ? "seccomp" : "apparmor", known[i],
				    by_mode[k][i]);
		if (by_mode[k][i] > 0)
			fn(k ? "seccomp" : "apparmor", "other", by_mode[k][i]);
	}
}

void
emit_event(const struct event *ev)
{
	struct facts x;
	size_t i;

	tally(ev);
	if (opts.summary || opts.text) {
		(opts.summary ? summary_event : text_event)(ev);
		return;
	}
	facts_of(ev, &x);
	claims_reset();
	jw_begin(&jw);
	put_key("event", 5);
	if (ev->kind == EV_APPARMOR) {
		jw_str(&jw, "apparmor", 8);
		put_key("apparmor", 8);
		jw_str(&jw, ev->text + ev->mode, ev->modelen);
	} else {
		jw_str(&jw, "seccomp", 7);
	}
	put_when(ev->sec, ev->ms, ev->has_id, ev->serial);
	if (ev->nodelen > 0 && put_key("node", 4))
		jw_str(&jw, ev->text + ev->node, ev->nodelen);
	for (i = 0; i < ev->nf; i++)
		emit_field(ev, &ev->f[i], &x);
	jw_end(&jw);
}

static void
put_said(const char *key, long long v)
{
	if (v >= 0 && put_key(key, strlen(key)))
		jw_int(&jw, v);
}

/* Loss reports by reason (lost.c's own words: a few). */
static struct {
	const char	*reason;
	unsigned long	 reports, records;
} lost_by[16];

static void
tally_lost(const struct lost *l)
{
	size_t i;

	for (i = 0; i < 15 && lost_by[i].reason != NULL &&
	    strcmp(lost_by[i].reason, l->reason) != 0; i++)
		;
	if (lost_by[i].reason == NULL)
		lost_by[i].reason = i < 15 ? l->reason : "other";
	lost_by[i].reports++;
	if (l->count > 0)
		lost_by[i].records += (unsigned long)l->count;
}

static int
cmp_reason(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;

	return x == NULL ? (y != NULL) : y == NULL ? -1 : strcmp(x, y);
}

void
emit_lost_counts(void (*fn)(const char *reason, unsigned long reports,
    unsigned long records))
{
	size_t i;

	qsort(lost_by, 16, sizeof(lost_by[0]), cmp_reason);	/* by name */
	for (i = 0; i < 16 && lost_by[i].reason != NULL; i++)
		fn(lost_by[i].reason, lost_by[i].reports, lost_by[i].records);
}

void
emit_lost(const struct lost *l)
{
	tally_lost(l);
	if (opts.summary || opts.text) {
		(opts.summary ? summary_lost : text_lost)(l);
		return;
	}
	claims_reset();
	jw_begin(&jw);
	put_key("event", 5);
	jw_str(&jw, "lost", 4);
	if (l->sec >= 0)	/* dmesg before any record: no time known */
		put_when(l->sec, l->ms, l->has_id, l->serial);
	if (l->nodelen > 0 && put_key("node", 4))
		jw_str(&jw, l->node, l->nodelen);
	put_key("source", 6);
	jw_str(&jw, l->source, strlen(l->source));
	put_key("reason", 6);
	jw_str(&jw, l->reason, strlen(l->reason));
	put_said("count", l->count);
	put_said("total", l->total);
	put_said("rate_limit", l->rate_limit);
	put_said("backlog", l->backlog);
	put_said("backlog_limit", l->backlog_limit);
	jw_end(&jw);
}
