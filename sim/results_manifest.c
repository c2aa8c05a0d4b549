/*
 * results_manifest.c - manifest.json: what ran, where, when and how fast
 * (docs/results.md lists the fields).  Host-dependent values live here and
 * only here, so stats.json stays identical across hosts and -j.
 */
#include <limits.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "model/base/json.h"
#include "sim/config.h"
#include "sim/kernel.h"
#include "sim/results.h"
#include "sim/schema.h"
#include "sim/sha256.h"
#include "version.h"

static void iso_time(time_t t, char *buf, size_t len)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *reason_name(enum stop_reason r)
{
    switch (r) {
    case STOP_EXIT:
        return "exit";
    case STOP_MAX_CYCLES:
        return "max_cycles";
    case STOP_FATAL:
        return "fatal";
    case STOP_IDLE:
        return "idle";
    case STOP_NO_HARTS:
        return "no_harts";
    }
    return "?";
}

static void write_point(struct json *j, const struct run_summary *s, size_t i)
{
    const struct point_result *r = &s->results[i];
    const struct study_config *cfg = s->cfgs[i];
    json_begin_object(j);
    json_key(j, "name");
    json_string(j, s->names[i]);
    json_key(j, "dir");
    json_string(j, s->names[i][0] ? s->names[i] : ".");
    json_key(j, "parameters");
    json_begin_object(j);
    for (unsigned a = 0; a < config_sweep_naxes(cfg); a++) {
        char v[256];
        config_get(cfg, config_sweep_key(cfg, a), v, sizeof(v));
        json_key(j, config_sweep_key(cfg, a));
        json_string(j, v);
    }
    json_end_object(j);
    json_key(j, "kernel");
    json_string(j, kernel_names[cfg->run.kernel]);
    if (cfg->run.kernel == KERNEL_SYSTEMC) {
        json_key(j, "systemc_quantum");
        json_uint(j, cfg->run.systemc_quantum);
        json_key(j, "systemc_tlm_memory");
        json_bool(j, cfg->run.systemc_tlm_memory);
        json_key(j, "systemc_cycle_ps");
        json_uint(j, kernel_cycle_ps(cfg));
    }
    json_key(j, "status");
    json_string(j, results_status_text(r));
    json_key(j, "stop_reason");
    json_string(j, r->status == POINT_ERROR && !r->end_cycle ? "not_run" : reason_name(r->reason));
    json_key(j, "exit_status");
    json_int(j, r->exit_status);
    json_key(j, "message");
    json_string(j, r->message);
    if (r->status == POINT_FATAL) {
        char bytes[64] = "";
        size_t at = 0;
        for (unsigned b = 0; b < r->fatal.nbytes && b < sizeof(r->fatal.bytes); b++)
            at += (size_t)snprintf(bytes + at, sizeof(bytes) - at, "%s%02x", b ? " " : "",
                                   r->fatal.bytes[b]);
        json_key(j, "fatal");
        json_begin_object(j);
        json_key(j, "hart");
        json_uint(j, r->fatal.hart);
        json_key(j, "ip");
        json_uint(j, r->fatal.ip);
        json_key(j, "bytes");
        json_string(j, bytes);
        json_key(j, "cause");
        json_string(j, r->fatal.cause);
        json_end_object(j);
    }
    json_key(j, "cycles");
    json_uint(j, r->end_cycle);
    json_key(j, "instructions");
    json_uint(j, r->instructions);
    json_key(j, "wall_seconds");
    json_double(j, r->wall_seconds);
    json_key(j, "mips");
    json_double(j, r->wall_seconds > 0 ? (double)r->instructions / r->wall_seconds / 1e6 : 0);
    json_end_object(j);
}

/* Every distinct image any point ran, with its SHA-256, so a later rerun
 * can tell whether it runs the same bytes. */
static void write_images(struct json *j, const struct run_summary *s)
{
    const char *seen[256];
    size_t n = 0;
    json_begin_array(j);
    for (size_t i = 0; i < s->npoints; i++) {
        const struct study_config *c = s->cfgs[i];
        const char *imgs[SCHEMA_MAX_VMS + 1];
        size_t k = 0;
        if (c->hypervisor.image)
            imgs[k++] = c->hypervisor.image;
        for (unsigned v = 0; v < c->nvms; v++)
            if (c->vms[v].image) /* not an empty slot */
                imgs[k++] = c->vms[v].image;
        for (size_t m = 0; m < k; m++) {
            bool dup = false;
            for (size_t q = 0; q < n && !dup; q++)
                dup = strcmp(seen[q], imgs[m]) == 0;
            if (dup || n == 256)
                continue;
            seen[n++] = imgs[m];
            char hex[65];
            json_begin_object(j);
            json_key(j, "path");
            json_string(j, imgs[m]);
            json_key(j, "sha256");
            if (sha256_file(imgs[m], hex) == 0)
                json_string(j, hex);
            else
                json_null(j);
            json_end_object(j);
        }
    }
    json_end_array(j);
}

int results_write_manifest(const struct run_summary *s, char *err, size_t errlen)
{
    char path[PATH_MAX], t0[32], t1[32];
    snprintf(path, sizeof(path), "%s/manifest.json", s->run_dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: cannot write", path);
        return -1;
    }
    struct utsname un;
    if (uname(&un) != 0)
        memset(&un, 0, sizeof(un));
    iso_time(s->start, t0, sizeof(t0));
    iso_time(s->end, t1, sizeof(t1));
    uint64_t total = 0;
    for (size_t i = 0; i < s->npoints; i++)
        total += s->results[i].instructions;

    struct json j;
    json_init(&j, f);
    json_begin_object(&j);
    json_key(&j, "format");
    json_string(&j, "vtsim-manifest-1");
    json_key(&j, "study");
    json_string(&j, s->base->study);
    json_key(&j, "study_file");
    json_string(&j, s->study_path);
    json_key(&j, "vtsim");
    json_begin_object(&j);
    json_key(&j, "version");
    json_string(&j, VTSIM_VERSION);
    json_key(&j, "git_revision");
    json_string(&j, VTSIM_GIT_REV);
    json_end_object(&j);
    json_key(&j, "command_line");
    json_begin_array(&j);
    for (int i = 0; i < s->argc; i++)
        json_string(&j, s->argv[i]);
    json_end_array(&j);
    json_key(&j, "host");
    json_begin_object(&j);
    json_key(&j, "name");
    json_string(&j, un.nodename);
    json_key(&j, "os");
    json_string(&j, un.sysname);
    json_key(&j, "release");
    json_string(&j, un.release);
    json_key(&j, "machine");
    json_string(&j, un.machine);
    json_key(&j, "cpus");
    json_int(&j, sysconf(_SC_NPROCESSORS_ONLN));
    json_end_object(&j);
    json_key(&j, "start");
    json_string(&j, t0);
    json_key(&j, "end");
    json_string(&j, t1);
    json_key(&j, "wall_seconds");
    json_double(&j, s->wall_seconds);
    json_key(&j, "jobs");
    json_uint(&j, s->jobs);
    json_key(&j, "config_file");
    json_string(&j, "config.yaml");
    json_key(&j, "config");
    json_string(&j, s->config_text ? s->config_text : "");
    json_key(&j, "images");
    write_images(&j, s);
    json_key(&j, "points");
    json_begin_array(&j);
    for (size_t i = 0; i < s->npoints; i++)
        write_point(&j, s, i);
    json_end_array(&j);
    json_key(&j, "total_instructions");
    json_uint(&j, total);
    json_key(&j, "mips");
    json_double(&j, s->wall_seconds > 0 ? (double)total / s->wall_seconds / 1e6 : 0);
    json_end_object(&j);
    int rc = json_finish(&j);
    if (fclose(f) != 0 || rc != 0) {
        snprintf(err, errlen, "%s: write error", path);
        return -1;
    }
    return 0;
}
