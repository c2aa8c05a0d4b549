/*
 * sched_native.h - the native scheduler (sim/sched.c), the default
 * implementation of model/base/sched.h.
 */
#ifndef VTSIM_SIM_SCHED_NATIVE_H
#define VTSIM_SIM_SCHED_NATIVE_H

#include "model/base/sched.h"

/* A new scheduler with no harts and no events; NULL on no memory.  Up to
 * 1024 harts.  Free with sched_free(). */
struct sched *sched_native_new(void);

#endif
