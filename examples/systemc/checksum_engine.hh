/*
 * checksum_engine.hh - a small SystemC peripheral for the vtsim::Platform
 * example: a checksum engine with a TLM-2.0 target socket.  Software
 * clears it, gives it bytes - pushed into its DATA register, or fetched by
 * the engine itself from memory (DMA through its initiator socket) -,
 * starts it, waits until it is no longer busy (polling STATUS, or until
 * its interrupt line rises), and reads the CRC-32 it computed.
 *
 * Registers (offsets in its window; 32-bit unless noted):
 *   0x00 ID      reads 0x4D555343 ("CSUM")
 *   0x04 CTRL    write 1: clear (and lower the interrupt line); write 2:
 *                start over the bytes pushed; add 4: raise the interrupt
 *                line when done; add 8: first fetch LEN bytes at SRC
 *   0x08 DATA    a 1-, 2- or 4-byte write pushes that many bytes (LE)
 *   0x0C STATUS  bit 0 busy, bit 1 done
 *   0x10 RESULT  CRC-32 (IEEE 802.3, reflected, as zlib's crc32) once done
 *   0x14 COUNT   bytes pushed or fetched since the last clear
 *   0x18 SRC     physical address to fetch from (CTRL + 8)
 *   0x1C LEN     bytes to fetch, at most 64 KiB
 * Anything else is TLM_ADDRESS_ERROR_RESPONSE.  The interrupt line (irq)
 * stays high from the end of an interrupting job until the next clear;
 * vtsim::Platform takes its rising edge.
 *
 * Timing, loosely timed (IEEE 1666-2011 §11.1.1): every access adds
 * ACCESS_DELAY to the annotated delay; after a start the engine is busy
 * for BUSY_PER_BYTE per byte, measured on the initiator's time (SystemC
 * time plus the incoming delay), after the time its memory reads took.  Real time: the study puts
 * vtsim's cycles on the same axis (run.systemc_cycle_ps).
 */
#ifndef EXAMPLES_SYSTEMC_CHECKSUM_ENGINE_HH
#define EXAMPLES_SYSTEMC_CHECKSUM_ENGINE_HH

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

class ChecksumEngine : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<ChecksumEngine> socket;
    tlm_utils::simple_initiator_socket<ChecksumEngine> dma; /* to the machine's memory */
    sc_core::sc_out<bool> irq;

    /* broken: acknowledge every access but never compute (for the test
     * that proves the example's check can fail). */
    ChecksumEngine(sc_core::sc_module_name name, bool broken = false)
        : sc_core::sc_module(name), socket("socket"), dma("dma"), irq("irq"), m_broken(broken)
    {
        socket.register_b_transport(this, &ChecksumEngine::b_transport);
        SC_HAS_PROCESS(ChecksumEngine);
        SC_THREAD(irq_thread);
    }

    std::uint64_t accesses() const { return m_accesses; }

  private:
    enum {
        ID = 0x00,
        CTRL = 0x04,
        DATA = 0x08,
        STATUS = 0x0C,
        RESULT = 0x10,
        COUNT = 0x14,
        SRC = 0x18,
        LEN = 0x1C
    };
    enum { CTRL_CLEAR = 1, CTRL_START = 2, CTRL_IRQ = 4, CTRL_DMA = 8 };
    static constexpr std::uint32_t MAGIC = 0x4D555343u;

    const sc_core::sc_time ACCESS_DELAY = sc_core::sc_time(4, sc_core::SC_NS);
    const sc_core::sc_time BUSY_PER_BYTE = sc_core::sc_time(80, sc_core::SC_NS);

    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay)
    {
        m_accesses++;
        unsigned len = gp.get_data_length();
        unsigned char *p = gp.get_data_ptr();
        sc_core::sc_time now = sc_core::sc_time_stamp() + delay;
        delay += ACCESS_DELAY;
        if (gp.get_byte_enable_ptr() || gp.get_streaming_width() != len || len == 0 || len > 4) {
            gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
            return;
        }
        std::uint32_t v = 0;
        for (unsigned i = 0; i < len; i++)
            v |= static_cast<std::uint32_t>(p[i]) << (8 * i);
        bool write = gp.is_write();
        std::uint64_t a = gp.get_address();
        if (write && a == DATA) {
            for (unsigned i = 0; i < len; i++)
                m_bytes.push_back(static_cast<unsigned char>(v >> (8 * i)));
        } else if (write && (a == SRC || a == LEN) && len == 4) {
            (a == SRC ? m_src : m_len) = v;
        } else if (write && a == CTRL && len == 4 && (v == CTRL_CLEAR || (v & CTRL_START))) {
            if (v == CTRL_CLEAR) {
                m_bytes.clear();
                m_done = false;
                m_irq_job = false;
            } else {
                sc_core::sc_time fetched = sc_core::SC_ZERO_TIME;
                if ((v & CTRL_DMA) && !fetch(now, fetched)) {
                    gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
                    return;
                }
                m_result = m_broken ? 0 : crc32(m_bytes);
                m_ready_at = now + fetched + BUSY_PER_BYTE * static_cast<double>(m_bytes.size());
                m_done = true;
                m_irq_job = v & CTRL_IRQ;
            }
            m_line_changed.notify(sc_core::SC_ZERO_TIME);
        } else if (!write && len == 4 && (a == ID || a == STATUS || a == RESULT || a == COUNT)) {
            bool busy = m_done && now < m_ready_at;
            v = a == ID       ? MAGIC
                : a == STATUS ? (busy ? 1u : 0u) | (m_done && !busy ? 2u : 0u)
                : a == RESULT ? (m_done && !busy ? m_result : 0u)
                              : static_cast<std::uint32_t>(m_bytes.size());
            for (unsigned i = 0; i < len; i++)
                p[i] = static_cast<unsigned char>(v >> (8 * i));
        } else {
            gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }

    /* The line's one writer (an sc_signal has one): high from the end of
     * an interrupting job until the next clear. */
    void irq_thread()
    {
        for (;;) {
            bool due = m_irq_job && sc_core::sc_time_stamp() >= m_ready_at;
            irq.write(due);
            if (m_irq_job && !due)
                wait(m_ready_at - sc_core::sc_time_stamp(), m_line_changed);
            else
                wait(m_line_changed);
        }
    }

    /* DMA: m_len bytes at m_src, 64 at a time, appended to the bytes;
     * `took` receives the time the reads took.  False on an error
     * response (a source outside the machine's memory). */
    bool fetch(const sc_core::sc_time &now, sc_core::sc_time &took)
    {
        if (m_len > 65536)
            return false;
        tlm::tlm_generic_payload gp;
        unsigned char buf[64];
        sc_core::sc_time t = sc_core::SC_ZERO_TIME;
        for (std::uint32_t done = 0; done < m_len;) {
            unsigned n = m_len - done < sizeof(buf) ? m_len - done : sizeof(buf);
            gp.set_command(tlm::TLM_READ_COMMAND);
            gp.set_address(static_cast<std::uint64_t>(m_src) + done);
            gp.set_data_ptr(buf);
            gp.set_data_length(n);
            gp.set_streaming_width(n);
            gp.set_byte_enable_ptr(nullptr);
            gp.set_dmi_allowed(false);
            gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            /* The reads start when the job does (the delay is relative to
             * SystemC time, IEEE 1666-2011 §11.1.2.1). */
            sc_core::sc_time d = now - sc_core::sc_time_stamp() + t;
            dma->b_transport(gp, d);
            if (!gp.is_response_ok())
                return false;
            t = d - (now - sc_core::sc_time_stamp());
            m_bytes.insert(m_bytes.end(), buf, buf + n);
            done += n;
        }
        took = t;
        return true;
    }

    static std::uint32_t crc32(const std::vector<unsigned char> &b)
    {
        std::uint32_t c = 0xFFFFFFFFu;
        for (unsigned char x : b) {
            c ^= x;
            for (int k = 0; k < 8; k++)
                c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        }
        return ~c;
    }

    bool m_broken;
    std::vector<unsigned char> m_bytes;
    std::uint32_t m_result = 0;
    bool m_done = false;
    bool m_irq_job = false;
    std::uint32_t m_src = 0, m_len = 0; /* the running job interrupts when done */
    sc_core::sc_event m_line_changed;   /* a job started or was cleared */
    sc_core::sc_time m_ready_at;
    std::uint64_t m_accesses = 0;
};

#endif
