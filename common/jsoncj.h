/* A parsed cJSON value written back through jw: valid UTF-8, one line. */
#ifndef BM_JSONCJ_H
#define BM_JSONCJ_H

#include <cjson/cJSON.h>

#include "jsonw.h"

void	jw_cjson(struct jw *, const cJSON *);

#endif
