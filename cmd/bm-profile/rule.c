/*
 * Rule text: lines gathered, sorted and made unique when written, and
 * the pieces several kinds of rule share.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aastr.h"
#include "profile.h"
#include "util.h"

/*
 * "send" or "(receive, send)", from a sorted set of words; network
 * rules take the parentheses even for one.
 */
void
put_perms(struct jw *w, const struct sset *perms, int parens)
{
	size_t i;

	if (perms->n > 1 || (perms->n == 1 && parens))
		jw_puts(w, "(");
	for (i = 0; i < perms->n; i++) {
		if (i > 0)
			jw_puts(w, ", ");
		jw_puts(w, perms->s[i]);
	}
	if (perms->n > 1 || (perms->n == 1 && parens))
		jw_puts(w, ")");
}

/*
 * A path bpf-mountwatch saw is as the caller wrote it; AppArmor sees a
 * directory with a trailing slash.  {,/} takes both, and nothing more.
 */
void
put_path(struct jw *w, const char *path, int from_bpf)
{
	size_t n = strlen(path);
	struct jw t = { 0 };

	if (!from_bpf || (n > 0 && path[n - 1] == '/')) {
		aa_literal(w, path);
		return;
	}
	aa_literal(&t, path);
	if (t.buf[t.len - 1] == '"') {	/* quoted: the alternation inside */
		jw_raw(w, t.buf, t.len - 1);
		jw_puts(w, "{,/}\"");
	} else {
		jw_raw(w, t.buf, t.len);
		jw_puts(w, "{,/}");
	}
	free(t.buf);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t	rule_len(const char *);

/* An ISO 8601 UTC time of µs since the epoch. */
static void
put_time(struct jw *w, int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	jw_puts(w, buf);
}

/*
 * After a tab, what the model says of the entry behind a rule: that it
 * was learnt from denials only (asked for), and with --counts how many
 * events, first and last seen.
 */
static void
put_seen(struct jw *w, const struct entry *e)
{
	if (e != NULL && e->denied)
		jw_puts(w, "\t# learnt from denials only");
	if (e == NULL || e->count == 0)
		return;
	jw_printf(w, "%s%llu event%s", e->denied ? "; " : "\t# ",
	    (unsigned long long)e->count, e->count == 1 ? "" : "s");
	if (e->first >= 0) {
		jw_puts(w, ", first ");
		put_time(w, e->first);
	}
	if (e->last >= 0) {
		jw_puts(w, ", last ");
		put_time(w, e->last);
	}
}

void
rules_add(struct rules *r, struct jw *line)
{
	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof(*r->v), 16);
	put_seen(line, ent_current());
	jw_raw(line, "", 1);
	r->v[r->n++] = xstrdup(line->buf);
	line->len = 0;
}

/* The rule's own text: up to its comment's tab. */
static size_t
rule_len(const char *s)
{
	return strcspn(s, "\t");
}

/* Sorted, each once. */
void
rules_sort(struct rules *r)
{
	size_t i, k = 0;

	if (r->n == 0)
		return;
	qsort(r->v, r->n, sizeof(*r->v), cmp_str);
	for (i = 1; i < r->n; i++) {	/* one rule once: the first comment */
		if (rule_len(r->v[i]) == rule_len(r->v[k]) &&
		    strncmp(r->v[i], r->v[k], rule_len(r->v[k])) == 0)
			free(r->v[i]);
		else
			r->v[++k] = r->v[i];
	}
	r->n = k + 1;
}

void
rules_free(struct rules *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* "  # ---- HEADING ----" then the rules, sorted, each once. */
void
rules_put(struct jw *w, struct rules *r, const char *heading)
{
	size_t i;

	if (r->n == 0)
		return;
	rules_sort(r);
	jw_printf(w, "\n  # ---- %s ----\n", heading);
	for (i = 0; i < r->n; i++) {	/* a comment takes no comma */
		size_t n = rule_len(r->v[i]);

		jw_printf(w, "  %.*s%s%s%s\n", (int)n, r->v[i],
		    r->v[i][0] == '#' ? "" : ",", r->v[i][n] ? "  " : "",
		    r->v[i] + n + (r->v[i][n] != 0));
	}
	rules_free(r);
}
