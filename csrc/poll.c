/* The clock and the interrupt / timeout polling of a computation (gb_check), at the
 * bottom of the core: every phase and the worker pool (threads.c) call them, and they
 * call nothing back. */
#define _POSIX_C_SOURCE 199309L
#include <time.h>

#include "gb_data.h"

double gb_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Called at safe points (per row, per pair update): time budget and interrupts. */
int gb_check(gb_ctx *c)
{
    double t = gb_now();
    if (c->deadline > 0 && t > c->deadline) return GB_ERR_TIMEOUT;
    if (c->opt.poll && t - c->last_poll >= c->opt.poll_interval) {
        c->last_poll = t;
        if (c->opt.poll(c->opt.poll_data)) return GB_ERR_INTERRUPT;
    }
    return GB_OK;
}
