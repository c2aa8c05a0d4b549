/*
 * cli.h - the vtsim command line.  main() registers the built-in front ends
 * and calls cli_main(); tests call cli_main() directly with their own
 * front ends registered.
 */
#ifndef VTSIM_SIM_CLI_H
#define VTSIM_SIM_CLI_H

/* Run `vtsim argv[1..]`.  Returns the process exit status (0, 1 or 2; see
 * `vtsim --help`).  Never exits the process itself. */
int cli_main(int argc, char **argv);

#endif
