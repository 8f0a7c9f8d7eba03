/*
 * tests/unit/test_loop.c — the event loop: fd readiness on a socketpair,
 * mask changes and removal, one-shot and repeating timers (deleting
 * themselves and each other), the before_sleep hook and loop_stop. Every
 * wait is bounded to a few milliseconds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/util.h"
#include "server/loop.h"

typedef struct Fixture {
    Loop *loop;
    int sv[2];
} Fixture;

static int
setup(void **state)
{
    Fixture *f = test_malloc(sizeof *f);
    f->loop = loop_create();
    assert_non_null(f->loop);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, f->sv), 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    Fixture *f = *state;
    loop_free(f->loop);
    close(f->sv[0]);
    close(f->sv[1]);
    test_free(f);
    return 0;
}

typedef struct Seen {
    int calls;
    int fired;
    int fd;
    Loop *loop;
    int64_t other_timer;
    int stop_after;
} Seen;

static void
on_fd(Loop *loop, int fd, int fired, void *ctx)
{
    (void)loop;
    Seen *s = ctx;
    s->calls++;
    s->fired |= fired;
    s->fd = fd;
    if (fired & LOOP_READ) {
        char buf[64];
        while (read(fd, buf, sizeof buf) > 0) {
        }
    }
}

static void
test_fd_read_readiness(void **state)
{
    Fixture *f = *state;
    Seen s = {0};
    assert_int_equal(loop_add_fd(f->loop, f->sv[0], LOOP_READ, on_fd, &s), 0);
    assert_int_equal(loop_fd_mask(f->loop, f->sv[0]), LOOP_READ);
    assert_int_equal(loop_run_once(f->loop, 5), 0); /* nothing to read yet */
    assert_int_equal(s.calls, 0);
    assert_int_equal(write(f->sv[1], "x", 1), 1);
    assert_int_equal(loop_run_once(f->loop, 100), 1);
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.fired, LOOP_READ);
    assert_int_equal(s.fd, f->sv[0]);
    assert_int_equal(loop_run_once(f->loop, 5), 0); /* drained: level-triggered, so quiet */
}

static void
test_fd_write_and_mod(void **state)
{
    Fixture *f = *state;
    Seen s = {0};
    assert_int_equal(loop_add_fd(f->loop, f->sv[0], LOOP_WRITE, on_fd, &s), 0);
    assert_int_equal(loop_run_once(f->loop, 100), 1);
    assert_int_equal(s.fired, LOOP_WRITE);
    /* drop WRITE interest: no more events although the socket stays writable */
    assert_int_equal(loop_mod_fd(f->loop, f->sv[0], LOOP_NONE), 0);
    s.calls = 0;
    assert_int_equal(loop_run_once(f->loop, 5), 0);
    assert_int_equal(s.calls, 0);
    assert_int_equal(loop_mod_fd(f->loop, f->sv[0], LOOP_READ | LOOP_WRITE), 0);
    assert_int_equal(loop_run_once(f->loop, 100), 1);
    assert_int_equal(s.calls, 1);
    assert_int_equal(loop_mod_fd(f->loop, 12345, LOOP_READ), -1); /* not watched */
}

static void
test_fd_del(void **state)
{
    Fixture *f = *state;
    Seen s = {0};
    assert_int_equal(loop_add_fd(f->loop, f->sv[0], LOOP_READ, on_fd, &s), 0);
    loop_del_fd(f->loop, f->sv[0]);
    loop_del_fd(f->loop, f->sv[0]); /* twice is harmless */
    assert_int_equal(loop_fd_mask(f->loop, f->sv[0]), -1);
    assert_int_equal(write(f->sv[1], "x", 1), 1);
    assert_int_equal(loop_run_once(f->loop, 5), 0);
    assert_int_equal(s.calls, 0);
}

static void
test_fd_hangup(void **state)
{
    Fixture *f = *state;
    Seen s = {0};
    assert_int_equal(loop_add_fd(f->loop, f->sv[0], LOOP_NONE, on_fd, &s), 0);
    close(f->sv[1]);
    f->sv[1] = open("/dev/null", O_RDONLY); /* keep teardown's close valid */
    assert_int_equal(loop_run_once(f->loop, 100), 1);
    assert_true(s.fired & LOOP_HUP); /* reported even with no interest registered */
}

/* A callback that removes another fd from the same batch must not see it fire. */
static void
on_fd_del_other(Loop *loop, int fd, int fired, void *ctx)
{
    (void)fired;
    Seen *s = ctx;
    s->calls++;
    loop_del_fd(loop, s->fd);
    char buf[8];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

static void
test_fd_deleted_in_same_batch(void **state)
{
    Fixture *f = *state;
    int sv2[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv2), 0);
    Seen a = {.fd = sv2[0]}, b = {.fd = f->sv[0]};
    assert_int_equal(loop_add_fd(f->loop, f->sv[0], LOOP_READ, on_fd_del_other, &a), 0);
    assert_int_equal(loop_add_fd(f->loop, sv2[0], LOOP_READ, on_fd_del_other, &b), 0);
    assert_int_equal(write(f->sv[1], "x", 1), 1);
    assert_int_equal(write(sv2[1], "x", 1), 1);
    usleep(1000);
    assert_int_equal(loop_run_once(f->loop, 100), 1); /* whichever ran first removed the other */
    assert_int_equal(a.calls + b.calls, 1);
    close(sv2[0]);
    close(sv2[1]);
}

static void
on_timer(Loop *loop, int64_t id, void *ctx)
{
    Seen *s = ctx;
    s->calls++;
    if (s->other_timer == -1) /* delete myself */
        loop_del_timer(loop, id);
    else if (s->other_timer > 0)
        loop_del_timer(loop, s->other_timer);
    if (s->stop_after && s->calls >= s->stop_after)
        loop_stop(loop);
}

static void
run_for_ms(Loop *loop, int ms)
{
    int64_t end = sl_mono_us() + (int64_t)ms * 1000;
    while (sl_mono_us() < end)
        loop_run_once(loop, (int)((end - sl_mono_us()) / 1000) + 1);
}

static void
test_timer_one_shot(void **state)
{
    Fixture *f = *state;
    Seen s = {0};
    int64_t t0 = sl_mono_us();
    int64_t id = loop_add_timer(f->loop, 2, false, on_timer, &s);
    assert_true(id > 0);
    while (s.calls == 0 && sl_mono_us() - t0 < 1000000)
        loop_run_once(f->loop, 50);
    assert_int_equal(s.calls, 1);
    assert_true(sl_mono_us() - t0 >= 2000); /* not early */
    run_for_ms(f->loop, 5);
    assert_int_equal(s.calls, 1); /* and only once */
    assert_int_equal(loop_del_timer(f->loop, id), -1); /* already gone */
}

static void
test_timer_repeat_and_stop(void **state)
{
    Fixture *f = *state;
    Seen s = {.stop_after = 3};
    int64_t id = loop_add_timer(f->loop, 1, true, on_timer, &s);
    int64_t t0 = sl_mono_us();
    assert_int_equal(loop_run(f->loop), 0); /* loop_stop from the 3rd firing */
    assert_int_equal(s.calls, 3);
    assert_true(sl_mono_us() - t0 < 1000000);
    assert_int_equal(loop_del_timer(f->loop, id), 0);
    run_for_ms(f->loop, 4);
    assert_int_equal(s.calls, 3);
}

static void
test_timer_deletes_itself(void **state)
{
    Fixture *f = *state;
    Seen s = {.other_timer = -1};
    loop_add_timer(f->loop, 1, true, on_timer, &s);
    run_for_ms(f->loop, 6);
    assert_int_equal(s.calls, 1);
}

static void
test_timer_deletes_other(void **state)
{
    Fixture *f = *state;
    Seen victim = {0};
    int64_t v = loop_add_timer(f->loop, 3, false, on_timer, &victim);
    Seen killer = {.other_timer = v};
    loop_add_timer(f->loop, 1, false, on_timer, &killer);
    run_for_ms(f->loop, 8);
    assert_int_equal(killer.calls, 1);
    assert_int_equal(victim.calls, 0);
}

static void
test_timer_zero_delay(void **state)
{
    Fixture *f = *state;
    Seen s = {0};
    loop_add_timer(f->loop, 0, false, on_timer, &s);
    int64_t t0 = sl_mono_us();
    assert_true(loop_run_once(f->loop, 1000) >= 1);
    assert_int_equal(s.calls, 1);
    assert_true(sl_mono_us() - t0 < 500000); /* did not wait for the 1 s bound */
}

typedef struct Hook {
    int calls;
    int hint;
} Hook;

static int
before_sleep(Loop *loop, void *ctx)
{
    Hook *h = ctx;
    h->calls++;
    if (h->calls == 3)
        loop_stop(loop);
    return h->hint;
}

static void
test_before_sleep_bounds_wait(void **state)
{
    Fixture *f = *state;
    Hook h = {.hint = 1};
    loop_set_before_sleep(f->loop, before_sleep, &h);
    int64_t t0 = sl_mono_us();
    assert_int_equal(loop_run(f->loop), 0); /* no fds, no timers: only the hint wakes it */
    assert_int_equal(h.calls, 3);
    assert_true(sl_mono_us() - t0 < 1000000);
    loop_set_before_sleep(f->loop, NULL, NULL);
}

static void
test_before_sleep_zero_hint_does_not_block(void **state)
{
    Fixture *f = *state;
    Hook h = {.hint = 0};
    loop_set_before_sleep(f->loop, before_sleep, &h);
    int64_t t0 = sl_mono_us();
    assert_int_equal(loop_run_once(f->loop, 2000), 0);
    assert_int_equal(h.calls, 1);
    assert_true(sl_mono_us() - t0 < 500000);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_fd_read_readiness),
        T(test_fd_write_and_mod),
        T(test_fd_del),
        T(test_fd_hangup),
        T(test_fd_deleted_in_same_batch),
        T(test_timer_one_shot),
        T(test_timer_repeat_and_stop),
        T(test_timer_deletes_itself),
        T(test_timer_deletes_other),
        T(test_timer_zero_delay),
        T(test_before_sleep_bounds_wait),
        T(test_before_sleep_zero_hint_does_not_block),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
