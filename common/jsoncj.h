/* A parsed cJSON value written back through jw: valid UTF-8, one line. */
#ifndef BM_JSONCJ_H
#define BM_JSONCJ_H

#include <cjson/cJSON.h>

#include "jsonw.h"

void	jw_cjson(struct jw *, const cJSON *);

/*
 * data.dynamicResult.GROUP of an ArmorProfileModel, or NULL.  vArmor's
 * API names the AppArmor group apparmor, its policy advisor appArmor:
 * either is taken.
 */
cJSON	*model_group(const cJSON *model, const char *group);

#endif
