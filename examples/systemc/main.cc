/*
 * main.cc - a SystemC virtual platform with vtsim inside: the IA-32
 * machine of checksum.yaml, whose firmware drives a checksum engine
 * written in SystemC through the study's external window "csum".
 *
 *   vtsim-sc-example STUDY.yaml OUT_DIR [--set key=value]... [--broken] [--unbound]
 *
 * --broken makes the engine acknowledge accesses without computing, and
 * --unbound leaves out the engine, so the window's socket stays unbound: the tests use them to see
 * the example fail.  Exit status: 0 when the firmware exited with 0.
 */
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>

#include <systemc>
#include <vtsim/platform.hh>

#include "checksum_engine.hh"

int sc_main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s STUDY.yaml OUT_DIR [--set k=v]... [--broken] [--unbound]\n",
                     argv[0]);
        return 2;
    }
    vtsim::PlatformOptions opts;
    opts.out_dir = argv[2];
    opts.console_to_stdout = true;
    bool broken = false, unbound = false;
    for (int i = 3; i < argc; i++) {
        if (std::strcmp(argv[i], "--set") == 0 && i + 1 < argc)
            opts.sets.push_back(argv[++i]);
        else if (std::strcmp(argv[i], "--broken") == 0)
            broken = true;
        else if (std::strcmp(argv[i], "--unbound") == 0)
            unbound = true;
    }
    try {
        vtsim::Platform platform("platform", argv[1], opts);
        sc_core::sc_signal<bool> line("csum_line"); /* the engine's interrupt line */
        std::unique_ptr<ChecksumEngine> engine;
        if (!unbound) {
            engine = std::make_unique<ChecksumEngine>("csum", broken);
            platform.window("csum").bind(engine->socket);
            engine->dma.bind(platform.memory);
            engine->irq.bind(line);
        }
        platform.irq("csum").bind(line);
        /* stdout carries the machine's console: keep sc_stop's notice off it. */
        sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                                sc_core::SC_DO_NOTHING);
        sc_core::sc_start();
        std::fprintf(stderr, "example: %s; the engine served %llu accesses; results in %s\n",
                     platform.message().c_str(), (unsigned long long)engine->accesses(),
                     platform.results_dir().c_str());
        return platform.ok() ? 0 : 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "example: %s\n", e.what());
        return 1;
    }
}
