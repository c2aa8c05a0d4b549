/*
 * isa.c - the registry of ISA front ends (see isa.h).  Tiny and cold: used
 * once at start-up and once per machine build.
 */
#include "sim/isa.h"

#include <string.h>

const char *isa_names[ISA_MAX + 1] = {"ia64", "x86", NULL};
static const struct isa_frontend *frontends[ISA_MAX];

int isa_register(const struct isa_frontend *fe)
{
    int i;
    for (i = 0; i < ISA_MAX && isa_names[i]; i++) {
        if (strcmp(isa_names[i], fe->name) == 0) {
            if (frontends[i] && frontends[i] != fe)
                return -1;
            frontends[i] = fe;
            return 0;
        }
    }
    if (i == ISA_MAX)
        return -1;
    isa_names[i] = fe->name;
    isa_names[i + 1] = NULL;
    frontends[i] = fe;
    return 0;
}

const struct isa_frontend *isa_frontend_at(int idx)
{
    if (idx < 0 || idx >= ISA_MAX)
        return NULL;
    return frontends[idx];
}

void isa_register_builtin(void)
{
    isa_register(&isa_ia64_frontend);
    isa_register(&isa_x86_frontend);
}
