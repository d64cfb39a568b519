/* textfmt.c - strict parsers for the MNIST JSON and .amat formats. */
#include "textfmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A growable byte array. */
typedef struct {
    uint8_t *b;
    size_t n, cap;
} Bytes;

static int push(Bytes *a, uint8_t v) {
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 4096;
        uint8_t *nb = realloc(a->b, cap);
        if (!nb) return -1;
        a->b = nb;
        a->cap = cap;
    }
    a->b[a->n++] = v;
    return 0;
}

static int is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *s, size_t len, size_t i) {
    while (i < len && is_ws(s[i])) i++;
    return i;
}

/* Expect character c at (after blanks) position i. */
static int expect(const char *s, size_t len, size_t *i, char c,
                  const char *name, Err *e) {
    *i = skip_ws(s, len, *i);
    if (*i >= len)
        return err_set(e, "%s: unexpected end of file, expected '%c'",
                       name, c);
    if (s[*i] != c)
        return err_set(e, "%s: byte %zu: expected '%c'", name, *i, c);
    (*i)++;
    return 0;
}

/* A JSON number in [0, 1] at s[*i]; JSON's grammar, parsed by strtod.
 */
static int number(const char *s, size_t len, size_t *i, double *v,
                  const char *name, Err *e) {
    size_t start = *i, j = *i;
    if (j < len && s[j] == '-') j++;
    size_t digits = j;
    while (j < len && s[j] >= '0' && s[j] <= '9') j++;
    if (j >= len)
        return err_set(
            e, "%s: unexpected end of file, expected a number", name);
    if (j == digits)
        return err_set(e, "%s: byte %zu: expected a number", name,
                       start);
    if (j < len && s[j] == '.') {
        size_t f = ++j;
        while (j < len && s[j] >= '0' && s[j] <= '9') j++;
        if (j == f)
            return err_set(e, "%s: byte %zu: digits expected after '.'",
                           name, f);
    }
    if (j < len && (s[j] == 'e' || s[j] == 'E')) {
        j++;
        if (j < len && (s[j] == '+' || s[j] == '-')) j++;
        size_t x = j;
        while (j < len && s[j] >= '0' && s[j] <= '9') j++;
        if (j == x)
            return err_set(e,
                           "%s: byte %zu: digits expected in exponent",
                           name, x);
    }
    char tok[64];
    if (j - start >= sizeof tok)
        return err_set(e, "%s: byte %zu: number too long", name, start);
    memcpy(tok, s + start, j - start);
    tok[j - start] = '\0';
    *v = strtod(tok, NULL);
    if (!(*v >= 0 && *v <= 1))
        return err_set(e,
                       "%s: byte %zu: grey level %s is outside [0, 1]",
                       name, start, tok);
    *i = j;
    return 0;
}

int mnist_json_parse(const char *s, size_t len, int d, const char *name,
                     uint8_t **grey, size_t *count, Err *e) {
    static const char KEY[] = "\"data\"";
    Bytes a = {0};
    size_t i = 0;
    *grey = NULL;
    *count = 0;
    if (expect(s, len, &i, '{', name, e)) goto fail;
    i = skip_ws(s, len, i);
    if (len - i < sizeof KEY - 1 ||
        memcmp(s + i, KEY, sizeof KEY - 1)) {
        err_set(e, "%s: byte %zu: expected the key \"data\"", name, i);
        goto fail;
    }
    i += sizeof KEY - 1;
    if (expect(s, len, &i, ':', name, e)) goto fail;
    if (expect(s, len, &i, '[', name, e)) goto fail;
    i = skip_ws(s, len, i);
    if (i < len && s[i] == ']') {
        i++;
    } else {
        for (;;) {
            double v = 0;
            i = skip_ws(s, len, i);
            if (number(s, len, &i, &v, name, e)) goto fail;
            if (push(&a, (uint8_t)lround(v * 255))) {
                err_set(e, "%s: out of memory", name);
                goto fail;
            }
            i = skip_ws(s, len, i);
            if (i < len && s[i] == ',') {
                i++;
                continue;
            }
            if (expect(s, len, &i, ']', name, e)) {
                err_set(e, "%s: byte %zu: expected ',' or ']'", name,
                        i);
                goto fail;
            }
            break;
        }
    }
    if (expect(s, len, &i, '}', name, e)) goto fail;
    i = skip_ws(s, len, i);
    if (i != len) {
        err_set(e, "%s: byte %zu: unexpected text after the object",
                name, i);
        goto fail;
    }
    if (a.n == 0 || a.n % (size_t)d) {
        err_set(
            e,
            "%s: %zu grey levels, expected a positive multiple of %d",
            name, a.n, d);
        goto fail;
    }
    *grey = a.b;
    *count = a.n;
    return 0;
fail:
    free(a.b);
    return -1;
}

int amat_parse(const char *s, size_t len, int d, const char *name,
               uint8_t **x, size_t *n, Err *e) {
    Bytes a = {0};
    size_t i = 0, line = 0;
    *x = NULL;
    *n = 0;
    while (i < len) {
        line++;
        size_t values = 0;
        /* one line: blanks, then values separated by blanks */
        for (;;) {
            while (i < len &&
                   (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
                i++;
            if (i >= len || s[i] == '\n') break;
            size_t t = i;
            while (i < len && !is_ws(s[i])) i++;
            if (i - t != 1 || (s[t] != '0' && s[t] != '1')) {
                err_set(e,
                        "%s:%zu: value %zu is '%.*s', expected 0 or 1",
                        name, line, values + 1,
                        (int)(i - t > 20 ? 20 : i - t), s + t);
                goto fail;
            }
            if (push(&a, (uint8_t)(s[t] - '0'))) {
                err_set(e, "%s: out of memory", name);
                goto fail;
            }
            values++;
        }
        if (i < len) i++;                   /* the newline */
        if (values == 0 && i >= len) break; /* blank last line */
        if (values != (size_t)d) {
            err_set(e, "%s:%zu: %zu values, expected %d", name, line,
                    values, d);
            goto fail;
        }
    }
    if (a.n == 0) {
        err_set(e, "%s: no images", name);
        goto fail;
    }
    *x = a.b;
    *n = a.n / (size_t)d;
    return 0;
fail:
    free(a.b);
    return -1;
}
