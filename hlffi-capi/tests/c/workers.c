/* NON_THREADED mode with worker threads (HLFFI_C_API.md §5.3, §6.4): threads that
 * called hlffi_worker_register call in while the owner does too, the owner joins
 * them without any blocking region, unregistered threads are refused, and a
 * callback's blocking region lets a worker run while the callback waits.
 * Usage: workers <capi.hl> */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "check.h"

#define WORKERS 4
#define CALLS 500

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int call_incr(void) {
    hlffi_value* r = hlffi_call_static(g_vm, "Main", "incr", 0, NULL);
    int v = hlffi_value_as_int(r, -1);
    hlffi_value_free(r);
    return v;
}

static int g_results[WORKERS + 1][CALLS];

static void* worker(void* arg) {
    int* out = (int*)arg;
    hlffi_worker_register();
    for (int i = 0; i < CALLS; i++) out[i] = call_incr();
    hlffi_worker_unregister();
    return NULL;
}

static void* unregistered(void* arg) {
    hlffi_value* r = hlffi_call_static(g_vm, "Main", "incr", 0, NULL);
    *(int*)arg = r == NULL && hlffi_get_error(g_vm) != NULL;
    if (r) hlffi_value_free(r);
    return NULL;
}

static int cmp_int(const void* a, const void* b) {
    return *(const int*)a - *(const int*)b;
}

/* The callback Haxe calls: it opens a blocking region, in which the VM refuses this
 * thread and a worker started now gets in, then closes it. */
static atomic_int g_late_done;
static int g_late_value = -1;
static int g_refused_inside = 0;

static void* late_worker(void* arg) {
    (void)arg;
    hlffi_worker_register();
    g_late_value = call_incr();
    atomic_store(&g_late_done, 1);
    hlffi_worker_unregister();
    return NULL;
}

static hlffi_value* on_event(hlffi_vm* vm, int argc, hlffi_value** argv) {
    (void)argc;
    int x = hlffi_value_as_int(argv[0], 0);
    hlffi_blocking_begin();
    g_refused_inside = hlffi_call_static(vm, "Main", "incr", 0, NULL) == NULL;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, late_worker, NULL) == 0);
    for (int i = 0; i < 20000 && !atomic_load(&g_late_done); i++) sleep_ms(1);
    CHECK(pthread_join(t, NULL) == 0);
    hlffi_blocking_end();
    return hlffi_value_int(vm, x + (atomic_load(&g_late_done) ? 1 : 0));
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s capi.hl\n", argv[0]);
        return 2;
    }
    /* Outside any VM these do nothing (and must not crash). */
    hlffi_blocking_end();
    hlffi_gc_block();
    hlffi_gc_unblock();

    hlffi_vm* vm = hlffi_create();
    g_vm = vm;
    CHECK_INT(hlffi_init(vm, 0, NULL), HLFFI_OK);
    CHECK_INT(hlffi_load_file(vm, argv[1]), HLFFI_OK);
    CHECK(hlffi_register_callback(vm, "on_event", on_event, 2));
    CHECK_INT(hlffi_call_entry(vm), HLFFI_OK);

    /* Workers race the owner; the owner then joins them with no blocking region. */
    pthread_t threads[WORKERS];
    for (int t = 0; t < WORKERS; t++) CHECK(pthread_create(&threads[t], NULL, worker, g_results[t]) == 0);
    for (int i = 0; i < CALLS; i++) g_results[WORKERS][i] = call_incr();
    for (int t = 0; t < WORKERS; t++) CHECK(pthread_join(threads[t], NULL) == 0);
    static int all[(WORKERS + 1) * CALLS];
    memcpy(all, g_results, sizeof all);
    qsort(all, (WORKERS + 1) * CALLS, sizeof(int), cmp_int);
    for (int i = 0; i < (WORKERS + 1) * CALLS; i++) CHECK_INT(all[i], i + 1);

    /* A thread that did not register is refused. */
    int refused = 0;
    pthread_t u;
    CHECK(pthread_create(&u, NULL, unregistered, &refused) == 0);
    CHECK(pthread_join(u, NULL) == 0);
    CHECK(refused);
    CHECK_ERROR_HAS("does not own the VM");

    /* A blocking region inside a callback. */
    hlffi_value* cb = hlffi_get_callback(vm, "on_event");
    CHECK_INT(hlffi_set_static_field(vm, "Main", "onEvent", cb), HLFFI_OK);
    hlffi_value_free(cb);
    hlffi_value* x = hlffi_value_int(vm, 41);
    hlffi_value* r = hlffi_call_static(vm, "Main", "callEvent", 1, &x);
    CHECK_INT(hlffi_value_as_int(r, -1), 42);
    hlffi_value_free(r);
    hlffi_value_free(x);
    CHECK(g_refused_inside);
    CHECK_INT(g_late_value, (WORKERS + 1) * CALLS + 1);
    CHECK_INT(call_incr(), (WORKERS + 1) * CALLS + 2);

    hlffi_destroy(vm);
    printf("workers: all checks passed\n");
    return 0;
}
