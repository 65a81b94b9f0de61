/* mbox-appender: appends messages to an mbox the way an MDA does, for the
 * tests of purges running meanwhile (issue #12.1).
 *   mbox-appender --lock=fcntl|dotlock|both [--stop=FILE] [--count=N]
 *                 [--every-us=U] [--first=N] [--log=FILE] [--template=FILE] MBOX
 * Each message is numbered ("Subject: appended N", never a bounce) and
 * appended under the lock(s): the file is opened first, then locked (so a
 * writer waiting on the old inode is what a rename-over purge would lose),
 * written with one O_APPEND write, synced, unlocked. fcntl: a whole-file
 * F_SETLKW write lock; dotlock: MBOX.lock created exclusively, retried;
 * both: fcntl then dotlock (Postfix's order, and rebote's). It appends N
 * messages (default: until FILE exists), U microseconds apart, and writes
 * each one also to the log, so the test can check them byte for byte.
 * --template: append FILE's bytes once, under the same locks (bounces for
 * the purges to delete). Prints the count appended; exit 1 on any error.
 *   mbox-appender --lock=... --hold=S MBOX
 * takes the lock(s) as above, prints "held" and holds them S seconds
 * (another program busy with the mbox), then releases them. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    bool fcntl, dotlock;
    const char *path, *stop, *log, *template;
    long count, every_us, first, hold;
} appender;

static void die(const char *what)
{
    fprintf(stderr, "mbox-appender: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void nap_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* MBOX.lock, created exclusively; retried every millisecond for up to 60 s. */
static void dotlock_take(const char *path, char *lock, size_t len)
{
    snprintf(lock, len, "%s.lock", path);
    for (long i = 0; i < 60000; i++) {
        int fd = open(lock, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd >= 0) {
            char pid[24];
            int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
            if (write(fd, pid, (size_t)n) != n)
                die(lock);
            close(fd);
            return;
        }
        if (errno != EEXIST)
            die(lock);
        nap_us(1000);
    }
    errno = ETIMEDOUT;
    die(lock);
}

static void write_all(int fd, const char *p, size_t n, const char *what)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            die(what);
        p += w;
        n -= (size_t)w;
    }
}

/* Takes the locks asked for on the open mbox fd (fcntl, then the dot-lock,
 * whose name goes to lock). */
static void locks_take(const appender *a, int fd, char *lock, size_t len)
{
    if (a->fcntl) {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        while (fcntl(fd, F_SETLKW, &fl) != 0)
            if (errno != EINTR)
                die("fcntl");
    }
    if (a->dotlock)
        dotlock_take(a->path, lock, len);
}

/* Appends [p, p+n) to the mbox under the locks asked for. */
static void append_locked(const appender *a, const char *p, size_t n)
{
    int fd = open(a->path, O_WRONLY | O_APPEND);
    if (fd < 0)
        die(a->path);
    char lock[4096];
    locks_take(a, fd, lock, sizeof lock);
    write_all(fd, p, n, a->path);
    if (fsync(fd) != 0)
        die("fsync");
    if (a->dotlock && unlink(lock) != 0)
        die(lock);
    close(fd);   /* releases the fcntl lock */
}

/* Takes the locks, says so, holds them hold seconds, releases them. */
static void hold_locked(const appender *a)
{
    int fd = open(a->path, O_RDWR);
    if (fd < 0)
        die(a->path);
    char lock[4096];
    locks_take(a, fd, lock, sizeof lock);
    printf("held\n");
    fflush(stdout);
    sleep((unsigned)a->hold);
    if (a->dotlock && unlink(lock) != 0)
        die(lock);
    close(fd);
}

static int message(char *buf, size_t len, long i)
{
    return snprintf(buf, len,
                    "From appender@example.org Tue Dec  1 00:00:00 2026\n"
                    "From: Appender <appender@example.org>\n"
                    "To: postmaster@example.org\n"
                    "Subject: appended %ld\n"
                    "Message-Id: <appended-%ld@example.org>\n"
                    "Date: Tue, 01 Dec 2026 00:00:00 +0000\n"
                    "\n"
                    "Ordinary mail number %ld, not a bounce.\n"
                    "\n",
                    i, i, i);
}

static void append_template(const appender *a)
{
    FILE *f = fopen(a->template, "rb");
    if (!f)
        die(a->template);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    if (ferror(f) || !feof(f)) {
        errno = EFBIG;
        die(a->template);
    }
    fclose(f);
    append_locked(a, buf, n);
}

static long append_numbered(const appender *a)
{
    FILE *log = a->log ? fopen(a->log, "wb") : NULL;
    if (a->log && !log)
        die(a->log);
    long done = 0;
    for (long i = a->first; a->count < 0 || done < a->count; i++) {
        if (a->stop && access(a->stop, F_OK) == 0)
            break;
        char msg[512];
        int n = message(msg, sizeof msg, i);
        append_locked(a, msg, (size_t)n);
        if (log && (fwrite(msg, 1, (size_t)n, log) != (size_t)n || fflush(log) != 0))
            die(a->log);
        done++;
        if (a->every_us)
            nap_us(a->every_us);
    }
    if (log && fclose(log) != 0)
        die(a->log);
    return done;
}

static bool opt(const char *arg, const char *name, const char **val)
{
    size_t l = strlen(name);
    if (strncmp(arg, name, l) != 0 || arg[l] != '=')
        return false;
    *val = arg + l + 1;
    return true;
}

int main(int argc, char **argv)
{
    appender a = {.count = -1, .first = 1};
    const char *v;
    for (int i = 1; i < argc; i++) {
        if (opt(argv[i], "--lock", &v)) {
            a.fcntl = !strcmp(v, "fcntl") || !strcmp(v, "both");
            a.dotlock = !strcmp(v, "dotlock") || !strcmp(v, "both");
        } else if (opt(argv[i], "--stop", &v))
            a.stop = v;
        else if (opt(argv[i], "--log", &v))
            a.log = v;
        else if (opt(argv[i], "--template", &v))
            a.template = v;
        else if (opt(argv[i], "--count", &v))
            a.count = strtol(v, NULL, 10);
        else if (opt(argv[i], "--every-us", &v))
            a.every_us = strtol(v, NULL, 10);
        else if (opt(argv[i], "--hold", &v))
            a.hold = strtol(v, NULL, 10);
        else if (opt(argv[i], "--first", &v))
            a.first = strtol(v, NULL, 10);
        else if (argv[i][0] != '-' && !a.path)
            a.path = argv[i];
        else
            a.path = NULL, i = argc;
    }
    if (!a.path || !(a.fcntl || a.dotlock) || (a.count < 0 && !a.stop && !a.template && a.hold <= 0)) {
        fprintf(stderr, "usage: mbox-appender --lock=fcntl|dotlock|both [--stop=FILE] [--count=N] "
                        "[--every-us=U] [--first=N] [--log=FILE] [--template=FILE] [--hold=S] MBOX\n");
        return 2;
    }
    if (a.hold > 0) {
        hold_locked(&a);
        return 0;
    }
    if (a.template) {
        append_template(&a);
        return 0;
    }
    printf("%ld\n", append_numbered(&a));
    return 0;
}
