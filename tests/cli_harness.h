/*
 * cli_harness.h - helpers for end-to-end tests that run `vtsim` in-process
 * through cli_main() with the test-only "scripted" front end registered.
 */
#ifndef VTSIM_TESTS_CLI_HARNESS_H
#define VTSIM_TESTS_CLI_HARNESS_H

#include <limits.h>
#include <stddef.h>

#define DATA VTSIM_SOURCE_DIR "/tests/data/cli/"

extern char tmpdir[PATH_MAX];  /* a fresh temporary folder per test program */
extern char out_text[1 << 16]; /* stdout + stderr of the last vtsim() call */

/* Make tmpdir and register the scripted front end.  0 or -1. */
int harness_init(void);
/* Run `vtsim args...` (NULL-terminated), capturing its output; returns its exit status. */
int vtsim(const char *const *args);
/* A file's contents (NUL-terminated), or NULL; caller frees. */
char *slurp(const char *path);
char *slurp_in(const char *dir, const char *file);
/* tmpdir/name into buf. */
void outdir(char *buf, size_t len, const char *name);

#endif
