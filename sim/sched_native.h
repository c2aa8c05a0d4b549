/*
 * sched_native.h - the native scheduler (sim/sched.c), the default
 * implementation of model/base/sched.h: a discrete-event loop in one host
 * thread that steps the runnable hart with the smallest clock (ties: lowest
 * id) and fires device events in (time, posting order).
 */
#ifndef VTSIM_SIM_SCHED_NATIVE_H
#define VTSIM_SIM_SCHED_NATIVE_H

#include "model/base/sched.h"

/* A new scheduler with no harts and no events, sched_now() == 0; NULL on no
 * memory.  The number of harts and of pending events is bounded only by
 * memory.  Free with sched_free(). */
struct sched *sched_native_new(void);

#endif
