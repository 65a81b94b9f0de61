/* parse-bench: times the analysis over every message of a Maildir or folder.
 *   parse-bench [--threads=N] [--repeat=R] DIR
 * Each thread reads its share of the files and analyses them one at a time, so
 * memory does not grow with the number of messages. Prints messages/s,
 * records and peak RSS. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include "rebote/analysis.h"
#include "rebote/local.h"

typedef struct {
    char **paths;
    size_t n, cap;
} pathlist;

typedef struct {
    const pathlist *pl;
    size_t from, to;
    int repeat;
    size_t records, messages, bytes;
} job;

static void collect(const char *dir, pathlist *pl)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (pl->n == pl->cap) {
            pl->cap = pl->cap ? pl->cap * 2 : 1024;
            pl->paths = realloc(pl->paths, pl->cap * sizeof *pl->paths);
        }
        pl->paths[pl->n++] = strdup(path);
    }
    closedir(d);
}

static void *run(void *arg)
{
    job *j = arg;
    for (int r = 0; r < j->repeat; r++)
        for (size_t i = j->from; i < j->to; i++) {
            size_t len;
            char *buf = local_read_file(j->pl->paths[i], &len);
            if (!buf)
                continue;
            rb_records rs;
            rb_records_init(&rs);
            analysis_parse(buf, len, &rs);
            j->records += rs.n;
            j->messages++;
            j->bytes += len;
            rb_records_free(&rs);
            free(buf);
        }
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = 2, repeat = 1;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--threads=", 10)) threads = atoi(argv[i] + 10);
        else if (!strncmp(argv[i], "--repeat=", 9)) repeat = atoi(argv[i] + 9);
        else dir = argv[i];
    }
    if (!dir || threads < 1 || threads > 64 || repeat < 1) {
        fprintf(stderr, "usage: parse-bench [--threads=N] [--repeat=R] DIR\n");
        return 2;
    }
    pathlist pl = {0};
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/cur", dir);
    collect(sub, &pl);
    snprintf(sub, sizeof sub, "%s/new", dir);
    collect(sub, &pl);
    if (pl.n == 0)
        collect(dir, &pl);
    if (pl.n == 0) {
        fprintf(stderr, "parse-bench: no messages in %s\n", dir);
        return 1;
    }
    analysis_init();
    job jobs[64];
    pthread_t tids[64];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int t = 0; t < threads; t++) {
        jobs[t] = (job){.pl = &pl, .from = pl.n * (size_t)t / (size_t)threads,
                        .to = pl.n * (size_t)(t + 1) / (size_t)threads, .repeat = repeat};
        pthread_create(&tids[t], NULL, run, &jobs[t]);
    }
    size_t msgs = 0, recs = 0, bytes = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(tids[t], NULL);
        msgs += jobs[t].messages;
        recs += jobs[t].records;
        bytes += jobs[t].bytes;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("messages %zu  records %zu  avg %.1f KB  threads %d  time %.3f s  "
           "%.0f messages/s  peak RSS %ld MB\n",
           msgs, recs, (double)bytes / (double)msgs / 1024.0, threads, secs,
           (double)msgs / secs, ru.ru_maxrss / 1024);
    for (size_t i = 0; i < pl.n; i++)
        free(pl.paths[i]);
    free(pl.paths);
    return 0;
}
