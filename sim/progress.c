/*
 * progress.c - the one-line progress display (see progress.h).  Called every
 * 65536 simulated steps; cheap unless a redraw is due.
 */
#include "sim/progress.h"

#include <stdio.h>
#include <time.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void progress_begin(struct progress *p, unsigned point, unsigned npoints, const char *label,
                    uint64_t max_cycles)
{
    p->point = point;
    p->npoints = npoints;
    p->label = label;
    p->max_cycles = max_cycles;
    p->t_start = progress_now();
    p->t_last = 0;
}

static void fmt_eta(char *buf, size_t len, double secs)
{
    if (secs < 0 || secs > 1e7)
        snprintf(buf, len, "?");
    else if (secs < 60)
        snprintf(buf, len, "%.0fs", secs);
    else if (secs < 3600)
        snprintf(buf, len, "%dm%02ds", (int)secs / 60, (int)secs % 60);
    else
        snprintf(buf, len, "%dh%02dm", (int)secs / 3600, ((int)secs % 3600) / 60);
}

void progress_update(void *arg, uint64_t now_cycles)
{
    struct progress *p = arg;
    if (!p->enabled)
        return;
    double t = progress_now();
    if (t - p->t_last < 0.25)
        return;
    p->t_last = t;
    double el = t - p->t_start;
    double frac = p->max_cycles ? (double)now_cycles / (double)p->max_cycles : 0;
    double mips = 0;
    if (p->instructions && el > 0)
        mips = (double)p->instructions(p->ctx) / el / 1e6;
    char eta[32];
    fmt_eta(eta, sizeof(eta), frac > 0 ? el * (1 - frac) / frac : -1);
    fprintf(stderr, "\r\033[K[%u/%u] %s cycles %llu/%llu (%.1f%%) %.2f MIPS eta %s", p->point,
            p->npoints, p->label && *p->label ? p->label : "run", (unsigned long long)now_cycles,
            (unsigned long long)p->max_cycles, frac * 100, mips, eta);
    fflush(stderr);
    p->drawn = true;
}

void progress_clear(struct progress *p)
{
    if (p->drawn) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
        p->drawn = false;
    }
}
