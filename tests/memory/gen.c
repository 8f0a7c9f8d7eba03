/* tests/memory/gen.c — fast deterministic CSV event generator for the memory test.
 *
 *   gen FIRST COUNT KEYS STEP_US
 *
 * Writes COUNT lines "sym,price,qty,ts" for events FIRST .. FIRST+COUNT-1: event i has key
 * k<i % KEYS>, event time 2026-01-01 00:00:00 + i*STEP_US microseconds (in order, so none is
 * late), and price/qty from a fixed LCG. Built on the fly by rss_flat.sh (cc -O2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: gen FIRST COUNT KEYS STEP_US\n");
        return 2;
    }
    long long first = atoll(argv[1]), count = atoll(argv[2]);
    long long keys = atoll(argv[3]), step = atoll(argv[4]);
    const long long base = 1767225600LL;   /* 2026-01-01 00:00:00 UTC */
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    char sec_text[32] = "";
    long long sec_cached = -1;
    unsigned long long x = 88172645463325252ULL ^ (unsigned long long)first;
    for (long long i = first; i < first + count; i++) {
        long long us = i * step;
        long long sec = base + us / 1000000;
        if (sec != sec_cached) {
            time_t t = (time_t)sec;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(sec_text, sizeof sec_text, "%Y-%m-%d %H:%M:%S", &tm);
            sec_cached = sec;
        }
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        printf("k%lld,%llu.%02llu,%llu,%s.%06lld\n", i % keys, (x >> 20) % 1000, (x >> 8) % 100,
               1 + (x >> 40) % 100, sec_text, us % 1000000);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
