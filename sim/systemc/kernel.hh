/*
 * kernel.hh - the SystemC kernel behind sched_systemc.h: the scheduler
 * contract (model/base/sched.h) on SystemC time.  One cycle lasts
 * cycle_period() resolution units (cycle_time.hh; 1 by default).
 *
 * Actors are the harts (one HartProc thread each) and the device events
 * (an EventQueue).  SystemC decides *when* things run: hart threads wait
 * until their clocks, the arbiter waits until the next event.  Within one
 * point of SystemC time the arbiter (an SC_METHOD) decides *in which order*,
 * exactly as the native loop does: the earliest of the pending event with
 * the smallest (time, id) and the runnable hart with the smallest
 * (clock, id), an event winning a tie.  A hart steps only when granted, so
 * with a quantum of one cycle every step and event happens in the native
 * order and the stats are the same.  With a larger quantum a granted hart
 * steps on, ahead of SystemC time, until its quantum keeper asks it to
 * sync: events that fall inside that window fire late (loosely timed).
 *
 * Invariants:
 *  - at most one hart is in its turn (m_turn); the arbiter does nothing
 *    until that turn ends;
 *  - a runnable hart's clock and a pending event's time are never behind
 *    SystemC time, so the arbiter never has to go back in time;
 *  - m_active is true from sched_run's sc_start until the arbiter decides
 *    that the run ends (sc_pause); kicks outside that window are ignored.
 *
 * Hot: turn() and the arbiter's loop, once per step at a quantum of 1.
 * The next hart is found by a scan of the harts: machines have few.
 */
#ifndef VTSIM_SIM_SYSTEMC_KERNEL_HH
#define VTSIM_SIM_SYSTEMC_KERNEL_HH

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "model/base/sched.h"
#include "sim/systemc/event_queue.hh"
#include "sim/systemc/hart_proc.hh"
#include "sim/systemc/ctl_target.hh"
#include "sim/systemc/cycle_time.hh"
#include "sim/systemc/memory_port.hh"

namespace vtsim::sc {

class Kernel : public sc_core::sc_module {
  public:
    Kernel(sc_core::sc_module_name name, std::uint64_t quantum);
    ~Kernel() override;

    /* The operations of model/base/sched.h, same contracts. */
    int add_hart(struct hart *h);
    std::uint64_t post(std::uint64_t when, event_fn fn, void *ctx);
    bool cancel(std::uint64_t id) { return m_events.cancel(id); }
    void wake(unsigned hart, std::uint64_t when);
    void stop(int status, const char *why);
    std::uint64_t now() const { return m_now; }
    int run(const struct run_limits *lim, struct run_result *res);

    /* sched_systemc_route_memory(): the harts' accesses to `ms` go through
     * TLM-2.0 sockets from now on.  -1 after the first run or when already
     * routed. */
    int route_memory(struct memsys *ms, unsigned ncores);
    /* sched_systemc_set_cycle_ps(): one cycle lasts `units` resolution
     * units from now on (cycle_time.hh).  -1 after the first run or for 0. */
    int set_cycle_period(std::uint64_t units);
    /* sched_systemc_route_ctl(): the control device's writes go through a
     * TLM-2.0 socket from now on.  Same answers. */
    int route_ctl(struct ctl *c);

    /* Embedded in a program's own simulation (vtsim::Platform): instead of
     * sched_run's sc_start, the run proceeds while that program runs
     * SystemC, and done() is notified when it ends (*res filled as
     * sched_run fills it).  -1 when a run was already started. */
    int start_embedded(const struct run_limits *lim, struct run_result *res);
    const sc_core::sc_event &done() const { return m_done; }

    /* Around a change a process other than the harts makes to a hart's
     * state (a peripheral's interrupt line, vtsim::Platform): before, the
     * kernel's clock moves to the current SystemC time (rounded up to a
     * cycle), so that the wakes it causes are not in the past; after, the
     * arbiter looks again. */
    void external_begin();
    void external_end() { m_kick.notify(); }

    /* From HartProc: its thread now waits for a grant. */
    void arrival() { m_kick.notify(); }
    /* From HartProc: the granted hart steps until its turn ends. */
    void turn(HartProc &p);

  private:
    void arbitrate();
    void flush_wakes();
    struct hart *next_hart() const;
    bool below_limit(std::uint64_t t) const { return m_max == 0 || t < m_max; }
    bool step(struct hart *h);
    void fire_next();
    void finish(enum stop_reason reason);
    void end_limit();
    void end_fatal(const struct hart *h);
    void end_front_end_bug(const struct hart *h, const char *what);
    std::uint64_t max_clock() const;

    static const unsigned NO_TURN = ~0u;

    std::vector<std::unique_ptr<HartProc>> m_procs; /* by hart id */
    std::unique_ptr<MemoryRoute> m_memory;          /* with run.systemc_tlm_memory */
    std::unique_ptr<CtlRoute> m_ctl;                /* likewise */
    std::vector<unsigned> m_woken;                  /* harts whose threads need a nudge */
    EventQueue m_events;
    sc_core::sc_event m_kick;   /* a hart arrived or ended its turn (immediate) */
    sc_core::sc_event m_timer;  /* the earliest pending event is due */
    sc_core::sc_event m_resume; /* a new run starts */
    sc_core::sc_event m_done;   /* an embedded run ended */
    bool m_embedded = false;    /* started by start_embedded */
    std::uint64_t m_now = 0;    /* time of the current (or last) step or event */
    unsigned m_turn = NO_TURN;  /* hart in its turn */
    bool m_started = false;     /* sc_start was called: no more modules */
    bool m_running = false;     /* inside run() */
    bool m_active = false;      /* the arbiter may act (see above) */
    bool m_failed = false;      /* a step ended the run; m_res says how */
    bool m_stop_requested = false;
    int m_stop_status = 0;
    std::string m_stop_why;
    std::uint64_t m_max = 0; /* this run's max_cycles, 0 = none */
    std::uint64_t m_quantum; /* cycles */
    const struct run_limits *m_lim = nullptr;
    struct run_result *m_res = nullptr;
    std::uint32_t m_steps = 0; /* steps since the last progress call */
};

/* The kernel behind a scheduler made by sched_systemc_new; nullptr for
 * any other scheduler (c_api.cc). */
Kernel *kernel_of_sched(struct sched *s);

} // namespace vtsim::sc

#endif
