/* parse-bench: times the analysis.
 *   parse-bench [--threads=N] [--repeat=R] DIR
 *     every file of a Maildir or folder, read from disk and analysed one at
 *     a time by each thread (memory does not grow with the number of files);
 *   parse-bench --corpus [--threads=N] [--min=M] [--label=TEXT] PATH...
 *     every message of the PATHs (files, mboxes, Maildirs, trees: split as
 *     `rebote parse` splits them) loaded into memory once, then replicated
 *     in memory until at least M messages (default 20000) are analysed;
 *     the analysis alone is timed;
 *   parse-bench --run=M [--label=TEXT] COMMAND [ARG]...
 *     runs the command (stdout to /dev/null) and times it whole, as the
 *     work of M messages (`rebote parse` end to end).
 * Prints what it measured, messages/s, records, peak RSS, and the CPU time
 * the process used: on a machine shared with others the wall clock also
 * counts their load, the messages per CPU-second do not. */
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "rebote/analysis.h"
#include "rebote/local.h"

typedef struct {
    char **v;          /* paths (file mode) or message copies (corpus mode) */
    size_t *len;       /* corpus mode: length of each message */
    size_t n, cap;
} itemlist;

typedef struct {
    const itemlist *il;
    size_t from, to;   /* in [0, n * repeat) */
    int repeat;
    bool memory;
    size_t records, messages, bytes;
} job;

static void items_add(itemlist *il, char *s, size_t len)
{
    if (il->n == il->cap) {
        il->cap = il->cap ? il->cap * 2 : 1024;
        il->v = realloc(il->v, il->cap * sizeof *il->v);
        il->len = realloc(il->len, il->cap * sizeof *il->len);
        if (!il->v || !il->len) {
            fprintf(stderr, "parse-bench: out of memory\n");
            exit(1);
        }
    }
    il->v[il->n] = s;
    il->len[il->n++] = len;
}

static void collect(const char *dir, itemlist *il)
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
        items_add(il, strdup(path), 0);
    }
    closedir(d);
}

static int keep_message(const char *path, size_t index, const char *buf, size_t len, void *ctx)
{
    (void)path;
    (void)index;
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, buf, len);
    copy[len] = '\0';
    items_add(ctx, copy, len);
    return 0;
}

static void analyse(job *j, const char *buf, size_t len)
{
    rb_records rs;
    rb_records_init(&rs);
    analysis_parse(buf, len, &rs);
    j->records += rs.n;
    j->messages++;
    j->bytes += len;
    rb_records_free(&rs);
}

static void *run(void *arg)
{
    job *j = arg;
    if (j->memory) {
        for (size_t k = j->from; k < j->to; k++)
            analyse(j, j->il->v[k % j->il->n], j->il->len[k % j->il->n]);
        return NULL;
    }
    for (int r = 0; r < j->repeat; r++)
        for (size_t i = j->from; i < j->to; i++) {
            size_t len;
            char *buf = local_read_file(j->il->v[i], &len);
            if (!buf)
                continue;
            analyse(j, buf, len);
            free(buf);
        }
    return NULL;
}

static double bench_time(itemlist *il, int threads, int repeat, bool memory, job *total)
{
    job jobs[64];
    pthread_t tids[64];
    struct timespec t0, t1;
    size_t span = memory ? il->n * (size_t)repeat : il->n;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int t = 0; t < threads; t++) {
        jobs[t] = (job){.il = il, .from = span * (size_t)t / (size_t)threads,
                        .to = span * (size_t)(t + 1) / (size_t)threads, .repeat = repeat,
                        .memory = memory};
        pthread_create(&tids[t], NULL, run, &jobs[t]);
    }
    for (int t = 0; t < threads; t++) {
        pthread_join(tids[t], NULL);
        total->messages += jobs[t].messages;
        total->records += jobs[t].records;
        total->bytes += jobs[t].bytes;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static int usage(void)
{
    fprintf(stderr, "usage: parse-bench [--threads=N] [--repeat=R] DIR\n"
                    "       parse-bench --corpus [--threads=N] [--min=M] [--label=TEXT] PATH...\n"
                    "       parse-bench --run=M [--label=TEXT] COMMAND [ARG]...\n");
    return 2;
}

static double seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* --run: the command's wall clock and CPU time (wait4), as M messages. */
static int run_command(long msgs, const char *label, char **cmd)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 1);
        execvp(cmd[0], cmd);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "parse-bench: %s failed\n", cmd[0]);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double cpu = seconds(ru.ru_utime) + seconds(ru.ru_stime);
    printf("%s%s%ld messages, whole command: time %.3f s  %.0f messages/s  peak RSS %ld MB  "
           "cpu %.3f s (%.0f messages per CPU-second)\n",
           label ? label : "", label ? ": " : "", msgs, secs, (double)msgs / secs, ru.ru_maxrss / 1024,
           cpu, (double)msgs / cpu);
    return 0;
}

int main(int argc, char **argv)
{
    int threads = 2, repeat = 1;
    long min = 20000;
    bool corpus = false;
    const char *label = NULL;
    itemlist il = {0};
    long runs = 0;
    int first = 1;   /* the options first, then the paths (or the command) */
    for (; first < argc && !strncmp(argv[first], "--", 2); first++) {
        const char *a = argv[first];
        if (!strncmp(a, "--run=", 6)) runs = atol(a + 6);
        else if (!strncmp(a, "--threads=", 10)) threads = atoi(a + 10);
        else if (!strncmp(a, "--repeat=", 9)) repeat = atoi(a + 9);
        else if (!strncmp(a, "--min=", 6)) min = atol(a + 6);
        else if (!strncmp(a, "--label=", 8)) label = a + 8;
        else if (!strcmp(a, "--corpus")) corpus = true;
        else return usage();
    }
    if (first >= argc || threads < 1 || threads > 64 || repeat < 1 || min < 1 || runs < 0)
        return usage();
    if (runs)
        return run_command(runs, label, argv + first);
    if (corpus) {
        for (int i = first; i < argc; i++)
            if (local_each_message(argv[i], keep_message, &il) < 0)
                fprintf(stderr, "parse-bench: cannot read %s\n", argv[i]);
        repeat = (int)(((size_t)min + il.n - 1) / (il.n ? il.n : 1));
    } else {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/cur", argv[first]);
        collect(sub, &il);
        snprintf(sub, sizeof sub, "%s/new", argv[first]);
        collect(sub, &il);
        if (il.n == 0)
            collect(argv[first], &il);
    }
    if (il.n == 0) {
        fprintf(stderr, "parse-bench: no messages in %s\n", argv[first]);
        return 1;
    }
    analysis_init();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);   /* the loading is not timed */
    double cpu0 = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                  (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    job total = {0};
    double secs = bench_time(&il, threads, repeat, corpus, &total);
    getrusage(RUSAGE_SELF, &ru);
    if (label)
        printf("%s: ", label);
    if (corpus)
        printf("%zu distinct messages x %d in memory, analysis only: ", il.n, repeat);
    else
        printf("%zu files read and analysed x %d: ", il.n, repeat);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6 - cpu0;
    printf("messages %zu  records %zu  avg %.1f KB  threads %d  time %.3f s  "
           "%.0f messages/s  peak RSS %ld MB  cpu %.3f s (%.0f messages per CPU-second)\n",
           total.messages, total.records, (double)total.bytes / (double)total.messages / 1024.0,
           threads, secs, (double)total.messages / secs, ru.ru_maxrss / 1024, cpu,
           (double)total.messages / cpu);
    for (size_t i = 0; i < il.n; i++)
        free(il.v[i]);
    free(il.v);
    free(il.len);
    return 0;
}
