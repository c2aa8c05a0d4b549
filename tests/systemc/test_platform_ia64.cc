/*
 * test_platform_ia64.cc - an external window on an IA-64 machine: the
 * front end's stores and loads reach the window's target with their data
 * (an 8-byte store at offset 0, 4-byte loads at offset 8 answered by the
 * target), and the target's annotated latency delays the hart: a load
 * that waits for the first load's data happens at least that latency
 * after it.  (The store's latency goes into the store buffer, as a
 * cached store's does, so it is not what is measured.)  IA-32 is covered by
 * examples/systemc.
 *
 *   test_platform_ia64 IMAGE OUT_DIR    (IMAGE: ia64_window.elf)
 */
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <systemc>
#include <tlm_utils/simple_target_socket.h>
#include <vtsim/platform.hh>

namespace {

int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);          \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

const std::uint64_t LATENCY = 5000; /* cycles, far above any cache or uncached latency */

/* Records each access and the initiator's time of it (SystemC time plus
 * the incoming delay, IEEE 1666-2011 §11.1.2.1). */
struct Recorder : sc_core::sc_module {
    tlm_utils::simple_target_socket<Recorder> socket;
    struct Access {
        bool write;
        std::uint64_t addr, data;
        unsigned len;
        std::uint64_t at;
    };
    std::vector<Access> seen;
    explicit Recorder(sc_core::sc_module_name n) : sc_core::sc_module(n), socket("socket")
    {
        socket.register_b_transport(this, &Recorder::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay)
    {
        Access a{gp.is_write(), gp.get_address(), 0, gp.get_data_length(),
                 (sc_core::sc_time_stamp() + delay).value()};
        unsigned char *p = gp.get_data_ptr();
        if (gp.is_read()) {
            std::uint64_t v = 0xCAFEF00D;
            for (unsigned i = 0; i < a.len; i++)
                p[i] = static_cast<unsigned char>(v >> (8 * i));
        }
        for (unsigned i = 0; i < a.len; i++)
            a.data |= static_cast<std::uint64_t>(p[i]) << (8 * i);
        seen.push_back(a);
        delay += sc_core::sc_time::from_value(LATENCY); /* cycle = 1 ps by default */
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

} // namespace

int sc_main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: test_platform_ia64 IMAGE OUT_DIR\n");
        return 2;
    }
    std::string out = argv[2];
    std::system(("rm -rf '" + out + "' && mkdir -p '" + out + "'").c_str());
    std::string study = out + "/ia64-window.yaml";
    std::ofstream(study) << "study: ia64-window\n"
                         << "machine:\n  preset: itanium2\n  cores: 1\n  memory: 64MiB\n"
                         << "  external:\n    - {name: dev, base: 0xFE000000}\n"
                         << "vms:\n  - {name: p, image: " << argv[1] << "}\n"
                         << "run: {max_cycles: 1M}\n";
    vtsim::PlatformOptions o;
    o.out_dir = out + "/run";
    vtsim::Platform p("platform", study, o);
    Recorder dev("dev");
    p.window("dev").bind(dev.socket);
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                            sc_core::SC_DO_NOTHING);
    sc_core::sc_start();
    CHECK(p.done() && p.ok() && p.exit_status() == 0);
    CHECK(dev.seen.size() == 3);
    if (dev.seen.size() == 3) {
        const Recorder::Access &st = dev.seen[0], &ld = dev.seen[1], &ld2 = dev.seen[2];
        CHECK(st.write && st.addr == 0 && st.len == 8 && st.data == 0x1122334455667788ull);
        CHECK(!ld.write && ld.addr == 8 && ld.len == 4 && ld.data == 0xCAFEF00Dull);
        CHECK(!ld2.write && ld2.addr == 8 && ld2.len == 4);
        CHECK(ld2.at >= ld.at + LATENCY);
    }
    if (failures)
        std::fprintf(stderr, "test_platform_ia64: %d failures\n", failures);
    return failures ? 1 : 0;
}
