/* rusage: runs a command and checks its peak resident memory.
 *   rusage MAX_KB COMMAND [ARG]...
 * Prints "maxrss KB seconds S" on stderr (the child's, from wait4's
 * rusage). Exits with the command's status, or 3 when it succeeded but its
 * peak RSS passed MAX_KB, 4 when it could not be run. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char *end;
    long max = argc > 2 ? strtol(argv[1], &end, 10) : 0;
    if (argc < 3 || *end || max <= 0) {
        fprintf(stderr, "usage: rusage MAX_KB COMMAND [ARG]...\n");
        return 4;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0)
        return 4;
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        _exit(4);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) != pid)
        return 4;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "maxrss %ld KB seconds %.2f\n", ru.ru_maxrss, secs);
    if (!WIFEXITED(st))
        return 4;
    if (WEXITSTATUS(st) != 0)
        return WEXITSTATUS(st);
    return ru.ru_maxrss > max ? 3 : 0;
}
