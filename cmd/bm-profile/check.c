/*
 * What AppArmor and libseccomp take as names: a model entry with
 * anything else is refused when it is read, so no rule is ever written
 * from it.
 */
#include <string.h>

#include "profile.h"

/* Permission, signal, capability and family names: nothing else. */
int
is_word(const char *s)
{
	return s != NULL && *s != '\0' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_+-") == strlen(s);
}

int
is_syscall_name(const char *s)
{
	return s != NULL && *s != '\0' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

/* Each architecture with the ones a process on it may also call. */
static const struct {
	const char		*seen;
	const char *const	 scmp[4];
} arches[] = {
	{ "x86_64", { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32" } },
	{ "i386", { "SCMP_ARCH_X86" } }, { "i686", { "SCMP_ARCH_X86" } },
	{ "x32", { "SCMP_ARCH_X32" } },
	{ "aarch64", { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM" } },
	{ "arm", { "SCMP_ARCH_ARM" } }, { "armeb", { "SCMP_ARCH_ARM" } },
	{ "armv7l", { "SCMP_ARCH_ARM" } },
	{ "ppc64le", { "SCMP_ARCH_PPC64LE" } },
	{ "ppc64", { "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC" } },
	{ "ppc", { "SCMP_ARCH_PPC" } },
	{ "s390x", { "SCMP_ARCH_S390X", "SCMP_ARCH_S390" } },
	{ "s390", { "SCMP_ARCH_S390" } },
	{ "riscv64", { "SCMP_ARCH_RISCV64" } },
	{ "loongarch64", { "SCMP_ARCH_LOONGARCH64" } },
	{ NULL, { NULL } }
};

const char *const *
scmp_arches(const char *seen)
{
	int i;

	for (i = 0; arches[i].seen != NULL; i++)
		if (strcmp(arches[i].seen, seen) == 0)
			return arches[i].scmp;
	return NULL;
}
