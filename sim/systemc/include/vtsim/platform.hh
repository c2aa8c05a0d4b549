/*
 * vtsim/platform.hh - vtsim inside a SystemC virtual platform: the one
 * public header of libvtsim-sc (docs/systemc.md, "Embedding vtsim").
 *
 * A vtsim::Platform is an sc_module built from a study YAML: it builds the
 * study's machine (one sweep point) and runs its harts as SystemC threads
 * under the SystemC kernel of `vtsim run --kernel systemc`, in the
 * simulation the program starts with sc_start.  Every window the study
 * declares under machine.external gets a TLM-2.0 initiator socket; the
 * program binds its own target (a peripheral) to it before sc_start.  A
 * hart's load or store in the window is then one b_transport (IEEE
 * 1666-2011 §11.1.1 loosely timed): the address is the offset in the
 * window, the data the access's bytes in little-endian order, the
 * incoming delay the hart's clock ahead of SystemC time, and the time the
 * target adds to the delay is added to the hart's cycles (a cycle lasts
 * run.systemc_cycle_ps; latencies round up to whole cycles).  An error
 * response ends the run as a fatal error of that hart.
 *
 * A window may have an interrupt line (irq()), an sc_in<bool> the
 * program binds to its peripheral's interrupt signal, and peripherals
 * may read and write the machine's memory through `memory` (DMA).
 *
 * Targets should annotate their latency rather than wait() (loosely timed);
 * a target that waits still works, its waiting time counted too.
 *
 * When the machine's run ends (exit request, run.max_cycles, a fatal
 * error) the Platform writes the results folder a `vtsim run` of the
 * study would and, unless told not to, calls sc_stop().  One Platform per
 * process: SystemC elaborates once.
 */
#ifndef VTSIM_PLATFORM_HH
#define VTSIM_PLATFORM_HH

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace vtsim {

struct PlatformOptions {
    /* "key.path=value" overrides, as `vtsim run --set` (run.kernel is
     * always systemc). */
    std::vector<std::string> sets;
    /* The results folder; empty: results/<study>/<UTC time> under the
     * current directory, as `vtsim run` makes it. */
    std::string out_dir;
    /* Also copy the harts' console output to stdout as it is written. */
    bool console_to_stdout = false;
    /* sc_stop() when the machine's run ends. */
    bool stop_when_done = true;
};

class Platform : public sc_core::sc_module {
  public:
    /* Bound before sc_start or elaboration fails with the window's name
     * (the socket is "optional" to SystemC only so that the message can
     * say which study key wants it). */
    using window_socket = tlm_utils::simple_initiator_socket_optional<Platform>;

    using memory_socket = tlm_utils::simple_target_socket_optional<Platform>;

    /* The machine's physical memory as a TLM-2.0 target, for peripherals
     * that read or write it (DMA): the address is physical, the data
     * travels in the payload (RAM and ROM only; anything else, byte
     * enables or a streaming width below the length get an error
     * response), and each transaction adds machine.dram.latency cycles to
     * the delay.  Contents only: the caches do not see these accesses (see
     * docs/systemc.md).  Binding it is optional. */
    memory_socket memory;

    /* Build the machine of the study at `study_path` (one sweep point:
     * a study that sweeps must pick one with `sets`).  Throws
     * std::runtime_error with the reasons on a bad study, image or
     * results folder (details also on stderr). */
    Platform(sc_core::sc_module_name name, const std::string &study_path,
             const PlatformOptions &options = PlatformOptions());
    ~Platform() override;

    /* The sockets, one per machine.external window, in the study's order;
     * window(name) throws std::out_of_range for a name the study lacks. */
    std::size_t windows() const;
    window_socket &window(std::size_t index);
    window_socket &window(const std::string &name);

    /* The interrupt line of a window that declares machine.external.N.
     * irq_vector: a rising edge makes the vector pending at irq_hart's
     * interrupt controller (edge-triggered; the device lowers it again
     * before its next interrupt).  It must be bound; throws
     * std::out_of_range for a window without a line. */
    sc_core::sc_in<bool> &irq(const std::string &name);

    /* After the run: whether it ended, how, and where the results are.
     * If the simulation ran out of activity while every hart slept
     * (waiting for an interrupt that never came), done() is false and no
     * results were written. */
    bool done() const;
    bool ok() const;         /* exit status 0 or run.max_cycles, as `vtsim run` counts it */
    int exit_status() const; /* the status the code on the machine exited with */
    std::string message() const;
    std::string results_dir() const;

  private:
    void run_thread();
    void irq_method();
    void memory_b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    void end_of_elaboration() override;

    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vtsim

#endif
