/* main.c - the vtsim executable: built-in ISA front ends, then the CLI. */
#include "sim/cli.h"
#include "sim/isa.h"

int main(int argc, char **argv)
{
    isa_register_builtin();
    return cli_main(argc, argv);
}
