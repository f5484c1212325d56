/* THREADED mode: the VM on its own thread, host threads queueing work with
 * hlffi_thread_call_sync/async. Usage: threaded <capi.hl> */
#include <pthread.h>
#include <time.h>

#include "check.h"

#define THREADS 8
#define CALLS 1000

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void incr(hlffi_vm* vm, void* userdata) {
    hlffi_value* r = hlffi_call_static(vm, "Main", "incr", 0, NULL);
    *(int*)userdata = hlffi_value_as_int(r, -1);
    hlffi_value_free(r);
}

static void* worker(void* arg) {
    int* results = (int*)arg;
    for (int i = 0; i < CALLS; i++) {
        results[i] = -1;
        CHECK_INT(hlffi_thread_call_sync(g_vm, incr, &results[i]), HLFFI_OK);
    }
    return NULL;
}

static int cmp_int(const void* a, const void* b) {
    return *(const int*)a - *(const int*)b;
}

static char g_items[100][8];
static int g_done[100];
static int g_done_count = 0;

static void record(hlffi_vm* vm, void* userdata) {
    hlffi_value* s = hlffi_value_string(vm, (const char*)userdata);
    hlffi_value* r = hlffi_call_static(vm, "Main", "record", 1, &s);
    CHECK(r != NULL);
    hlffi_value_free(r);
    hlffi_value_free(s);
}

static void recorded(hlffi_vm* vm, void* result, void* userdata) {
    (void)vm;
    CHECK(result == NULL);
    g_done[g_done_count++] = atoi((const char*)userdata);
}

static char g_text[2048];
static void read_log(hlffi_vm* vm, void* userdata) {
    (void)userdata;
    hlffi_value* r = hlffi_call_static(vm, "Main", "joined", 0, NULL);
    char* s = hlffi_value_as_string(r);
    CHECK(s != NULL && strlen(s) < sizeof g_text);
    strcpy(g_text, s);
    free(s);
    hlffi_value_free(r);
}

static int g_nested_result = -1;
static void nested(hlffi_vm* vm, void* userdata) {
    (void)userdata;
    /* call_sync from the VM thread would wait for itself: an error, not a deadlock. */
    g_nested_result = hlffi_thread_call_sync(vm, incr, &g_nested_result);
}

/* Inside a work item every call is allowed, the ones needing the VM itself too. */
static int g_update_result = -1, g_reload_result = -1, g_entry_result = -1;
static void vm_level_calls(hlffi_vm* vm, void* userdata) {
    (void)userdata;
    g_update_result = hlffi_update(vm, 0.016f);
    g_reload_result = hlffi_reload_module(vm, NULL); /* not enabled for this VM */
    g_entry_result = hlffi_call_entry(vm);           /* the VM thread already ran it */
}

static int g_ticks = -1;
static void start_timer(hlffi_vm* vm, void* userdata) {
    (void)userdata;
    hlffi_value_free(hlffi_call_static(vm, "Main", "startTimer", 0, NULL));
}
static void read_ticks(hlffi_vm* vm, void* userdata) {
    (void)userdata;
    hlffi_value* t = hlffi_get_static_field(vm, "Main", "ticks");
    g_ticks = hlffi_value_as_int(t, -1);
    hlffi_value_free(t);
}

static pthread_t g_vm_thread;
static int g_callback_on_vm_thread = 0;
static hlffi_value* on_event(hlffi_vm* vm, int argc, hlffi_value** argv) {
    (void)argc;
    g_callback_on_vm_thread = pthread_equal(pthread_self(), g_vm_thread);
    return hlffi_value_int(vm, hlffi_value_as_int(argv[0], 0) + 1);
}
static int g_event_result = -1;
static void use_callback(hlffi_vm* vm, void* userdata) {
    (void)userdata;
    g_vm_thread = pthread_self();
    hlffi_value* cb = hlffi_get_callback(vm, "on_event");
    CHECK_INT(hlffi_set_static_field(vm, "Main", "onEvent", cb), HLFFI_OK);
    hlffi_value_free(cb);
    hlffi_value* x = hlffi_value_int(vm, 41);
    hlffi_value* r = hlffi_call_static(vm, "Main", "callEvent", 1, &x);
    g_event_result = hlffi_value_as_int(r, -1);
    hlffi_value_free(r);
    hlffi_value_free(x);
}

static hlffi_vm* start_vm(const char* hl) {
    hlffi_vm* vm = hlffi_create();
    CHECK(vm != NULL);
    g_vm = vm;
    CHECK_INT(hlffi_init(vm, 0, NULL), HLFFI_OK);
    CHECK_INT(hlffi_set_integration_mode(vm, HLFFI_MODE_THREADED), HLFFI_OK);
    CHECK_INT(hlffi_get_integration_mode(vm), HLFFI_MODE_THREADED);
    CHECK_INT(hlffi_load_file(vm, hl), HLFFI_OK);
    return vm;
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s capi.hl\n", argv[0]);
        return 2;
    }
    const char* hl = argv[1];

    /* Misuse before start. */
    hlffi_vm* vm = hlffi_create();
    g_vm = vm;
    CHECK_INT(hlffi_init(vm, 0, NULL), HLFFI_OK);
    CHECK_INT(hlffi_thread_start(vm), HLFFI_ERROR_THREAD_START_FAILED); /* not THREADED */
    CHECK_INT(hlffi_set_integration_mode(vm, HLFFI_MODE_THREADED), HLFFI_OK);
    CHECK_INT(hlffi_thread_start(vm), HLFFI_ERROR_NOT_INITIALIZED); /* nothing loaded */
    CHECK_INT(hlffi_thread_call_sync(vm, incr, NULL), HLFFI_ERROR_THREAD_NOT_STARTED);
    CHECK_INT(hlffi_thread_call_async(vm, incr, NULL, NULL), HLFFI_ERROR_THREAD_NOT_STARTED);
    CHECK_INT(hlffi_thread_start(NULL), HLFFI_ERROR_NULL_VM);
    CHECK_INT(hlffi_thread_stop(vm), HLFFI_OK); /* nothing to stop */
    hlffi_destroy(vm);

    vm = start_vm(hl);
    CHECK(hlffi_register_callback(vm, "on_event", on_event, 2));
    CHECK_INT(hlffi_thread_start(vm), HLFFI_OK);
    CHECK(hlffi_thread_is_running(vm));
    CHECK_INT(hlffi_thread_start(vm), HLFFI_ERROR_THREAD_ALREADY_RUNNING);
    CHECK_INT(hlffi_thread_call_sync(vm, NULL, NULL), HLFFI_ERROR_INVALID_ARGUMENT);
    CHECK_INT(hlffi_call_entry(vm), HLFFI_ERROR_THREAD_ALREADY_RUNNING);
    /* VM calls from a host thread are refused while the VM thread owns the VM. */
    CHECK(hlffi_call_static(vm, "Main", "incr", 0, NULL) == NULL);
    CHECK_ERROR_HAS("does not own the VM");

    /* 8 host threads x 1000 call_sync: every caller gets its own item's result. */
    static int results[THREADS][CALLS];
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) CHECK(pthread_create(&threads[t], NULL, worker, results[t]) == 0);
    for (int t = 0; t < THREADS; t++) CHECK(pthread_join(threads[t], NULL) == 0);
    static int all[THREADS * CALLS];
    memcpy(all, results, sizeof all);
    qsort(all, THREADS * CALLS, sizeof(int), cmp_int);
    for (int i = 0; i < THREADS * CALLS; i++) CHECK_INT(all[i], i + 1);

    /* Async items run in order, FIFO with sync items; completions on the VM thread. */
    for (int i = 0; i < 100; i++) {
        snprintf(g_items[i], sizeof g_items[i], "%d", i);
        CHECK_INT(hlffi_thread_call_async(vm, record, recorded, g_items[i]), HLFFI_OK);
    }
    CHECK_INT(hlffi_thread_call_sync(vm, read_log, NULL), HLFFI_OK);
    char want[2048] = "main";
    for (int i = 0; i < 100; i++) {
        char part[8];
        snprintf(part, sizeof part, ",%d", i);
        strcat(want, part);
    }
    CHECK_STR(g_text, want);
    CHECK_INT(g_done_count, 100);
    for (int i = 0; i < 100; i++) CHECK_INT(g_done[i], i);

    CHECK_INT(hlffi_thread_call_sync(vm, vm_level_calls, NULL), HLFFI_OK);
    CHECK_INT(g_update_result, HLFFI_OK);
    CHECK_INT(g_reload_result, HLFFI_ERROR_RELOAD_NOT_ENABLED);
    CHECK_INT(g_entry_result, HLFFI_ERROR_THREAD_ALREADY_RUNNING);

    /* call_sync from the VM thread. */
    CHECK_INT(hlffi_thread_call_sync(vm, nested, NULL), HLFFI_OK);
    CHECK_INT(g_nested_result, HLFFI_ERROR_WRONG_THREAD);

    /* Callbacks run on the VM thread. */
    CHECK_INT(hlffi_thread_call_sync(vm, use_callback, NULL), HLFFI_OK);
    CHECK_INT(g_event_result, 42);
    CHECK(g_callback_on_vm_thread);

    /* The VM thread runs Haxe timers between work items. */
    CHECK_INT(hlffi_thread_call_sync(vm, start_timer, NULL), HLFFI_OK);
    for (int i = 0; i < 2000 && g_ticks != 1; i++) {
        sleep_ms(1);
        CHECK_INT(hlffi_thread_call_sync(vm, read_ticks, NULL), HLFFI_OK);
    }
    CHECK_INT(g_ticks, 1);

    /* Stop: items queued before still run. */
    static int last = -1;
    CHECK_INT(hlffi_thread_call_async(vm, incr, NULL, &last), HLFFI_OK);
    CHECK_INT(hlffi_thread_stop(vm), HLFFI_OK);
    CHECK(!hlffi_thread_is_running(vm));
    CHECK_INT(last, THREADS * CALLS + 1);
    CHECK_INT(hlffi_thread_call_sync(vm, incr, &last), HLFFI_ERROR_THREAD_NOT_STARTED);
    /* The VM is back on this thread. */
    hlffi_value* c = hlffi_get_static_field(vm, "Main", "counter");
    CHECK_INT(hlffi_value_as_int(c, -1), THREADS * CALLS + 1);
    hlffi_value_free(c);
    /* Restart: same VM, state kept, main not run again. */
    CHECK_INT(hlffi_thread_start(vm), HLFFI_OK);
    int again = -1;
    CHECK_INT(hlffi_thread_call_sync(vm, incr, &again), HLFFI_OK);
    CHECK_INT(again, THREADS * CALLS + 2);
    CHECK_INT(hlffi_thread_call_sync(vm, read_log, NULL), HLFFI_OK);
    CHECK(strncmp(g_text, "main,0,", 7) == 0 && strstr(g_text + 1, "main") == NULL);
    CHECK_INT(hlffi_thread_stop(vm), HLFFI_OK);
    hlffi_destroy(vm);

    /* Destroy, create again; destroy while the thread runs stops it first. */
    vm = start_vm(hl);
    CHECK_INT(hlffi_thread_start(vm), HLFFI_OK);
    int first = -1;
    CHECK_INT(hlffi_thread_call_sync(vm, incr, &first), HLFFI_OK);
    CHECK_INT(first, 1);
    hlffi_destroy(vm);
    g_vm = NULL;
    printf("threaded: all checks passed\n");
    return 0;
}
