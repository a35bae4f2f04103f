/*
 * A file path as the AppArmor pattern the model keeps.  Characters that
 * AppArmor reads as globs (* ? [ ] { } ^ \) are escaped, so a path that
 * holds them literally never widens into a glob.  With generalisation,
 * parts that change from run to run become globs:
 *
 *   /proc/<digits>/...		every all-digit component under /proc: *
 *   .../snapshots/<digits>/...	containerd snapshot ids: *
 *   <libdir>/NAME.so[.N...]	read or mapped shared objects in the
 *				library directories (/lib, /usr/lib, their
 *				32/64/x32 and multiarch subdirectories,
 *				/usr/local/lib and /usr/local/lib64) become
 *				the one pattern <libdir>/ *.so* (without
 *				the space)
 * and, within any component, the random-looking parts between the
 * separators . - _ + ~ : @ = , and space, each character as a class of
 * its kind, so the pattern keeps the part's length ([0-9] for a digit,
 * [0-9a-f] for a hex digit, [a-zA-Z0-9] for a letter of a mixed name;
 * separators inside the part stay as they are):
 *   a UUID (8-4-4-4-12 hex digits)
 *   a run of number parts with 6 or more digits in all
 *	(pids, timestamps, dates: app-2026-11-23.log)
 *   16 or more hex digits (container, overlay and content ids)
 *   8 or more letters and digits with at least two each of upper case,
 *	lower case and digits (mkstemp and base64-ish names)
 *   16 or more letters and digits of which a quarter or more are digits
 *
 * A workload names its own files, so it could steer a generalised
 * pattern into wide access (write libpwn.so.1 for a rule on every
 * library).  Hence: a file's own name is generalised only where the
 * access is a read, or created the file (a pattern in a directory the
 * workload makes files in); a write to a file it did not create keeps
 * its name, and may generalise only the directories above it; nothing
 * is generalised in the system's own directories (/etc, /usr, /bin,
 * /sbin, /boot, /root, /lib*, /var/lib/dpkg, /var/spool/cron, and any
 * .ssh); and <libdir>/ *.so* is only for reads.
 *
 * A part that is one of ids, the pids of the workload's processes
 * (pidpath.c), becomes [0-9]*, whatever the access: out.1234 is a name
 * the next run makes as out.1301.  Still not in the system's
 * directories.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "aastr.h"
#include "hash.h"
#include "jsonw.h"
#include "learn.h"
#include "util.h"


struct span {
	size_t	 from, to;	/* [from, to) of the component becomes a glob */
	int	 id;		/* the process's number: [0-9]* */
};

int
path_sep(char c)
{
	switch (c) {		/* the separators of the comment above */
	case '.': case '-': case '_': case '+': case '~': case ':': case '@':
	case '=': case ',': case ' ':
		return 1;
	}
	return 0;
}

static int
all(const char *s, size_t n, int (*class)(int))
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!class((unsigned char)s[i]))
			return 0;
	return n > 0;
}

static int
is_uuid(const char *s, size_t n)
{
	static const char shape[] = "hhhhhhhh-hhhh-hhhh-hhhh-hhhhhhhhhhhh";
	size_t i;

	if (n != sizeof(shape) - 1)
		return 0;
	for (i = 0; i < n; i++)
		if (shape[i] == '-' ? s[i] != '-' :
		    !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
random_token(const char *s, size_t n)
{
	size_t i, up = 0, lo = 0, dg = 0;

	if (n >= 16 && all(s, n, isxdigit))
		return 1;
	if (!all(s, n, isalnum))
		return 0;
	for (i = 0; i < n; i++) {
		up += isupper((unsigned char)s[i]) != 0;
		lo += islower((unsigned char)s[i]) != 0;
		dg += isdigit((unsigned char)s[i]) != 0;
	}
	if (n >= 8 && up >= 2 && lo >= 2 && dg >= 2)
		return 1;
	return n >= 16 && 4 * dg >= n && dg < n;
}

static size_t
add_span(struct span *sp, size_t nsp, size_t from, size_t to)
{
	if (nsp > 0 && sp[nsp - 1].to == from && !sp[nsp - 1].id)
		sp[nsp - 1].to = to;	/* never two globs in a row */
	else {
		sp[nsp].from = from;
		sp[nsp].to = to;
		sp[nsp].id = 0;
		nsp++;
	}
	return nsp;
}

static int
is_id(const char *c, size_t n, const struct htab *ids)
{
	return ids != NULL && n >= 2 && c[0] != '0' &&
	    htab_sget(ids, c, n) != NULL;
}

static size_t
token_end(const char *c, size_t n, size_t i)
{
	while (i < n && !path_sep(c[i]))
		i++;
	return i;
}

/* Where number parts joined by separators end, and their digits. */
static size_t
number_run(const char *c, size_t n, size_t i, size_t *digits)
{
	size_t end = token_end(c, n, i), j, e;

	*digits = end - i;
	for (j = end; ; j = e) {
		while (j < n && path_sep(c[j]))
			j++;
		e = token_end(c, n, j);
		if (e == j || !all(c + j, e - j, isdigit))
			return end;
		*digits += e - j;
		end = e;
	}
}

/* The random-looking parts of one component, in order. */
static size_t
find_spans(const char *c, size_t n, struct span *sp, const struct htab *ids)
{
	size_t i = 0, nsp = 0, t, digits;

	while (i < n) {
		if (path_sep(c[i])) {
			i++;
			continue;
		}
		if (n - i >= 36 && is_uuid(c + i, 36) &&
		    (i + 36 == n || path_sep(c[i + 36]))) {
			nsp = add_span(sp, nsp, i, i + 36);
			i += 36;
			continue;
		}
		t = token_end(c, n, i);
		if (is_id(c + i, t - i, ids)) {
			sp[nsp].from = i;
			sp[nsp].to = t;
			sp[nsp++].id = 1;
		} else if (all(c + i, t - i, isdigit)) {
			size_t end = number_run(c, n, i, &digits);

			if (digits >= 6) {
				nsp = add_span(sp, nsp, i, end);
				t = end;
			}
		} else if (random_token(c + i, t - i))
			nsp = add_span(sp, nsp, i, t);
		i = t;
	}
	return nsp;
}

/* The class a part of kind like c is written with, one per character. */
static const char *
class_of(const char *c, size_t n)
{
	size_t i, up = 0, lo = 0, other = 0;

	for (i = 0; i < n; i++) {
		up += isupper((unsigned char)c[i]) != 0;
		lo += islower((unsigned char)c[i]) != 0;
		other += isalpha((unsigned char)c[i]) &&
		    !isxdigit((unsigned char)c[i]);
	}
	if (up + lo == 0)
		return "[0-9]";
	if (other > 0 || (up > 0 && lo > 0))
		return "[a-zA-Z0-9]";
	return up > 0 ? "[0-9A-F]" : "[0-9a-f]";
}

/* A random-looking part: each character its class, separators kept. */
static void
put_classes(struct jw *w, const char *c, size_t n)
{
	const char *cls = class_of(c, n);
	size_t i;

	for (i = 0; i < n; i++) {
		if (path_sep(c[i]))
			aa_escape_glob(w, c + i, 1);
		else
			jw_raw(w, cls, strlen(cls));
	}
}

/* generalize: 0 not at all, 1 only ids, 2 fully */
static void
put_component(struct jw *w, const char *c, size_t n, int generalize,
    const struct htab *ids)
{
	struct span few[128], *sp = few;
	size_t nsp = 0, i, at = 0;

	if (n / 2 + 1 > 128)
		sp = xcalloc(n / 2 + 1, sizeof(*sp));
	if (generalize)
		nsp = find_spans(c, n, sp, ids);
	for (i = 0; i < nsp; i++) {
		if (generalize < 2 && !sp[i].id)
			continue;
		aa_escape_glob(w, c + at, sp[i].from - at);
		if (sp[i].id)
			jw_puts(w, "[0-9]*");
		else
			put_classes(w, c + sp[i].from, sp[i].to - sp[i].from);
		at = sp[i].to;
	}
	aa_escape_glob(w, c + at, n - at);
	if (sp != few)
		free(sp);
}

static int
is(const char *c, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(c, word, n) == 0;
}

/* /lib, /usr/lib64, /usr/lib/x86_64-linux-gnu, ... */
static int
library_dir(const char *p, size_t n)
{
	static const char *const dirs[] = { "/lib", "/lib32", "/lib64",
	    "/libx32", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libx32",
	    "/usr/local/lib", "/usr/local/lib64", NULL };
	const char *const *d;
	const char *slash;

	for (d = dirs; *d != NULL; d++) {
		size_t dn = strlen(*d);

		if (n < dn || memcmp(p, *d, dn) != 0)
			continue;
		if (n == dn)
			return 1;
		slash = p + dn;
		if (*slash == '/' && memchr(slash + 1, '/', n - dn - 1) == NULL &&
		    memmem(slash, n - dn, "-linux-", 7) != NULL)
			return 1;
	}
	return 0;
}

static int
shared_object(const char *b)
{
	const char *so = strstr(b, ".so");

	return so != NULL && so > b && (so[3] == '\0' || so[3] == '.') &&
	    strpbrk(b, AA_GLOB_CHARS) == NULL;
}

/* The system's own files: no workload's names may widen a rule there. */
static int
system_path(const char *p)
{
	static const char *const tops[] = { "/etc/", "/usr/", "/bin/",
	    "/sbin/", "/boot/", "/root/", "/lib", "/var/lib/dpkg/",
	    "/var/spool/cron/", NULL };
	const char *const *t;

	for (t = tops; *t != NULL; t++)
		if (strncmp(p, *t, strlen(*t)) == 0)
			return 1;
	return strstr(p, "/.ssh/") != NULL;
}

/*
 * A path nothing above would change, found in one pass (most are): no
 * glob character, no component with a part of 8 or more characters or
 * with 6 digits or more (what a random-looking part needs), none that
 * is snapshots, and not under /proc.  The library rule is asked apart.
 */
static int
plain_path(const char *p)
{
	const char *c = p;
	size_t part = 0, digits = 0, k = 0;

	for (;; p++) {
		switch (*p) {
		case '/': case '\0':
			if (digits >= 6 || (p - c == 9 &&
			    memcmp(c, "snapshots", 9) == 0) || (p - c == 4 &&
			    k == 0 && memcmp(c, "proc", 4) == 0))
				return 0;
			if (*p == '\0')
				return 1;
			k += p > c;
			c = p + 1;
			part = digits = 0;
			continue;
		case '*': case '?': case '[': case ']': case '{': case '}':
		case '^': case '\\':		/* AA_GLOB_CHARS */
			return 0;
		}
		if (path_sep(*p))
			part = 0;
		else if (++part >= 8)
			return 0;
		digits += *p >= '0' && *p <= '9';
	}
}

/* NULL when the path is its own pattern, found without copying it. */
char *
path_pattern(const char *path, int generalize, enum access how,
    const struct htab *ids)
{
	struct jw w = { 0 };
	const char *p = path, *base = strrchr(path, '/');
	size_t k = 0;
	int in_proc = 0, after_snapshots = 0, names;

	if (ids == NULL && plain_path(path) && !(generalize &&
	    how == ACCESS_READ && path[0] == '/' && base != NULL &&
	    base > path && shared_object(base + 1) &&
	    library_dir(path, (size_t)(base - path))))
		return NULL;
	if (generalize && how == ACCESS_READ && path[0] == '/' &&
	    base != NULL && base > path &&
	    library_dir(path, (size_t)(base - path)) && shared_object(base + 1)) {
		aa_escape_glob(&w, path, (size_t)(base - path));
		jw_raw(&w, "/*.so*", 7);
		return w.buf;
	}
	names = generalize && !system_path(path);
	for (;;) {
		size_t n = strcspn(p, "/");

		if (generalize && (in_proc || after_snapshots) &&
		    all(p, n, isdigit))
			jw_raw(&w, "*", 1);
		else
			put_component(&w, p, n, !names ? 0 :
			    how != ACCESS_WRITE || p[n] == '/' ? 2 : 1, ids);
		if (n > 0) {
			in_proc = (k == 0 && is(p, n, "proc")) || in_proc;
			after_snapshots = is(p, n, "snapshots");
			k++;
		}
		p += n;
		if (*p == '\0')
			break;
		jw_raw(&w, "/", 1);
		p++;
	}
	jw_raw(&w, "", 1);
	return w.buf;
}
