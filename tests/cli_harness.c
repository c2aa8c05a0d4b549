/*
 * cli_harness.c - run `vtsim` in-process for end-to-end tests (see
 * cli_harness.h).
 */
#include "cli_harness.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/base/file.h"
#include "scripted_isa.h"
#include "sim/cli.h"

char tmpdir[PATH_MAX];
char out_text[1 << 16]; /* captured stdout + stderr of the last run */

/* Runs vtsim with argv (NULL-terminated), capturing stdout and stderr. */
int vtsim(const char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"vtsim";
    for (; *args && argc < 31; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;

    char cap[PATH_MAX];
    snprintf(cap, sizeof(cap), "%s/capture.txt", tmpdir);
    fflush(stdout);
    fflush(stderr);
    int save1 = dup(1), save2 = dup(2);
    int fd = open(cap, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
    int rc = cli_main(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(save1, 1);
    dup2(save2, 2);
    close(save1);
    close(save2);

    FILE *f = fopen(cap, "r");
    size_t n = f ? fread(out_text, 1, sizeof(out_text) - 1, f) : 0;
    out_text[n] = '\0';
    if (f)
        fclose(f);
    return rc;
}

char *slurp(const char *path)
{
    char *buf;
    size_t n;
    return file_read_all(path, 1u << 30, &buf, &n) == 0 ? buf : NULL;
}

char *slurp_in(const char *dir, const char *file)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    return slurp(path);
}

void outdir(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", tmpdir, name);
}

int harness_init(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "%s/vtsim-cli-XXXXXX", P_tmpdir);
    if (!mkdtemp(tmpdir))
        return -1;
    scripted_isa_register();
    return 0;
}
