/*
 * c_api.cc - sched_systemc.h: the SystemC kernel behind the C scheduler
 * interface.  Every operation catches C++ exceptions here, at the boundary,
 * because C callers cannot unwind: an allocation failure or a SystemC
 * error report becomes the operation's documented failure value.
 */
#include "sim/systemc/sched_systemc.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>

#include "sim/systemc/kernel.hh"

namespace {

struct sc_sched {
    struct sched base; /* first, so a struct sched * is a struct sc_sched * */
    vtsim::sc::Kernel *kernel;
};

vtsim::sc::Kernel &kernel_of(struct sched *s)
{
    return *reinterpret_cast<sc_sched *>(s)->kernel;
}

const vtsim::sc::Kernel &kernel_of(const struct sched *s)
{
    return *reinterpret_cast<const sc_sched *>(s)->kernel;
}

/* A SystemC error inside an operation: report it once on stderr (the run
 * then ends through the operation's failure value). */
void report(const char *op, const std::exception &e)
{
    std::fprintf(stderr, "vtsim: SystemC kernel: %s: %s\n", op, e.what());
}

int op_add_hart(struct sched *s, struct hart *h)
{
    try {
        return kernel_of(s).add_hart(h);
    } catch (const std::exception &e) {
        report("add_hart", e);
        return -1;
    }
}

uint64_t op_post(struct sched *s, uint64_t when, event_fn fn, void *ctx)
{
    try {
        return kernel_of(s).post(when, fn, ctx);
    } catch (...) {
        return 0; /* no memory: the contract's answer */
    }
}

bool op_cancel(struct sched *s, uint64_t id)
{
    return kernel_of(s).cancel(id);
}

void op_wake(struct sched *s, unsigned hart, uint64_t when)
{
    kernel_of(s).wake(hart, when);
}

void op_stop(struct sched *s, int status, const char *why)
{
    try {
        kernel_of(s).stop(status, why);
    } catch (const std::exception &e) {
        report("stop", e);
    }
}

uint64_t op_now(const struct sched *s)
{
    return kernel_of(s).now();
}

int op_run(struct sched *s, const struct run_limits *lim, struct run_result *res)
{
    try {
        return kernel_of(s).run(lim, res);
    } catch (const std::exception &e) {
        report("run", e);
        return -1;
    }
}

void op_free(struct sched *s)
{
    auto *c = reinterpret_cast<sc_sched *>(s);
    /* The simulation ends for good here; the harts' threads stay parked
     * and are never resumed. */
    if (sc_core::sc_get_status() == sc_core::SC_PAUSED) {
        /* sc_stop announces itself on stdout, which is vtsim's. */
        sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                                sc_core::SC_DO_NOTHING);
        sc_core::sc_stop();
    }
    delete c->kernel;
    std::free(c);
}

const struct sched_ops systemc_ops = {
    op_add_hart, op_post, op_cancel, op_wake, op_stop, op_now, op_run, op_free,
};

bool created; /* SystemC elaborates once per process */

} // namespace

vtsim::sc::Kernel *vtsim::sc::kernel_of_sched(struct sched *s)
{
    return s && s->ops == &systemc_ops ? &kernel_of(s) : nullptr;
}

extern "C" bool sched_systemc_available(void)
{
    return true;
}

extern "C" struct sched *sched_systemc_new(uint64_t quantum, char *err, size_t errlen)
{
    /* SystemC prints a banner on stdout at its first use, and stdout
     * belongs to vtsim's own output. */
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    if (quantum == 0) {
        std::snprintf(err, errlen, "run.systemc_quantum must be at least 1 cycle");
        return nullptr;
    }
    if (created || sc_core::sc_get_status() != sc_core::SC_ELABORATION) {
        std::snprintf(err, errlen,
                      "the SystemC kernel runs one machine per process (SystemC elaborates once)");
        return nullptr;
    }
    auto *c = static_cast<sc_sched *>(std::calloc(1, sizeof(sc_sched)));
    if (!c) {
        std::snprintf(err, errlen, "out of memory");
        return nullptr;
    }
    try {
        c->kernel = new vtsim::sc::Kernel("vtsim", quantum);
    } catch (const std::exception &e) {
        std::snprintf(err, errlen, "SystemC kernel: %s", e.what());
        std::free(c);
        return nullptr;
    }
    created = true;
    c->base.ops = &systemc_ops;
    return &c->base;
}

extern "C" int sched_systemc_route_memory(struct sched *s, struct memsys *ms, unsigned ncores,
                                          char *err, size_t errlen)
{
    if (!s || s->ops != &systemc_ops) {
        std::snprintf(err, errlen, "TLM memory needs the SystemC kernel");
        return -1;
    }
    try {
        if (kernel_of(s).route_memory(ms, ncores) == 0)
            return 0;
        std::snprintf(err, errlen, "TLM memory must be set up once, before the first run");
    } catch (const std::exception &e) {
        std::snprintf(err, errlen, "SystemC kernel: %s", e.what());
    }
    return -1;
}

extern "C" int sched_systemc_route_ctl(struct sched *s, struct ctl *ctl, char *err, size_t errlen)
{
    if (!s || s->ops != &systemc_ops) {
        std::snprintf(err, errlen, "the control device as a TLM target needs the SystemC kernel");
        return -1;
    }
    try {
        if (kernel_of(s).route_ctl(ctl) == 0)
            return 0;
        std::snprintf(err, errlen, "the control device must be routed once, before the first run");
    } catch (const std::exception &e) {
        std::snprintf(err, errlen, "SystemC kernel: %s", e.what());
    }
    return -1;
}

extern "C" int sched_systemc_set_cycle_ps(struct sched *s, uint64_t ps, char *err, size_t errlen)
{
    if (!s || s->ops != &systemc_ops) {
        std::snprintf(err, errlen, "a cycle time needs the SystemC kernel");
        return -1;
    }
    try {
        /* The resolution is a power of ten seconds (IEEE 1666-2011 §5.11.3):
         * at 1 ps or finer every whole picosecond is exact; coarser, the
         * cycle must be a multiple of it. */
        sc_core::sc_time t(static_cast<double>(ps), sc_core::SC_PS);
        const sc_core::sc_time &res = sc_core::sc_get_time_resolution();
        bool exact = sc_core::sc_time(1, sc_core::SC_PS).value() >= 1;
        if (!exact) {
            auto res_ps = static_cast<std::uint64_t>(res.to_seconds() * 1e12 + 0.5);
            exact = res_ps && ps % res_ps == 0;
        }
        if (ps == 0 || t.value() == 0 || !exact) {
            std::snprintf(err, errlen, "%llu ps is not a whole number of SystemC's resolution (%s)",
                          (unsigned long long)ps, res.to_string().c_str());
            return -1;
        }
        if (kernel_of(s).set_cycle_period(t.value()) == 0)
            return 0;
        std::snprintf(err, errlen, "the cycle time must be set before the first run");
    } catch (const std::exception &e) {
        std::snprintf(err, errlen, "SystemC kernel: %s", e.what());
    }
    return -1;
}
