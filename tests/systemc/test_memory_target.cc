/*
 * test_memory_target.cc - the memory hierarchy as a TLM-2.0 target
 * (sim/systemc/memory_target.hh, memory_port.hh) against direct calls.
 *
 * A driver thread sends a pseudo-random mix of accesses (two cores, five
 * kinds, hits, misses, coherence traffic, DRAM at a bandwidth limit) to a
 * MemoryTarget over one memsys, and makes the same accesses by direct call
 * on a twin memsys built from the same config: every annotated delay must
 * equal the direct latency, and every mem_result the direct one.  Some
 * transactions carry no MemAccess extension (core from the socket index,
 * cycle from SystemC time plus delay).  Bad transactions get the
 * documented error responses and leave the delay alone.  MemoryRoute must
 * send memsys_access() through the sockets with the same answers.  One
 * deliberately different twin (another DRAM latency) must disagree, which
 * proves the comparison can fail.
 */
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "sim/systemc/memory_port.hh"
#include "sim/systemc/memory_target.hh"

namespace {

using vtsim::sc::MemAccess;
using vtsim::sc::MemoryRoute;
using vtsim::sc::MemoryTarget;

int failures;

void expect(bool ok, const char *what, unsigned i)
{
    if (!ok && failures++ < 10)
        std::fprintf(stderr, "test_memory_target: %s (access %u)\n", what, i);
}

struct memsys_config small_config(std::uint64_t dram_latency)
{
    struct memsys_config m = {};
    m.l1i = {1024, 2, 64, 1, REPL_LRU, WRITE_BACK, false};
    m.l1d = {1024, 2, 64, 1, REPL_LRU, WRITE_THROUGH, false};
    m.l2 = {4096, 4, 128, 5, REPL_LRU, WRITE_BACK, false};
    m.l3 = {16384, 4, 128, 14, REPL_LRU, WRITE_BACK, false};
    m.coherence = {60, 20, 20};
    m.dram = {dram_latency, 8, 100};
    return m;
}

struct memsys *build(std::uint64_t dram_latency)
{
    char err[128];
    struct memsys_config cfg = small_config(dram_latency);
    struct memsys *ms = memsys_new(&cfg, 2, 1, err, sizeof(err));
    if (!ms || memsys_add_uncacheable(ms, 0xF0000000, 0x1000) != 0) {
        std::fprintf(stderr, "test_memory_target: memsys_new: %s\n", err);
        std::exit(1);
    }
    return ms;
}

bool same(const struct mem_result &a, const struct mem_result &b)
{
    return a.latency == b.latency && a.level == b.level && a.l1_miss == b.l1_miss &&
           a.l2_miss == b.l2_miss && a.l3_miss == b.l3_miss;
}

class Driver : public sc_core::sc_module {
  public:
    tlm_utils::simple_initiator_socket<Driver> core0{"core0"}, core1{"core1"};

    Driver(sc_core::sc_module_name name, struct memsys *direct, struct memsys *other,
           struct memsys *routed, struct memsys *routed_twin, const MemoryRoute &route)
        : sc_core::sc_module(name), m_direct(direct), m_other(other), m_routed(routed),
          m_routed_twin(routed_twin), m_route(route)
    {
        SC_HAS_PROCESS(Driver);
        SC_THREAD(drive);
    }

  private:
    std::uint64_t rand64()
    {
        m_seed ^= m_seed << 13;
        m_seed ^= m_seed >> 7;
        m_seed ^= m_seed << 17;
        return m_seed;
    }

    /* One access through the socket and the same by direct call. */
    void one(unsigned i)
    {
        std::uint64_t r = rand64();
        unsigned core = r & 1;
        auto kind = static_cast<enum mem_kind>((r >> 1) % MEM_NKINDS);
        bool plain = (r >> 4) % 4 == 0; /* no extension */
        if (plain)
            kind = (r >> 6) & 1 ? MEM_WRITE : MEM_READ;
        unsigned size = 1u << ((r >> 8) % 4);
        /* 512 lines of 64 bytes (twice the L3): hits, misses, sharing; now and then
         * an uncacheable access or one that crosses a line */
        std::uint64_t addr = ((r >> 12) % 512) * 64 + ((r >> 20) % 64);
        if ((r >> 28) % 50 == 0)
            addr = 0xF0000000 + ((r >> 32) % 0x1000);
        std::uint64_t now = sc_core::sc_time_stamp().value() + (r >> 40) % 8;
        sc_core::sc_time offset = sc_core::sc_time::from_value((r >> 44) % 4);
        sc_core::sc_time delay = offset;

        tlm::tlm_generic_payload gp;
        MemAccess ext;
        ext.core = core;
        ext.kind = kind;
        ext.vm = (r >> 48) % 3;
        ext.now = now;
        gp.set_command(kind == MEM_WRITE ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        gp.set_address(addr);
        gp.set_data_ptr(m_data);
        gp.set_data_length(size);
        gp.set_streaming_width(size);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        if (plain) {
            ext.vm = 0;
            ext.now = (sc_core::sc_time_stamp() + offset).value();
        } else {
            gp.set_extension(&ext);
        }
        (core ? core1 : core0)->b_transport(gp, delay);
        if (!plain)
            gp.clear_extension(&ext);
        expect(gp.is_response_ok(), "the target refused a good transaction", i);

        struct mem_result want, other;
        std::uint32_t lat = memsys_access_direct(m_direct, core, addr, size, ext.kind, ext.vm,
                                                 ext.now, &want);
        std::uint32_t olat = memsys_access_direct(m_other, core, addr, size, ext.kind, ext.vm,
                                                  ext.now, &other);
        expect(delay == offset + sc_core::sc_time::from_value(lat),
               "annotated delay is not the direct latency", i);
        if (!plain)
            expect(same(ext.result, want), "mem_result differs from the direct call", i);
        if (olat != lat)
            m_other_differs++;

        /* The same access as a core makes it, through MemoryRoute. */
        struct mem_result got, twin;
        std::uint32_t a =
            memsys_access(m_routed, core, addr, size, ext.kind, ext.vm, ext.now, &got);
        std::uint32_t b =
            memsys_access(m_routed_twin, core, addr, size, ext.kind, ext.vm, ext.now, &twin);
        expect(a == b && same(got, twin), "memsys_access through the route differs", i);

        if ((r >> 56) % 4 == 0)
            wait(delay); /* let SystemC time move on */
    }

    /* Each bad transaction gets its error response, delay untouched. */
    void bad(unsigned len, unsigned width, bool byte_enables, unsigned ext_core,
             tlm::tlm_command cmd, tlm::tlm_response_status want, unsigned i)
    {
        tlm::tlm_generic_payload gp;
        MemAccess ext;
        unsigned char be[64] = {};
        gp.set_command(cmd);
        gp.set_address(0x40);
        gp.set_data_ptr(m_data);
        gp.set_data_length(len);
        gp.set_streaming_width(width);
        if (byte_enables) {
            gp.set_byte_enable_ptr(be);
            gp.set_byte_enable_length(len);
        }
        if (ext_core != ~0u) {
            ext.core = ext_core;
            gp.set_extension(&ext);
        }
        sc_core::sc_time delay = sc_core::sc_time::from_value(7);
        core0->b_transport(gp, delay);
        if (ext_core != ~0u)
            gp.clear_extension(&ext);
        expect(gp.get_response_status() == want, "wrong error response", i);
        expect(delay == sc_core::sc_time::from_value(7), "an error changed the delay", i);
    }

    void drive()
    {
        const unsigned n = 20000;
        for (unsigned i = 0; i < n; i++)
            one(i);
        bad(0, 0, false, ~0u, tlm::TLM_READ_COMMAND, tlm::TLM_BURST_ERROR_RESPONSE, n);
        bad(65, 65, false, ~0u, tlm::TLM_READ_COMMAND, tlm::TLM_BURST_ERROR_RESPONSE, n + 1);
        bad(8, 4, false, ~0u, tlm::TLM_READ_COMMAND, tlm::TLM_BURST_ERROR_RESPONSE, n + 2);
        bad(8, 8, true, ~0u, tlm::TLM_WRITE_COMMAND, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE, n + 3);
        bad(8, 8, false, ~0u, tlm::TLM_IGNORE_COMMAND, tlm::TLM_COMMAND_ERROR_RESPONSE, n + 4);
        bad(8, 8, false, 2, tlm::TLM_READ_COMMAND, tlm::TLM_GENERIC_ERROR_RESPONSE, n + 5);
        expect(m_other_differs > 0, "the twin with another DRAM latency never differed", n);
        expect(m_route.target().transactions() == n,
               "MemoryRoute did not carry every memsys_access()", n);
        std::printf("test_memory_target: %u accesses, %u differ on the other twin, %llu routed\n",
                    n, m_other_differs,
                    static_cast<unsigned long long>(m_route.target().transactions()));
    }

    struct memsys *m_direct, *m_other, *m_routed, *m_routed_twin;
    const MemoryRoute &m_route;
    unsigned char m_data[64] = {};
    std::uint64_t m_seed = 0x9E3779B97F4A7C15ull;
    unsigned m_other_differs = 0;
};

} // namespace

int main()
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    struct memsys *via = build(240), *direct = build(240), *other = build(250);
    struct memsys *routed = build(240), *routed_twin = build(240);
    {
        MemoryTarget target("target", via, 2);
        MemoryRoute route("route", routed, 2);
        Driver driver("driver", direct, other, routed, routed_twin, route);
        driver.core0.bind(target.socket);
        driver.core1.bind(target.socket);
        sc_core::sc_start();
        /* sc_stop's report would go to stdout. */
        sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                                sc_core::SC_DO_NOTHING);
    }
    memsys_free(via);
    memsys_free(direct);
    memsys_free(other);
    memsys_free(routed);
    memsys_free(routed_twin);
    if (failures)
        std::fprintf(stderr, "test_memory_target: %d failures\n", failures);
    return failures ? 1 : 0;
}
