/*
 * What --event, --mode, --profile, --since and --until let through, by
 * the event's own record; --pid, --uid, --comm and --exe, by the whole
 * event, its context joined.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "evtparse.h"
#include "labels.h"
#include "util.h"

struct stats	stats;		/* counted where lines, records and events go */
struct opts	opts = { EV_APPARMOR | EV_SECCOMP, NULL, NULL, -1, -1, 0,
    NULL, NULL, NULL, NULL, 0, 0 };

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

/* The profiles --profile passed over, for the message when none matched. */
static struct labels	unwanted;

void
profiles_passed_over(char *buf, size_t size)
{
	const char *const *names;
	size_t n = labels_sorted(&unwanted, &names);

	names_text(names, n, buf, size);
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
	labels_add(&unwanted, p, n);
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

/* The event's field key is one of list; one without it is not. */
static int
field_in(const struct event *ev, const char *key, char **list)
{
	char buf[4096];
	const char *v = event_text(ev, key, buf, sizeof(buf));

	return v != NULL && str_in((const char *const *)list, v);
}

int
event_passes(const struct event *ev)
{
	/* an AppArmor record without its SYSCALL has fsuid, not uid */
	const char *uid = event_field(ev, "uid") ? "uid" : "fsuid";

	if ((opts.pids == NULL || field_in(ev, "pid", opts.pids)) &&
	    (opts.uids == NULL || field_in(ev, uid, opts.uids)) &&
	    (opts.comms == NULL || field_in(ev, "comm", opts.comms)) &&
	    (opts.exes == NULL || field_in(ev, "exe", opts.exes)))
		return 1;
	stats.filtered++;
	if (ev->kind == EV_APPARMOR)
		stats.apparmor--;
	else
		stats.seccomp--;
	return 0;
}
