/* clock.h - wall-clock time for the training logs and the timings. */
#ifndef CLOCK_H
#define CLOCK_H

/* Monotonic seconds. */
double now_seconds(void);

#endif
