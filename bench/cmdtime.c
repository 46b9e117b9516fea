/*
 * cmdtime: run a command N times (after W warm-up runs) and print the
 * median, p90 and p99 wall time in microseconds:
 *
 *   cmdtime [-n N] [-w W] -- COMMAND [ARG...]
 *
 * Output: "median_us p90_us p99_us failures". A run fails when the
 * command exits non-zero. Spawning uses posix_spawn, like a shell would
 * fork/exec, so the numbers compare commands fairly.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int run_once(char **argv)
{
    pid_t pid;
    int status;

    if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0)
        return -1;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int n = 300, w = 20, i = 1, failures = 0;
    double *t;

    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            n = atoi(argv[++i]);
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
            w = atoi(argv[++i]);
    }
    if (i + 1 >= argc || n < 1) {
        fprintf(stderr, "usage: cmdtime [-n N] [-w W] -- COMMAND [ARG...]\n");
        return 2;
    }
    argv += i + 1;
    for (int k = 0; k < w; k++)
        run_once(argv);
    t = calloc((size_t)n, sizeof(*t));
    for (int k = 0; k < n; k++) {
        double start = now_us();
        if (run_once(argv) != 0)
            failures++;
        t[k] = now_us() - start;
    }
    qsort(t, (size_t)n, sizeof(*t), cmp);
    printf("%.0f %.0f %.0f %d\n", t[n / 2], t[(n * 9) / 10], t[(n * 99) / 100],
           failures);
    free(t);
    return 0;
}
