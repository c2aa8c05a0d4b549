/*
 * kernel.cc - see kernel.hh.  The order of decisions in arbitrate(), the
 * handling of a step's outcome and the run-end messages follow sim/sched.c
 * line for line: equal stats at a quantum of one cycle depend on it.
 */
#include "sim/systemc/kernel.hh"

#include <cstdio>
#include <cstring>

#include <tlm_utils/tlm_quantumkeeper.h>

namespace vtsim::sc {

static const std::uint32_t PROGRESS_STEPS = 65536u; /* as in sim/sched.c */

Kernel::Kernel(sc_core::sc_module_name name, std::uint64_t quantum)
    : sc_core::sc_module(name), m_quantum(quantum)
{
    tlm_utils::tlm_quantumkeeper::set_global_quantum(cycles_to_time(quantum));
    SC_HAS_PROCESS(Kernel);
    /* Runs once at the start of the first run (initialisation), then on
     * every kick, due event and new run. */
    SC_METHOD(arbitrate);
    sensitive << m_kick << m_timer << m_resume;
}

Kernel::~Kernel() = default;

int Kernel::add_hart(struct hart *h)
{
    if (!h || !h->ops || !h->ops->step || m_started ||
        sc_core::sc_get_status() != sc_core::SC_ELABORATION)
        return -1;
    for (const auto &p : m_procs)
        if (p->hart() == h)
            return -1;
    unsigned id = static_cast<unsigned>(m_procs.size());
    char name[32];
    std::snprintf(name, sizeof(name), "hart%u", id);
    try {
        m_woken.reserve(id + 1); /* so wake() never allocates */
        m_procs.push_back(std::make_unique<HartProc>(name, *this, h));
    } catch (const std::bad_alloc &) {
        return -1;
    }
    h->id = id;
    h->clock = m_now;
    h->sleeping = false;
    h->cycles = h->sleep_cycles = h->retired = 0;
    std::memset(&h->fatal, 0, sizeof(h->fatal));
    return 0;
}

int Kernel::route_memory(struct memsys *ms, unsigned ncores)
{
    if (!ms || ncores == 0 || m_memory || m_started ||
        sc_core::sc_get_status() != sc_core::SC_ELABORATION)
        return -1;
    m_memory = std::make_unique<MemoryRoute>("mem", ms, ncores);
    return 0;
}

int Kernel::set_cycle_period(std::uint64_t units)
{
    if (units == 0 || m_started || sc_core::sc_get_status() != sc_core::SC_ELABORATION)
        return -1;
    sc::set_cycle_period(units);
    tlm_utils::tlm_quantumkeeper::set_global_quantum(cycles_to_time(m_quantum));
    return 0;
}

int Kernel::route_ctl(struct ctl *c)
{
    if (!c || m_ctl || m_started || sc_core::sc_get_status() != sc_core::SC_ELABORATION)
        return -1;
    m_ctl = std::make_unique<CtlRoute>("ctl", c);
    return 0;
}

std::uint64_t Kernel::post(std::uint64_t when, event_fn fn, void *ctx)
{
    if (!fn)
        return 0;
    /* The arbiter is either running (and re-arms its timer before it
     * waits) or will run once the current step's turn ends. */
    return m_events.post(when < m_now ? m_now : when, fn, ctx);
}

void Kernel::wake(unsigned hart, std::uint64_t when)
{
    if (hart >= m_procs.size() || !m_procs[hart]->hart()->sleeping)
        return;
    struct hart *h = m_procs[hart]->hart();
    std::uint64_t t = h->clock;
    if (when > t)
        t = when;
    if (m_now > t)
        t = m_now;
    h->sleep_cycles += t - h->clock;
    h->clock = t;
    h->sleeping = false;
    /* Its thread is nudged by the arbiter, the one place that always runs
     * inside SystemC's evaluation phase, before time can move on. */
    m_woken.push_back(hart);
}

void Kernel::stop(int status, const char *why)
{
    if (m_stop_requested)
        return;
    m_stop_requested = true;
    m_stop_status = status;
    /* The native scheduler keeps 119 characters; so must this one, for
     * equal run messages. */
    m_stop_why.assign(why ? why : "exit requested");
    if (m_stop_why.size() > 119)
        m_stop_why.resize(119);
}

int Kernel::run(const struct run_limits *lim, struct run_result *res)
{
    if (!res)
        return -1;
    std::memset(res, 0, sizeof(*res));
    if (m_running) {
        res->reason = STOP_FATAL;
        std::snprintf(res->message, sizeof(res->message),
                      "internal error: sched_run called from inside a run");
        return -1;
    }
    if (m_procs.empty()) {
        res->reason = STOP_NO_HARTS;
        std::snprintf(res->message, sizeof(res->message), "the machine has no harts to run");
        m_stop_requested = false;
        return 0;
    }
    m_lim = lim;
    m_max = lim ? lim->max_cycles : 0;
    m_res = res;
    m_steps = 0;
    m_failed = false;
    m_running = true;
    m_active = true;
    if (m_started)
        m_resume.notify(sc_core::SC_ZERO_TIME);
    m_started = true;
    sc_core::sc_start();
    if (m_active) {
        /* SystemC ran out of activity before the arbiter decided: every
         * actor waits for something that will never come. */
        m_active = false;
        res->reason = STOP_IDLE;
        std::snprintf(res->message, sizeof(res->message),
                      "internal error: the SystemC kernel ran out of activity");
    }
    m_running = false;
    m_stop_requested = false;
    m_res = nullptr;
    res->end_cycle = max_clock();
    return 0;
}

int Kernel::start_embedded(const struct run_limits *lim, struct run_result *res)
{
    if (!res || m_running || m_started)
        return -1;
    std::memset(res, 0, sizeof(*res));
    m_lim = lim;
    m_max = lim ? lim->max_cycles : 0;
    m_res = res;
    m_running = true;
    m_active = true;
    m_embedded = true;
    m_started = true;
    /* The arbiter may already have run its initialisation (and found
     * nothing to do): wake it, as a continued run does. */
    m_resume.notify(sc_core::SC_ZERO_TIME);
    return 0;
}

void Kernel::external_begin()
{
    std::uint64_t t = duration_to_cycles(sc_core::sc_time_stamp());
    if (t > m_now)
        m_now = t;
}

void Kernel::turn(HartProc &p)
{
    struct hart *h = p.hart();
    tlm_utils::tlm_quantumkeeper &keeper = p.keeper();
    keeper.reset();
    for (;;) {
        std::uint64_t before = h->clock;
        if (!step(h))
            break;
        keeper.inc(cycles_to_time(h->clock - before));
        if (++m_steps == PROGRESS_STEPS) {
            m_steps = 0;
            if (m_lim && m_lim->progress) {
                struct hart *first = next_hart();
                m_lim->progress(m_lim->progress_ctx, first ? first->clock : m_now);
            }
        }
        if (m_stop_requested || h->sleeping || !below_limit(h->clock) || keeper.need_sync())
            break;
    }
    m_turn = NO_TURN;
    m_kick.notify();
}

/* One step of h at its clock; false when it ended the run (m_res filled). */
bool Kernel::step(struct hart *h)
{
    struct step_out out = {0, 0};
    m_now = h->clock;
    enum step_status st = h->ops->step(h, h->clock, &out);
    switch (st) {
    case STEP_OK:
        if (out.cycles == 0) {
            end_front_end_bug(h, "a step returned STEP_OK with 0 cycles");
            return false;
        }
        break;
    case STEP_HALT:
        break;
    case STEP_FATAL:
        end_fatal(h);
        return false;
    default:
        end_front_end_bug(h, "a step returned an unknown status");
        return false;
    }
    if (out.cycles > UINT64_MAX - h->clock) {
        end_front_end_bug(h, "a step's cycles overflow the clock");
        return false;
    }
    h->clock += out.cycles;
    h->cycles += out.cycles;
    h->retired += out.retired;
    if (st == STEP_HALT)
        h->sleeping = true;
    return true;
}

void Kernel::arbitrate()
{
    if (!m_active || m_turn != NO_TURN)
        return;
    m_timer.cancel();
    for (;;) {
        flush_wakes();
        if (m_failed)
            return finish(STOP_FATAL);
        if (m_stop_requested) {
            m_res->exit_status = m_stop_status;
            std::snprintf(m_res->message, sizeof(m_res->message), "%s (status %d)",
                          m_stop_why.c_str(), m_stop_status);
            return finish(STOP_EXIT);
        }
        const sc_core::sc_time &t = sc_core::sc_time_stamp();
        struct hart *h = next_hart();
        if (!m_events.empty()) {
            std::uint64_t et = m_events.next_time();
            if (below_limit(et) && (!h || et <= h->clock)) {
                if (cycles_to_time(et) > t) {
                    m_timer.notify(cycles_to_time(et) - t);
                    return;
                }
                fire_next();
                continue;
            }
        }
        if (!h && m_events.empty()) {
            /* Embedded, a peripheral may still wake a hart
             * (external_begin); the run waits for it. */
            if (m_embedded)
                return;
            std::snprintf(m_res->message, sizeof(m_res->message),
                          "every hart is asleep and no event is pending");
            return finish(STOP_IDLE);
        }
        if (!h || !below_limit(h->clock))
            return end_limit();
        HartProc &p = *m_procs[h->id];
        /* Its thread kicks us when it arrives at its clock. */
        if (cycles_to_time(h->clock) > t || !p.arrived())
            return;
        m_turn = h->id;
        p.grant();
        return;
    }
}

void Kernel::flush_wakes()
{
    for (unsigned id : m_woken)
        m_procs[id]->nudge();
    m_woken.clear();
}

struct hart *Kernel::next_hart() const
{
    struct hart *best = nullptr;
    for (const auto &p : m_procs) {
        struct hart *h = p->hart();
        if (!h->sleeping && (!best || h->clock < best->clock))
            best = h; /* ids ascend, so the first of equal clocks wins */
    }
    return best;
}

/* The callback may post, cancel or wake; the event has left the queue, so
 * cancelling its own id reports false. */
void Kernel::fire_next()
{
    EventQueue::Due d = m_events.pop();
    m_now = d.time;
    d.fn(d.ctx, d.time);
}

void Kernel::finish(enum stop_reason reason)
{
    m_res->reason = reason;
    m_active = false;
    if (m_embedded) {
        /* What run() does after its sc_start returns. */
        m_running = false;
        m_stop_requested = false;
        m_res->end_cycle = max_clock();
        m_res = nullptr;
        m_done.notify(sc_core::SC_ZERO_TIME);
        return;
    }
    sc_core::sc_pause(); /* not sc_stop: a later sched_run continues */
}

void Kernel::end_limit()
{
    bool runnable = next_hart() != nullptr;
    if (runnable)
        std::snprintf(m_res->message, sizeof(m_res->message), "run.max_cycles (%llu) reached",
                      (unsigned long long)m_max);
    else
        std::snprintf(m_res->message, sizeof(m_res->message),
                      "run.max_cycles (%llu) reached with every hart asleep until an event at %llu",
                      (unsigned long long)m_max, (unsigned long long)m_events.next_time());
    finish(STOP_MAX_CYCLES);
}

void Kernel::end_fatal(const struct hart *h)
{
    m_failed = true;
    m_res->fatal = h->fatal;
    m_res->fatal.hart = h->id;
    if (m_res->fatal.nbytes > sizeof(m_res->fatal.bytes))
        m_res->fatal.nbytes = sizeof(m_res->fatal.bytes);
    m_res->fatal.cause[sizeof(m_res->fatal.cause) - 1] = '\0';
    std::snprintf(m_res->message, sizeof(m_res->message), "hart %u: %s", h->id,
                  m_res->fatal.cause[0] ? m_res->fatal.cause : "fatal error (no cause given)");
}

/* A step broke the hart_ops contract: the run ends rather than loops or
 * corrupts the clock; the hart's own fatal info is not trusted. */
void Kernel::end_front_end_bug(const struct hart *h, const char *what)
{
    m_failed = true;
    std::memset(&m_res->fatal, 0, sizeof(m_res->fatal));
    m_res->fatal.hart = h->id;
    std::snprintf(m_res->fatal.cause, sizeof(m_res->fatal.cause),
                  "front-end bug: %s at clock %llu", what, (unsigned long long)h->clock);
    std::snprintf(m_res->message, sizeof(m_res->message), "hart %u: %s", h->id,
                  m_res->fatal.cause);
}

std::uint64_t Kernel::max_clock() const
{
    std::uint64_t m = 0;
    for (const auto &p : m_procs)
        if (p->hart()->clock > m)
            m = p->hart()->clock;
    return m;
}

} // namespace vtsim::sc
