/*
 * ctl_target.cc - see ctl_target.hh.  Warm: one transaction per console
 * byte or phase mark.
 */
#include "sim/systemc/ctl_target.hh"

#include <cstring>

namespace vtsim::sc {

static const unsigned NREGS = CTL_VM + 1; /* the last register */

CtlTarget::CtlTarget(sc_core::sc_module_name name, struct ctl *c)
    : sc_core::sc_module(name), socket("socket"), m_ctl(c)
{
    socket.register_b_transport(this, &CtlTarget::b_transport);
}

void CtlTarget::b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay)
{
    (void)delay; /* no time of its own: see the header */
    unsigned len = gp.get_data_length();
    std::uint64_t a = gp.get_address();
    if (gp.get_byte_enable_ptr()) {
        gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    if (len == 0 || len > 8 || gp.get_streaming_width() < len) {
        gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (a % 8 != 0 || a / 8 >= NREGS) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    unsigned char *p = gp.get_data_ptr();
    if (gp.is_read()) {
        std::memset(p, 0, len);
    } else if (gp.is_write()) {
        std::uint64_t v = 0;
        for (unsigned i = 0; i < len; i++)
            v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
        CtlHart *h = nullptr;
        gp.get_extension(h);
        ctl_write_direct(m_ctl, h ? h->hart : 0, static_cast<enum ctl_reg>(a / 8), v);
    }
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

CtlRoute::CtlRoute(sc_core::sc_module_name name, struct ctl *c)
    : sc_core::sc_module(name), m_socket("socket"), m_target("device", c)
{
    m_socket.bind(m_target.socket);
    std::memset(m_data, 0, sizeof(m_data));
    m_gp.set_data_ptr(m_data);
    m_gp.set_byte_enable_ptr(nullptr);
    m_gp.set_extension(&m_ext);
    m_port.write = &CtlRoute::write;
    m_port.ctx = this;
    ctl_set_port(c, &m_port);
}

CtlRoute::~CtlRoute()
{
    /* The extension is a member, not the payload's to delete. */
    m_gp.clear_extension(&m_ext);
}

void CtlRoute::write(void *ctx, unsigned hart, enum ctl_reg reg, std::uint64_t val)
{
    auto *r = static_cast<CtlRoute *>(ctx);
    for (unsigned i = 0; i < 8; i++)
        r->m_data[i] = static_cast<unsigned char>(val >> (8 * i));
    r->m_gp.set_command(tlm::TLM_WRITE_COMMAND);
    r->m_gp.set_address(static_cast<std::uint64_t>(reg) * 8);
    r->m_gp.set_data_length(8);
    r->m_gp.set_streaming_width(8);
    r->m_gp.set_dmi_allowed(false);
    r->m_gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    r->m_ext.hart = hart;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    r->m_socket->b_transport(r->m_gp, delay);
    r->m_transactions++;
}

} // namespace vtsim::sc
