/*
 * One input value: an event from aa-evtparse or bpf-mountwatch, or a
 * whole model.  Filters, then the kind's own reader.
 */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"
#include "labels.h"
#include "learn.h"
#include "util.h"

static char	*least_name;

/* "time" in µs since the epoch; -1 when absent or not a time. */
static int64_t
get_time(struct event *ev, const struct src *src, int *bad)
{
	const struct jf_val *v = event_member(ev, M_TIME);

	if (v == NULL || v->type == JF_NULL)
		return -1;
	if (v->type == JF_NUMBER && v->num >= 0 && v->num < 9e12)
		return llround(v->num * 1e6);
	if (!*bad)
		bad_input(src->file, src->line,
		    "field \"time\": expected seconds since the epoch");
	*bad = 1;
	return -1;
}

/* NAME itself, or one of its children NAME//... */
static int
profile_match(const char *label)
{
	size_t n = strlen(learn_opts.profile);

	return strncmp(label, learn_opts.profile, n) == 0 &&
	    (label[n] == '\0' || strncmp(label + n, "//", 2) == 0);
}

/* The event's number KEY is in the list (of decimal strings). */
static int
num_in(struct event *ev, enum member key, char **list,
    const struct src *src, int *bad)
{
	long long v = 0;
	char num[24];

	if (!get_num(ev, key, &v, src, bad))
		return 0;
	snprintf(num, sizeof(num), "%lld", v);
	return str_in((const char *const *)list, num);
}

/*
 * --comm, --exe, --pid, --ses: the event must carry the field and match.
 * Returns 1 when the event passes, 0 when it is filtered out.
 */
static int
process_passes(struct event *ev, const struct src *src, int *bad)
{
	const char *comm = get_str(ev, M_COMM, src, bad);
	const char *exe = get_str(ev, M_EXE, src, bad);

	if (learn_opts.comms && (comm == NULL || !str_in((const char *const *)learn_opts.comms, comm)))
		return 0;
	if (learn_opts.exes && (exe == NULL || !str_in((const char *const *)learn_opts.exes, exe)))
		return 0;
	if (learn_opts.pids && !num_in(ev, M_PID, learn_opts.pids, src, bad))
		return 0;
	if (learn_opts.sessions &&
	    !num_in(ev, M_SES, learn_opts.sessions, src, bad))
		return 0;
	return 1;
}

/*
 * With --profile, an event belongs by its AppArmor label; one without
 * a label belongs only when --comm, --exe or --pid picked it.
 */
static int
profile_passes(int kind, const char *label)
{
	if (learn_opts.profile == NULL)
		return 1;
	if (kind == EV_APPARMOR && label != NULL)
		return profile_match(label);
	if (label != NULL && strcmp(label, "unconfined") != 0)
		return profile_match(label);
	if (learn_opts.comms || learn_opts.exes || learn_opts.pids ||
	    learn_opts.sessions)
		return 1;
	learn_stats.unattributed++;
	return 0;
}

/* The label a seccomp record's task ran under: "name (enforce)". */
static const char *
subj_label(const char *subj)
{
	const char *sp;

	if (subj == NULL || (sp = strstr(subj, " (")) == NULL)
		return subj;
	return obs_strdup(subj, (size_t)(sp - subj));
}

static int
kind_of(const char *event)
{
	if (strcmp(event, "apparmor") == 0)
		return EV_APPARMOR;
	if (strcmp(event, "seccomp") == 0)
		return EV_SECCOMP;
	if (strcmp(event, "mount") == 0 || strcmp(event, "namespace") == 0 ||
	    strcmp(event, "stats") == 0)
		return EV_MOUNT;
	return 0;
}

/*
 * Records lost before they reached us, whatever the filters: from
 * bpf-mountwatch (a count of mount events) or from the audit log
 * (aa-evtparse: a report of the kernel or auditd, with a source).
 */
static int
ingest_lost(struct event *ev, const struct src *src)
{
	long long count;
	int bad = 0, audit = get_str(ev, M_SOURCE, src, &bad) != NULL;

	if (!get_num(ev, M_COUNT, &count, src, &bad) || count < 0)
		count = 0;
	if (bad)
		return -1;
	if (audit) {
		learn_stats.lost_reports++;
		learn_stats.lost_records += (unsigned long)count;
	} else
		learn_stats.lost_upstream += (unsigned long)count;
	return 2;
}

/* The profiles of the events seen, and of those that passed the filters. */
static struct labels	seen_roots, kept_roots;

static void
note_root(struct labels *l, const char *label)
{
	if (label != NULL)
		labels_add(l, label, strlen(label));
}

size_t
learn_profiles(int kept, const char *const **names)
{
	return labels_sorted(kept ? &kept_roots : &seen_roots, names);
}

/* Filters, then the reader of the kind; 1 when something was learnt. */
static int
ingest_event(struct event *ev, const char *event, const struct src *src)
{
	int kind = kind_of(event), bad = 0, ok, rc;
	const char *label = NULL;

	if (strcmp(event, "lost") == 0)
		return ingest_lost(ev, src);
	if (kind == 0) {
		bad_input(src->file, src->line, "unknown event kind \"%s\"",
		    event);
		return -1;
	}
	if (!(learn_opts.events & kind))
		return 0;
	obs_time = get_time(ev, src, &bad);
	if (kind == EV_APPARMOR) {
		label = get_str(ev, M_PROFILE, src, &bad);
		if (label == NULL)
			label = get_str(ev, M_LABEL, src, &bad);
	} else if (kind == EV_SECCOMP)
		label = subj_label(get_str(ev, M_SUBJ, src, &bad));
	ok = process_passes(ev, src, &bad);
	if (bad)
		return -1;
	if (learn_opts.origin) {
		obs_profile = label;
		if ((obs_program = get_str(ev, M_EXE, src, &bad)) == NULL)
			obs_program = get_str(ev, M_COMM, src, &bad);
	}
	/* bpf-mountwatch's stats and namespace lines model nothing */
	if (kind == EV_MOUNT && strcmp(event, "mount") != 0)
		return ingest_mount(ev, src);
	note_root(&seen_roots, label);
	if (!ok || !profile_passes(kind, label))
		return 0;
	learn_stats.matched++;
	if (kind == EV_APPARMOR)
		rc = ingest_apparmor(ev, src, label);
	else if (kind == EV_SECCOMP)
		rc = ingest_seccomp(ev, src);
	else
		rc = ingest_mount(ev, src);
	if (rc > 0)
		note_root(&kept_roots, label);
	return rc;
}

static void
take(struct obs *o, const struct model_at *at, void *arg)
{
	(void)at;
	(void)arg;
	model_add(learned, o);
}

struct broad_look {
	const struct src	*src;
	int			 n;
};

/* With --refuse-broad: each broad entry said, and counted. */
static void
find_broad(struct obs *o, const struct model_at *at, void *arg)
{
	struct broad_look *b = arg;
	const char *why = broad_entry(o);
	char where[128];

	if (why == NULL)
		return;
	model_where(at, where, sizeof(where));
	warnx("%s:%lu: %s: broad: %s", b->src->file, b->src->line, where,
	    why);
	b->n++;
}

/*
 * A whole model: its entries are taken as they are (paths were
 * generalised when it was made).  An entry with a field of the wrong
 * type is reported by its JSON path and left out.  With --refuse-broad,
 * a model with a broad entry is left out whole.
 */
static void
ingest_model(cJSON *v, const struct src *src)
{
	struct model_src ms = { src->file, src->line, 0, 0 };
	struct model_src look = { src->file, src->line, 0, 1 };
	const char *name = model_name_of(v);
	struct broad_look broad = { src, 0 };

	if (learn_opts.refuse_broad &&
	    model_read(v, &look, find_broad, &broad) > 0 && broad.n > 0) {
		bad_input(src->file, src->line, "a model with %d broad "
		    "entr%s: refused whole (--refuse-broad)", broad.n,
		    broad.n == 1 ? "y" : "ies");
		return;
	}
	if (model_read(v, &ms, take, NULL) < 0)
		return;
	learn_stats.models++;
	if (name != NULL && (least_name == NULL ||
	    strcmp(name, least_name) < 0)) {
		free(least_name);
		least_name = xstrdup(name);
	}
}

/* After the input: what was lost before it reached us, said once. */
void
learn_warn_lost(void)
{
	if (learn_stats.lost_upstream > 0)
		warnx("bpf-mountwatch lost %lu events before they reached us: "
		    "bpf.mounts may miss some", learn_stats.lost_upstream);
	if (learn_stats.lost_reports > 0)
		warnx("the audit log reports %lu losses (%lu records counted) "
		    "before it was written: the model may miss calls; see "
		    "aa-evtparse(1), LOST RECORDS", learn_stats.lost_reports,
		    learn_stats.lost_records);
}

const char *
learned_name(void)
{
	return least_name;
}

void
learn_free(void)
{
	children_free();
	model_free(learned);
	learned = NULL;
	free(least_name);
	least_name = NULL;
	labels_free(&seen_roots);
	labels_free(&kept_roots);
}

void
ingest_file(const char *path)
{
	struct jsonin ji;
	struct src src = { path, 0 };
	struct event ev;
	cJSON *v;

	if (ji_open(&ji, path) < 0) {
		bad_file(path);
		return;
	}
	event_init(&ev);
	while (ji_next_flat(&ji, &ev.m, &v, &src.line)) {
		if (v != NULL)
			event_from_tree(&ev, v);
		ingest(&ev, &src);
		jf_clear(&ev.m);
		ev.tree = NULL;
	}
	event_free(&ev);
	ji_close(&ji);
}

void
ingest(struct event *ev, const struct src *src)
{
	const struct jf_val *event = event_member(ev, M_EVENT);
	int rc;

	learn_stats.values++;
	if (ev->tree != NULL && !cJSON_IsObject(ev->tree)) {
		bad_input(src->file, src->line, "not a JSON object");
		return;
	}
	if (event_member(ev, M_KIND) != NULL ||
	    event_member(ev, M_APIVERSION) != NULL) {
		if (learn_opts.events & EV_MODEL)
			ingest_model(ev->tree, src);
		else
			learn_stats.filtered++;
		return;
	}
	if (event == NULL)
		rc = (bad_input(src->file, src->line,
		    "neither an event nor a model: no \"event\" field"), -1);
	else if (event->type != JF_STRING)
		rc = (bad_input(src->file, src->line,
		    "field \"event\": expected a string"), -1);
	else
		rc = ingest_event(ev, event->s, src);
	if (rc > 0)
		obs_commit();
	else
		obs_drop();
	if (rc == 0)
		learn_stats.filtered++;
}
