/* readfile.h - a whole file, gzip or plain, into memory: what the IDX,
 * JSON and .amat loaders, checkpoints and training states read. */
#ifndef READFILE_H
#define READFILE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Read a whole file (gzip or plain) into memory; at most `limit` bytes.
 * The buffer has a NUL after its len bytes. */
int file_read_all(const char *path, size_t limit, uint8_t **buf,
                  size_t *len, Err *e);

#endif
