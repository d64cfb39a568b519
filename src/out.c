/* out.c - atomic output files and the values a run reports. */
#include "out.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int out_open(OutFile *o, const char *path) {
    if (strlen(path) >= sizeof o->path) {
        fprintf(stderr, "autoreg: output path too long: %s\n", path);
        return -1;
    }
    strcpy(o->path, path);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", path, (long)getpid());
    o->f = fopen(o->tmp, "w");
    if (!o->f) {
        fprintf(stderr, "autoreg: cannot write %s: %s\n", o->tmp,
                strerror(errno));
        return -1;
    }
    return 0;
}

int out_close(OutFile *o) {
    int bad = fflush(o->f) != 0 || ferror(o->f);
    int err = errno;
    if (fclose(o->f) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    o->f = NULL;
    if (!bad && rename(o->tmp, o->path) == 0) return 0;
    if (!bad) err = errno;
    fprintf(stderr, "autoreg: cannot write %s: %s\n", o->path, strerror(err));
    remove(o->tmp);
    return -1;
}

void out_discard(OutFile *o) {
    if (o->f) fclose(o->f);
    o->f = NULL;
    remove(o->tmp);
}

int make_dirs(const char *dir) {
    char buf[1024];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf) {
        fprintf(stderr, "autoreg: bad output directory '%s'\n", dir);
        return -1;
    }
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0') continue;
        char c = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "autoreg: cannot create directory %s: %s\n", buf,
                    strerror(errno));
            return -1;
        }
        buf[i] = c;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "autoreg: %s exists and is not a directory\n", dir);
        return -1;
    }
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

int values_write(const Values *v, const char *dir) {
    char path[1024];
    snprintf(path, sizeof path, "%s/values.tsv", dir);
    OutFile o;
    if (out_open(&o, path) != 0) return -1;
    for (int i = 0; i < v->n; i++)
        fprintf(o.f, "%s\t%s\n", v->key[i], v->value[i]);
    return out_close(&o);
}
