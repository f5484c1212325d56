/* NON_THREADED use of the C API against tests/haxe/capi/Main.hx: lifecycle, values,
 * statics, instances, arrays, maps, bytes, enums, reflection, callbacks, exceptions,
 * cached calls, the event loop, and misuse of each (NULL VM and handles, wrong types,
 * unknown names). Usage: basic <capi.hl> */
#include <stdint.h>
#include <time.h>

#include "check.h"
#include "hl.h"

static int g_callback_calls = 0;

/* Called by Haxe through Main.onEvent(x, "from haxe"): returns x * 2. */
static hlffi_value* on_event(hlffi_vm* vm, int argc, hlffi_value** argv) {
    g_callback_calls++;
    CHECK_INT(argc, 2);
    CHECK(vm == g_vm);
    char* text = hlffi_value_as_string(argv[1]);
    CHECK_STR(text, "from haxe");
    free(text);
    /* The API may be used again from inside a callback. */
    hlffi_value* a = hlffi_value_int(vm, 1);
    hlffi_value* b = hlffi_value_int(vm, 1);
    hlffi_value* args[2] = {a, b};
    hlffi_value* two = hlffi_call_static(vm, "Main", "add", 2, args);
    CHECK_INT(hlffi_value_as_int(two, -1), 2);
    hlffi_value_free(a);
    hlffi_value_free(b);
    hlffi_value_free(two);
    return hlffi_value_int(vm, hlffi_value_as_int(argv[0], 0) * 2);
}

static hlffi_value* returns_null(hlffi_vm* vm, int argc, hlffi_value** argv) {
    (void)vm;
    (void)argc;
    (void)argv;
    return NULL;
}

static int g_types_seen = 0;
static int g_saw_player = 0;
static void count_type(hlffi_type* type, void* userdata) {
    CHECK(userdata == &g_types_seen);
    g_types_seen++;
    if (hlffi_type_get_kind(type) == HLFFI_TYPE_OBJ && strcmp(hlffi_type_get_name(type), "Player") == 0) g_saw_player = 1;
}

/* Calls Main.garbage so a collection can run between making handles and using them
 * (HLVM_GC_STRESS=1 collects at every safepoint after an allocation). */
static void churn(void) {
    hlffi_value* n = hlffi_value_int(g_vm, 50);
    hlffi_value* r = hlffi_call_static(g_vm, "Main", "garbage", 1, &n);
    CHECK_INT(hlffi_value_as_int(r, -1), 50);
    hlffi_value_free(n);
    hlffi_value_free(r);
}

static void test_misuse_before_load(void) {
    /* NULL VM everywhere. */
    CHECK_INT(hlffi_init(NULL, 0, NULL), HLFFI_ERROR_NULL_VM);
    CHECK_INT(hlffi_load_file(NULL, "x.hl"), HLFFI_ERROR_NULL_VM);
    CHECK_INT(hlffi_call_entry(NULL), HLFFI_ERROR_NULL_VM);
    CHECK(hlffi_call_static(NULL, "Main", "add", 0, NULL) == NULL);
    CHECK(hlffi_value_int(NULL, 1) == NULL);
    CHECK(hlffi_get_error(NULL) != NULL);
    CHECK_INT(hlffi_get_integration_mode(NULL), HLFFI_MODE_NON_THREADED);
    CHECK(!hlffi_is_hot_reload_enabled(NULL));
    CHECK(!hlffi_thread_is_running(NULL));
    CHECK_INT(hlffi_update(NULL, 0.016f), HLFFI_ERROR_NULL_VM);
    hlffi_destroy(NULL);
    /* NULL handles. */
    CHECK_INT(hlffi_value_as_int(NULL, 7), 7);
    CHECK(hlffi_value_as_float(NULL, 2.5) == 2.5);
    CHECK(hlffi_value_as_string(NULL) == NULL);
    CHECK(hlffi_value_is_null(NULL));
    CHECK(hlffi_get_field(NULL, "hp") == NULL);
    CHECK(!hlffi_set_field(NULL, "hp", NULL));
    CHECK_INT(hlffi_array_length(NULL), -1);
    CHECK_INT(hlffi_map_size(NULL), -1);
    CHECK_INT(hlffi_bytes_get_length(NULL), -1);
    CHECK_INT(hlffi_enum_get_index(NULL), -1);
    CHECK_INT(hlffi_type_get_kind(NULL), HLFFI_TYPE_VOID);
    CHECK(hlffi_type_get_name(NULL) == NULL);
    CHECK_INT(hlffi_class_get_field_count(NULL), -1);
    CHECK(hlffi_call_cached(NULL, 0, NULL) == NULL);
    hlffi_value_free(NULL);
    hlffi_cached_call_free(NULL);
    /* Mixed-up pointers (every library object starts with its own magic number). */
    hlffi_vm* other = hlffi_create();
    CHECK_INT(hlffi_value_as_int((hlffi_value*)other, 3), 3);
    CHECK_INT(hlffi_type_get_kind((hlffi_type*)other), HLFFI_TYPE_VOID);
    CHECK(hlffi_call_cached((hlffi_cached_call*)other, 0, NULL) == NULL);
    hlffi_value_free((hlffi_value*)other); /* refused: not a value */
    hlffi_destroy(other);
    /* Error texts. */
    CHECK_STR(hlffi_get_error_string(HLFFI_OK), "Success");
    CHECK_STR(hlffi_get_error_string(HLFFI_ERROR_UNKNOWN), "Unknown error");
    CHECK(hlffi_get_error_string((hlffi_error_code)999) != NULL);
    CHECK_STR(hlffi_get_version(), HLFFI_VERSION_STRING);
    CHECK(hlffi_is_jit_mode());
}

static void test_lifecycle_errors(const char* hl) {
    hlffi_vm* vm = hlffi_create();
    CHECK(vm != NULL);
    g_vm = vm;
    CHECK_INT(hlffi_load_file(vm, hl), HLFFI_ERROR_NOT_INITIALIZED);
    CHECK_INT(hlffi_init(vm, 0, NULL), HLFFI_OK);
    CHECK_INT(hlffi_init(vm, 0, NULL), HLFFI_ERROR_ALREADY_INITIALIZED);
    CHECK_INT(hlffi_call_entry(vm), HLFFI_ERROR_NOT_INITIALIZED);
    CHECK_INT(hlffi_load_file(vm, NULL), HLFFI_ERROR_INVALID_ARGUMENT);
    CHECK_INT(hlffi_load_file(vm, "/nonexistent/game.hl"), HLFFI_ERROR_FILE_NOT_FOUND);
    CHECK_ERROR_HAS("/nonexistent/game.hl");
    static const char junk[] = "this is not bytecode";
    CHECK_INT(hlffi_load_memory(vm, junk, sizeof junk), HLFFI_ERROR_INVALID_BYTECODE);
    CHECK_INT(hlffi_load_memory(vm, NULL, 10), HLFFI_ERROR_INVALID_ARGUMENT);
    CHECK(hlffi_call_static(vm, "Main", "add", 0, NULL) == NULL);
    CHECK_ERROR_HAS("no module loaded");
    CHECK_INT(hlffi_set_integration_mode(vm, (hlffi_integration_mode)5), HLFFI_ERROR_INVALID_ARGUMENT);
    /* A failed load leaves the VM usable: load for real now. */
    CHECK_INT(hlffi_load_file(vm, hl), HLFFI_OK);
    CHECK_INT(hlffi_load_file(vm, hl), HLFFI_ERROR_ALREADY_INITIALIZED);
    CHECK_INT(hlffi_enable_hot_reload(vm, true), HLFFI_ERROR_ALREADY_INITIALIZED);
    CHECK(!hlffi_is_hot_reload_enabled(vm));
    /* Statics need the entry point. */
    CHECK(hlffi_get_static_field(vm, "Main", "counter") == NULL);
    CHECK_ERROR_HAS("entrypoint");
    CHECK_INT(hlffi_call_entry(vm), HLFFI_OK);
    hlffi_destroy(vm);
    g_vm = NULL;
}

static void test_values(void) {
    hlffi_vm* vm = g_vm;
    hlffi_value* i = hlffi_value_int(vm, 42);
    hlffi_value* f = hlffi_value_float(vm, 2.75);
    hlffi_value* s32 = hlffi_value_f32(vm, 1.5f);
    hlffi_value* b = hlffi_value_bool(vm, true);
    hlffi_value* s = hlffi_value_string(vm, "\xe2\x82\xac" "uro");
    hlffi_value* n = hlffi_value_null(vm);
    churn();
    CHECK_INT(hlffi_value_as_int(i, -1), 42);
    CHECK(hlffi_value_as_float(i, -1) == 42.0);
    CHECK(hlffi_value_as_float(f, -1) == 2.75);
    CHECK_INT(hlffi_value_as_int(f, -1), 2); /* truncated */
    CHECK(hlffi_value_as_f32(s32, -1) == 1.5f);
    CHECK(hlffi_value_as_bool(b, false));
    CHECK_INT(hlffi_value_as_int(b, -1), 1);
    CHECK(hlffi_value_as_bool(i, false));
    CHECK_OWNED_STR(hlffi_value_as_string(s), "\xe2\x82\xac" "uro");
    /* Haxe sees 4 UTF-16 units. */
    hlffi_value* len = hlffi_call_static(vm, "Main", "len", 1, &s);
    CHECK_INT(hlffi_value_as_int(len, -1), 4);
    hlffi_value_free(len);
    CHECK(hlffi_value_is_null(n));
    CHECK(!hlffi_value_is_null(i));
    /* Wrong kinds give the fallback / NULL. */
    CHECK_INT(hlffi_value_as_int(s, -5), -5);
    CHECK(hlffi_value_as_string(i) == NULL);
    CHECK(!hlffi_value_as_bool(s, false));
    CHECK(hlffi_value_string(vm, NULL) == NULL);
    CHECK(hlffi_call_static((hlffi_vm*)i, "Main", "add", 0, NULL) == NULL); /* a value is not a VM */
    CHECK_INT(hlffi_class_get_field_count((hlffi_type*)i), -1);
    hlffi_value_free(i);
    hlffi_value_free(f);
    hlffi_value_free(s32);
    hlffi_value_free(b);
    hlffi_value_free(s);
    hlffi_value_free(n);
    /* A handle released with libc free() leaks its root but is memory-safe. */
    hlffi_value* leaked = hlffi_value_string(vm, "leaked on purpose");
    free(leaked);
    churn();
}

static void test_statics(void) {
    hlffi_vm* vm = g_vm;
    hlffi_value* title = hlffi_get_static_field(vm, "Main", "title");
    CHECK_OWNED_STR(hlffi_value_as_string(title), "hello");
    hlffi_value_free(title);
    hlffi_value* v = hlffi_value_int(vm, 41);
    CHECK_INT(hlffi_set_static_field(vm, "Main", "counter", v), HLFFI_OK);
    hlffi_value_free(v);
    hlffi_value* r = hlffi_call_static(vm, "Main", "incr", 0, NULL);
    CHECK_INT(hlffi_value_as_int(r, -1), 42);
    hlffi_value_free(r);
    /* Rule 9: a Float into an Int static is truncated; an Int into a Float static widens. */
    hlffi_value* f = hlffi_value_float(vm, 7.9);
    CHECK_INT(hlffi_set_static_field(vm, "Main", "counter", f), HLFFI_OK);
    hlffi_value_free(f);
    hlffi_value* c = hlffi_get_static_field(vm, "Main", "counter");
    CHECK_INT(hlffi_value_as_int(c, -1), 7);
    hlffi_value_free(c);
    hlffi_value* three = hlffi_value_int(vm, 3);
    CHECK_INT(hlffi_set_static_field(vm, "Main", "ratio", three), HLFFI_OK);
    hlffi_value* ratio = hlffi_get_static_field(vm, "Main", "ratio");
    CHECK(hlffi_value_as_float(ratio, -1) == 3.0);
    hlffi_value_free(ratio);
    /* Misuse. */
    CHECK_INT(hlffi_set_static_field(vm, "Main", "title", three), HLFFI_ERROR_TYPE_MISMATCH);
    CHECK_ERROR_HAS("expected String");
    CHECK_INT(hlffi_set_static_field(vm, "Main", "counter", NULL), HLFFI_ERROR_INVALID_ARGUMENT);
    CHECK_INT(hlffi_set_static_field(vm, "Nope", "counter", three), HLFFI_ERROR_TYPE_NOT_FOUND);
    CHECK_INT(hlffi_set_static_field(vm, "Main", "nope", three), HLFFI_ERROR_FIELD_NOT_FOUND);
    CHECK_INT(hlffi_set_static_field(vm, NULL, "nope", three), HLFFI_ERROR_INVALID_ARGUMENT);
    CHECK(hlffi_get_static_field(vm, "Main", "nope") == NULL);
    CHECK_ERROR_HAS("Main has no field nope");
    hlffi_value_free(three);

    /* Calls. */
    hlffi_value* a = hlffi_value_int(vm, 2);
    hlffi_value* b = hlffi_value_int(vm, 40);
    hlffi_value* args[2] = {a, b};
    hlffi_value* sum = hlffi_call_static(vm, "Main", "add", 2, args);
    CHECK_INT(hlffi_value_as_int(sum, -1), 42);
    hlffi_value_free(sum);
    hlffi_value* fa = hlffi_value_float(vm, 1.5);
    hlffi_value* fargs[2] = {fa, b}; /* Int widens into a Float parameter */
    hlffi_value* prod = hlffi_call_static(vm, "Main", "mulf", 2, fargs);
    CHECK(hlffi_value_as_float(prod, -1) == 60.0);
    hlffi_value_free(prod);
    hlffi_value_free(fa);
    hlffi_value* name = hlffi_value_string(vm, "Ada");
    hlffi_value* hello = hlffi_call_static(vm, "Main", "greet", 1, &name);
    CHECK_OWNED_STR(hlffi_value_as_string(hello), "Hello, Ada!");
    hlffi_value_free(hello);
    hlffi_value* none = hlffi_call_static(vm, "Main", "noop", 0, NULL);
    CHECK(none != NULL && hlffi_value_is_null(none));
    hlffi_value_free(none);
    /* Misuse: unknown names, arity, types, NULL argv. */
    CHECK(hlffi_call_static(vm, "Nope", "add", 2, args) == NULL);
    CHECK_ERROR_HAS("type not found: Nope");
    CHECK(hlffi_call_static(vm, "Main", "nope", 2, args) == NULL);
    CHECK_ERROR_HAS("Main has no method nope");
    CHECK(hlffi_call_static(vm, "Main", "add", 1, args) == NULL);
    CHECK_ERROR_HAS("takes 2 argument(s), 1 given");
    hlffi_value* wrong[2] = {name, b};
    CHECK(hlffi_call_static(vm, "Main", "add", 2, wrong) == NULL);
    CHECK_ERROR_HAS("expected Int, got String");
    CHECK(hlffi_call_static(vm, "Main", "add", 2, NULL) == NULL);
    CHECK_ERROR_HAS("argv is NULL");
    CHECK(hlffi_call_static(vm, "Main", "add", -1, args) == NULL);
    CHECK(hlffi_call_static(vm, "Main", NULL, 0, NULL) == NULL);
    hlffi_value_free(name);
    hlffi_value_free(a);
    hlffi_value_free(b);
}

static void test_instances(void) {
    hlffi_vm* vm = g_vm;
    hlffi_value* name = hlffi_value_string(vm, "orc");
    hlffi_value* hp = hlffi_value_int(vm, 30);
    hlffi_value* args[2] = {name, hp};
    hlffi_value* e = hlffi_new(vm, "Entity", 2, args);
    CHECK(e != NULL);
    hlffi_value_free(name);
    hlffi_value_free(hp);
    churn(); /* the handle keeps the object alive */
    CHECK_INT(hlffi_get_field_int(e, "hp", -1), 30);
    CHECK(hlffi_get_field_float(e, "speed", -1) == 1.5f);
    CHECK(hlffi_get_field_bool(e, "alive", false));
    CHECK_OWNED_STR(hlffi_get_field_string(e, "name"), "orc");
    hlffi_value* f = hlffi_get_field(e, "hp");
    CHECK_INT(hlffi_value_as_int(f, -1), 30);
    hlffi_value_free(f);
    CHECK(hlffi_set_field_int(vm, e, "hp", 25));
    CHECK(hlffi_set_field_float(vm, e, "speed", 2.5f));
    CHECK(hlffi_set_field_bool(vm, e, "alive", true));
    CHECK(hlffi_set_field_string(vm, e, "name", "goblin"));
    hlffi_value* ten = hlffi_value_int(vm, 10);
    CHECK_INT(hlffi_call_method_int(e, "damage", 1, &ten, -1), 15);
    CHECK_OWNED_STR(hlffi_call_method_string(e, "describe", 0, NULL), "goblin:15");
    CHECK(hlffi_call_method_float(e, "getSpeed", 0, NULL, -1) == 2.5f);
    hlffi_value* r = hlffi_call_method(e, "damage", 1, &ten);
    CHECK_INT(hlffi_value_as_int(r, -1), 5);
    hlffi_value_free(r);
    CHECK(hlffi_call_method_void(e, "damage", 1, &ten));
    CHECK(!hlffi_call_method_bool(e, "isAlive", 0, NULL, true));
    CHECK(hlffi_set_field(e, "hp", ten));
    CHECK_INT(hlffi_get_field_int(e, "hp", -1), 10);
    /* Inheritance and overrides. */
    hlffi_value* pname = hlffi_value_string(vm, "Ada");
    hlffi_value* p = hlffi_new(vm, "Player", 1, &pname);
    CHECK_OWNED_STR(hlffi_call_method_string(p, "describe", 0, NULL), "Player Ada:100");
    CHECK_INT(hlffi_get_field_int(p, "score", -1), 0);
    CHECK(hlffi_is_instance_of(p, "Player"));
    CHECK(!hlffi_is_instance_of(e, "Player"));
    CHECK(hlffi_is_instance_of(e, "Entity"));
    /* An object from Haxe is the same object. */
    hlffi_value* made = hlffi_call_static(vm, "Main", "makePlayer", 1, &pname);
    CHECK_INT(hlffi_get_field_int(made, "hp", -1), 100);
    hlffi_value_free(made);
    /* Misuse. */
    CHECK(hlffi_new(vm, "Nope", 0, NULL) == NULL);
    CHECK_ERROR_HAS("type not found");
    CHECK(hlffi_new(vm, "Entity", 1, &pname) == NULL);
    CHECK_ERROR_HAS("argument");
    CHECK(hlffi_get_field(e, "nope") == NULL);
    CHECK_ERROR_HAS("nope");
    CHECK_INT(hlffi_get_field_int(e, "name", -9), -9); /* a String is not an Int */
    CHECK(!hlffi_set_field(e, "hp", pname));
    CHECK_ERROR_HAS("expected Int");
    CHECK(hlffi_call_method(e, "nope", 0, NULL) == NULL);
    CHECK(hlffi_get_field(ten, "hp") == NULL); /* not an object */
    CHECK_ERROR_HAS("not an object");
    CHECK(!hlffi_call_method_void(e, "fail", 0, NULL));
    CHECK_ERROR_HAS("entity failure");
    CHECK(hlffi_has_exception(vm));
    hlffi_clear_exception(vm);
    CHECK(!hlffi_has_exception(vm));
    hlffi_value_free(ten);
    hlffi_value_free(pname);
    hlffi_value_free(p);
    hlffi_value_free(e);
}

static void test_exceptions(void) {
    hlffi_vm* vm = g_vm;
    hlffi_value* seven = hlffi_value_int(vm, 7);
    hlffi_value* three = hlffi_value_int(vm, 3);
    hlffi_value* result = (hlffi_value*)1;
    const char* error = "unset";
    CHECK_INT(hlffi_try_call_static(vm, "Main", "throwing", 1, &seven, &result, &error), HLFFI_CALL_EXCEPTION);
    CHECK(result == NULL);
    CHECK_STR(error, "Invalid level: 7");
    CHECK_STR(hlffi_get_exception_message(vm), "Invalid level: 7");
    CHECK(strstr(hlffi_get_exception_stack(vm), "Main.hx") != NULL);
    CHECK(hlffi_has_exception(vm));
    CHECK_INT(hlffi_try_call_static(vm, "Main", "throwing", 1, &three, &result, &error), HLFFI_CALL_OK);
    CHECK(error == NULL);
    CHECK_INT(hlffi_value_as_int(result, -1), 3);
    hlffi_value_free(result);
    CHECK(!hlffi_has_exception(vm)); /* reset by the try call */
    CHECK_INT(hlffi_try_call_static(vm, "Main", "nope", 0, NULL, &result, &error), HLFFI_CALL_ERROR);
    CHECK(result == NULL && strstr(error, "no method nope") != NULL);
    CHECK_INT(hlffi_try_call_static(vm, "Main", "throwing", 1, &seven, NULL, NULL), HLFFI_CALL_EXCEPTION);
    /* A plain call: NULL, the exception recorded, the VM still usable. */
    CHECK(hlffi_call_static(vm, "Main", "throwing", 1, &seven) == NULL);
    CHECK_ERROR_HAS("Invalid level: 7");
    CHECK_STR(hlffi_get_exception_message(vm), "Invalid level: 7");
    /* Methods. */
    hlffi_value* n = hlffi_value_string(vm, "x");
    hlffi_value* hp = hlffi_value_int(vm, 1);
    hlffi_value* args[2] = {n, hp};
    hlffi_value* e = hlffi_new(vm, "Entity", 2, args);
    CHECK_INT(hlffi_try_call_method(e, "fail", 0, NULL, &result, &error), HLFFI_CALL_EXCEPTION);
    CHECK_STR(error, "entity failure");
    CHECK_INT(hlffi_try_call_method(e, "describe", 0, NULL, &result, &error), HLFFI_CALL_OK);
    CHECK_OWNED_STR(hlffi_value_as_string(result), "x:1");
    hlffi_value_free(result);
    CHECK_INT(hlffi_try_call_method(e, "nope", 0, NULL, &result, &error), HLFFI_CALL_ERROR);
    CHECK_INT(hlffi_try_call_method(NULL, "nope", 0, NULL, &result, &error), HLFFI_CALL_ERROR);
    hlffi_value_free(e);
    hlffi_value_free(n);
    hlffi_value_free(hp);
    hlffi_value_free(seven);
    hlffi_value_free(three);
}

static void test_arrays(void) {
    hlffi_vm* vm = g_vm;
    hlffi_value* ints = hlffi_get_static_field(vm, "Main", "ints");
    CHECK_INT(hlffi_array_length(ints), 3);
    hlffi_value* x = hlffi_array_get(vm, ints, 1);
    CHECK_INT(hlffi_value_as_int(x, -1), 2);
    hlffi_value_free(x);
    hlffi_value* nine = hlffi_value_int(vm, 9);
    CHECK(hlffi_array_set(vm, ints, 0, nine));
    CHECK(hlffi_array_push(vm, ints, nine));
    CHECK_INT(hlffi_array_length(ints), 4);
    hlffi_value* sum = hlffi_call_static(vm, "Main", "sumArray", 1, &ints);
    CHECK_INT(hlffi_value_as_int(sum, -1), 9 + 2 + 3 + 9); /* Haxe sees the edits */
    hlffi_value_free(sum);
    int* p = (int*)hlffi_native_array_get_ptr(ints);
    CHECK(p != NULL && p[0] == 9 && p[3] == 9);
    p[1] = 100; /* zero-copy */
    hlffi_value* y = hlffi_array_get(vm, ints, 1);
    CHECK_INT(hlffi_value_as_int(y, -1), 100);
    hlffi_value_free(y);
    /* Misuse. */
    CHECK(hlffi_array_get(vm, ints, 4) == NULL);
    CHECK(hlffi_array_get(vm, ints, -1) == NULL);
    CHECK(!hlffi_array_set(vm, ints, 10, nine));
    hlffi_value* str = hlffi_value_string(vm, "s");
    CHECK(!hlffi_array_set(vm, ints, 0, str));
    CHECK_INT(hlffi_array_length(str), -1);
    hlffi_value_free(ints);

    /* Arrays made in C. */
    hlffi_value* made = hlffi_array_new(vm, &hlt_i32, 3);
    CHECK_INT(hlffi_array_length(made), 3);
    CHECK(hlffi_array_set(vm, made, 2, nine));
    hlffi_value* sum2 = hlffi_call_static(vm, "Main", "sumArray", 1, &made);
    CHECK_INT(hlffi_value_as_int(sum2, -1), 9);
    hlffi_value_free(sum2);
    hlffi_value_free(made);
    hlffi_value* dyn = hlffi_array_new(vm, NULL, 0);
    CHECK(hlffi_array_push(vm, dyn, nine));
    CHECK(hlffi_array_push(vm, dyn, str));
    CHECK(hlffi_array_push(vm, dyn, NULL));
    churn();
    hlffi_value* joined = hlffi_call_static(vm, "Main", "joinArray", 1, &dyn);
    CHECK_OWNED_STR(hlffi_value_as_string(joined), "9,s,null");
    hlffi_value_free(joined);
    hlffi_value_free(dyn);
    hlffi_value* floats = hlffi_native_array_new(vm, &hlt_f64, 2);
    double* d = (double*)hlffi_native_array_get_ptr(floats);
    CHECK(d != NULL && d[0] == 0.0);
    hlffi_value_free(floats);
    CHECK(hlffi_array_new(vm, &hlt_i32, -1) == NULL);
    /* A raw hl.NativeArray from Haxe: read and written in place, fixed length. */
    hlffi_value* native = hlffi_get_static_field(vm, "Main", "native");
    CHECK_INT(hlffi_array_length(native), 3);
    hlffi_value* e1 = hlffi_array_get(vm, native, 1);
    CHECK_INT(hlffi_value_as_int(e1, -1), 6);
    hlffi_value_free(e1);
    CHECK(hlffi_array_set(vm, native, 2, nine));
    hlffi_value* nsum = hlffi_call_static(vm, "Main", "nativeSum", 0, NULL);
    CHECK_INT(hlffi_value_as_int(nsum, -1), 5 + 6 + 9);
    hlffi_value_free(nsum);
    CHECK(!hlffi_array_push(vm, native, nine));
    CHECK_ERROR_HAS("fixed length");
    CHECK(hlffi_array_get(vm, native, 3) == NULL);
    /* Its elements are VM slots, not C ints: no pointer, and the error says why. */
    CHECK(hlffi_native_array_get_ptr(native) == NULL);
    CHECK_ERROR_HAS("C element buffer");
    hlffi_value_free(native);
    /* @:struct arrays: not supported by this VM, said so. */
    CHECK(hlffi_array_new_struct(vm, NULL, 2) == NULL);
    CHECK_ERROR_HAS("@:struct");
    hlffi_value_free(str);
    hlffi_value_free(nine);
}

static void test_maps(void) {
    hlffi_vm* vm = g_vm;
    hlffi_value* scores = hlffi_get_static_field(vm, "Main", "scores");
    CHECK_INT(hlffi_map_size(scores), 2);
    hlffi_value* ann = hlffi_value_string(vm, "ann");
    hlffi_value* cid = hlffi_value_string(vm, "cid");
    hlffi_value* seven = hlffi_value_int(vm, 7);
    hlffi_value* v = hlffi_map_get(vm, scores, ann);
    CHECK_INT(hlffi_value_as_int(v, -1), 3);
    hlffi_value_free(v);
    CHECK(hlffi_map_get(vm, scores, cid) == NULL);
    CHECK(!hlffi_map_exists(vm, scores, cid));
    CHECK(hlffi_map_set(vm, scores, cid, seven));
    CHECK(hlffi_map_exists(vm, scores, cid));
    hlffi_value* n = hlffi_call_static(vm, "Main", "mapSize", 1, &scores);
    CHECK_INT(hlffi_value_as_int(n, -1), 3);
    hlffi_value_free(n);
    hlffi_value* keys = hlffi_map_keys(vm, scores);
    hlffi_value* values = hlffi_map_values(vm, scores);
    CHECK_INT(hlffi_array_length(keys), 3);
    CHECK_INT(hlffi_array_length(values), 3);
    int total = 0;
    for (int i = 0; i < 3; i++) {
        hlffi_value* val = hlffi_array_get(vm, values, i);
        total += hlffi_value_as_int(val, 0);
        hlffi_value_free(val);
    }
    CHECK_INT(total, 3 + 5 + 7);
    hlffi_value_free(keys);
    hlffi_value_free(values);
    CHECK(hlffi_map_remove(vm, scores, ann));
    CHECK(!hlffi_map_remove(vm, scores, ann));
    CHECK_INT(hlffi_map_size(scores), 2);
    CHECK(hlffi_map_clear(scores));
    CHECK_INT(hlffi_map_size(scores), 0);
    /* Int keys. */
    hlffi_value* ids = hlffi_get_static_field(vm, "Main", "ids");
    hlffi_value* one = hlffi_value_int(vm, 1);
    hlffi_value* s = hlffi_map_get(vm, ids, one);
    CHECK_OWNED_STR(hlffi_value_as_string(s), "one");
    hlffi_value_free(s);
    hlffi_value* ikeys = hlffi_map_keys(vm, ids);
    int* kp = (int*)hlffi_native_array_get_ptr(ikeys);
    CHECK(kp != NULL && kp[0] + kp[1] == 3);
    hlffi_value_free(ikeys);
    /* Maps made in C. */
    hlffi_value* m = hlffi_map_new(vm, &hlt_bytes, NULL);
    CHECK(hlffi_map_set(vm, m, ann, seven));
    churn();
    hlffi_value* size = hlffi_call_static(vm, "Main", "mapSize", 1, &m);
    CHECK_INT(hlffi_value_as_int(size, -1), 1);
    hlffi_value_free(size);
    hlffi_value* im = hlffi_map_new(vm, &hlt_i32, NULL);
    CHECK(hlffi_map_set(vm, im, one, ann));
    CHECK_INT(hlffi_map_size(im), 1);
    /* Misuse. */
    CHECK(!hlffi_map_set(vm, im, ann, seven)); /* String key in an IntMap */
    CHECK(!hlffi_map_set(vm, seven, ann, seven));
    CHECK_ERROR_HAS("not a map");
    CHECK(!hlffi_map_exists(vm, m, NULL));
    hlffi_value_free(m);
    hlffi_value_free(im);
    hlffi_value_free(one);
    hlffi_value_free(ids);
    hlffi_value_free(seven);
    hlffi_value_free(ann);
    hlffi_value_free(cid);
    hlffi_value_free(scores);
}

static void test_bytes(void) {
    hlffi_vm* vm = g_vm;
    hlffi_value* data = hlffi_get_static_field(vm, "Main", "data");
    CHECK_INT(hlffi_bytes_get_length(data), 3);
    CHECK_INT(hlffi_bytes_get(data, 0), 'a');
    CHECK(hlffi_bytes_set(data, 0, 'x'));
    unsigned char* p = (unsigned char*)hlffi_bytes_get_ptr(data);
    CHECK(p != NULL && p[0] == 'x' && p[2] == 'c');
    p[1] = 'y';
    CHECK_OWNED_STR(hlffi_bytes_to_string(data, 3), "xyc");
    hlffi_value* made = hlffi_bytes_from_string(vm, "hello");
    CHECK_INT(hlffi_bytes_get_length(made), 5);
    const unsigned char raw[4] = {1, 2, 3, 4};
    hlffi_value* fromdata = hlffi_bytes_from_data(vm, raw, 4);
    hlffi_value* sum = hlffi_call_static(vm, "Main", "bytesSum", 1, &fromdata);
    CHECK_INT(hlffi_value_as_int(sum, -1), 10);
    hlffi_value_free(sum);
    hlffi_value* zero = hlffi_bytes_new(vm, 8);
    CHECK_INT(hlffi_bytes_get(zero, 7), 0);
    CHECK(hlffi_bytes_fill(zero, 2, 3, 0xAB));
    CHECK_INT(hlffi_bytes_get(zero, 4), 0xAB);
    CHECK(hlffi_bytes_blit(zero, 0, made, 1, 4));
    CHECK_OWNED_STR(hlffi_bytes_to_string(zero, 4), "ello");
    CHECK(hlffi_bytes_blit(made, 1, made, 0, 4)); /* overlapping: memmove */
    CHECK_OWNED_STR(hlffi_bytes_to_string(made, 5), "hhell");
    CHECK_INT(hlffi_bytes_compare(made, 0, made, 0, 5), 0);
    CHECK(hlffi_bytes_compare(made, 0, zero, 0, 4) > 0);
    /* Misuse. */
    CHECK_INT(hlffi_bytes_get(zero, 8), -1);
    CHECK_INT(hlffi_bytes_get(zero, -1), -1);
    CHECK(!hlffi_bytes_set(zero, 0, 256));
    CHECK(!hlffi_bytes_blit(zero, 6, made, 0, 5));
    CHECK(!hlffi_bytes_fill(zero, -1, 2, 0));
    CHECK(hlffi_bytes_new(vm, -1) == NULL);
    hlffi_value* i = hlffi_value_int(vm, 3);
    CHECK(hlffi_bytes_get_ptr(i) == NULL);
    CHECK_INT(hlffi_bytes_get_length(i), -1);
    hlffi_value_free(i);
    hlffi_value_free(zero);
    hlffi_value_free(fromdata);
    hlffi_value_free(made);
    hlffi_value_free(data);
}

static void test_enums(void) {
    hlffi_vm* vm = g_vm;
    CHECK_INT(hlffi_enum_get_construct_count(vm, "Color"), 3);
    CHECK_OWNED_STR(hlffi_enum_get_construct_name(vm, "Color", 2), "Rgb");
    CHECK(hlffi_enum_get_construct_name(vm, "Color", 3) == NULL);
    CHECK_INT(hlffi_enum_get_construct_count(vm, "Nope"), -1);
    CHECK_INT(hlffi_enum_get_construct_count(vm, "Main"), -1);
    hlffi_value* c = hlffi_get_static_field(vm, "Main", "color");
    CHECK_INT(hlffi_enum_get_index(c), 2);
    CHECK_OWNED_STR(hlffi_enum_get_name(c), "Rgb");
    CHECK_INT(hlffi_enum_get_param_count(c), 3);
    hlffi_value* g = hlffi_enum_get_param(c, 1);
    CHECK_INT(hlffi_value_as_int(g, -1), 2);
    hlffi_value_free(g);
    CHECK(hlffi_enum_get_param(c, 3) == NULL);
    CHECK(hlffi_enum_is(c, 2) && !hlffi_enum_is(c, 0));
    CHECK(hlffi_enum_is_named(c, "Rgb") && !hlffi_enum_is_named(c, "Red"));
    hlffi_value_free(c);
    hlffi_value* green = hlffi_enum_alloc_simple(vm, "Color", 1);
    hlffi_value* name = hlffi_call_static(vm, "Main", "colorName", 1, &green);
    CHECK_OWNED_STR(hlffi_value_as_string(name), "green");
    hlffi_value_free(name);
    hlffi_value* r = hlffi_value_int(vm, 10);
    hlffi_value* b = hlffi_value_int(vm, 30);
    hlffi_value* params[3] = {r, b, b};
    hlffi_value* rgb = hlffi_enum_alloc(vm, "Color", 2, 3, params);
    churn();
    hlffi_value* rgbname = hlffi_call_static(vm, "Main", "colorName", 1, &rgb);
    CHECK_OWNED_STR(hlffi_value_as_string(rgbname), "rgb(10,30,30)");
    hlffi_value_free(rgbname);
    /* Misuse. */
    CHECK(hlffi_enum_alloc(vm, "Color", 2, 2, params) == NULL);
    CHECK(hlffi_enum_alloc(vm, "Color", 9, 0, NULL) == NULL);
    CHECK(hlffi_enum_alloc_simple(vm, "Nope", 0) == NULL);
    CHECK_INT(hlffi_enum_get_index(r), -1);
    CHECK(hlffi_enum_get_name(r) == NULL);
    hlffi_value_free(rgb);
    hlffi_value_free(r);
    hlffi_value_free(b);
    hlffi_value_free(green);
}

static void test_reflection(void) {
    hlffi_vm* vm = g_vm;
    hlffi_type* player = hlffi_find_type(vm, "Player");
    CHECK(player != NULL);
    CHECK_INT(hlffi_type_get_kind(player), HLFFI_TYPE_OBJ);
    CHECK_STR(hlffi_type_get_name(player), "Player");
    CHECK_INT(hlffi_class_get_field_count(player), 1); /* own fields only */
    CHECK_STR(hlffi_class_get_field_name(player, 0), "score");
    CHECK_INT(hlffi_type_get_kind(hlffi_class_get_field_type(player, 0)), HLFFI_TYPE_I32);
    CHECK_STR(hlffi_type_get_name(hlffi_class_get_field_type(player, 0)), "i32");
    CHECK(hlffi_class_get_field_name(player, 1) == NULL);
    CHECK(hlffi_class_get_field_name(player, -1) == NULL);
    hlffi_type* entity = hlffi_class_get_super(player);
    CHECK(entity != NULL);
    CHECK_STR(hlffi_type_get_name(entity), "Entity");
    CHECK_INT(hlffi_class_get_field_count(entity), 4);
    CHECK_STR(hlffi_class_get_field_name(entity, 1), "hp");
    CHECK(hlffi_class_get_method_count(entity) >= 5);
    int found = 0;
    for (int i = 0; i < hlffi_class_get_method_count(entity); i++)
        if (strcmp(hlffi_class_get_method_name(entity, i), "damage") == 0) found = 1;
    CHECK(found);
    CHECK(hlffi_class_get_super(entity) == NULL);
    hlffi_type* color = hlffi_find_type(vm, "Color");
    CHECK_INT(hlffi_type_get_kind(color), HLFFI_TYPE_ENUM);
    CHECK_INT(hlffi_class_get_field_count(color), -1);
    CHECK(!hlffi_is_abstract(color));
    /* A HashLink abstract: sys.thread.Mutex is hl.Abstract<"hl_mutex"> at run time. */
    hlffi_value* mutex = hlffi_get_static_field(vm, "Main", "mutex");
    CHECK(hlffi_value_is_abstract(mutex));
    CHECK_OWNED_STR(hlffi_value_get_abstract_name(mutex), "hl_mutex");
    hlffi_type* abs = hlffi_abstract_find(vm, "hl_mutex");
    CHECK(abs != NULL && hlffi_is_abstract(abs));
    CHECK_INT(hlffi_type_get_kind(abs), HLFFI_TYPE_ABSTRACT);
    CHECK_OWNED_STR(hlffi_abstract_get_name(abs), "hl_mutex");
    CHECK(hlffi_abstract_get_name(player) == NULL);
    CHECK(hlffi_abstract_find(vm, "Player") == NULL);
    hlffi_value* num = hlffi_value_int(vm, 1);
    CHECK(!hlffi_value_is_abstract(num));
    CHECK(hlffi_value_get_abstract_name(num) == NULL);
    hlffi_value_free(num);
    hlffi_value_free(mutex);
    CHECK(hlffi_find_type(vm, "Nope") == NULL);
    CHECK_ERROR_HAS("type not found");
    CHECK(hlffi_find_type(vm, NULL) == NULL);
    CHECK(hlffi_abstract_find(vm, "Nope") == NULL);
    CHECK_INT(hlffi_list_types(vm, count_type, &g_types_seen), HLFFI_OK);
    CHECK(g_types_seen > 20 && g_saw_player);
    CHECK_INT(hlffi_list_types(vm, NULL, NULL), HLFFI_ERROR_INVALID_TYPE);
}

static void test_callbacks(void) {
    hlffi_vm* vm = g_vm;
    CHECK(hlffi_register_callback(vm, "on_event", on_event, 2));
    CHECK(!hlffi_register_callback(vm, "on_event", on_event, 2)); /* duplicate */
    CHECK_ERROR_HAS("already registered");
    CHECK(!hlffi_register_callback(vm, "bad", on_event, 9));
    CHECK(!hlffi_register_callback(vm, "bad", NULL, 1));
    CHECK(!hlffi_register_callback(vm, NULL, on_event, 1));
    hlffi_value* cb = hlffi_get_callback(vm, "on_event");
    CHECK(cb != NULL);
    CHECK_INT(hlffi_set_static_field(vm, "Main", "onEvent", cb), HLFFI_OK);
    hlffi_value_free(cb); /* the registration keeps it alive */
    churn();
    hlffi_value* x = hlffi_value_int(vm, 21);
    hlffi_value* r = hlffi_call_static(vm, "Main", "callEvent", 1, &x);
    CHECK_INT(hlffi_value_as_int(r, -1), 42);
    CHECK_INT(g_callback_calls, 1);
    hlffi_value_free(r);
    /* A callback returning NULL gives Haxe null. */
    CHECK(hlffi_register_callback(vm, "nothing", returns_null, 2));
    hlffi_value* cb2 = hlffi_get_callback(vm, "nothing");
    CHECK_INT(hlffi_set_static_field(vm, "Main", "onEvent", cb2), HLFFI_OK);
    hlffi_value* r2 = hlffi_call_static(vm, "Main", "callEvent", 1, &x);
    CHECK(r2 != NULL && hlffi_value_is_null(r2));
    hlffi_value_free(r2);
    hlffi_value_free(cb2);
    CHECK(hlffi_get_callback(vm, "unknown") == NULL);
    /* Unregistered: Haxe still holding it gets an exception, not a crash. */
    CHECK(hlffi_unregister_callback(vm, "nothing"));
    CHECK(!hlffi_unregister_callback(vm, "nothing"));
    CHECK(hlffi_call_static(vm, "Main", "callEvent", 1, &x) == NULL);
    CHECK_ERROR_HAS("unregistered");
    CHECK(hlffi_register_callback_typed(vm, "typed", on_event, 2, NULL, HLFFI_ARG_DYNAMIC));
    hlffi_value_free(x);
}

static void test_cached(void) {
    hlffi_vm* vm = g_vm;
    hlffi_cached_call* add = hlffi_cache_static_method(vm, "Main", "add");
    CHECK(add != NULL);
    hlffi_value* a = hlffi_value_int(vm, 20);
    hlffi_value* b = hlffi_value_int(vm, 22);
    hlffi_value* args[2] = {a, b};
    for (int i = 0; i < 100; i++) {
        hlffi_value* r = hlffi_call_cached(add, 2, args);
        CHECK_INT(hlffi_value_as_int(r, -1), 42);
        hlffi_value_free(r);
    }
    CHECK(hlffi_call_cached(add, 1, args) == NULL);
    CHECK_ERROR_HAS("takes 2 argument(s), 1 given");
    hlffi_cached_call_free(add);
    hlffi_cached_call* noop = hlffi_cache_static_method(vm, "Main", "noop");
    hlffi_value* n = hlffi_call_cached(noop, 0, NULL);
    CHECK(n != NULL && hlffi_value_is_null(n));
    hlffi_value_free(n);
    hlffi_cached_call_free(noop);
    CHECK(hlffi_cache_static_method(vm, "Main", "nope") == NULL);
    CHECK(hlffi_cache_instance_method(vm, "Entity", "damage") == NULL); /* NYI upstream */
    hlffi_value_free(a);
    hlffi_value_free(b);
}

static void test_events(void) {
    hlffi_vm* vm = g_vm;
    CHECK(!hlffi_has_pending_work(vm));
    hlffi_value* r = hlffi_call_static(vm, "Main", "startTimer", 0, NULL);
    hlffi_value_free(r);
    CHECK(hlffi_has_pending_work(vm));
    CHECK(hlffi_has_pending_events(vm, HLFFI_EVENTLOOP_TIMERS));
    CHECK(!hlffi_has_pending_events(vm, HLFFI_EVENTLOOP_UV));
    int ticks = 0;
    for (int i = 0; i < 2000 && ticks == 0; i++) {
        CHECK_INT(hlffi_update(vm, 0.001f), HLFFI_OK);
        hlffi_value* t = hlffi_get_static_field(vm, "Main", "ticks");
        ticks = hlffi_value_as_int(t, -1);
        hlffi_value_free(t);
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    CHECK_INT(ticks, 1);
    CHECK(!hlffi_has_pending_work(vm));
    CHECK_INT(hlffi_process_events(vm, HLFFI_EVENTLOOP_ALL), HLFFI_OK);
    CHECK_INT(hlffi_process_events(vm, HLFFI_EVENTLOOP_UV), HLFFI_OK);
    CHECK_INT(hlffi_process_events(vm, (hlffi_eventloop_type)9), HLFFI_ERROR_INVALID_ARGUMENT);
    /* main ran once, through the entry point. */
    hlffi_value* log = hlffi_call_static(vm, "Main", "joined", 0, NULL);
    CHECK_OWNED_STR(hlffi_value_as_string(log), "main");
    hlffi_value_free(log);
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s capi.hl\n", argv[0]);
        return 2;
    }
    const char* hl = argv[1];
    test_misuse_before_load();
    test_lifecycle_errors(hl);

    /* Destroy, then create again: a second VM in the same process works. */
    g_vm = hlffi_create();
    CHECK(g_vm != NULL);
    CHECK_INT(hlffi_init(g_vm, argc, argv), HLFFI_OK);
    CHECK_INT(hlffi_load_file(g_vm, hl), HLFFI_OK);
    CHECK_INT(hlffi_call_entry(g_vm), HLFFI_OK);
    test_values();
    test_statics();
    test_instances();
    test_exceptions();
    test_arrays();
    test_maps();
    test_bytes();
    test_enums();
    test_reflection();
    test_callbacks();
    test_cached();
    test_events();
    hlffi_destroy(g_vm);
    g_vm = NULL;
    printf("basic: all checks passed\n");
    return 0;
}
