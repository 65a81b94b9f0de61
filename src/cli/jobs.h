/* An ordered pool of workers: one thread hands messages in, several work
 * on them at once, and what each wrote comes out in the order they were
 * handed in (the same bytes as one thread working them in turn). Messages
 * go over in batches (16, or 128 KiB and the message that passed it), and
 * at most depth batches are held at a time: memory does not grow with the
 * input. */
#ifndef REBOTE_CLI_JOBS_H
#define REBOTE_CLI_JOBS_H

#include <stddef.h>
#include <stdio.h>

/* The work on one message: writes its output to out. Runs in a worker. */
typedef void (*jobs_work_fn)(FILE *out, const char *path, size_t index, const char *buf, size_t len,
                             void *arg);

typedef struct jobs jobs;

/* Batches held at most per worker (being filled, queued, being worked on,
 * or done and waiting for an earlier one). */
#define JOBS_DEPTH_PER_THREAD 4

/* threads workers calling work(…, arg) and writing to out; NULL with errno
 * set when they cannot be started. */
jobs *jobs_start(int threads, jobs_work_fn work, void *arg, FILE *out);
/* Hands a copy of the message in; before a new batch, writes what is done,
 * in order, and waits while depth batches are held. 0, or -1 (ENOMEM) when
 * it could not be copied: the message is then worked here, in its turn. */
int jobs_add(jobs *j, const char *path, size_t index, const char *buf, size_t len);
/* Waits for every message, writes the rest, stops the workers and frees j.
 * 0, or -1 with errno set when a write of their output failed. */
int jobs_finish(jobs *j);

#endif
