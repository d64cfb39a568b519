/* values.c - see values.h. */
#include "values.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

void values_add(Values *v, const char *key, const char *fmt, ...) {
    if (v->n >= VALUES_MAX) { /* values_write reports it */
        v->lost++;
        return;
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
    if (!f)
        return err_set(e, "%s: cannot read (%s)", path,
                       strerror(errno));
    v->n = v->lost = 0;
    int rc = 0;
    for (int ln = 1; fgets(line, sizeof line, f); ln++) {
        char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        if (!tab || !nl || v->n == VALUES_MAX || tab - line >= 48 ||
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

int values_write(const Values *v, const char *dir, Err *e) {
    char path[1024];
    snprintf(path, sizeof path, "%s/values.tsv", dir);
    if (v->lost)
        return err_set(e,
                       "%s: more than %d values, %d lost (internal "
                       "error: raise VALUES_MAX in values.h)",
                       path, VALUES_MAX, v->lost);
    OutFile o;
    if (out_open(&o, path, e) != 0) return -1;
    for (int i = 0; i < v->n; i++)
        fprintf(o.f, "%s\t%s\n", v->key[i], v->value[i]);
    return out_close(&o, e);
}
