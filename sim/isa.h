/*
 * isa.h - the registry of ISA front ends.
 *
 * `machine.isa` names a front end.  The config language knows the names in
 * isa_names[] ("ia64", "x86"); a front end that is linked in registers
 * itself with isa_register(), which also adds its name to isa_names when it
 * is new (test builds register a scripted front end this way).  Building a
 * machine for a name with no registered front end is a clear error, never a
 * silent fallback.
 */
#ifndef VTSIM_SIM_ISA_H
#define VTSIM_SIM_ISA_H

#include <stddef.h>

struct machine;

struct isa_frontend {
    const char *name; /* as written in machine.isa */
    /* Create the harts of machine `m`, load its images and add the harts to
     * m->sched.  0, or -1 with a one-line reason in err. */
    int (*build)(struct machine *m, char *err, size_t errlen);
    /* Release what build() made; called once, also after a failed build. */
    void (*destroy)(struct machine *m);
};

#define ISA_MAX 8

/* The ISA names the config accepts, NULL-terminated (PARAM_ENUM choices). */
extern const char *isa_names[ISA_MAX + 1];

/* Register a front end.  0, or -1 when the table is full or the name is
 * already registered to another front end. */
int isa_register(const struct isa_frontend *fe);

/* The front end registered for isa_names[idx], or NULL. */
const struct isa_frontend *isa_frontend_at(int idx);

/* The front ends of this build. */
extern const struct isa_frontend isa_ia64_frontend;

struct stats;
struct study_config;
struct memsys;
/* `vtsim docs stats`: register the stats an IA-64 machine adds on a
 * stand-in hart; the handle goes back to isa_ia64_doc_stats_free once the
 * stats are written.  NULL on failure. */
void *isa_ia64_doc_stats(struct stats *s, const struct study_config *c, struct memsys *ms);
void isa_ia64_doc_stats_free(void *doc);
extern const struct isa_frontend isa_x86_frontend;

/* Register every front end linked into this build. */
void isa_register_builtin(void);

#endif
