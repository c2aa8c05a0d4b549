/*
 * timer.c - per-hart timer on the event queue (see timer.h).
 */
#include "model/platform/timer.h"

static void expire(void *ctx, uint64_t now)
{
    struct hart_timer *t = ctx;
    t->fired++;
    t->event = 0;
    if (t->period) {
        t->deadline = now + t->period;
        t->event = sched_post(t->sched, t->deadline, expire, t);
    } else {
        t->armed = false;
    }
    intc_raise(t->ic, t->vector);
}

void timer_init(struct hart_timer *t, struct sched *s, struct intc *ic)
{
    *t = (struct hart_timer){.sched = s, .ic = ic};
}

void timer_cancel(struct hart_timer *t)
{
    if (t->event)
        sched_cancel(t->sched, t->event);
    t->event = 0;
    t->armed = false;
}

void timer_arm(struct hart_timer *t, uint64_t deadline, uint64_t period, unsigned vector)
{
    timer_cancel(t);
    t->deadline = deadline;
    t->period = period;
    t->vector = vector & 0xff;
    t->armed = true;
    t->event = sched_post(t->sched, deadline, expire, t);
}
