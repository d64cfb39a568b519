/* out.c - atomic output files and the values a run reports. */
#include "out.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "PATH: WHAT: the system's reason" into e. */
static int fail(Err *e, const char *what, const char *path, int err) {
    return err_set(e, "%s: %s: %s", path, what, strerror(err));
}

int out_open(OutFile *o, const char *path, Err *e) {
    if (strlen(path) >= sizeof o->path)
        return fail(e, "cannot write", path, ENAMETOOLONG);
    /* the rename at the end would replace a device, a pipe or a
     * directory by a regular file: only regular files are written */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return err_set(e, "%s: cannot write: not a regular file", path);
    strcpy(o->path, path);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", path, (long)getpid());
    o->f = fopen(o->tmp, "w");
    if (!o->f) return fail(e, "cannot write", path, errno);
    return 0;
}

int out_close(OutFile *o, Err *e) {
    int bad = fflush(o->f) != 0 || ferror(o->f);
    int err = errno;
    if (fclose(o->f) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    o->f = NULL;
    if (!bad && rename(o->tmp, o->path) == 0) return 0;
    if (!bad) err = errno;
    remove(o->tmp);
    return fail(e, "cannot write", o->path, err);
}

void out_discard(OutFile *o) {
    if (o->f) fclose(o->f);
    o->f = NULL;
    remove(o->tmp);
}

int make_dirs(const char *dir, Err *e) {
    char buf[1024];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf)
        return fail(e, "bad directory name", dir, ENAMETOOLONG);
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0') continue;
        char c = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return fail(e, "cannot create directory", buf, errno);
        buf[i] = c;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return fail(e, "cannot create directory", dir, ENOTDIR);
    return 0;
}
