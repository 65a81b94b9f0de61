/* See rebote/app.h: the screen's background load. One thread runs
 * load_source_with; its sink puts the records into an inbox that the
 * screen empties when it polls, so the screen only draws. */
#include <config.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/app.h"
#include "rebote/util.h"

struct app_loader {
    source *src;
    cache *cache;
    pthread_t thread;
    pthread_mutex_t mu;
    rb_records inbox;     /* arrived, not yet polled */
    load_result result;   /* the loader's counts; read once it finished */
    size_t done, total, messages;
    bool finished;
    int rc;
    char err[512];
    atomic_int cancel;    /* set by the polling thread, read by the loader's threads */
};

static void app_loader_sink(rb_records *batch, void *ctx)
{
    app_loader *l = ctx;
    size_t messages = l->result.messages;   /* written before the load started its threads */
    pthread_mutex_lock(&l->mu);
    l->messages = messages;
    rb_records_move(batch, &l->inbox);
    pthread_mutex_unlock(&l->mu);
}

static void app_loader_progress(size_t done, size_t total, void *ctx)
{
    app_loader *l = ctx;
    pthread_mutex_lock(&l->mu);
    l->done = done;
    l->total = total;
    pthread_mutex_unlock(&l->mu);
}

static void *app_loader_run(void *ctx)
{
    app_loader *l = ctx;
    load_options opt = {.progress = app_loader_progress, .sink = app_loader_sink, .ctx = l, .cancel = &l->cancel};
    int rc = load_source_with(l->src, l->cache, &opt, &l->result);
    pthread_mutex_lock(&l->mu);
    l->rc = rc;
    if (rc != 0)
        snprintf(l->err, sizeof l->err, "%s", source_error(l->src));
    l->finished = true;
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

/* The unreadable messages left out, when no other warning tells of them. */
static void app_skip_warning(const source *src, load_result *r)
{
    if (!r->warning[0] && source_skipped(src))
        snprintf(r->warning, sizeof r->warning, _("Unreadable, skipped: %zu; the first: %s"), source_skipped(src),
                 source_skip_reason(src));
}

/* The thread runs with the signals blocked that must reach the caller's
 * thread (hang-up, Ctrl-C, TERM: they interrupt the screen's getch). */
app_loader *app_loader_start(source *src, cache *c)
{
    app_loader *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->src = src;
    l->cache = c;
    rb_records_init(&l->inbox);
    pthread_mutex_init(&l->mu, NULL);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    bool ok = pthread_create(&l->thread, NULL, app_loader_run, l) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!ok) {
        pthread_mutex_destroy(&l->mu);
        free(l);
        return NULL;
    }
    return l;
}

int app_loader_poll(app_loader *l, load_result *to, char *status, size_t len)
{
    pthread_mutex_lock(&l->mu);
    rb_records_move(&l->inbox, &to->records);
    rb_records_free(&l->inbox);
    to->messages = l->messages;
    int rc = l->finished ? (l->rc == 0 ? 0 : -1) : 1;
    if (rc == 1)
        snprintf(status, len, _("loading: %zu of %zu new messages"), l->done, l->total);
    else if (rc < 0)
        snprintf(status, len, "%s", l->err);
    if (l->finished) {
        to->messages = l->result.messages;
        to->fetched = l->result.fetched;
        to->cached = l->result.cached;
        to->capped = l->result.capped;
        to->dropped = l->result.dropped;
        snprintf(to->warning, sizeof to->warning, "%s", l->result.warning);
        app_skip_warning(l->src, to);
    }
    pthread_mutex_unlock(&l->mu);
    return rc;
}

void app_loader_cancel(app_loader *l)
{
    if (!l)
        return;
    atomic_store(&l->cancel, 1);
    pthread_join(l->thread, NULL);
    rb_records_free(&l->inbox);
    load_result_free(&l->result);
    pthread_mutex_destroy(&l->mu);
    free(l);
}

int app_reload(source *src, cache *c, load_result *out, char *err, size_t errlen)
{
    load_result fresh;   /* a failed reload keeps what was loaded: never "No bounces" for a lost server */
    if (load_source(src, c, NULL, NULL, &fresh) != 0) {
        snprintf(err, errlen, "%s", source_error(src));
        load_result_free(&fresh);
        return -1;
    }
    load_result_free(out);
    *out = fresh;
    app_skip_warning(src, out);
    return 0;
}
