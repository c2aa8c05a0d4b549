/*
 * memory_port.hh - the harts' way to the memory hierarchy under the SystemC
 * kernel with run.systemc_tlm_memory: one TLM-2.0 initiator socket per core,
 * all bound to one MemoryTarget over the machine's memsys.
 *
 * The cores call memsys_access() as always; MemoryRoute installs itself as
 * that memsys' port (memsys_set_port), so every access becomes a generic
 * payload with a MemAccess extension (core, kind, VM, the hart's cycle)
 * sent with b_transport from the core's socket, and the latency the cores
 * get back is the delay the target annotated.  The transaction starts with
 * a zero delay: the hart's own clock, which the extension carries, is
 * where the access happens, and the quantum keeper of the hart's thread
 * (hart_proc.hh) already accounts for its local time.  Since the target
 * answers with memsys_access_direct(), the latencies and every cache stat
 * are those of the direct call; tests/systemc/ checks it on whole studies.
 *
 * Built during elaboration (before the first run), once per machine; its
 * destructor removes the port, so the memsys can outlive it.
 */
#ifndef VTSIM_SIM_SYSTEMC_MEMORY_PORT_HH
#define VTSIM_SIM_SYSTEMC_MEMORY_PORT_HH

#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "sim/systemc/memsys_c.hh"
#include "sim/systemc/memory_target.hh"

namespace vtsim::sc {

/* One core's initiator: a reusable payload and extension, so an access
 * allocates nothing. */
class CorePort : public sc_core::sc_module {
  public:
    tlm_utils::simple_initiator_socket<CorePort> socket;

    CorePort(sc_core::sc_module_name name, unsigned core);
    ~CorePort() override;
    std::uint32_t access(std::uint64_t paddr, unsigned size, enum mem_kind kind, unsigned vm,
                         std::uint64_t now, struct mem_result *out);

  private:
    tlm::tlm_generic_payload m_gp;
    MemAccess m_ext;
    unsigned char m_data[64]; /* never read: the target is timing only */
};

class MemoryRoute : public sc_core::sc_module {
  public:
    MemoryRoute(sc_core::sc_module_name name, struct memsys *ms, unsigned ncores);
    ~MemoryRoute() override;

    const MemoryTarget &target() const { return m_target; }

  private:
    static std::uint32_t port(void *ctx, unsigned core, std::uint64_t paddr, unsigned size,
                              enum mem_kind kind, unsigned vm, std::uint64_t now,
                              struct mem_result *out);

    struct memsys *m_ms;
    MemoryTarget m_target;
    std::vector<std::unique_ptr<CorePort>> m_cores;
};

} // namespace vtsim::sc

#endif
