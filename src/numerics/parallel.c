/* parallel.c - see parallel.h. A small pool of worker threads, started
 * on first use, runs the tasks; the caller runs task 0 and waits for
 * the rest. Workers spin briefly before sleeping, because a training
 * step hands them work every few hundred microseconds. */
#include "parallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int parallel_threads(void) {
    const char *s = getenv("AUTOREG_THREADS");
    if (s && *s) {
        char *end;
        long t = strtol(s, &end, 10);
        if (!*end && t >= 1 && t <= PARALLEL_MAX_THREADS) return (int)t;
        static int warned;
        if (!warned++)
            fprintf(stderr,
                    "autoreg: AUTOREG_THREADS='%s' is not a number "
                    "in 1..64; using the number of cores\n",
                    s);
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

enum { MAX_WORKERS = 63 };

/* How long a thread busy-waits before sleeping (a worker) or yielding
 * (the caller), in microseconds: $AUTOREG_SPIN, else 2000 (0 suits
 * valgrind, which runs one thread at a time). A training step posts two
 * jobs some hundred microseconds apart and the next step follows within
 * tens: a worker woken from sleep instead starts late, by as much as a
 * whole step on a busy virtual machine. */
static long spin_ns(void) {
    static long n = -1;
    if (n < 0) {
        const char *s = getenv("AUTOREG_SPIN");
        n = s && *s ? atol(s) : 2000;
        n = n < 0 ? 0 : n > 1000000 ? 1000000000 : n * 1000;
    }
    return n;
}

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* One round of a busy wait: 1 while it is within its time (started at
 * *t0, 0 on the first call), 0 once it is over. The clock is read every
 * 64 rounds; a pause between the loads of the flag leaves the core's
 * other hardware thread, if any, its share. */
static int spinning(long *t0, long *rounds) {
    if ((++*rounds & 63) == 0) {
        long t = now_ns();
        if (!*t0) *t0 = t;
        else if (t - *t0 >= spin_ns()) return 0;
    }
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    return spin_ns() > 0;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;

/* Every worker answers every job (running its task or not), so no
 * worker can lag a job behind and the next job starts clean. */
static struct {
    int started;            /* workers running */
    atomic_long generation; /* bumped when a job is posted */
    atomic_int pending;     /* workers that have not answered the job */
    void (*fn)(void *, int);
    void *ctx;
    int n; /* tasks of the current job */
} pool;

static void *worker(void *arg) {
    int id = (int)(long)arg; /* runs task id + 1 */
    long seen = 0;
    for (;;) {
        long g, t0 = 0, rounds = 0;
        while ((g = atomic_load(&pool.generation)) == seen) {
            if (spinning(&t0, &rounds)) continue;
            pthread_mutex_lock(&lock);
            while (atomic_load(&pool.generation) == seen)
                pthread_cond_wait(&wake, &lock);
            pthread_mutex_unlock(&lock);
        }
        seen = g;
        if (id + 1 < pool.n) pool.fn(pool.ctx, id + 1);
        atomic_fetch_sub(&pool.pending, 1);
    }
    return NULL;
}

void parallel_for(int n, void (*fn)(void *ctx, int i), void *ctx) {
    if (n > MAX_WORKERS + 1) n = MAX_WORKERS + 1;
    while (pool.started < n - 1) { /* grow the pool on demand */
        pthread_t th;
        if (pthread_create(&th, NULL, worker,
                           (void *)(long)pool.started))
            break;
        pthread_detach(th);
        pool.started++;
    }
    if (n <= 1 || pool.started < n - 1) { /* no threads: run here */
        for (int i = 0; i < n; i++) fn(ctx, i);
        return;
    }
    pool.fn = fn;
    pool.ctx = ctx;
    pool.n = n;
    atomic_store(&pool.pending, pool.started);
    pthread_mutex_lock(&lock);
    atomic_fetch_add(&pool.generation, 1);
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    fn(ctx, 0);
    long t0 = 0, rounds = 0;
    while (atomic_load(&pool.pending) > 0)
        if (!spinning(&t0, &rounds)) sched_yield();
}

static void nothing(void *ctx, int i) {
    (void)ctx;
    (void)i;
}

void parallel_start(int n) { parallel_for(n, nothing, NULL); }

void parallel_share(int n, int T, int i, int *lo, int *hi) {
    *lo = (int)((long)n * i / T);
    *hi = (int)((long)n * (i + 1) / T);
}
