/* exp_util.c - paths of the experiments' outputs (experiments.h). */
#include <stdio.h>
#include <string.h>

#include "experiments.h"

const char *exp_path(char *buf, size_t size, const char *dir,
                     const char *name) {
    /* cmd_experiment limits --out to EXP_MAX_DIR, so this fits; if it
     * ever did not, "" makes the caller's open fail with its error */
    if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size) buf[0] = 0;
    return buf;
}

const char *exp_sibling(char *buf, size_t size, const char *dir,
                        const char *name) {
    const char *slash = strrchr(dir, '/');
    int len = slash ? (int)(slash - dir) + 1 : 0;
    snprintf(buf, size, "%.*s%s", len, dir, name);
    return buf;
}
