/* C host -> Haxe call overhead through the C API: Bench.inc(n:Int):Int called by
 * name (hlffi_call_static) and through a cached call (hlffi_call_cached), including
 * boxing the argument and reading/freeing the result handle, in ns/call (best of 5
 * runs of N calls). Usage: bench bench.hl [N] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <hlffi.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s bench.hl [N]\n", argv[0]);
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    hlffi_vm* vm = hlffi_create();
    if (hlffi_init(vm, 0, NULL) != HLFFI_OK || hlffi_load_file(vm, argv[1]) != HLFFI_OK || hlffi_call_entry(vm) != HLFFI_OK) {
        fprintf(stderr, "%s\n", hlffi_get_error(vm));
        return 1;
    }
    hlffi_cached_call* inc = hlffi_cache_static_method(vm, "Bench", "inc");
    double best_static = 1e30, best_cached = 1e30;
    int acc = 0;
    for (int run = 0; run < 5; run++) {
        double t0 = now_ns();
        for (long i = 0; i < n; i++) {
            hlffi_value* a = hlffi_value_int(vm, (int)i);
            hlffi_value* r = hlffi_call_static(vm, "Bench", "inc", 1, &a);
            acc += hlffi_value_as_int(r, 0);
            hlffi_value_free(r);
            hlffi_value_free(a);
        }
        double t1 = now_ns();
        for (long i = 0; i < n; i++) {
            hlffi_value* a = hlffi_value_int(vm, (int)i);
            hlffi_value* r = hlffi_call_cached(inc, 1, &a);
            acc += hlffi_value_as_int(r, 0);
            hlffi_value_free(r);
            hlffi_value_free(a);
        }
        double t2 = now_ns();
        if ((t1 - t0) / n < best_static) best_static = (t1 - t0) / n;
        if ((t2 - t1) / n < best_cached) best_cached = (t2 - t1) / n;
    }
    printf("| call (Bench.inc, 1 Int) | ns/call |\n|---|---|\n");
    printf("| hlffi_call_static (by name) | %.0f |\n", best_static);
    printf("| hlffi_call_cached | %.0f |\n", best_cached);
    printf("(%ld calls per run, best of 5; checksum %d)\n", n, acc);
    hlffi_cached_call_free(inc);
    hlffi_destroy(vm);
    return 0;
}
