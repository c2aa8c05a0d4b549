/* hart_proc.cc - see hart_proc.hh. */
#include "sim/systemc/hart_proc.hh"

#include "sim/systemc/cycle_time.hh"
#include "sim/systemc/kernel.hh"

namespace vtsim::sc {

/* Front ends decode and execute on this stack; 4 MiB leaves room for a
 * sanitizer build's larger frames.  Pages are touched only when used. */
static const std::size_t HART_STACK = 4u << 20;

HartProc::HartProc(sc_core::sc_module_name name, Kernel &kernel, struct hart *h)
    : sc_core::sc_module(name), m_kernel(kernel), m_hart(h)
{
    SC_HAS_PROCESS(HartProc);
    SC_THREAD(body);
    set_stack_size(HART_STACK);
}

void HartProc::body()
{
    for (;;) {
        while (m_hart->sleeping)
            wait(m_wake);
        /* The hart may be ahead of SystemC time: it ran ahead in its last
         * turn, or was woken for a later time.  Its clock never lies behind
         * (the kernel only moves time to the earliest actor). */
        sc_core::sc_time at = cycles_to_time(m_hart->clock);
        if (at > sc_core::sc_time_stamp()) {
            m_keeper.set(at - sc_core::sc_time_stamp());
            m_keeper.sync();
        }
        m_arrived = true;
        m_kernel.arrival();
        wait(m_grant);
        m_arrived = false;
        m_kernel.turn(*this);
    }
}

} // namespace vtsim::sc
