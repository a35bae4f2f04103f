#include <stddef.h>
#include <strings.h>

#include "modes.h"

const char *const apparmor_modes[] = { "AUDIT", "ALLOWED", "DENIED", "HINT",
    "STATUS", "ERROR", "KILLED", "AUTO", NULL };
const char *const seccomp_actions[] = { "kill_process", "kill_thread",
    "trap", "errno", "user_notif", "trace", "log", "allow", NULL };

const char modes_known_text[] = "an AppArmor mode (AUDIT, ALLOWED, DENIED, "
    "HINT, STATUS, ERROR, KILLED, AUTO) or a seccomp action (kill_process, "
    "kill_thread, trap, errno, user_notif, trace, log, allow)";

static int
in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcasecmp(*list, s) == 0)
			return 1;
	return 0;
}

const char *
mode_unknown(char **list)
{
	for (; *list != NULL; list++)
		if (!in(apparmor_modes, *list) && !in(seccomp_actions, *list))
			return *list;
	return NULL;
}
