/* A C game loop embedding Haxe through hlffi (NON_THREADED mode): the host calls
 * Game.update(dt) every frame, pumps Haxe timers, gets C callbacks, and reloads the
 * bytecode when it changes on disk (hot reload keeps the game's state).
 *
 *   haxe -cp examples/c -main Game -hl game.hl
 *   cc examples/c/game.c $(pkg-config --cflags --libs hlffi) -o game
 *   ./game game.hl [FRAMES]        (edit Game.hx, rebuild game.hl: it reloads)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <hlffi.h>

static int kills = 0;

/* Called by Haxe: Game.onScore(name, score). Arguments belong to the library. */
static hlffi_value* on_score(hlffi_vm* vm, int argc, hlffi_value** argv) {
    (void)argc;
    char* name = hlffi_value_as_string(argv[0]);
    printf("  [C] %s defeated, score %d\n", name ? name : "?", hlffi_value_as_int(argv[1], -1));
    free(name);
    kills++;
    return hlffi_value_null(vm);
}

static void on_reload(hlffi_vm* vm, bool success, void* userdata) {
    (void)userdata;
    if (success)
        printf("  [C] reloaded Game.hl\n");
    else
        printf("  [C] reload refused: %s\n", hlffi_get_error(vm));
}

static int fail(hlffi_vm* vm, const char* what) {
    fprintf(stderr, "%s: %s\n", what, hlffi_get_error(vm));
    hlffi_destroy(vm);
    return 1;
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s game.hl [FRAMES]\n", argv[0]);
        return 2;
    }
    int frames = argc > 2 ? atoi(argv[2]) : 40;

    hlffi_vm* vm = hlffi_create();
    if (vm == NULL) return 1;
    if (hlffi_init(vm, 0, NULL) != HLFFI_OK) return fail(vm, "init");
    hlffi_enable_hot_reload(vm, true); /* before loading */
    if (hlffi_load_file(vm, argv[1]) != HLFFI_OK) return fail(vm, "load");
    hlffi_set_reload_callback(vm, on_reload, NULL);
    if (hlffi_call_entry(vm) != HLFFI_OK) return fail(vm, "main");

    /* Give Haxe a C function: a closure stored in a Dynamic static. */
    hlffi_register_callback(vm, "on_score", on_score, 2);
    hlffi_value* cb = hlffi_get_callback(vm, "on_score");
    hlffi_set_static_field(vm, "Game", "onScore", cb);
    hlffi_value_free(cb);

    /* Resolve the per-frame call once. */
    hlffi_cached_call* update = hlffi_cache_static_method(vm, "Game", "update");
    if (update == NULL) return fail(vm, "Game.update");
    hlffi_value* dt = hlffi_value_float(vm, 1.0 / 60.0);

    for (int frame = 0; frame < frames; frame++) {
        hlffi_value* left = hlffi_call_cached(update, 1, &dt);
        if (left == NULL) return fail(vm, "Game.update");
        int enemies = hlffi_value_as_int(left, -1);
        hlffi_value_free(left);
        hlffi_update(vm, 1.0f / 60.0f); /* Haxe timers */
        if (hlffi_check_reload(vm)) {   /* picks up a rebuilt game.hl */
            hlffi_cached_call_free(update); /* caches are per code version */
            update = hlffi_cache_static_method(vm, "Game", "update");
            if (update == NULL) return fail(vm, "Game.update");
        }
        if (frame % 10 == 0) {
            hlffi_value* s = hlffi_call_static(vm, "Game", "status", 0, NULL);
            char* text = hlffi_value_as_string(s);
            printf("%s\n", text ? text : "?");
            free(text);
            hlffi_value_free(s);
        }
        if (enemies == 0 && !hlffi_has_pending_work(vm)) break;
        struct timespec ts = {0, 2 * 1000000L};
        nanosleep(&ts, NULL);
    }

    hlffi_value* score = hlffi_get_static_field(vm, "Game", "score");
    printf("final score %d, %d kills reported to C\n", hlffi_value_as_int(score, -1), kills);
    hlffi_value_free(score);
    hlffi_value_free(dt);
    hlffi_cached_call_free(update);
    hlffi_destroy(vm);
    return 0;
}
