/*
 * memory_port.cc - see memory_port.hh.  Hot when enabled: one payload
 * round trip per simulated memory reference.
 */
#include "sim/systemc/memory_port.hh"

#include <cstdio>
#include <cstring>

#include "sim/systemc/cycle_time.hh"

namespace vtsim::sc {

CorePort::CorePort(sc_core::sc_module_name name, unsigned core)
    : sc_core::sc_module(name), socket("socket")
{
    m_ext.core = core;
    std::memset(m_data, 0, sizeof(m_data));
    m_gp.set_data_ptr(m_data);
    m_gp.set_byte_enable_ptr(nullptr);
    m_gp.set_extension(&m_ext);
}

CorePort::~CorePort()
{
    /* The extension is a member, not the payload's to delete. */
    m_gp.clear_extension(&m_ext);
}

std::uint32_t CorePort::access(std::uint64_t paddr, unsigned size, enum mem_kind kind,
                               unsigned vm, std::uint64_t now, struct mem_result *out)
{
    /* memsys_access() treats a size of 0 as 1; so does the transaction. */
    unsigned len = size ? size : 1;
    m_gp.set_command(kind == MEM_WRITE || kind == MEM_RMW ? tlm::TLM_WRITE_COMMAND
                                                           : tlm::TLM_READ_COMMAND);
    m_gp.set_address(paddr);
    m_gp.set_data_length(len);
    m_gp.set_streaming_width(len);
    m_gp.set_dmi_allowed(false);
    m_gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    m_ext.kind = kind;
    m_ext.vm = vm;
    m_ext.now = now;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(m_gp, delay);
    if (out)
        *out = m_ext.result;
    /* The cores' contract has no failure; an error response (a size over
     * 64 bytes, which memsys_access() would also reject) costs nothing,
     * as memsys_access() answers a bad core or kind. */
    if (!m_gp.is_response_ok())
        return 0;
    return static_cast<std::uint32_t>(duration_to_cycles(delay));
}

MemoryRoute::MemoryRoute(sc_core::sc_module_name name, struct memsys *ms, unsigned ncores)
    : sc_core::sc_module(name), m_ms(ms), m_target("memory", ms, ncores)
{
    for (unsigned c = 0; c < ncores; c++) {
        char n[32];
        std::snprintf(n, sizeof(n), "core%u", c);
        m_cores.push_back(std::make_unique<CorePort>(n, c));
        m_cores.back()->socket.bind(m_target.socket);
    }
    memsys_set_port(ms, &MemoryRoute::port, this);
}

MemoryRoute::~MemoryRoute()
{
    memsys_set_port(m_ms, nullptr, nullptr);
}

std::uint32_t MemoryRoute::port(void *ctx, unsigned core, std::uint64_t paddr, unsigned size,
                                enum mem_kind kind, unsigned vm, std::uint64_t now,
                                struct mem_result *out)
{
    auto *r = static_cast<MemoryRoute *>(ctx);
    if (core >= r->m_cores.size()) {
        if (out)
            std::memset(out, 0, sizeof(*out));
        return 0; /* as memsys_access() answers a core it does not have */
    }
    return r->m_cores[core]->access(paddr, size, kind, vm, now, out);
}

} // namespace vtsim::sc
