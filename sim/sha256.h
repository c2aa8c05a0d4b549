/*
 * sha256.h - SHA-256 (FIPS 180-4) of a file, for the image hashes in
 * manifest.json.
 */
#ifndef VTSIM_SIM_SHA256_H
#define VTSIM_SIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Hex digest (64 characters + NUL) of the file at path; -1 if unreadable. */
int sha256_file(const char *path, char hex[65]);
/* Digest of a buffer. */
void sha256(const void *data, size_t len, uint8_t out[32]);

#endif
