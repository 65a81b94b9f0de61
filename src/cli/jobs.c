/* The ordered pool of workers of jobs.h: a ring of depth slots, each a
 * batch of messages (a handover per message cost a fifth of the work in
 * locks, wake-ups and output buffers). The handing thread fills the slot
 * at tail and hands it over when full; workers take slots in order at
 * next and write each one's output into memory; the handing thread writes
 * the done ones at head, in order, and empties the slot. A slot whose
 * output a worker could not make (no memory) is worked again by the
 * handing thread in its turn, straight to out: nothing is lost, nothing
 * comes out of order. */
#include <config.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "jobs.h"

#define JOBS_BATCH 16                    /* messages of a slot at most */
#define JOBS_BATCH_BYTES (128 * 1024)    /* a slot is handed over once it holds this much */

typedef struct {
    size_t path, data, len, index;   /* path and data: offsets in the slot's bytes */
} jobs_msg;

typedef struct {
    jobs_msg msgs[JOBS_BATCH];
    int n;
    char *bytes;      /* the paths and messages, each NUL-terminated, back to back */
    size_t used, cap;
    char *out;        /* what the work wrote, or NULL: to be worked again */
    size_t outlen;
    bool done;
} jobs_slot;

struct jobs {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    jobs_slot *ring;
    size_t depth, head, next, tail;   /* head <= next <= tail < head + depth; tail: being filled */
    bool closing;
    bool filling;                     /* the slot at tail has been started */
    int werr;                         /* errno of the first write to out that failed */
    int threads;
    pthread_t *tids;
    jobs_work_fn fn;
    void *arg;
    FILE *out;
};

/* Works every message of the slot into f. */
static void jobs_work_slot(jobs *j, const jobs_slot *s, FILE *f)
{
    for (int i = 0; i < s->n; i++) {
        const jobs_msg *m = &s->msgs[i];
        j->fn(f, s->bytes + m->path, m->index, s->bytes + m->data, m->len, j->arg);
    }
}

/* Runs the work into memory; the slot's out stays NULL when that fails. */
static void jobs_run(jobs *j, jobs_slot *s)
{
    char *mem = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&mem, &n);
    if (!f)
        return;
    jobs_work_slot(j, s, f);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        free(mem);
        return;
    }
    s->out = mem;
    s->outlen = n;
}

static void *jobs_worker(void *arg)
{
    jobs *j = arg;
    pthread_mutex_lock(&j->mu);
    for (;;) {
        while (j->next == j->tail && !j->closing)
            pthread_cond_wait(&j->work, &j->mu);
        if (j->next == j->tail)
            break;
        jobs_slot *s = &j->ring[j->next++ % j->depth];
        pthread_mutex_unlock(&j->mu);
        jobs_run(j, s);
        pthread_mutex_lock(&j->mu);
        s->done = true;
        pthread_cond_signal(&j->done);
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

/* Writes the slot at head (done) and empties it, keeping its buffer.
 * Called with the lock held; writes without it: no worker touches a done
 * slot, and only this thread fills slots. */
static void jobs_write_head(jobs *j)
{
    jobs_slot *s = &j->ring[j->head % j->depth];
    pthread_mutex_unlock(&j->mu);
    if (s->out) {
        if (fwrite(s->out, 1, s->outlen, j->out) != s->outlen && !j->werr)
            j->werr = errno ? errno : EIO;   /* a large write goes past the buffer: say so at the end */
    } else
        jobs_work_slot(j, s, j->out);
    free(s->out);
    s->out = NULL;
    s->n = 0;
    s->used = 0;
    s->done = false;
    pthread_mutex_lock(&j->mu);
    j->head++;
}

/* Writes what is done at head; then waits, writing, while more than room
 * slots are handed over and not yet written. Called with the lock held. */
static void jobs_write_done(jobs *j, size_t room)
{
    for (;;) {
        if (j->head < j->tail && j->ring[j->head % j->depth].done)
            jobs_write_head(j);
        else if (j->tail - j->head > room)
            pthread_cond_wait(&j->done, &j->mu);
        else
            return;
    }
}

/* Hands the slot at tail over to the workers (if it holds any message). */
static void jobs_hand_over(jobs *j)
{
    pthread_mutex_lock(&j->mu);
    if (j->filling && j->ring[j->tail % j->depth].n) {
        j->tail++;
        pthread_cond_signal(&j->work);
    }
    j->filling = false;
    pthread_mutex_unlock(&j->mu);
}

/* Appends s (n bytes and a NUL) to the slot's bytes; its offset, or -1. */
static long jobs_slot_put(jobs_slot *s, const char *p, size_t n)
{
    if (s->used + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->used + n + 1)
            cap *= 2;
        char *b = realloc(s->bytes, cap);
        if (!b)
            return -1;
        s->bytes = b;
        s->cap = cap;
    }
    size_t at = s->used;
    memcpy(s->bytes + at, p, n);
    s->bytes[at + n] = '\0';
    s->used += n + 1;
    return (long)at;
}

int jobs_add(jobs *j, const char *path, size_t index, const char *buf, size_t len)
{
    if (!j->filling) {   /* a new batch: a free slot, and what is done written */
        pthread_mutex_lock(&j->mu);
        jobs_write_done(j, j->depth - 1);
        j->filling = true;
        pthread_mutex_unlock(&j->mu);
    }
    jobs_slot *s = &j->ring[j->tail % j->depth];
    size_t used = s->used;
    long p = jobs_slot_put(s, path, strlen(path)), d = p < 0 ? -1 : jobs_slot_put(s, buf, len);
    if (d < 0) {   /* worked here, after everything handed in before it */
        s->used = used;
        jobs_hand_over(j);
        pthread_mutex_lock(&j->mu);
        jobs_write_done(j, 0);
        pthread_mutex_unlock(&j->mu);
        j->fn(j->out, path, index, buf, len, j->arg);
        errno = ENOMEM;
        return -1;
    }
    s->msgs[s->n++] = (jobs_msg){.path = (size_t)p, .data = (size_t)d, .len = len, .index = index};
    if (s->n == JOBS_BATCH || s->used >= JOBS_BATCH_BYTES)
        jobs_hand_over(j);
    return 0;
}

static void jobs_free(jobs *j)
{
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->work);
    pthread_cond_destroy(&j->done);
    for (size_t i = 0; j->ring && i < j->depth; i++) {
        free(j->ring[i].bytes);
        free(j->ring[i].out);
    }
    free(j->ring);
    free(j->tids);
    free(j);
}

/* Stops the workers started so far (none is working: nothing is handed over). */
static void jobs_stop(jobs *j)
{
    pthread_mutex_lock(&j->mu);
    j->closing = true;
    pthread_cond_broadcast(&j->work);
    pthread_mutex_unlock(&j->mu);
    for (int t = 0; t < j->threads; t++)
        pthread_join(j->tids[t], NULL);
}

jobs *jobs_start(int threads, jobs_work_fn work, void *arg, FILE *out)
{
    jobs *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->depth = (size_t)threads * JOBS_DEPTH_PER_THREAD;
    j->ring = calloc(j->depth, sizeof *j->ring);
    j->tids = calloc((size_t)threads, sizeof *j->tids);
    j->fn = work;
    j->arg = arg;
    j->out = out;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->work, NULL);
    pthread_cond_init(&j->done, NULL);
    if (!j->ring || !j->tids) {
        jobs_free(j);
        errno = ENOMEM;
        return NULL;
    }
    for (; j->threads < threads; j->threads++) {
        int err = pthread_create(&j->tids[j->threads], NULL, jobs_worker, j);
        if (err) {
            jobs_stop(j);
            jobs_free(j);
            errno = err;
            return NULL;
        }
    }
    return j;
}

int jobs_finish(jobs *j)
{
    jobs_hand_over(j);
    pthread_mutex_lock(&j->mu);
    jobs_write_done(j, 0);
    pthread_mutex_unlock(&j->mu);
    jobs_stop(j);
    int werr = j->werr;
    jobs_free(j);
    errno = werr;
    return werr ? -1 : 0;
}
