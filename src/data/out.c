/* out.c - atomic output files and the values a run reports. */
#include "out.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Report into e, or on stderr when there is no e. */
static int fail(Err *e, const char *what, const char *path, int err) {
    if (e) return err_set(e, "%s: %s: %s", path, what, strerror(err));
    fprintf(stderr, "autoreg: %s: %s: %s\n", path, what, strerror(err));
    return -1;
}

int out_open(OutFile *o, const char *path, Err *e) {
    if (strlen(path) >= sizeof o->path)
        return fail(e, "cannot write", path, ENAMETOOLONG);
    /* the rename at the end would replace a device, a pipe or a
     * directory by a regular file: only regular files are written */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        const char *msg = "cannot write: not a regular file";
        if (e) return err_set(e, "%s: %s", path, msg);
        fprintf(stderr, "autoreg: %s: %s\n", path, msg);
        return -1;
    }
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

void values_add(Values *v, const char *key, const char *fmt, ...) {
    if (v->n >= 64) {
        fprintf(stderr, "autoreg: too many values (internal error)\n");
        exit(1);
    }
    snprintf(v->key[v->n], sizeof v->key[0], "%s", key);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->value[v->n], sizeof v->value[0], fmt, ap);
    va_end(ap);
    v->n++;
}

const char *latex_sci(char *buf, size_t size, double x) {
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.1e", x); /* d.de[+-]XX */
    char *ex = strchr(tmp, 'e');
    if (!ex) {
        snprintf(buf, size, "%s", tmp);
        return buf;
    }
    *ex = '\0';
    int p = atoi(ex + 1);
    if (p == 0) snprintf(buf, size, "%s", tmp);
    else snprintf(buf, size, "%s \\times 10^{%d}", tmp, p);
    return buf;
}

int values_read(Values *v, const char *dir, Err *e) {
    char path[1024], line[256];
    snprintf(path, sizeof path, "%s/values.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) return err_set(e, "%s: cannot read (%s)", path, strerror(errno));
    v->n = 0;
    int rc = 0;
    for (int ln = 1; fgets(line, sizeof line, f); ln++) {
        char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        if (!tab || !nl || v->n == 64 || tab - line >= 48 ||
            strlen(tab + 1) >= 48) {
            rc = err_set(e, "%s:%d: expected key<TAB>value", path, ln);
            break;
        }
        *tab = 0;
        strcpy(v->key[v->n], line);
        strcpy(v->value[v->n++], tab + 1);
    }
    fclose(f);
    return rc;
}

const char *values_get(const Values *v, const char *key) {
    for (int i = 0; i < v->n; i++)
        if (!strcmp(v->key[i], key)) return v->value[i];
    return NULL;
}

int values_write(const Values *v, const char *dir) {
    char path[1024];
    snprintf(path, sizeof path, "%s/values.tsv", dir);
    OutFile o;
    if (out_open(&o, path, NULL) != 0) return -1;
    for (int i = 0; i < v->n; i++)
        fprintf(o.f, "%s\t%s\n", v->key[i], v->value[i]);
    return out_close(&o, NULL);
}
