/*
 * platform.cc - vtsim::Platform (include/vtsim/platform.hh): a study's
 * machine built by the engine, as sim/study_run.c builds one point, run by
 * the SystemC kernel inside the embedding program's simulation, with its
 * external MMIO windows (model/platform/extwin.h) served through TLM-2.0
 * initiator sockets.
 *
 * Cold, but for window accesses: one payload round trip each, the payload
 * reused.
 */
#include "vtsim/platform.hh"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "sim/systemc/kernel.hh"

/* The engine's C headers: C linkage, and a C idiom C++ warns about (the
 * function stats_group() shares its name with the struct). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
extern "C" {
#include "model/base/stats.h"
#include "model/platform/extwin.h"
#include "sim/config.h"
#include "sim/isa.h"
#include "sim/machine.h"
#include "sim/progress.h"
#include "sim/results.h"
}
#pragma GCC diagnostic pop

namespace vtsim {

struct Platform::Impl {
    std::string study_path;
    PlatformOptions opts;
    struct config_src *src = nullptr;
    struct study_config *cfg = nullptr;
    struct machine *m = nullptr;
    sc::Kernel *kernel = nullptr;
    std::vector<std::unique_ptr<window_socket>> sockets;
    std::vector<std::unique_ptr<sc_core::sc_in<bool>>> irqs; /* by window; null: no line */
    struct extwin_port port = {};
    tlm::tlm_generic_payload gp;
    unsigned char data[8] = {};
    char run_dir[PATH_MAX] = "";
    char study_dir[PATH_MAX] = ""; /* the machine keeps pointers to these two */
    char console_dir[PATH_MAX] = "";
    struct run_limits lim = {};
    struct run_result res = {};
    struct point_result point = {};
    time_t start = 0;
    double t0 = 0;
    bool done = false;

    ~Impl()
    {
        gp.set_data_ptr(nullptr);
        machine_free(m);
        config_free(cfg);
        config_src_free(src);
    }

    void build();
    void finish();
    static enum pm_status access(void *ctx, struct extwin_access *a);
};

/* The engine reports details on stderr; the exception says what failed. */
[[noreturn]] static void fail(const std::string &what)
{
    throw std::runtime_error("vtsim::Platform: " + what);
}

void Platform::Impl::build()
{
    struct diag d = {stderr, 0};
    char err[512] = "";
    isa_register_builtin(); /* what vtsim's main() does first */
    src = config_load_file(study_path.c_str(), &d);
    if (!src)
        fail("cannot load the study " + study_path);
    for (const std::string &s : opts.sets)
        if (config_set(src, s.c_str(), &d) != 0)
            fail("bad override '" + s + "'");
    /* The machine runs in the embedding program's SystemC simulation. */
    if (config_set(src, "run.kernel=systemc", &d) != 0)
        fail("cannot select the SystemC kernel");
    struct study_config *base = nullptr;
    if (config_resolve(src, &base, &d) != 0)
        fail("the study " + study_path + " does not validate");
    size_t npoints = config_npoints(base);
    config_free(base);
    if (npoints != 1)
        fail("the study has " + std::to_string(npoints) +
             " sweep points; a Platform runs one (pick it with PlatformOptions::sets)");
    char pname[128];
    if (config_resolve_point(src, 0, &cfg, pname, sizeof(pname), &d) != 0)
        fail("the study " + study_path + " does not validate");
    results_dirname(study_path.c_str(), study_dir, sizeof(study_dir));
    config_absolutize_images(cfg, study_dir);
    if (machine_check_config(cfg, err, sizeof(err)) != 0)
        fail(err);
    if (results_make_run_dir(opts.out_dir.empty() ? nullptr : opts.out_dir.c_str(), cfg->study,
                             run_dir, sizeof(run_dir), err, sizeof(err)) != 0 ||
        results_write_config(run_dir, cfg, err, sizeof(err)) != 0)
        fail(err);
    snprintf(console_dir, sizeof(console_dir), "%s/console", run_dir);
    if (results_mkdir(console_dir, err, sizeof(err)) != 0)
        fail(err);
    /* The kernel and the harts' modules become children of this module. */
    if (machine_build(cfg, study_dir, console_dir, &m, err, sizeof(err)) != 0)
        fail(err);
    if (opts.console_to_stdout)
        m->console_stream = stdout;
    kernel = sc::kernel_of_sched(m->sched);
    if (!kernel)
        fail("the machine did not get the SystemC kernel");
    port.access = access;
    port.ctx = this;
    for (unsigned i = 0; i < m->nexternal; i++) {
        const struct extwin_config *w = m->external[i].cfg;
        sockets.push_back(std::make_unique<window_socket>(w->name));
        extwin_bind(&m->external[i], &port);
        std::string irq = std::string(w->name) + "_irq";
        irqs.push_back(w->irq_vector ? std::make_unique<sc_core::sc_in<bool>>(irq.c_str())
                                     : nullptr);
    }
    gp.set_data_ptr(data);
    gp.set_byte_enable_ptr(nullptr);
    gp.set_dmi_allowed(false);
    snprintf(point.name, sizeof(point.name), "%s", pname); /* "": one point, as vtsim run */
}

/* A hart's access to window a->window: one b_transport from its socket. */
enum pm_status Platform::Impl::access(void *ctx, struct extwin_access *a)
{
    auto *p = static_cast<Impl *>(ctx);
    const struct extwin_config *w = p->m->external[a->window].cfg;
    tlm::tlm_generic_payload &gp = p->gp;
    for (unsigned i = 0; i < a->size; i++)
        p->data[i] = a->write ? static_cast<unsigned char>(a->data >> (8 * i)) : 0;
    gp.set_command(a->write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(a->offset);
    gp.set_data_length(a->size);
    gp.set_streaming_width(a->size);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    /* Loosely timed: the hart may run ahead of SystemC time (its quantum
     * keeper's local time); the delay tells the target when the access
     * happens (IEEE 1666-2011 §11.1.1, §11.1.2.1). */
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    const sc_core::sc_time at = std::max(sc::cycles_to_time(a->clock), now);
    sc_core::sc_time delay = at - now;
    try {
        (*p->sockets[a->window])->b_transport(gp, delay);
    } catch (const std::exception &e) {
        /* C frames sit between here and the hart's thread: no unwinding. */
        std::fprintf(stderr, "vtsim: hart %u: external window '%s': b_transport threw: %s\n",
                     a->hart, w->name, e.what());
        return PM_DEVICE;
    }
    if (gp.is_response_error() || gp.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE) {
        std::fprintf(
            stderr, "vtsim: hart %u: %s of %u bytes at 0x%llx in external window '%s': %s\n",
            a->hart, a->write ? "store" : "load", a->size,
            (unsigned long long)(w->base + a->offset), w->name, gp.get_response_string().c_str());
        return PM_DEVICE;
    }
    /* A target that waited moved SystemC time instead of the delay: the
     * access took both. */
    const sc_core::sc_time end = sc_core::sc_time_stamp() + delay;
    a->cycles = end > at ? sc::duration_to_cycles(end - at) : 0;
    if (!a->write) {
        a->data = 0;
        for (unsigned i = 0; i < a->size; i++)
            a->data |= static_cast<std::uint64_t>(p->data[i]) << (8 * i);
    }
    return PM_OK;
}

/* What sim/study_run.c does after a point's sched_run, and its run-level
 * files for a study of one point. */
void Platform::Impl::finish()
{
    char err[512];
    stats_finish(m->stats);
    point.wall_seconds = progress_now() - t0;
    point.end_cycle = res.end_cycle;
    for (unsigned i = 0; i < m->nharts; i++)
        point.instructions += m->harts[i]->retired;
    point.exit_status = res.exit_status;
    point.reason = res.reason;
    snprintf(point.message, sizeof(point.message), "%s", res.message);
    point.status = results_classify(&res);
    if (res.reason == STOP_FATAL)
        point.fatal = res.fatal;
    if (results_write_point(run_dir, cfg, m->stats, &point, err, sizeof(err)) != 0) {
        std::fprintf(stderr, "vtsim: %s\n", err);
        point.status = POINT_ERROR;
    }
    char *text = nullptr;
    size_t len = 0;
    FILE *cf = open_memstream(&text, &len);
    if (cf) {
        config_emit_yaml(cfg, cf);
        std::fclose(cf);
    }
    char names[1][128] = {""};
    const struct study_config *cfgs[1] = {cfg};
    struct run_summary sum = {};
    sum.run_dir = run_dir;
    sum.study_path = study_path.c_str();
    sum.start = start;
    sum.end = time(nullptr);
    sum.wall_seconds = point.wall_seconds;
    sum.jobs = 1;
    sum.npoints = 1;
    sum.names = names;
    sum.results = &point;
    sum.base = cfg;
    sum.cfgs = cfgs;
    sum.config_text = text;
    if (results_write_summary(&sum, err, sizeof(err)) != 0 ||
        results_write_manifest(&sum, err, sizeof(err)) != 0) {
        std::fprintf(stderr, "vtsim: %s\n", err);
        point.status = POINT_ERROR;
    }
    std::free(text);
    if (point.status != POINT_OK) {
        std::fprintf(stderr, "vtsim: %s\n", results_status_text(&point));
        if (point.status == POINT_FATAL)
            results_print_fatal(stderr, &point.fatal);
    }
    done = true;
}

Platform::Platform(sc_core::sc_module_name name, const std::string &study_path,
                   const PlatformOptions &options)
    : sc_core::sc_module(name), memory("memory"), m_impl(std::make_unique<Impl>())
{
    memory.register_b_transport(this, &Platform::memory_b_transport);
    m_impl->study_path = study_path;
    m_impl->opts = options;
    m_impl->build();
    SC_HAS_PROCESS(Platform);
    SC_THREAD(run_thread);
    bool lines = false;
    for (const auto &p : m_impl->irqs)
        lines |= p != nullptr;
    if (lines) {
        SC_METHOD(irq_method);
        dont_initialize();
        for (const auto &p : m_impl->irqs)
            if (p)
                sensitive << p->pos();
    }
}

Platform::~Platform() = default;

void Platform::end_of_elaboration()
{
    for (std::size_t i = 0; i < m_impl->sockets.size(); i++)
        if (m_impl->sockets[i]->get_base_port().size() == 0) {
            std::string msg = std::string("machine.external.") + std::to_string(i) + " ('" +
                              m_impl->m->external[i].cfg->name +
                              "'): nothing is bound to the window's socket " +
                              m_impl->sockets[i]->name() +
                              "; bind a TLM-2.0 target socket to Platform::window(\"" +
                              m_impl->m->external[i].cfg->name + "\") before sc_start";
            SC_REPORT_ERROR("vtsim::Platform", msg.c_str());
        }
}

void Platform::run_thread()
{
    Impl &p = *m_impl;
    p.lim.max_cycles = p.cfg->run.max_cycles;
    p.start = time(nullptr);
    p.t0 = progress_now();
    if (p.kernel->start_embedded(&p.lim, &p.res) != 0) {
        SC_REPORT_ERROR("vtsim::Platform", "the machine's run could not start");
        return;
    }
    wait(p.kernel->done());
    p.finish();
    if (p.opts.stop_when_done)
        sc_core::sc_stop();
}

void Platform::memory_b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay)
{
    Impl &p = *m_impl;
    unsigned len = gp.get_data_length();
    if (gp.get_byte_enable_ptr()) {
        gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    if (gp.get_streaming_width() < len) {
        gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    enum pm_status st = PM_OK;
    if (gp.is_read())
        st = physmem_copy_out(p.m->pm, gp.get_address(), gp.get_data_ptr(), len);
    else if (gp.is_write())
        st = physmem_copy_in(p.m->pm, gp.get_address(), gp.get_data_ptr(), len);
    if (st != PM_OK) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    delay += sc::cycles_to_time(p.cfg->machine.mem.dram.latency);
    gp.set_dmi_allowed(false);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Platform::irq_method()
{
    Impl &p = *m_impl;
    if (p.done)
        return;
    for (unsigned i = 0; i < p.irqs.size(); i++)
        if (p.irqs[i] && p.irqs[i]->posedge()) {
            p.kernel->external_begin();
            machine_external_irq(p.m, i);
            p.kernel->external_end();
        }
}

sc_core::sc_in<bool> &Platform::irq(const std::string &name)
{
    for (unsigned i = 0; i < m_impl->m->nexternal; i++)
        if (name == m_impl->m->external[i].cfg->name && m_impl->irqs[i])
            return *m_impl->irqs[i];
    throw std::out_of_range("vtsim::Platform: the study declares no interrupt line for a window '" +
                            name + "'");
}

std::size_t Platform::windows() const
{
    return m_impl->sockets.size();
}

Platform::window_socket &Platform::window(std::size_t index)
{
    return *m_impl->sockets.at(index);
}

Platform::window_socket &Platform::window(const std::string &name)
{
    for (unsigned i = 0; i < m_impl->m->nexternal; i++)
        if (name == m_impl->m->external[i].cfg->name)
            return *m_impl->sockets[i];
    throw std::out_of_range("vtsim::Platform: the study declares no external window '" + name +
                            "'");
}

bool Platform::done() const
{
    return m_impl->done;
}

bool Platform::ok() const
{
    return m_impl->done && m_impl->point.status == POINT_OK;
}

int Platform::exit_status() const
{
    return m_impl->point.exit_status;
}

std::string Platform::message() const
{
    return m_impl->done ? m_impl->point.message : "the run has not ended";
}

std::string Platform::results_dir() const
{
    return m_impl->run_dir;
}

} // namespace vtsim
