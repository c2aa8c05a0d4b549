/*
 * hart_proc.hh - one hart as a SystemC module: an SC_THREAD that waits for
 * the hart's turn, lets the kernel step it (Kernel::turn), and keeps the
 * hart's local time with a tlm_utils::tlm_quantumkeeper between turns.
 *
 * The thread's life, forever:
 *   sleeping?  wait for m_wake (sched_wake)
 *   catch up:  local time = hart clock - SystemC time; sync (a timed wait)
 *   arrive:    tell the kernel, wait for m_grant
 *   turn:      Kernel::turn steps the hart until the quantum is used up
 * The hart's clock (struct hart) is the truth; the quantum keeper holds the
 * same offset from SystemC time, so a decoupled hart runs ahead by at most
 * one quantum before it waits for the rest of the system.
 */
#ifndef VTSIM_SIM_SYSTEMC_HART_PROC_HH
#define VTSIM_SIM_SYSTEMC_HART_PROC_HH

#include <systemc>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "model/base/sched.h"

namespace vtsim::sc {

class Kernel;

class HartProc : public sc_core::sc_module {
  public:
    HartProc(sc_core::sc_module_name name, Kernel &kernel, struct hart *h);

    struct hart *hart() const { return m_hart; }
    /* The thread waits for its grant at the hart's clock. */
    bool arrived() const { return m_arrived; }
    /* Give the arrived hart its turn (called by the kernel's arbiter). */
    void grant() { m_grant.notify(); }
    /* Nudge a thread whose hart was woken; the hart's state is the truth,
     * so a nudge nobody waits for is harmless. */
    void nudge() { m_wake.notify(); }
    tlm_utils::tlm_quantumkeeper &keeper() { return m_keeper; }

  private:
    void body();

    Kernel &m_kernel;
    struct hart *m_hart;
    tlm_utils::tlm_quantumkeeper m_keeper;
    sc_core::sc_event m_grant; /* the arbiter's go-ahead */
    sc_core::sc_event m_wake;  /* the hart left its sleep */
    bool m_arrived = false;
};

} // namespace vtsim::sc

#endif
