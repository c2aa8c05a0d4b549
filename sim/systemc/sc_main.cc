/*
 * sc_main.cc - the sc_main libsystemc.so asks for.  The library's own
 * main() calls sc_main, so linking the library needs the symbol, although
 * vtsim has its own main() and drives SystemC through sc_start from the
 * scheduler.  CMakeLists.txt makes every program that links the kernel pull
 * this object in.  The definition is weak: a program embedding vtsim
 * through libvtsim-sc (vtsim/platform.hh) has its own sc_main, which wins.
 */
#include <cstdio>

#include <systemc>

/* Weak (a GCC/Clang attribute): see above. */
__attribute__((weak)) int sc_main(int, char **)
{
    std::fprintf(stderr, "vtsim: sc_main is not an entry point of vtsim\n");
    return 1;
}
