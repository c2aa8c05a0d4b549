/*
 * memory_target.cc - see memory_target.hh.  Hot when harts are routed
 * through it: one b_transport per simulated memory reference.
 */
#include "sim/systemc/memory_target.hh"

#include "sim/systemc/cycle_time.hh"

namespace vtsim::sc {

MemoryTarget::MemoryTarget(sc_core::sc_module_name name, struct memsys *ms, unsigned ncores)
    : sc_core::sc_module(name), socket("socket"), m_ms(ms), m_ncores(ncores)
{
    socket.register_b_transport(this, &MemoryTarget::b_transport);
}

/* The access kind of an extension-less transaction; false for a command
 * that carries none. */
static bool kind_of_command(tlm::tlm_command cmd, enum mem_kind *kind)
{
    if (cmd == tlm::TLM_READ_COMMAND)
        *kind = MEM_READ;
    else if (cmd == tlm::TLM_WRITE_COMMAND)
        *kind = MEM_WRITE;
    else
        return false;
    return true;
}

void MemoryTarget::b_transport(int index, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay)
{
    gp.set_dmi_allowed(false);
    unsigned len = gp.get_data_length();
    if (len == 0 || len > 64 || gp.get_streaming_width() < len) {
        gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (gp.get_byte_enable_ptr()) {
        gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    MemAccess *ext = gp.get_extension<MemAccess>();
    MemAccess plain;
    if (!ext) {
        if (!kind_of_command(gp.get_command(), &plain.kind)) {
            gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
            return;
        }
        plain.core = static_cast<unsigned>(index);
        plain.now = time_to_cycles(sc_core::sc_time_stamp() + delay);
        ext = &plain;
    }
    if (ext->core >= m_ncores) {
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    std::uint32_t lat = memsys_access_direct(m_ms, ext->core, gp.get_address(), len, ext->kind,
                                             ext->vm, ext->now, &ext->result);
    delay += cycles_to_time(lat);
    m_transactions++;
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

} // namespace vtsim::sc
