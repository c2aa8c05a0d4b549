/*
 * sc_main.cc - the sc_main libsystemc.so asks for.  The library's own
 * main() calls sc_main, so linking the library needs the symbol, although
 * vtsim has its own main() and drives SystemC through sc_start from the
 * scheduler.  CMakeLists.txt makes every program that links the kernel pull
 * this object in (its own file, so that an embedding with a real sc_main,
 * the planned libvtsim-sc, can leave it out).
 */
#include <cstdio>

#include <systemc>

int sc_main(int, char **)
{
    std::fprintf(stderr, "vtsim: sc_main is not an entry point of vtsim\n");
    return 1;
}
