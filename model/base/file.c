/*
 * file.c - whole-file reads (see file.h).  Cold.
 */
#include "model/base/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int file_read_all(const char *path, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno ? errno : ENOENT;
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap + 1);
    int rc = 0;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n > max) {
            rc = EFBIG;
            break;
        }
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                rc = ENOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (!buf)
        rc = ENOMEM;
    else if (!rc && ferror(f))
        rc = EIO;
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}
