/*
 * ctl_target.hh - the simulator-control device (model/platform/ctl.h) as a
 * TLM-2.0 target, and the route that sends its register writes there
 * under the SystemC kernel with run.systemc_tlm_memory.
 *
 * The target's address map is the device's IA-64 MMIO layout, whichever
 * ISA wrote: register r at 8 * r (console 0x00, exit 0x08, arg 0x10, cmd
 * 0x18, name base 0x20, count 0x28, vm 0x30); IA-32's I/O ports reach the same
 * registers (ctl_port_write maps them).  A write carries the value in
 * little-endian bytes (1 to 8) and the writing hart in a CtlHart
 * extension; without it the write counts as hart 0's.  Reads return
 * zeros, as the device's registers read.  The target adds no delay: the
 * access's cost is the uncached access the cores already charge, so the
 * stats are those of direct calls.  Other addresses get
 * TLM_ADDRESS_ERROR_RESPONSE, other lengths TLM_BURST_ERROR_RESPONSE,
 * byte enables TLM_BYTE_ENABLE_ERROR_RESPONSE (IEEE 1666-2011 §14.17).
 *
 * The route installs itself as the device's port (ctl_set_port) once,
 * during elaboration; the device is freed before the route (machine_free),
 * so the route never touches it on destruction.
 */
#ifndef VTSIM_SIM_SYSTEMC_CTL_TARGET_HH
#define VTSIM_SIM_SYSTEMC_CTL_TARGET_HH

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

extern "C" {
#include "model/platform/ctl.h"
}

namespace vtsim::sc {

/* The hart that writes (ignorable extension, IEEE 1666-2011 §14.2.2). */
struct CtlHart : tlm::tlm_extension<CtlHart> {
    unsigned hart = 0;
    tlm::tlm_extension_base *clone() const override { return new CtlHart(*this); }
    void copy_from(const tlm::tlm_extension_base &e) override
    {
        hart = static_cast<const CtlHart &>(e).hart;
    }
};

class CtlTarget : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<CtlTarget> socket;
    CtlTarget(sc_core::sc_module_name name, struct ctl *c);

  private:
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    struct ctl *m_ctl;
};

class CtlRoute : public sc_core::sc_module {
  public:
    CtlRoute(sc_core::sc_module_name name, struct ctl *c);
    ~CtlRoute() override;
    std::uint64_t transactions() const { return m_transactions; }

  private:
    static void write(void *ctx, unsigned hart, enum ctl_reg reg, std::uint64_t val);

    tlm_utils::simple_initiator_socket<CtlRoute> m_socket;
    CtlTarget m_target;
    struct ctl_port m_port;
    tlm::tlm_generic_payload m_gp;
    CtlHart m_ext;
    unsigned char m_data[8];
    std::uint64_t m_transactions = 0;
};

} // namespace vtsim::sc

#endif
