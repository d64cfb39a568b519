/* trainstate.c - see trainstate.h. */
#include "trainstate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "checkpoint.h"
#include "out.h"
#include "readfile.h"

static const char MAGIC[8] = {'A', 'R', 'S', 'T', 'A', 'T', 'E', '\0'};
enum { HEADER = 228, CRC_FROM = 16 };

int text_printf(Text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = 2 * (t->len + (size_t)n + 1) + 256;
        char *s = realloc(t->s, cap);
        if (!s) return -1;
        t->s = s;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
    return 0;
}

void text_free(Text *t) {
    free(t->s);
    memset(t, 0, sizeof *t);
}

int text_write(const char *path, const Text *t, Err *e) {
    OutFile o;
    if (out_open(&o, path, e)) return -1;
    if (t->len) fwrite(t->s, 1, t->len, o.f);
    return out_close(&o, e);
}

void state_key(StateKey *k, const char *data_name, const Split *train,
               const Split *valid, int batch, int opt, int threads,
               float lr, uint64_t seed) {
    memset(k, 0, sizeof *k);
    k->batch = batch;
    k->opt = opt;
    k->threads = threads;
    k->lr = lr;
    k->seed = seed;
    snprintf(k->data_name, sizeof k->data_name, "%s",
             data_name ? data_name : "?");
    k->n_train = train->n;
    k->n_valid = valid->n;
    uint32_t c =
        checkpoint_crc32(train->x, train->n * (size_t)train->d);
    k->data_crc =
        c ^ checkpoint_crc32(valid->x, valid->n * (size_t)valid->d);
}

void state_key_masks(StateKey *k, const Model *m) {
    uint32_t crc = 0;
    for (int q = 0; q < m->n_masks; q++) { /* each int little-endian */
        const MadeMask *mk = &m->masks[q];
        int *deg2 = m->h2 ? m->layer2[q].deg : NULL;
        for (int i = 0; i < m->d + m->h + m->h2; i++) {
            uint32_t v =
                (uint32_t)(i < m->d          ? mk->order[i]
                           : i < m->d + m->h ? mk->deg[i - m->d]
                                             : deg2[i - m->d - m->h]);
            uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8),
                            (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
            crc = (uint32_t)crc32(crc, b, 4);
        }
    }
    k->masks_crc = crc;
}

/* --- little-endian writing and reading through a cursor
 * --------------- */

static void put(uint8_t **p, uint64_t v, int bytes) {
    for (int k = 0; k < bytes; k++) (*p)[k] = (uint8_t)(v >> (8 * k));
    *p += bytes;
}
static uint64_t get(const uint8_t **p, int bytes) {
    uint64_t v = 0;
    for (int k = 0; k < bytes; k++) v |= (uint64_t)(*p)[k] << (8 * k);
    *p += bytes;
    return v;
}
static void put_f64(uint8_t **p, double x) {
    uint64_t u;
    memcpy(&u, &x, 8);
    put(p, u, 8);
}
static double get_f64(const uint8_t **p) {
    uint64_t u = get(p, 8);
    double x;
    memcpy(&x, &u, 8);
    return x;
}
static void put_floats(uint8_t **p, const float *x, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], 4);
        put(p, u, 4);
    }
}
static void get_floats(const uint8_t **p, float *x, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint32_t u = (uint32_t)get(p, 4);
        memcpy(&x[i], &u, 4);
    }
}

static size_t arrays(const Model *m, int opt) {
    return m->n_params * 4 * (opt == OPT_ADAM ? 4 : 2);
}

/* The fixed part after the CRC, in the order of trainstate.h. */
static void put_header(uint8_t **q, const StateKey *k, const Model *m,
                       const Optimizer *o, const TrainProgress *p) {
    float lr = k->lr;
    uint32_t lr_bits;
    memcpy(&lr_bits, &lr, 4);
    put(q, (uint64_t)m->ops->kind, 4);
    put(q, (uint64_t)m->d, 4);
    put(q, (uint64_t)m->h, 4);
    put(q, m->n_params, 8);
    put(q, (uint64_t)k->batch, 4);
    put(q, (uint64_t)k->opt, 4);
    put(q, (uint64_t)k->threads, 4);
    put(q, lr_bits, 4);
    put(q, k->seed, 8);
    memcpy(*q, k->data_name, 64);
    *q += 64;
    put(q, k->n_train, 8);
    put(q, k->n_valid, 8);
    put(q, k->data_crc, 4);
    put(q, k->masks_crc, 4);
    put(q, (uint64_t)p->epoch, 4);
    put(q, (uint64_t)p->best_epoch, 4);
    put(q, (uint64_t)o->t, 8);
    put_f64(q, p->best_valid_nll);
    put_f64(q, p->last_train_nll);
    put_f64(q, p->seconds);
    for (int i = 0; i < 4; i++) put(q, p->rng.s[i], 8);
    put(q, p->log.len, 4);
    put(q, p->tlog.len, 4);
}

int state_save(const char *path, const StateKey *k, const Model *m,
               const Optimizer *o, const float *best,
               const TrainProgress *p, Err *e) {
    size_t len = HEADER + arrays(m, k->opt) + p->log.len + p->tlog.len;
    uint8_t *buf = malloc(len), *q = buf;
    if (!buf) return err_set(e, "%s: out of memory", path);
    memcpy(q, MAGIC, 8);
    q += 8;
    put(&q, STATE_VERSION, 4);
    q += 4; /* the CRC, filled in below */
    put_header(&q, k, m, o, p);
    put_floats(&q, m->params, m->n_params);
    if (k->opt == OPT_ADAM) {
        put_floats(&q, o->m, m->n_params);
        put_floats(&q, o->v, m->n_params);
    }
    put_floats(&q, best, m->n_params);
    if (p->log.len) memcpy(q, p->log.s, p->log.len);
    q += p->log.len;
    if (p->tlog.len) memcpy(q, p->tlog.s, p->tlog.len);
    uint8_t *c = buf + 12;
    put(&c, checkpoint_crc32(buf + CRC_FROM, len - CRC_FROM), 4);
    OutFile f;
    int rc = out_open(&f, path, e);
    if (rc == 0) {
        fwrite(buf, 1, len, f.f);
        rc = out_close(&f, e);
    }
    free(buf);
    return rc;
}

/* The file's key and sizes, read from its fixed part. */
typedef struct {
    uint32_t kind, d, h, epoch, best_epoch, log_len, tlog_len;
    uint64_t n, steps;
    StateKey k;
} Head;

static void get_header(const uint8_t **q, Head *f, TrainProgress *p) {
    f->kind = (uint32_t)get(q, 4);
    f->d = (uint32_t)get(q, 4);
    f->h = (uint32_t)get(q, 4);
    f->n = get(q, 8);
    f->k.batch = (int)get(q, 4);
    f->k.opt = (int)get(q, 4);
    f->k.threads = (int)get(q, 4);
    uint32_t lr_bits = (uint32_t)get(q, 4);
    memcpy(&f->k.lr, &lr_bits, 4);
    f->k.seed = get(q, 8);
    memcpy(f->k.data_name, *q, 64);
    f->k.data_name[63] = '\0';
    *q += 64;
    f->k.n_train = get(q, 8);
    f->k.n_valid = get(q, 8);
    f->k.data_crc = (uint32_t)get(q, 4);
    f->k.masks_crc = (uint32_t)get(q, 4);
    f->epoch = (uint32_t)get(q, 4);
    f->best_epoch = (uint32_t)get(q, 4);
    f->steps = get(q, 8);
    p->best_valid_nll = get_f64(q);
    p->last_train_nll = get_f64(q);
    p->seconds = get_f64(q);
    for (int i = 0; i < 4; i++) p->rng.s[i] = get(q, 8);
    f->log_len = (uint32_t)get(q, 4);
    f->tlog_len = (uint32_t)get(q, 4);
}

/* Does the file's key match this run's? One line naming what differs.
 */
static int check_key(const char *path, const StateKey *f,
                     const StateKey *k, Err *e) {
    if (f->n_train != k->n_train || f->n_valid != k->n_valid ||
        f->data_crc != k->data_crc)
        return err_set(e,
                       "%s: written for data set '%s' (%llu + %llu "
                       "images, CRC %08x), not this run's '%s' (%llu + "
                       "%llu images, CRC %08x)",
                       path, f->data_name,
                       (unsigned long long)f->n_train,
                       (unsigned long long)f->n_valid, f->data_crc,
                       k->data_name, (unsigned long long)k->n_train,
                       (unsigned long long)k->n_valid, k->data_crc);
    if (f->batch != k->batch || f->opt != k->opt || f->lr != k->lr ||
        f->seed != k->seed)
        return err_set(
            e,
            "%s: written with --batch %d --lr %g --seed %llu, "
            "this run has --batch %d --lr %g --seed %llu",
            path, f->batch, (double)f->lr, (unsigned long long)f->seed,
            k->batch, (double)k->lr, (unsigned long long)k->seed);
    if (f->masks_crc != k->masks_crc)
        return err_set(
            e,
            "%s: written with other masks (CRC %08x, this "
            "run's %08x): continue with the --masks, --order "
            "and --seed that started it",
            path, f->masks_crc, k->masks_crc);
    int ft = f->threads == 0 || (f->threads & STATE_TILED);
    int kt = k->threads == 0 || (k->threads & STATE_TILED);
    if (ft != kt)
        return err_set(
            e,
            "%s: written by a run with --kernel %s, this one "
            "has --kernel %s",
            path, ft ? "tiled" : "plain", kt ? "tiled" : "plain");
    int fn = f->threads & ~STATE_TILED, kn = k->threads & ~STATE_TILED;
    if (fn != kn)
        return err_set(e,
                       "%s: written by a run with %d threads, this one "
                       "has %d; set AUTOREG_THREADS=%d to continue it",
                       path, fn, kn, fn);
    return 0;
}

/* The checks that need only the fixed part; 0 if the file fits. */
static int check_head(const char *path, size_t len, const Head *f,
                      const StateKey *k, const Model *m, Err *e) {
    const ModelOps *ops = model_ops_by_kind((int)f->kind);
    if (!ops || f->d != (uint32_t)m->d || f->h != (uint32_t)m->h ||
        f->n != m->n_params || ops->kind != m->ops->kind) {
        char h2[32] =
            ""; /* MADE's second layer, which only the size shows */
        if (m->h2) snprintf(h2, sizeof h2, ", h2 = %d", m->h2);
        return err_set(
            e,
            "%s: the state of a %s with d = %u, h = %u, %llu "
            "parameters; this run trains a %s with d = %d, "
            "h = %d%s, %zu parameters",
            path, ops ? ops->name : "unknown model", f->d, f->h,
            (unsigned long long)f->n, m->ops->name, m->d, m->h, h2,
            m->n_params);
    }
    if (check_key(path, &f->k, k, e)) return -1;
    if (len != HEADER + arrays(m, k->opt) + f->log_len + f->tlog_len ||
        f->log_len > (1u << 28) || f->tlog_len > (1u << 28) ||
        f->best_epoch > f->epoch || f->epoch > 1000000)
        return err_set(e, "%s: inconsistent sizes or epoch counts",
                       path);
    return 0;
}

int state_parse(const uint8_t *buf, size_t len, const char *path,
                const StateKey *k, Model *m, Optimizer *o, float *best,
                TrainProgress *p, Err *e) {
    if (len < HEADER)
        return err_set(e,
                       "%s: truncated: %zu bytes, a training state has "
                       "at least %d",
                       path, len, HEADER);
    if (memcmp(buf, MAGIC, 8) != 0)
        return err_set(e, "%s: not a training state (bad magic)", path);
    const uint8_t *q = buf + 8;
    uint32_t version = (uint32_t)get(&q, 4), crc = (uint32_t)get(&q, 4);
    if (version != STATE_VERSION)
        return err_set(e, "%s: training state version %u, expected %u",
                       path, version, STATE_VERSION);
    if (checkpoint_crc32(buf + CRC_FROM, len - CRC_FROM) != crc)
        return err_set(e,
                       "%s: CRC32 mismatch: the file is truncated or "
                       "corrupted",
                       path);
    Head f;
    TrainProgress in = {0};
    get_header(&q, &f, &in);
    if (check_head(path, len, &f, k, m, e)) return -1;
    if (text_printf(&in.log, "%.*s", (int)f.log_len,
                    (const char *)buf + len - f.tlog_len - f.log_len) ||
        text_printf(&in.tlog, "%.*s", (int)f.tlog_len,
                    (const char *)buf + len - f.tlog_len)) {
        text_free(&in.log);
        text_free(&in.tlog);
        return err_set(e, "%s: out of memory", path);
    }
    in.epoch = (int)f.epoch;
    in.best_epoch = (int)f.best_epoch;
    get_floats(&q, m->params, m->n_params);
    if (k->opt == OPT_ADAM) {
        get_floats(&q, o->m, m->n_params);
        get_floats(&q, o->v, m->n_params);
    }
    get_floats(&q, best, m->n_params);
    o->t = (long)f.steps;
    text_free(&p->log);
    text_free(&p->tlog);
    *p = in;
    return 0;
}

int state_load(const char *path, const StateKey *k, Model *m,
               Optimizer *o, float *best, TrainProgress *p, Err *e) {
    uint8_t *buf;
    size_t len;
    if (file_read_all(path, (size_t)1 << 34, &buf, &len, e)) return -1;
    int rc = state_parse(buf, len, path, k, m, o, best, p, e);
    free(buf);
    return rc;
}
