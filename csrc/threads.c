/* Worker threads: a small pool per computation, and parallel jobs over items.
 *
 * gb_pool_start creates threads - 1 workers that sleep until a job is posted;
 * gb_parallel(c, n, fn, arg) runs fn on items 0..n-1, handed out one at a
 * time through an atomic counter, by the workers and by the calling thread.
 * Each item writes only its own results, so what a job computes does not
 * depend on the number of threads or on which thread ran which item.
 *
 * Only the calling thread polls (gb_check: time budget, interrupt callback,
 * which may need the caller's Python thread state): between its own items and,
 * once no item is left, while it waits for the workers.  A failed poll or a
 * failed item stops the handing out of items; the first error is returned
 * after every worker has left the job.  Workers block all signals, so Ctrl-C
 * reaches the calling thread. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gb_data.h"

/* Take and run items until none is left or the job failed. */
static int run_items(gb_ctx *c, gb_pool *P, int worker, int poll)
{
    for (;;) {
        if (__atomic_load_n(&P->err, __ATOMIC_RELAXED)) return GB_OK;
        const int64_t i = __atomic_fetch_add(&P->next, 1, __ATOMIC_RELAXED);
        if (i >= P->n) return GB_OK;
        int err = P->fn(c, P->arg, i, worker);
        if (!err && poll) err = gb_check(c);
        if (err) {
            int zero = 0;
            __atomic_compare_exchange_n(&P->err, &zero, err, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
            return err;
        }
    }
}

typedef struct {
    gb_ctx *c;
    int worker;
} worker_arg;

static void *worker_main(void *v)
{
    worker_arg *wa = v;
    gb_ctx *c = wa->c;
    const int worker = wa->worker;
    free(wa);
    gb_pool *P = c->pool;
    uint64_t seen = 0;
    pthread_mutex_lock(&P->mu);
    for (;;) {
        while (P->gen == seen && !P->quit) pthread_cond_wait(&P->wake, &P->mu);
        if (P->quit) break;
        seen = P->gen;
        pthread_mutex_unlock(&P->mu);
        run_items(c, P, worker, 0);
        pthread_mutex_lock(&P->mu);
        if (--P->busy == 0) pthread_cond_signal(&P->done);
    }
    pthread_mutex_unlock(&P->mu);
    return NULL;
}

int gb_pool_start(gb_ctx *c, int threads)
{
    c->nthreads = 1;
    if (threads <= 1) return GB_OK;
    gb_pool *P = gb_calloc(c, sizeof *P);
    if (P == NULL) return gb_alloc_error(c);
    P->tid = gb_calloc(c, (size_t)(threads - 1) * sizeof(pthread_t));
    if (P->tid == NULL) {
        gb_free(c, P);
        return gb_alloc_error(c);
    }
    if (pthread_mutex_init(&P->mu, NULL)) goto fail_mu;
    if (pthread_cond_init(&P->wake, NULL)) goto fail_wake;
    if (pthread_cond_init(&P->done, NULL)) goto fail_done;
    c->pool = P;
    /* workers start with every signal blocked */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    for (int k = 1; k < threads; k++) {
        worker_arg *wa = malloc(sizeof *wa);
        if (wa == NULL) break;
        wa->c = c;
        wa->worker = k;
        if (pthread_create(&P->tid[P->nworkers], NULL, worker_main, wa)) {
            free(wa);
            break; /* run with the workers we have */
        }
        P->nworkers++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    c->nthreads = 1 + P->nworkers;
    return GB_OK;
fail_done:
    pthread_cond_destroy(&P->wake);
fail_wake:
    pthread_mutex_destroy(&P->mu);
fail_mu:
    gb_free(c, P->tid);
    gb_free(c, P);
    return GB_OK; /* no pool: serial */
}

void gb_pool_stop(gb_ctx *c)
{
    gb_pool *P = c->pool;
    if (P == NULL) return;
    pthread_mutex_lock(&P->mu);
    P->quit = 1;
    pthread_cond_broadcast(&P->wake);
    pthread_mutex_unlock(&P->mu);
    for (int k = 0; k < P->nworkers; k++) pthread_join(P->tid[k], NULL);
    pthread_cond_destroy(&P->done);
    pthread_cond_destroy(&P->wake);
    pthread_mutex_destroy(&P->mu);
    gb_free(c, P->tid);
    gb_free(c, P);
    c->pool = NULL;
    c->nthreads = 1;
}

int gb_serial(gb_ctx *c, int64_t n, gb_task_fn fn, void *arg)
{
    for (int64_t i = 0; i < n; i++) {
        int err = fn(c, arg, i, 0);
        if (!err) err = gb_check(c);
        if (err) return err;
    }
    return GB_OK;
}

int gb_parallel(gb_ctx *c, int64_t n, gb_task_fn fn, void *arg)
{
    gb_pool *P = c->pool;
    if (n <= 0) return GB_OK;
    if (P == NULL || P->nworkers == 0 || n == 1) return gb_serial(c, n, fn, arg);
    pthread_mutex_lock(&P->mu);
    P->fn = fn;
    P->arg = arg;
    P->n = n;
    __atomic_store_n(&P->next, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&P->err, 0, __ATOMIC_RELAXED);
    P->busy = P->nworkers;
    P->gen++;
    pthread_cond_broadcast(&P->wake);
    pthread_mutex_unlock(&P->mu);

    run_items(c, P, 0, 1);

    /* wait for the workers, polling */
    pthread_mutex_lock(&P->mu);
    while (P->busy > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        double dt = c->opt.poll_interval > 0.001 ? c->opt.poll_interval : 0.001;
        if (dt > 0.05) dt = 0.05;
        ts.tv_nsec += (long)(dt * 1e9);
        while (ts.tv_nsec >= 1000000000L) {
            ts.tv_nsec -= 1000000000L;
            ts.tv_sec++;
        }
        int rc = pthread_cond_timedwait(&P->done, &P->mu, &ts);
        if (rc == ETIMEDOUT && P->busy > 0) {
            pthread_mutex_unlock(&P->mu);
            int err = gb_check(c);
            if (err) {
                int zero = 0;
                __atomic_compare_exchange_n(&P->err, &zero, err, 0, __ATOMIC_RELAXED,
                                            __ATOMIC_RELAXED);
            }
            pthread_mutex_lock(&P->mu);
        }
    }
    pthread_mutex_unlock(&P->mu);
    return __atomic_load_n(&P->err, __ATOMIC_RELAXED);
}
