/* Hot reload through the C API. Usage: reload <v1.hl> <v2.hl> <v3.hl> <scratch dir>
 * v2 changes a method body; v3 adds a field to a class (must be refused). */
#include <stdint.h>
#include <time.h>

#include "check.h"

static int g_ok = 0, g_failed = 0;
static void on_reload(hlffi_vm* vm, bool success, void* userdata) {
    CHECK(vm == g_vm);
    CHECK(userdata == &g_ok);
    if (success)
        g_ok++;
    else
        g_failed++;
}

static char* read_file(const char* path, size_t* size) {
    FILE* f = fopen(path, "rb");
    CHECK(f != NULL);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char* buf = (char*)malloc((size_t)n);
    CHECK(buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* Replaces `path` as compilers do: write a temporary file, rename it over. */
static void replace_file(const char* path, const char* from) {
    size_t n;
    char* data = read_file(from, &n);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE* f = fopen(tmp, "wb");
    CHECK(f != NULL && fwrite(data, 1, n, f) == n);
    fclose(f);
    CHECK(rename(tmp, path) == 0);
    free(data);
}

static void step(const char* want) {
    hlffi_value* r = hlffi_call_static(g_vm, "Main", "step", 0, NULL);
    CHECK_OWNED_STR(hlffi_value_as_string(r), want);
    hlffi_value_free(r);
}

int main(int argc, char** argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s v1.hl v2.hl v3.hl scratch-dir\n", argv[0]);
        return 2;
    }
    const char *v1 = argv[1], *v2 = argv[2], *v3 = argv[3];
    char live[4096];
    snprintf(live, sizeof live, "%s/live.hl", argv[4]);
    replace_file(live, v1);

    /* Not enabled: refused. */
    hlffi_vm* vm = hlffi_create();
    g_vm = vm;
    CHECK_INT(hlffi_init(vm, 0, NULL), HLFFI_OK);
    CHECK_INT(hlffi_reload_module(vm, v2), HLFFI_ERROR_NOT_INITIALIZED);
    CHECK_INT(hlffi_load_file(vm, live), HLFFI_OK);
    CHECK_INT(hlffi_call_entry(vm), HLFFI_OK);
    CHECK_INT(hlffi_reload_module(vm, v2), HLFFI_ERROR_RELOAD_NOT_ENABLED);
    CHECK(!hlffi_check_reload(vm));
    hlffi_destroy(vm);

    vm = hlffi_create();
    g_vm = vm;
    CHECK_INT(hlffi_init(vm, 0, NULL), HLFFI_OK);
    CHECK_INT(hlffi_enable_hot_reload(vm, true), HLFFI_OK);
    CHECK(hlffi_is_hot_reload_enabled(vm));
    CHECK_INT(hlffi_load_file(vm, live), HLFFI_OK);
    CHECK_INT(hlffi_call_entry(vm), HLFFI_OK);
    hlffi_set_reload_callback(vm, on_reload, &g_ok);
    step("v1 n=1");

    /* A changed body: applied, statics and objects kept, main not re-run. */
    CHECK_INT(hlffi_reload_module(vm, v2), HLFFI_OK);
    CHECK_INT(g_ok, 1);
    step("v2 n=2");
    hlffi_value* calls = hlffi_get_static_field(vm, "Main", "calls");
    CHECK_INT(hlffi_value_as_int(calls, -1), 2);
    hlffi_value_free(calls);

    /* A changed layout: refused, naming the class; code and state intact. */
    CHECK_INT(hlffi_reload_module(vm, v3), HLFFI_ERROR_RELOAD_FAILED);
    CHECK_ERROR_HAS("Counter");
    CHECK_INT(g_failed, 1);
    step("v2 n=3");

    /* Errors with their codes (the callback hears of the attempts that got past the
     * argument checks). */
    int failed_before = g_failed;
    CHECK_INT(hlffi_reload_module(vm, "/nonexistent/x.hl"), HLFFI_ERROR_FILE_NOT_FOUND);
    static const char junk[] = "HLB garbage";
    CHECK_INT(hlffi_reload_module_memory(vm, junk, sizeof junk), HLFFI_ERROR_INVALID_BYTECODE);
    CHECK_INT(hlffi_reload_module_memory(vm, NULL, 0), HLFFI_ERROR_INVALID_ARGUMENT);
    CHECK_INT(hlffi_reload_module(NULL, v2), HLFFI_ERROR_NULL_VM);
    CHECK_INT(g_failed, failed_before + 2);
    step("v2 n=4");

    /* NULL path: the file given to hlffi_load_file (still v1 on disk). */
    CHECK_INT(hlffi_reload_module(vm, NULL), HLFFI_OK);
    step("v1 n=5");
    /* From memory. */
    size_t n;
    char* bytes = read_file(v2, &n);
    CHECK_INT(hlffi_reload_module_memory(vm, bytes, n), HLFFI_OK);
    free(bytes);
    step("v2 n=6");

    /* check_reload watches the loaded file: unchanged -> nothing. */
    CHECK(!hlffi_check_reload(vm));
    step("v2 n=7");
    struct timespec ts = {0, 20 * 1000000L};
    nanosleep(&ts, NULL);
    replace_file(live, v3); /* refused when it is checked */
    CHECK(!hlffi_check_reload(vm));
    step("v2 n=8");
    nanosleep(&ts, NULL);
    replace_file(live, v1);
    CHECK(hlffi_check_reload(vm));
    step("v1 n=9");
    CHECK(!hlffi_check_reload(vm));
    CHECK(!hlffi_check_reload(NULL));

    /* Enabling after load is refused and changes nothing. */
    CHECK_INT(hlffi_enable_hot_reload(vm, false), HLFFI_ERROR_ALREADY_INITIALIZED);
    CHECK(hlffi_is_hot_reload_enabled(vm));
    hlffi_set_reload_callback(vm, NULL, NULL);
    CHECK_INT(hlffi_reload_module(vm, v2), HLFFI_OK);
    hlffi_destroy(vm);
    g_vm = NULL;
    printf("reload: all checks passed (%d applied, %d refused)\n", g_ok, g_failed);
    return 0;
}
