/* A THREADED C host: the Haxe VM runs on its own thread (its timers included);
 * two host threads send it work with hlffi_thread_call_sync / call_async.
 *
 *   haxe -cp examples/c -main Game -hl game.hl
 *   cc examples/c/threaded.c $(pkg-config --cflags --libs hlffi) -lpthread -o threaded
 *   ./threaded game.hl
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <hlffi.h>

static hlffi_vm* vm;

/* Runs on the VM thread: every hlffi_* call is allowed here. */
static void update_frame(hlffi_vm* v, void* userdata) {
    hlffi_value* dt = hlffi_value_float(v, 1.0 / 60.0);
    hlffi_value* left = hlffi_call_static(v, "Game", "update", 1, &dt);
    *(int*)userdata = hlffi_value_as_int(left, -1);
    hlffi_value_free(left);
    hlffi_value_free(dt);
}

static void print_status(hlffi_vm* v, void* userdata) {
    hlffi_value* s = hlffi_call_static(v, "Game", "status", 0, NULL);
    char* text = hlffi_value_as_string(s);
    printf("[%s] %s\n", (const char*)userdata, text ? text : "?");
    free(text);
    hlffi_value_free(s);
}

static void status_done(hlffi_vm* v, void* result, void* userdata) {
    (void)v;
    (void)result;
    (void)userdata;
}

static void* player(void* name) {
    for (int i = 0; i < 10; i++) {
        int left = -1;
        if (hlffi_thread_call_sync(vm, update_frame, &left) != HLFFI_OK) {
            fprintf(stderr, "call_sync: %s\n", hlffi_get_error(vm));
            return NULL;
        }
    }
    /* Fire and forget: runs after every item queued before it. */
    hlffi_thread_call_async(vm, print_status, status_done, name);
    return NULL;
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s game.hl\n", argv[0]);
        return 2;
    }
    vm = hlffi_create();
    if (vm == NULL || hlffi_init(vm, 0, NULL) != HLFFI_OK) return 1;
    hlffi_set_integration_mode(vm, HLFFI_MODE_THREADED);
    if (hlffi_load_file(vm, argv[1]) != HLFFI_OK || hlffi_thread_start(vm) != HLFFI_OK) {
        fprintf(stderr, "start: %s\n", hlffi_get_error(vm));
        return 1;
    }
    static char a[] = "host thread A", b[] = "host thread B";
    pthread_t ta, tb;
    pthread_create(&ta, NULL, player, a);
    pthread_create(&tb, NULL, player, b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    hlffi_thread_stop(vm); /* runs the queued status prints first */
    hlffi_destroy(vm);
    printf("done\n");
    return 0;
}
