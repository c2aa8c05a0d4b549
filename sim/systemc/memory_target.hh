/*
 * memory_target.hh - the memory hierarchy (model/cache/memsys.h) as a
 * TLM-2.0 target: b_transport answers each transaction with the latency
 * memsys_access_direct() computes, added to the annotated delay (cycles
 * converted to time by cycle_time.hh, as everywhere in sim/systemc).
 *
 * Timing only: the hierarchy models where lines live and what an access
 * costs, not their contents (the machine's memory holds those), so the
 * target never reads or writes the payload's data array.  It grants no
 * DMI (a DMI pointer would bypass the timing) and has no debug transport.
 *
 * A transaction says what memsys_access() needs beyond address and length
 * through an optional MemAccess extension (core, access kind, VM, the
 * hart's cycle) and gets the full mem_result back in it.  Without one, the
 * initiator bound at multi-socket index i is core i, a read is MEM_READ, a
 * write MEM_WRITE, the VM 0, and the cycle is SystemC time plus the delay.
 *
 * Responses: TLM_OK_RESPONSE; TLM_BURST_ERROR_RESPONSE for a length of 0
 * or over 64 bytes (memsys' limit) or a streaming width below it;
 * TLM_BYTE_ENABLE_ERROR_RESPONSE for byte enables; TLM_COMMAND_ERROR for
 * TLM_IGNORE_COMMAND without an extension; TLM_GENERIC_ERROR_RESPONSE for
 * a core the hierarchy does not have.  Errors leave delay unchanged.
 */
#ifndef VTSIM_SIM_SYSTEMC_MEMORY_TARGET_HH
#define VTSIM_SIM_SYSTEMC_MEMORY_TARGET_HH

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "sim/systemc/memsys_c.hh"

namespace vtsim::sc {

/* What a transaction to the hierarchy carries besides address and length,
 * and (after b_transport) where it was served. */
struct MemAccess : tlm::tlm_extension<MemAccess> {
    unsigned core = 0;
    enum mem_kind kind = MEM_READ; /* overrides the command when present */
    unsigned vm = 0;
    std::uint64_t now = 0;         /* the initiator's cycle of the access */
    struct mem_result result = {}; /* out */

    tlm::tlm_extension_base *clone() const override { return new MemAccess(*this); }
    void copy_from(const tlm::tlm_extension_base &e) override
    {
        *this = static_cast<const MemAccess &>(e);
    }
};

class MemoryTarget : public sc_core::sc_module {
  public:
    /* Any number of initiators; index i is core i for extension-less
     * transactions. */
    tlm_utils::multi_passthrough_target_socket<MemoryTarget> socket;

    /* Over `ms`, built for `ncores` cores; it must outlive the target. */
    MemoryTarget(sc_core::sc_module_name name, struct memsys *ms, unsigned ncores);

    /* Transactions answered with TLM_OK_RESPONSE so far. */
    std::uint64_t transactions() const { return m_transactions; }

  private:
    void b_transport(int index, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);

    struct memsys *m_ms;
    unsigned m_ncores;
    std::uint64_t m_transactions = 0;
};

} // namespace vtsim::sc

#endif
