/* What --event, --mode, --profile, --since and --until let through. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "evtparse.h"
#include "hash.h"
#include "util.h"

struct opts	opts = { EV_APPARMOR | EV_SECCOMP, NULL, NULL, -1, -1, 0 };

static int
mode_wanted(const char *mode, size_t len)
{
	char **m;

	if (opts.modes == NULL)
		return 1;
	for (m = opts.modes; *m != NULL; m++)
		if (strlen(*m) == len && strncasecmp(*m, mode, len) == 0)
			return 1;
	return 0;
}

static const struct kv *
profile_field(const struct kvs *fs)
{
	const struct kv *f;

	if ((f = kv_get(fs, "profile")) == NULL &&
	    (f = kv_get(fs, "label")) == NULL)
		f = kv_get(fs, "subj");
	return f;
}

/*
 * The profiles --profile passed over, each once, for the message that
 * says what there was when nothing matched: a few names are enough.
 */
#define UNWANTED_SHOWN	10
static struct htab	 unwanted_set;
static char		*unwanted[UNWANTED_SHOWN];
static size_t		 nunwanted, unwanted_more;

static void
note_unwanted(const char *label, size_t n)
{
	const char *sep = memmem(label, n, "//", 2);
	char *name;

	if (sep != NULL)
		n = (size_t)(sep - label);
	if ((n == 10 && memcmp(label, "unconfined", 10) == 0) ||
	    htab_sget(&unwanted_set, label, n) != NULL)
		return;
	if (nunwanted == UNWANTED_SHOWN) {
		unwanted_more++;
		name = xmemdup(label, n);	/* known from now on */
	} else {
		name = unwanted[nunwanted++] = xmemdup(label, n + 1);
		name[n] = '\0';
	}
	htab_sput(&unwanted_set, name, n, name);
}

/* "a, b and 3 more" of the profiles passed over; "" if none. */
void
profiles_passed_over(char *buf, size_t size)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < nunwanted && at < size; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%s",
		    i ? ", " : "", unwanted[i]);
	if (unwanted_more > 0 && at < size)
		snprintf(buf + at, size - at, " and %zu more", unwanted_more);
}

/* NAME itself or a child NAME//...; labels may be hex-encoded. */
static int
profile_wanted(const struct kvs *fs)
{
	const struct kv *f;
	char buf[4096];
	const char *p;
	size_t n, want;

	if (opts.profile == NULL)
		return 1;
	if ((f = profile_field(fs)) == NULL)
		return 0;
	p = f->val;
	n = f->vlen;
	if (!(f->flags & F_QUOTED) && n <= 2 * sizeof(buf) &&
	    (want = hex_decode(p, n, buf)) > 0) {
		p = buf;
		n = want;
	}
	if (n > 2 && p[n - 1] == ')' && memchr(p, ' ', n) != NULL)
		n = (size_t)((const char *)memrchr(p, ' ', n) - p);
	want = strlen(opts.profile);
	if (n >= want && memcmp(p, opts.profile, want) == 0 &&
	    (n == want || (n > want + 1 && p[want] == '/' && p[want + 1] == '/')))
		return 1;
	note_unwanted(p, n);
	return 0;
}

int
time_wanted(long long ms)
{
	return (opts.since_ms < 0 || ms >= opts.since_ms) &&
	    (opts.until_ms < 0 || ms < opts.until_ms);
}

/* Is this event wanted?  mode is the AppArmor mode or seccomp action. */
int
event_wanted(int kind, const char *mode, size_t modelen,
    const struct record *r, const struct kvs *fs)
{
	return (opts.events & kind) && mode_wanted(mode, modelen) &&
	    profile_wanted(fs) && time_wanted(r->sec * 1000 + r->ms);
}
