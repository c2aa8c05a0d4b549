/*
 * file.h - reading a whole file into memory, the one way every loader
 * (studies, images, results, scripts) does it.
 */
#ifndef VTSIM_MODEL_BASE_FILE_H
#define VTSIM_MODEL_BASE_FILE_H

#include <stddef.h>

/*
 * Read all of `path` into a new buffer (*out, NUL-terminated for
 * convenience, *len bytes without the NUL).  Returns 0, or an errno value:
 * the open/read error, EFBIG when the file is larger than `max` bytes,
 * ENOMEM.  On error *out is NULL.  The caller frees *out.
 */
int file_read_all(const char *path, size_t max, char **out, size_t *len);

#endif
