/*
 * scripted_isa.c - the "scripted" front end for tests (see scripted_isa.h).
 */
#include "scripted_isa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/file.h"
#include "scripted_hart.h"
#include "sim/isa.h"
#include "sim/machine.h"
#include "sim/schema.h"

struct scripted_machine {
    struct script *scripts[16];
    struct scripted_hart *harts[MACHINE_MAX_HARTS];
    unsigned nharts;
    struct scripted_ctx ctx;
    struct machine *m;
};

static void on_phase(void *opaque, const char *name, bool begin)
{
    struct scripted_machine *sm = opaque;
    machine_phase(sm->m, 0, name, begin);
}

static void scripted_destroy(struct machine *m)
{
    struct scripted_machine *sm = m->isa;
    if (!sm)
        return;
    for (unsigned i = 0; i < sm->nharts; i++)
        scripted_hart_free(sm->harts[i]);
    for (unsigned i = 0; i < 16; i++)
        if (sm->scripts[i])
            script_free(sm->scripts[i]);
    free(sm);
    m->isa = NULL;
}

static int scripted_build(struct machine *m, char *err, size_t errlen)
{
    const struct study_config *c = m->cfg;
    struct scripted_machine *sm = calloc(1, sizeof(*sm));
    if (!sm) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->isa = sm;
    sm->m = m;
    sm->ctx.phase = on_phase;
    sm->ctx.opaque = sm;
    if (c->nvms == 0) {
        snprintf(err, errlen, "the scripted front end needs at least one vm");
        return -1;
    }
    for (unsigned v = 0; v < c->nvms && v < 16; v++) {
        char path[4096], perr[256];
        machine_image_path(m, c->vms[v].image, path, sizeof(path));
        char *text;
        size_t len;
        if (file_read_all(path, 1u << 20, &text, &len) != 0) {
            snprintf(err, errlen, "vms[%u].image: cannot read %s", v, path);
            return -1;
        }
        int rc = scripted_parse(text, &sm->scripts[v], perr, sizeof(perr));
        free(text);
        if (rc != 0) {
            snprintf(err, errlen, "%s: %s", path, perr);
            return -1;
        }
    }
    unsigned n = (unsigned)(c->machine.cores * c->machine.threads_per_core);
    for (unsigned i = 0; i < n && i < MACHINE_MAX_HARTS; i++) {
        struct script *s = sm->scripts[i % c->nvms];
        sm->harts[i] = scripted_hart_new(s, m->sched, &sm->ctx);
        if (!sm->harts[i]) {
            snprintf(err, errlen, "cannot create hart %u", i);
            return -1;
        }
        sm->nharts++;
        if (machine_add_hart(m, scripted_hart_hart(sm->harts[i])) != 0) {
            snprintf(err, errlen, "cannot add hart %u", i);
            return -1;
        }
    }
    return 0;
}

static const struct isa_frontend scripted_frontend = {
    .name = "scripted",
    .build = scripted_build,
    .destroy = scripted_destroy,
};

void scripted_isa_register(void)
{
    isa_register(&scripted_frontend);
}
