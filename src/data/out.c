/* out.c - atomic output files (out.h). */
#include "out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "PATH: WHAT: the system's reason" into e. */
static int fail(Err *e, const char *what, const char *path, int err) {
    return err_set(e, "%s: %s: %s", path, what, strerror(err));
}

/* The temporary files open now, removed at exit: a program that exits
 * between out_open and out_close (the stub of an unfinished exercise
 * calls exit) leaves none behind. */
enum { MAX_OPEN = 32 };
static char open_tmp[MAX_OPEN][1100];

static void remove_open(void) {
    for (int i = 0; i < MAX_OPEN; i++)
        if (open_tmp[i][0]) remove(open_tmp[i]);
}

static void track(const char *tmp) {
    static int registered;
    if (!registered) registered = atexit(remove_open) == 0;
    for (int i = 0; i < MAX_OPEN; i++)
        if (!open_tmp[i][0]) {
            snprintf(open_tmp[i], sizeof open_tmp[i], "%s", tmp);
            return;
        }
}

static void untrack(const char *tmp) {
    for (int i = 0; i < MAX_OPEN; i++)
        if (!strcmp(open_tmp[i], tmp)) open_tmp[i][0] = 0;
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
    track(o->tmp);
    return 0;
}

int out_close(OutFile *o, Err *e) {
    /* on the disk before the rename: a crash then leaves the old file
     * or the new one, never an empty one; and the disk's work is done
     * here, not later, in the middle of the next epoch's timing (a
     * file system that cannot sync says EINVAL: nothing to wait for) */
    int bad = fflush(o->f) != 0 || ferror(o->f) ||
              (fdatasync(fileno(o->f)) != 0 && errno != EINVAL);
    int err = errno;
    if (fclose(o->f) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    o->f = NULL;
    untrack(o->tmp);
    if (!bad && rename(o->tmp, o->path) == 0) return 0;
    if (!bad) err = errno;
    remove(o->tmp);
    return fail(e, "cannot write", o->path, err);
}

void out_discard(OutFile *o) {
    if (o->f) fclose(o->f);
    o->f = NULL;
    untrack(o->tmp);
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
