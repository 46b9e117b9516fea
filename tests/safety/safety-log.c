/*
 * The shared event log of the safety harness (see safety.h). It is a file
 * mapped MAP_SHARED, so that the workers, the killer and the commands that
 * flom runs under the lock (other programs, after exec) all write into it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safety.h"

static size_t log_size(uint64_t capacity)
{
    return sizeof(struct safety_shared) +
           capacity * sizeof(struct safety_event);
}

static struct safety_shared *map_log(int fd, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

    close(fd);
    if (p == MAP_FAILED) {
        perror("safety: mmap");
        return NULL;
    }
    return p;
}

struct safety_shared *safety_log_create(const char *path, uint64_t capacity)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    struct safety_shared *sh;

    if (fd < 0 || ftruncate(fd, (off_t)log_size(capacity)) < 0) {
        perror(path);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    sh = map_log(fd, log_size(capacity));
    if (sh != NULL)
        sh->capacity = capacity;
    return sh;
}

struct safety_shared *safety_log_open(const char *path)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    struct stat st;

    if (fd < 0 || fstat(fd, &st) < 0) {
        perror(path);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    return map_log(fd, (size_t)st.st_size);
}

/* The index is taken first (that is the event's place in time), the type
 * is written last: a writer killed in between leaves a torn event, which
 * the checker counts and otherwise ignores. */
void safety_record(struct safety_shared *sh, enum safety_event_type type,
                   int slot, uint32_t cycle, int res, int mode, int arg)
{
    uint64_t i = atomic_fetch_add(&sh->next, 1);
    struct safety_event *e;

    if (i >= sh->capacity) {
        fprintf(stderr, "safety: event log full\n");
        _exit(3);
    }
    e = &sh->events[i];
    e->cycle = cycle;
    e->arg = arg;
    e->res = (uint8_t)res;
    e->mode = (uint8_t)mode;
    e->slot = (uint16_t)slot;
    atomic_store_explicit(&e->type, (uint32_t)type, memory_order_release);
}

const char *safety_mode_name(int mode)
{
    static const char *const names[SAFETY_MODES] = {"NL", "CR", "CW",
                                                    "PR", "PW", "EX"};

    return mode >= 0 && mode < SAFETY_MODES ? names[mode] : "??";
}

void safety_resource_name(int res, char *buf, unsigned len)
{
    snprintf(buf, len, "safety%d", res);
}
