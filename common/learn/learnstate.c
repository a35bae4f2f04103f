/*
 * A learning run's state: what it was asked to take, what it counted,
 * and the model it puts what it learns in.  Read by learn.c, learn_aa.c,
 * learn_mount.c and obs.c; set by the tools.
 */
#include <stddef.h>
#include <strings.h>

#include "learn.h"

/*
 * What a workload was let do: complain mode's ALLOWED, the AUDIT of a
 * learning profile's audit rules, seccomp's log and allow.  Not what was
 * denied (an attack, perhaps), unless asked for.
 */
static char	*default_modes[] = { "ALLOWED", "AUDIT", "log", "allow", NULL };
struct learn_opts learn_opts = { EV_APPARMOR | EV_SECCOMP | EV_MOUNT |
		    EV_MODEL, default_modes, NULL, NULL, NULL, NULL, NULL, 1, 0, 0, 0 };
struct learn_stats learn_stats;
struct model	*learned;

int
mode_wanted(const char *mode)
{
	char **m;

	for (m = learn_opts.modes; *m != NULL; m++)
		if (strcasecmp(*m, mode) == 0)
			return 1;
	return 0;
}
