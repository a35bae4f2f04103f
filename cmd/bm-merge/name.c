/*
 * metadata.name of the model: given, else made from the --profile name,
 * an input model's name or the one profile seen.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "learn.h"
#include "merge.h"
#include "util.h"

/*
 * The name when none is given: an input model's, else the one profile
 * every event came from (children folded), else a fixed name.
 */
const char *
default_name(void)
{
	static char *root;
	struct entry *const *all;
	size_t i, n, len;

	if (learned_name() != NULL)
		return learned_name();
	n = model_entries(learned, S_PROFILES, &all);
	for (i = 0; i < n; i++) {
		const char *p = all[i]->val[0], *sep = strstr(p, "//");

		len = sep ? (size_t)(sep - p) : strlen(p);
		if (root == NULL) {
			root = xmalloc(len + 1);
			memcpy(root, p, len);
			root[len] = '\0';
		} else if (strlen(root) != len || memcmp(root, p, len) != 0)
			return "behavior-model";
	}
	return root ? root : "behavior-model";
}


/* "/usr/sbin/nginx" -> "usr-sbin-nginx" */
char *
kube_name(const char *s)
{
	char *name, *p;

	if (is_kube_name(s))
		return xstrdup(s);
	name = p = xmalloc(strlen(s) + 1);
	for (; *s != '\0' && p - name < 253; s++) {
		int c = tolower((unsigned char)*s);

		if (!isalnum(c) && c != '.')
			c = '-';
		if ((c == '-' || c == '.') && (p == name || p[-1] == '-' ||
		    p[-1] == '.'))
			continue;
		*p++ = (char)c;
	}
	while (p > name && (p[-1] == '-' || p[-1] == '.'))
		p--;
	*p = '\0';
	if (!is_kube_name(name)) {
		free(name);
		name = xstrdup("behavior-model");
	}
	return name;
}

