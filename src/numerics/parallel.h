/* parallel.h - run a few tasks on the machine's cores.
 *
 * The trainer splits each minibatch into one chunk per thread; every
 * thread accumulates into its own gradient buffer and the buffers are
 * added in a fixed order, so results do not depend on scheduling (they
 * do depend on the number of threads). */
#ifndef PARALLEL_H
#define PARALLEL_H

/* The most threads parallel_threads() returns. */
#define PARALLEL_MAX_THREADS 64

/* Threads to use: $AUTOREG_THREADS if set (1..PARALLEL_MAX_THREADS),
 * else the number of online cores, at most 8. */
int parallel_threads(void);

/* fn(ctx, i) for i = 0 .. n-1, task 0 on the calling thread, the rest
 * on the pool's threads (started on first use); returns when all are
 * done. */
void parallel_for(int n, void (*fn)(void *ctx, int i), void *ctx);

/* [*lo, *hi): task i's share of n items split over T tasks, in order
 * and as even as whole items allow. */
void parallel_share(int n, int T, int i, int *lo, int *hi);

/* Starts the threads for n tasks now and hands them an empty job, so
 * that the next parallel_for does not pay for starting them (a timed
 * region, as autoreg sample's). */
void parallel_start(int n);

#endif
