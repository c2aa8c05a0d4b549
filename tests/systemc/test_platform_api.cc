/*
 * test_platform_api.cc - vtsim::Platform's contract (vtsim/platform.hh)
 * seen from a program: bad studies throw from the constructor before
 * anything is elaborated (so several can be tried in one process), a
 * sweep is refused, window(name) throws for a name the study lacks, and a
 * good study runs in the program's sc_start, stops the simulation when
 * its firmware exits, and leaves a results folder.  A DMA initiator bound
 * to the Platform's memory socket writes and reads back RAM, with the
 * DRAM latency in the delay, and gets an address error outside memory.
 *
 *   test_platform_api IMAGE OUT_DIR    (IMAGE: a bare-metal IA-32 program
 *                                       that exits 0, e.g. x86_hello.elf)
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>
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

/* A target nobody accesses (the program does not touch the window). */
struct Idle : sc_core::sc_module {
    tlm_utils::simple_target_socket<Idle> socket;
    unsigned calls = 0;
    explicit Idle(sc_core::sc_module_name n) : sc_core::sc_module(n), socket("socket")
    {
        socket.register_b_transport(this, &Idle::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &)
    {
        calls++;
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

/* Reads and writes the machine's memory at time 0. */
struct Dma : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Dma> socket;
    SC_HAS_PROCESS(Dma);
    explicit Dma(sc_core::sc_module_name n) : sc_core::sc_module(n), socket("socket")
    {
        SC_THREAD(run);
    }
    tlm::tlm_response_status go(tlm::tlm_command cmd, std::uint64_t addr, unsigned char *buf,
                                unsigned len, sc_core::sc_time &d)
    {
        tlm::tlm_generic_payload gp;
        gp.set_command(cmd);
        gp.set_address(addr);
        gp.set_data_ptr(buf);
        gp.set_data_length(len);
        gp.set_streaming_width(len);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        socket->b_transport(gp, d);
        return gp.get_response_status();
    }
    void run()
    {
        unsigned char out[5] = {'v', 't', 's', 'i', 'm'}, in[5] = {0};
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        CHECK(go(tlm::TLM_WRITE_COMMAND, 0x200000, out, 5, d) == tlm::TLM_OK_RESPONSE);
        CHECK(d == sc_core::sc_time(240, sc_core::SC_PS)); /* the study's dram.latency */
        CHECK(go(tlm::TLM_READ_COMMAND, 0x200000, in, 5, d) == tlm::TLM_OK_RESPONSE);
        CHECK(std::memcmp(in, out, 5) == 0);
        CHECK(go(tlm::TLM_READ_COMMAND, 0xFFFFFFFF0000ull, in, 5, d) ==
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
        ok = true;
    }
    bool ok = false;
};

std::string write_study(const std::string &dir, const std::string &name, const std::string &image,
                        const std::string &extra)
{
    std::string path = dir + "/" + name + ".yaml";
    std::ofstream f(path);
    f << "study: api-" << name << "\n"
      << "machine:\n  preset: core2\n  cores: 1\n  dram: {latency: 240}\n"
      << "  external:\n    - {name: dev, base: 0xFE000000}\n"
      << "vms:\n  - {name: p, image: " << image << "}\n"
      << extra;
    return path;
}

/* True when constructing a Platform for `study` throws runtime_error
 * whose message contains `what`. */
bool refused(const std::string &study, const vtsim::PlatformOptions &o, const char *what)
{
    try {
        vtsim::Platform p("bad", study, o);
    } catch (const std::runtime_error &e) {
        if (std::string(e.what()).find(what) != std::string::npos)
            return true;
        std::fprintf(stderr, "unexpected message: %s\n", e.what());
        return false;
    }
    return false;
}

} // namespace

int sc_main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: test_platform_api IMAGE OUT_DIR\n");
        return 2;
    }
    std::string image = argv[1], out = argv[2];
    std::string base = out + "/studies";
    std::system(("rm -rf '" + out + "' && mkdir -p '" + base + "'").c_str());
    vtsim::PlatformOptions o;
    o.out_dir = out + "/run";

    CHECK(refused(base + "/absent.yaml", o, "cannot load"));
    std::string sweep =
        write_study(base, "sweep", image, "sweep:\n  machine.bpred.mispredict_penalty: [5, 30]\n");
    CHECK(refused(sweep, o, "2 sweep points"));
    vtsim::PlatformOptions bad = o;
    bad.sets.push_back("machine.no_such_key=1");
    std::string good = write_study(base, "good", image, "run: {max_cycles: 10M}\n");
    CHECK(refused(good, bad, "bad override"));

    vtsim::Platform p("platform", good, o);
    CHECK(p.windows() == 1);
    bool threw = false;
    try {
        p.window("nope");
    } catch (const std::out_of_range &) {
        threw = true;
    }
    CHECK(threw);
    CHECK(!p.done() && !p.ok());
    Idle dev("dev");
    p.window("dev").bind(dev.socket);
    Dma dma("dma");
    dma.socket.bind(p.memory);
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                            sc_core::SC_DO_NOTHING);
    sc_core::sc_start(); /* returns: the Platform stops the simulation */
    CHECK(p.done() && p.ok());
    CHECK(p.exit_status() == 0);
    CHECK(p.results_dir() == o.out_dir);
    CHECK(std::ifstream(o.out_dir + "/stats.json").good());
    CHECK(std::ifstream(o.out_dir + "/manifest.json").good());
    CHECK(dev.calls == 0);
    CHECK(dma.ok);
    if (failures)
        std::fprintf(stderr, "test_platform_api: %d failures\n", failures);
    return failures ? 1 : 0;
}
