/*
 * server/loop.c — ae-style event loop on epoll (see loop.h).
 *
 * File events live in a table indexed by fd (like ae's events[]), so a
 * dispatch is one array lookup. epoll is level-triggered: a callback that
 * does not drain its fd is simply called again on the next iteration.
 * Timers are an unsorted list: servers hold a handful of them, and a scan is
 * cheaper than keeping a heap in order. Deleting a timer only marks it; the
 * list is swept after each timer pass, so callbacks may delete any timer,
 * including their own.
 */
#include "server/loop.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "common/util.h"

typedef struct FdEntry {
    int mask; /* LOOP_READ|LOOP_WRITE; -1 = not watched */
    LoopFdFn cb;
    void *ctx;
} FdEntry;

typedef struct Timer {
    int64_t id;       /* 0 = deleted, swept later */
    int64_t when_us;  /* monotonic */
    int64_t period_us;
    bool repeat;
    LoopTimerFn cb;
    void *ctx;
    struct Timer *next;
} Timer;

#define LOOP_MAX_EVENTS 256

struct Loop {
    int epfd;
    FdEntry *fds;
    int nfds; /* size of fds[] */
    Timer *timers;
    int64_t next_timer_id;
    bool stop;
    LoopBeforeSleepFn before_sleep;
    void *before_sleep_ctx;
    struct epoll_event events[LOOP_MAX_EVENTS];
};

Loop *
loop_create(void)
{
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        return NULL;
    Loop *l = sl_calloc(1, sizeof *l);
    l->epfd = epfd;
    l->next_timer_id = 1;
    return l;
}

void
loop_free(Loop *l)
{
    if (!l)
        return;
    Timer *t = l->timers;
    while (t) {
        Timer *next = t->next;
        free(t);
        t = next;
    }
    close(l->epfd);
    free(l->fds);
    free(l);
}

static void
grow_fds(Loop *l, int fd)
{
    if (fd < l->nfds)
        return;
    int n = l->nfds ? l->nfds : 64;
    while (n <= fd)
        n *= 2;
    l->fds = sl_realloc(l->fds, (size_t)n * sizeof *l->fds);
    for (int i = l->nfds; i < n; i++)
        l->fds[i].mask = -1;
    l->nfds = n;
}

static uint32_t
epoll_bits(int mask)
{
    uint32_t ev = 0;
    if (mask & LOOP_READ)
        ev |= EPOLLIN;
    if (mask & LOOP_WRITE)
        ev |= EPOLLOUT;
    return ev;
}

int
loop_add_fd(Loop *l, int fd, int mask, LoopFdFn cb, void *ctx)
{
    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    grow_fds(l, fd);
    FdEntry *e = &l->fds[fd];
    struct epoll_event ev = {.events = epoll_bits(mask), .data.fd = fd};
    int op = e->mask < 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (epoll_ctl(l->epfd, op, fd, &ev) < 0)
        return -1;
    e->mask = mask & (LOOP_READ | LOOP_WRITE);
    e->cb = cb;
    e->ctx = ctx;
    return 0;
}

int
loop_mod_fd(Loop *l, int fd, int mask)
{
    if (fd < 0 || fd >= l->nfds || l->fds[fd].mask < 0) {
        errno = ENOENT;
        return -1;
    }
    mask &= LOOP_READ | LOOP_WRITE;
    if (l->fds[fd].mask == mask)
        return 0;
    struct epoll_event ev = {.events = epoll_bits(mask), .data.fd = fd};
    if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
        return -1;
    l->fds[fd].mask = mask;
    return 0;
}

void
loop_del_fd(Loop *l, int fd)
{
    if (fd < 0 || fd >= l->nfds || l->fds[fd].mask < 0)
        return;
    struct epoll_event ev = {0};
    (void)epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, &ev);
    l->fds[fd].mask = -1;
    l->fds[fd].cb = NULL;
    l->fds[fd].ctx = NULL;
}

int
loop_fd_mask(const Loop *l, int fd)
{
    if (fd < 0 || fd >= l->nfds)
        return -1;
    return l->fds[fd].mask;
}

int64_t
loop_add_timer(Loop *l, int64_t ms, bool repeat, LoopTimerFn cb, void *ctx)
{
    if (ms < 0)
        ms = 0;
    Timer *t = sl_calloc(1, sizeof *t);
    t->id = l->next_timer_id++;
    t->period_us = ms * 1000;
    t->when_us = sl_mono_us() + t->period_us;
    t->repeat = repeat;
    t->cb = cb;
    t->ctx = ctx;
    t->next = l->timers;
    l->timers = t;
    return t->id;
}

int
loop_del_timer(Loop *l, int64_t id)
{
    for (Timer *t = l->timers; t; t = t->next) {
        if (t->id == id && id > 0) {
            t->id = 0;
            return 0;
        }
    }
    return -1;
}

void
loop_set_before_sleep(Loop *l, LoopBeforeSleepFn cb, void *ctx)
{
    l->before_sleep = cb;
    l->before_sleep_ctx = ctx;
}

void
loop_stop(Loop *l)
{
    l->stop = true;
}

static void
sweep_timers(Loop *l)
{
    Timer **pp = &l->timers;
    while (*pp) {
        Timer *t = *pp;
        if (t->id == 0) {
            *pp = t->next;
            free(t);
        } else {
            pp = &t->next;
        }
    }
}

/* Milliseconds until the nearest live timer (rounded up), or -1. */
static int
timer_wait_ms(Loop *l, int64_t now)
{
    int64_t best = -1;
    for (Timer *t = l->timers; t; t = t->next) {
        if (t->id == 0)
            continue;
        int64_t d = t->when_us - now;
        if (d < 0)
            d = 0;
        if (best < 0 || d < best)
            best = d;
    }
    if (best < 0)
        return -1;
    int64_t ms = (best + 999) / 1000;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

static int
process_timers(Loop *l)
{
    int handled = 0;
    int64_t max_id = l->next_timer_id - 1; /* timers added by callbacks wait for the next pass */
    int64_t now = sl_mono_us();
    for (Timer *t = l->timers; t; t = t->next) {
        if (t->id == 0 || t->id > max_id || t->when_us > now)
            continue;
        if (t->repeat) {
            t->when_us += t->period_us > 0 ? t->period_us : 1;
            if (t->when_us <= now) /* fell behind: do not fire a burst to catch up */
                t->when_us = now + (t->period_us > 0 ? t->period_us : 1);
        }
        int64_t id = t->id;
        if (!t->repeat)
            t->id = 0;
        t->cb(l, id, t->ctx);
        handled++;
    }
    sweep_timers(l);
    return handled;
}

static int
min_timeout(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

int
loop_run_once(Loop *l, int max_wait_ms)
{
    int timeout = max_wait_ms;
    if (l->before_sleep)
        timeout = min_timeout(timeout, l->before_sleep(l, l->before_sleep_ctx));
    if (l->stop)
        return 0;
    timeout = min_timeout(timeout, timer_wait_ms(l, sl_mono_us()));

    int n = epoll_wait(l->epfd, l->events, LOOP_MAX_EVENTS, timeout);
    if (n < 0) {
        if (errno == EINTR)
            n = 0;
        else
            return -1;
    }
    int handled = 0;
    for (int i = 0; i < n; i++) {
        int fd = l->events[i].data.fd;
        uint32_t ev = l->events[i].events;
        /* An earlier callback in this batch may have removed this fd. */
        if (fd >= l->nfds || l->fds[fd].mask < 0)
            continue;
        FdEntry *e = &l->fds[fd];
        int fired = 0;
        if (ev & EPOLLIN)
            fired |= LOOP_READ;
        if (ev & EPOLLOUT)
            fired |= LOOP_WRITE;
        if (ev & (EPOLLERR | EPOLLHUP))
            fired |= LOOP_HUP | LOOP_READ | LOOP_WRITE;
        fired &= e->mask | LOOP_HUP;
        if (!fired)
            continue;
        e->cb(l, fd, fired, e->ctx);
        handled++;
    }
    handled += process_timers(l);
    return handled;
}

int
loop_run(Loop *l)
{
    l->stop = false;
    while (!l->stop) {
        if (loop_run_once(l, -1) < 0)
            return -1;
    }
    return 0;
}
