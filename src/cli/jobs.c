/* The ordered pool of workers of jobs.h: a ring of depth slots. The
 * handing thread fills slots at tail; workers take them in order at next
 * and write each one's output into memory; the handing thread writes the
 * done ones at head, in order, and frees the slot. A slot whose output a
 * worker could not make (no memory) is worked again by the handing thread
 * in its turn, straight to out: nothing is lost, nothing comes out of order. */
#include <config.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "jobs.h"

typedef struct {
    char *path, *buf;
    size_t index, len;
    char *out;        /* what the work wrote, or NULL: to be worked again */
    size_t outlen;
    bool done;
} jobs_slot;

struct jobs {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    jobs_slot *ring;
    size_t depth, head, next, tail;   /* head <= next <= tail <= head + depth */
    bool closing;
    int threads;
    pthread_t *tids;
    jobs_work_fn fn;
    void *arg;
    FILE *out;
};

/* Runs the work into memory; the slot's out stays NULL when that fails. */
static void jobs_run(jobs *j, jobs_slot *s)
{
    char *mem = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&mem, &n);
    if (!f)
        return;
    j->fn(f, s->path, s->index, s->buf, s->len, j->arg);
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

static void jobs_slot_free(jobs_slot *s)
{
    free(s->path);
    free(s->buf);
    free(s->out);
    memset(s, 0, sizeof *s);
}

/* Writes the slot at head (done) and frees it. Called with the lock held;
 * writes without it: no worker touches a done slot, and only this thread
 * fills slots. */
static void jobs_write_head(jobs *j)
{
    jobs_slot *s = &j->ring[j->head % j->depth];
    pthread_mutex_unlock(&j->mu);
    if (s->out)
        fwrite(s->out, 1, s->outlen, j->out);
    else
        j->fn(j->out, s->path, s->index, s->buf, s->len, j->arg);
    jobs_slot_free(s);
    pthread_mutex_lock(&j->mu);
    j->head++;
}

/* Writes what is done at head; with wait, until fewer than room slots are held. */
static void jobs_write_done(jobs *j, size_t room)
{
    for (;;) {
        if (j->head < j->tail && j->ring[j->head % j->depth].done)
            jobs_write_head(j);
        else if (j->tail - j->head >= room)
            pthread_cond_wait(&j->done, &j->mu);
        else
            return;
    }
}

int jobs_add(jobs *j, const char *path, size_t index, const char *buf, size_t len)
{
    char *p = strdup(path), *copy = malloc(len + 1);
    pthread_mutex_lock(&j->mu);
    if (!p || !copy) {   /* worked here, after everything handed in before it */
        jobs_write_done(j, 1);
        pthread_mutex_unlock(&j->mu);
        free(p);
        free(copy);
        j->fn(j->out, path, index, buf, len, j->arg);
        errno = ENOMEM;
        return -1;
    }
    memcpy(copy, buf, len);
    copy[len] = '\0';
    jobs_write_done(j, j->depth);
    j->ring[j->tail % j->depth] = (jobs_slot){.path = p, .buf = copy, .index = index, .len = len};
    j->tail++;
    pthread_cond_signal(&j->work);
    pthread_mutex_unlock(&j->mu);
    return 0;
}

static void jobs_free(jobs *j)
{
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->work);
    pthread_cond_destroy(&j->done);
    free(j->ring);
    free(j->tids);
    free(j);
}

/* Stops the workers started so far (none is working: the ring is empty). */
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

void jobs_finish(jobs *j)
{
    pthread_mutex_lock(&j->mu);
    jobs_write_done(j, 1);
    pthread_mutex_unlock(&j->mu);
    jobs_stop(j);
    jobs_free(j);
}
