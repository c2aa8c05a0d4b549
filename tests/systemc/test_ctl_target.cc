/*
 * test_ctl_target.cc - the control device as a TLM-2.0 target
 * (sim/systemc/ctl_target.hh): writes routed through CtlRoute must have
 * the device's direct effects (console bytes with the right hart, an exit
 * status, a phase mark with its name read from memory, counted events),
 * a twin device written directly must end with the same counters, and a
 * target driven by hand must answer bad transactions with the documented
 * error responses.  No time passes: the target adds no delay.
 */
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "sim/systemc/ctl_target.hh"

using namespace vtsim::sc;

namespace {

int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);          \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* What the device asked of the simulator. */
struct Seen {
    std::string console;
    unsigned console_hart = 99;
    int exit_status = -1;
    std::string phase;
    bool phase_begin = false;
};

void on_console(void *ctx, unsigned hart, const char *buf, size_t n)
{
    auto *s = static_cast<Seen *>(ctx);
    s->console.append(buf, n);
    s->console_hart = hart;
}

void on_phase(void *ctx, unsigned, const char *name, bool begin)
{
    auto *s = static_cast<Seen *>(ctx);
    s->phase = name;
    s->phase_begin = begin;
}

void on_exit(void *ctx, unsigned, int status)
{
    static_cast<Seen *>(ctx)->exit_status = status;
}

/* The same writes to a device, by whatever route ctl_write takes. */
void drive(struct ctl *c)
{
    for (const char *p = "hi\n"; *p; p++)
        ctl_write(c, 3, CTL_CONSOLE, static_cast<unsigned char>(*p));
    ctl_write(c, 0, CTL_ARG, 0x100);
    ctl_write(c, 0, CTL_CMD, CTL_CMD_PHASE_BEGIN);
    ctl_write(c, 0, CTL_COUNT, CTL_EV_ROUTINE);
    ctl_write(c, 0, CTL_CMD, 99); /* unknown: counted */
    ctl_write(c, 1, CTL_EXIT, 7);
}

/* Drives a bare target with malformed transactions. */
struct Prober : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Prober> socket;
    SC_HAS_PROCESS(Prober);
    explicit Prober(sc_core::sc_module_name n) : sc_core::sc_module(n), socket("socket")
    {
        SC_THREAD(run);
    }
    tlm::tlm_response_status send(tlm::tlm_command cmd, std::uint64_t addr, unsigned len,
                                  unsigned char *be = nullptr)
    {
        unsigned char data[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9, 9};
        tlm::tlm_generic_payload gp;
        gp.set_command(cmd);
        gp.set_address(addr);
        gp.set_data_ptr(data);
        gp.set_data_length(len);
        gp.set_streaming_width(len);
        gp.set_byte_enable_ptr(be);
        gp.set_byte_enable_length(be ? len : 0);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        socket->b_transport(gp, d);
        CHECK(d == sc_core::SC_ZERO_TIME);
        if (cmd == tlm::TLM_READ_COMMAND && gp.is_response_ok())
            CHECK(data[0] == 0 && data[len - 1] == 0);
        return gp.get_response_status();
    }
    void run()
    {
        unsigned char be[8] = {0xff};
        CHECK(send(tlm::TLM_WRITE_COMMAND, 0x38, 8) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
        CHECK(send(tlm::TLM_WRITE_COMMAND, 0x04, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
        CHECK(send(tlm::TLM_WRITE_COMMAND, 0x00, 16) == tlm::TLM_BURST_ERROR_RESPONSE);
        CHECK(send(tlm::TLM_WRITE_COMMAND, 0x00, 1, be) == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        CHECK(send(tlm::TLM_READ_COMMAND, 0x08, 8) == tlm::TLM_OK_RESPONSE);
        /* A write without the extension is hart 0's. */
        CHECK(send(tlm::TLM_WRITE_COMMAND, 0x00, 1) == tlm::TLM_OK_RESPONSE);
    }
};

} // namespace

int main()
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    struct physmem *pm = physmem_new();
    if (!pm || physmem_add_ram(pm, 0, 0x10000) != 0 ||
        physmem_copy_in(pm, 0x100, "boot", 5) != PM_OK)
        return 2;
    Seen routed_seen, direct_seen, probed_seen;
    struct ctl routed, direct, probed;
    struct ctl_sink rs = {on_console, on_phase, on_exit, nullptr, &routed_seen};
    struct ctl_sink ds = {on_console, on_phase, on_exit, nullptr, &direct_seen};
    struct ctl_sink ps = {on_console, on_phase, on_exit, nullptr, &probed_seen};
    ctl_init(&routed, &rs, pm);
    ctl_init(&direct, &ds, pm);
    ctl_init(&probed, &ps, pm);
    {
        CtlRoute route("route", &routed);
        CtlTarget target("target", &probed);
        Prober prober("prober");
        prober.socket.bind(target.socket);
        CHECK(routed.port != nullptr);
        drive(&routed);
        drive(&direct);
        CHECK(route.transactions() == 8);
        sc_core::sc_start();
        sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                                sc_core::SC_DO_NOTHING);
    }
    CHECK(routed_seen.console == "hi\n" && routed_seen.console_hart == 3);
    CHECK(routed_seen.exit_status == 7);
    CHECK(routed_seen.phase == "boot" && routed_seen.phase_begin);
    CHECK(routed.console_bytes == direct.console_bytes);
    CHECK(routed.commands == direct.commands && routed.commands == 2);
    CHECK(routed.bad_commands == direct.bad_commands && routed.bad_commands == 1);
    CHECK(routed.events[CTL_EV_ROUTINE] == 1 && direct.events[CTL_EV_ROUTINE] == 1);
    CHECK(direct_seen.console == routed_seen.console);
    /* Only the last, well-formed probe reached the device: byte 1, hart 0. */
    CHECK(probed.console_bytes == 1 && probed_seen.console_hart == 0);
    physmem_free(pm);
    if (failures)
        std::fprintf(stderr, "test_ctl_target: %d failures\n", failures);
    return failures ? 1 : 0;
}
