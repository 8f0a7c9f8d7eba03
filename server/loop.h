/*
 * server/loop.h — a small ae-style event loop: file descriptors on epoll,
 * timers, and a before_sleep hook. One loop per thread, no globals.
 *
 * INTERFACE
 *   loop_create / loop_free          make / destroy a loop (fds are not closed)
 *   loop_add_fd                      watch an fd for LOOP_READ|LOOP_WRITE (replaces a watch)
 *   loop_mod_fd                      change the mask of a watched fd
 *   loop_del_fd                      stop watching an fd (safe from inside callbacks)
 *   loop_add_timer / loop_del_timer  one-shot or repeating timers in milliseconds
 *   loop_set_before_sleep            hook run before each wait; returns a timeout hint
 *   loop_run / loop_stop             run until loop_stop is called
 *   loop_run_once                    one iteration (tests)
 */
#ifndef SL_LOOP_H
#define SL_LOOP_H

#include <stdbool.h>
#include <stdint.h>

typedef struct Loop Loop;

enum {
    LOOP_NONE = 0,
    LOOP_READ = 1,
    LOOP_WRITE = 2,
    LOOP_HUP = 4 /* reported only: error or hang-up on the fd (comes with READ|WRITE) */
};

/* fired = the subset of LOOP_READ|LOOP_WRITE|LOOP_HUP that is ready. */
typedef void (*LoopFdFn)(Loop *loop, int fd, int fired, void *ctx);
typedef void (*LoopTimerFn)(Loop *loop, int64_t id, void *ctx);
/* Returns a timeout hint in milliseconds (0 = do not sleep), or -1 for none. */
typedef int (*LoopBeforeSleepFn)(Loop *loop, void *ctx);

/* Returns NULL (and sets errno) when epoll cannot be created. */
Loop *loop_create(void);
/* Frees the loop and its timers; borrows every fd, which the caller closes. */
void loop_free(Loop *loop);

/* Returns 0, or -1 with errno set. mask is LOOP_READ|LOOP_WRITE (may be LOOP_NONE). */
int loop_add_fd(Loop *loop, int fd, int mask, LoopFdFn cb, void *ctx);
int loop_mod_fd(Loop *loop, int fd, int mask);
void loop_del_fd(Loop *loop, int fd);
/* The current mask of fd, or -1 if it is not watched. */
int loop_fd_mask(const Loop *loop, int fd);

/* Fires after ms milliseconds, then every ms milliseconds if repeat. Returns the
 * timer id (> 0). A timer may delete itself (or others) from its callback. */
int64_t loop_add_timer(Loop *loop, int64_t ms, bool repeat, LoopTimerFn cb, void *ctx);
/* Returns 0, or -1 if no such timer. */
int loop_del_timer(Loop *loop, int64_t id);

void loop_set_before_sleep(Loop *loop, LoopBeforeSleepFn cb, void *ctx);

/* Runs until loop_stop(); returns 0, or -1 if epoll_wait failed fatally. */
int loop_run(Loop *loop);
void loop_stop(Loop *loop);
/* One iteration: before_sleep, wait at most max_wait_ms (-1 = unbounded),
 * dispatch fds and timers. Returns the number of events handled, or -1. */
int loop_run_once(Loop *loop, int max_wait_ms);

#endif
