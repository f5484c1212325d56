/*
 * hlffi.h — C API of hlffi (Haxe/HashLink embedding), source- and ABI-compatible
 * with HLFFI 3.0.0. Normative description: HLFFI_C_API.md (shared/capi).
 *
 * Ownership in one paragraph: every function returning `hlffi_value*` gives the
 * caller a new handle, released exactly once with hlffi_value_free (a handle released
 * with free() instead is memory-safe but leaks: its value stays alive until
 * hlffi_destroy). Every live handle keeps its Haxe value alive. `char*` results are
 * malloc'd UTF-8 copies the caller free()s; `const char*` results and `hlffi_type*`
 * belong to the library. Failures return NULL / false / -1 / the fallback / an error
 * code, and leave a message for hlffi_get_error. Haxe exceptions never unwind into C.
 */
#ifndef HLFFI_H
#define HLFFI_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define HLFFI_VERSION_MAJOR 3
#define HLFFI_VERSION_MINOR 0
#define HLFFI_VERSION_PATCH 0
#define HLFFI_VERSION_STRING "3.0.0"

/* Declares a local marker and reports it as the current thread's stack top. Use it
 * where a declaration is allowed. */
#define HLFFI_ENTER_SCOPE() \
    int _hlffi_stack_marker_; \
    hlffi_update_stack_top(&_hlffi_stack_marker_)

#ifdef __cplusplus
extern "C" {
#endif

/* ---- opaque types (§2) ---- */
typedef struct hlffi_vm hlffi_vm;                 /* one VM (at most one live per process) */
typedef struct hlffi_type hlffi_type;             /* borrowed from the VM, never freed */
/* HashLink's type descriptor (see hl.h). Declared once whichever header comes first
 * (C99 forbids repeating a typedef). */
#if !defined(HL_H) && !defined(HLFFI_HL_TYPE_DECLARED)
#define HLFFI_HL_TYPE_DECLARED
typedef struct hl_type hl_type;
#endif
typedef struct hlffi_value hlffi_value;           /* owned: release with hlffi_value_free */
typedef struct hlffi_cached_call hlffi_cached_call; /* owned: hlffi_cached_call_free */

/* ---- enumerations (§4) ---- */
typedef enum {
    HLFFI_OK = 0,
    HLFFI_ERROR_NULL_VM,
    HLFFI_ERROR_ALREADY_INITIALIZED,
    HLFFI_ERROR_NOT_INITIALIZED,
    HLFFI_ERROR_INIT_FAILED,
    HLFFI_ERROR_DESTROY_FAILED,
    HLFFI_ERROR_FILE_NOT_FOUND,
    HLFFI_ERROR_INVALID_BYTECODE,
    HLFFI_ERROR_MODULE_LOAD_FAILED,
    HLFFI_ERROR_MODULE_INIT_FAILED,
    HLFFI_ERROR_ENTRY_POINT_NOT_FOUND,
    HLFFI_ERROR_TYPE_NOT_FOUND,
    HLFFI_ERROR_METHOD_NOT_FOUND,
    HLFFI_ERROR_FIELD_NOT_FOUND,
    HLFFI_ERROR_CALL_FAILED,
    HLFFI_ERROR_EXCEPTION_THROWN,
    HLFFI_ERROR_INVALID_TYPE,
    HLFFI_ERROR_TYPE_MISMATCH,
    HLFFI_ERROR_NULL_VALUE,
    HLFFI_ERROR_RELOAD_NOT_SUPPORTED,
    HLFFI_ERROR_RELOAD_NOT_ENABLED,
    HLFFI_ERROR_RELOAD_FAILED,
    HLFFI_ERROR_THREAD_NOT_STARTED,
    HLFFI_ERROR_THREAD_ALREADY_RUNNING,
    HLFFI_ERROR_THREAD_START_FAILED,
    HLFFI_ERROR_THREAD_STOP_FAILED,
    HLFFI_ERROR_WRONG_THREAD,
    HLFFI_ERROR_EVENTLOOP_NOT_FOUND,
    HLFFI_ERROR_EVENTLOOP_FAILED,
    HLFFI_ERROR_OUT_OF_MEMORY,
    HLFFI_ERROR_INVALID_ARGUMENT,
    HLFFI_ERROR_NOT_IMPLEMENTED,
    HLFFI_ERROR_UNKNOWN
} hlffi_error_code;

typedef enum {
    HLFFI_MODE_NON_THREADED = 0,
    HLFFI_MODE_THREADED = 1
} hlffi_integration_mode;

typedef enum {
    HLFFI_EVENTLOOP_UV = 0,
    HLFFI_EVENTLOOP_HAXE = 1,
    HLFFI_EVENTLOOP_ALL = 2,
    HLFFI_EVENTLOOP_TIMERS = 3,
    HLFFI_EVENTLOOP_MAINLOOP = 4
} hlffi_eventloop_type;

typedef enum {
    HLFFI_TYPE_VOID = 0,
    HLFFI_TYPE_UI8 = 1,
    HLFFI_TYPE_UI16 = 2,
    HLFFI_TYPE_I32 = 3,
    HLFFI_TYPE_I64 = 4,
    HLFFI_TYPE_F32 = 5,
    HLFFI_TYPE_F64 = 6,
    HLFFI_TYPE_BOOL = 7,
    HLFFI_TYPE_BYTES = 8,
    HLFFI_TYPE_DYN = 9,
    HLFFI_TYPE_FUN = 10,
    HLFFI_TYPE_OBJ = 11,
    HLFFI_TYPE_ARRAY = 12,
    HLFFI_TYPE_TYPE = 13,
    HLFFI_TYPE_REF = 14,
    HLFFI_TYPE_VIRTUAL = 15,
    HLFFI_TYPE_DYNOBJ = 16,
    HLFFI_TYPE_ABSTRACT = 17,
    HLFFI_TYPE_ENUM = 18,
    HLFFI_TYPE_NULL = 19,
    HLFFI_TYPE_METHOD = 20,
    HLFFI_TYPE_STRUCT = 21,
    HLFFI_TYPE_PACKED = 22
} hlffi_type_kind;

typedef enum {
    HLFFI_ARG_VOID = 0,
    HLFFI_ARG_INT = 1,
    HLFFI_ARG_FLOAT = 2,
    HLFFI_ARG_BOOL = 3,
    HLFFI_ARG_STRING = 4,
    HLFFI_ARG_DYNAMIC = 5
} hlffi_arg_type;

typedef enum {
    HLFFI_CALL_OK = 0,
    HLFFI_CALL_EXCEPTION = 1,
    HLFFI_CALL_ERROR = 2
} hlffi_call_result;

/* ---- callbacks (§3) ---- */
/* After each reload attempt, on the thread that called hlffi_reload_module*. */
typedef void (*hlffi_reload_callback)(hlffi_vm* vm, bool success, void* userdata);
/* A work item run on the VM thread (THREADED mode); every hlffi_* call is allowed in it. */
typedef void (*hlffi_thread_func)(hlffi_vm* vm, void* userdata);
/* Completion of hlffi_thread_call_async, on the VM thread; result is always NULL. */
typedef void (*hlffi_thread_async_callback)(hlffi_vm* vm, void* result, void* userdata);
/* Visitor of hlffi_list_types. */
typedef void (*hlffi_type_callback)(hlffi_type* type, void* userdata);
/* A C function Haxe can call: argv handles belong to the library (valid during the
 * call); the returned handle (NULL = null) is taken over by the library. Must not let
 * C++ exceptions escape. */
typedef hlffi_value* (*hlffi_native_func)(hlffi_vm* vm, int argc, hlffi_value** argv);

/* ---- 6.1 lifecycle ---- */
hlffi_vm* hlffi_create(void);
hlffi_error_code hlffi_init(hlffi_vm* vm, int argc, char** argv);
hlffi_error_code hlffi_load_file(hlffi_vm* vm, const char* path);
hlffi_error_code hlffi_load_memory(hlffi_vm* vm, const void* data, size_t size);
hlffi_error_code hlffi_call_entry(hlffi_vm* vm);
void hlffi_destroy(hlffi_vm* vm);

/* ---- 6.2 integration modes ---- */
hlffi_error_code hlffi_set_integration_mode(hlffi_vm* vm, hlffi_integration_mode mode);
hlffi_integration_mode hlffi_get_integration_mode(hlffi_vm* vm);

/* ---- 6.3 event loop ---- */
hlffi_error_code hlffi_update(hlffi_vm* vm, float delta_time);
bool hlffi_has_pending_work(hlffi_vm* vm);
hlffi_error_code hlffi_process_events(hlffi_vm* vm, hlffi_eventloop_type type);
bool hlffi_has_pending_events(hlffi_vm* vm, hlffi_eventloop_type type);

/* ---- 6.4 threading ---- */
hlffi_error_code hlffi_thread_start(hlffi_vm* vm);
hlffi_error_code hlffi_thread_stop(hlffi_vm* vm);
bool hlffi_thread_is_running(hlffi_vm* vm);
hlffi_error_code hlffi_thread_call_sync(hlffi_vm* vm, hlffi_thread_func func, void* userdata);
hlffi_error_code hlffi_thread_call_async(hlffi_vm* vm, hlffi_thread_func func, hlffi_thread_async_callback callback, void* userdata);
void hlffi_worker_register(void);
void hlffi_worker_unregister(void);
void hlffi_blocking_begin(void);
void hlffi_blocking_end(void);

/* ---- 6.5 hot reload ---- */
hlffi_error_code hlffi_enable_hot_reload(hlffi_vm* vm, bool enable);
bool hlffi_is_hot_reload_enabled(hlffi_vm* vm);
hlffi_error_code hlffi_reload_module(hlffi_vm* vm, const char* path);
hlffi_error_code hlffi_reload_module_memory(hlffi_vm* vm, const void* data, size_t size);
void hlffi_set_reload_callback(hlffi_vm* vm, hlffi_reload_callback callback, void* userdata);
bool hlffi_check_reload(hlffi_vm* vm);

/* ---- 6.6 types & reflection ---- */
hlffi_type* hlffi_find_type(hlffi_vm* vm, const char* name);
hlffi_type_kind hlffi_type_get_kind(hlffi_type* type);
const char* hlffi_type_get_name(hlffi_type* type);
hlffi_error_code hlffi_list_types(hlffi_vm* vm, hlffi_type_callback callback, void* userdata);
hlffi_type* hlffi_class_get_super(hlffi_type* type);
int hlffi_class_get_field_count(hlffi_type* type);
const char* hlffi_class_get_field_name(hlffi_type* type, int index);
hlffi_type* hlffi_class_get_field_type(hlffi_type* type, int index);
int hlffi_class_get_method_count(hlffi_type* type);
const char* hlffi_class_get_method_name(hlffi_type* type, int index);

/* ---- 6.7 values ---- */
hlffi_value* hlffi_value_int(hlffi_vm* vm, int value);
hlffi_value* hlffi_value_float(hlffi_vm* vm, double value);
hlffi_value* hlffi_value_f32(hlffi_vm* vm, float value);
hlffi_value* hlffi_value_bool(hlffi_vm* vm, bool value);
hlffi_value* hlffi_value_string(hlffi_vm* vm, const char* str);
hlffi_value* hlffi_value_null(hlffi_vm* vm);
void hlffi_value_free(hlffi_value* value);
int hlffi_value_as_int(hlffi_value* value, int fallback);
double hlffi_value_as_float(hlffi_value* value, double fallback);
float hlffi_value_as_f32(hlffi_value* value, float fallback);
bool hlffi_value_as_bool(hlffi_value* value, bool fallback);
char* hlffi_value_as_string(hlffi_value* value);
bool hlffi_value_is_null(hlffi_value* value);

/* ---- 6.8 static members ---- */
hlffi_value* hlffi_get_static_field(hlffi_vm* vm, const char* class_name, const char* field_name);
hlffi_error_code hlffi_set_static_field(hlffi_vm* vm, const char* class_name, const char* field_name, hlffi_value* value);
hlffi_value* hlffi_call_static(hlffi_vm* vm, const char* class_name, const char* method_name, int argc, hlffi_value** argv);

/* ---- 6.9 instance members ---- */
hlffi_value* hlffi_new(hlffi_vm* vm, const char* class_name, int argc, hlffi_value** argv);
hlffi_value* hlffi_get_field(hlffi_value* obj, const char* field_name);
bool hlffi_set_field(hlffi_value* obj, const char* field_name, hlffi_value* value);
int hlffi_get_field_int(hlffi_value* obj, const char* field_name, int fallback);
float hlffi_get_field_float(hlffi_value* obj, const char* field_name, float fallback);
bool hlffi_get_field_bool(hlffi_value* obj, const char* field_name, bool fallback);
char* hlffi_get_field_string(hlffi_value* obj, const char* field_name);
bool hlffi_set_field_int(hlffi_vm* vm, hlffi_value* obj, const char* field_name, int value);
bool hlffi_set_field_float(hlffi_vm* vm, hlffi_value* obj, const char* field_name, float value);
bool hlffi_set_field_bool(hlffi_vm* vm, hlffi_value* obj, const char* field_name, bool value);
bool hlffi_set_field_string(hlffi_vm* vm, hlffi_value* obj, const char* field_name, const char* value);
hlffi_value* hlffi_call_method(hlffi_value* obj, const char* method_name, int argc, hlffi_value** argv);
bool hlffi_call_method_void(hlffi_value* obj, const char* method_name, int argc, hlffi_value** argv);
int hlffi_call_method_int(hlffi_value* obj, const char* method_name, int argc, hlffi_value** argv, int fallback);
float hlffi_call_method_float(hlffi_value* obj, const char* method_name, int argc, hlffi_value** argv, float fallback);
bool hlffi_call_method_bool(hlffi_value* obj, const char* method_name, int argc, hlffi_value** argv, bool fallback);
char* hlffi_call_method_string(hlffi_value* obj, const char* method_name, int argc, hlffi_value** argv);
bool hlffi_is_instance_of(hlffi_value* obj, const char* class_name);

/* ---- 6.10 arrays ---- */
hlffi_value* hlffi_array_new(hlffi_vm* vm, hl_type* element_type, int length);
int hlffi_array_length(hlffi_value* arr);
hlffi_value* hlffi_array_get(hlffi_vm* vm, hlffi_value* arr, int index);
bool hlffi_array_set(hlffi_vm* vm, hlffi_value* arr, int index, hlffi_value* value);
bool hlffi_array_push(hlffi_vm* vm, hlffi_value* arr, hlffi_value* value);
hlffi_value* hlffi_native_array_new(hlffi_vm* vm, hl_type* element_type, int length);
void* hlffi_native_array_get_ptr(hlffi_value* arr);
hlffi_value* hlffi_array_new_struct(hlffi_vm* vm, hlffi_type* struct_type, int length);
void* hlffi_array_get_struct(hlffi_value* arr, int index);
bool hlffi_array_set_struct(hlffi_vm* vm, hlffi_value* arr, int index, void* struct_ptr, int struct_size);
hlffi_value* hlffi_native_array_new_struct(hlffi_vm* vm, hlffi_type* struct_type, int length);
void* hlffi_native_array_get_struct_ptr(hlffi_value* arr);

/* ---- 6.11 maps ---- */
hlffi_value* hlffi_map_new(hlffi_vm* vm, hl_type* key_type, hl_type* value_type);
bool hlffi_map_set(hlffi_vm* vm, hlffi_value* map, hlffi_value* key, hlffi_value* value);
hlffi_value* hlffi_map_get(hlffi_vm* vm, hlffi_value* map, hlffi_value* key);
bool hlffi_map_exists(hlffi_vm* vm, hlffi_value* map, hlffi_value* key);
bool hlffi_map_remove(hlffi_vm* vm, hlffi_value* map, hlffi_value* key);
hlffi_value* hlffi_map_keys(hlffi_vm* vm, hlffi_value* map);
hlffi_value* hlffi_map_values(hlffi_vm* vm, hlffi_value* map);
int hlffi_map_size(hlffi_value* map);
bool hlffi_map_clear(hlffi_value* map);

/* ---- 6.12 bytes ---- */
hlffi_value* hlffi_bytes_new(hlffi_vm* vm, int size);
hlffi_value* hlffi_bytes_from_data(hlffi_vm* vm, const void* data, int size);
hlffi_value* hlffi_bytes_from_string(hlffi_vm* vm, const char* str);
void* hlffi_bytes_get_ptr(hlffi_value* bytes);
int hlffi_bytes_get_length(hlffi_value* bytes);
bool hlffi_bytes_blit(hlffi_value* dst, int dst_pos, hlffi_value* src, int src_pos, int len);
int hlffi_bytes_compare(hlffi_value* a, int a_pos, hlffi_value* b, int b_pos, int len);
char* hlffi_bytes_to_string(hlffi_value* bytes, int length);
int hlffi_bytes_get(hlffi_value* bytes, int index);
bool hlffi_bytes_set(hlffi_value* bytes, int index, int value);
bool hlffi_bytes_fill(hlffi_value* bytes, int pos, int len, int value);

/* ---- 6.13 enums ---- */
int hlffi_enum_get_construct_count(hlffi_vm* vm, const char* type_name);
char* hlffi_enum_get_construct_name(hlffi_vm* vm, const char* type_name, int index);
int hlffi_enum_get_index(hlffi_value* value);
char* hlffi_enum_get_name(hlffi_value* value);
int hlffi_enum_get_param_count(hlffi_value* value);
hlffi_value* hlffi_enum_get_param(hlffi_value* value, int param_index);
hlffi_value* hlffi_enum_alloc_simple(hlffi_vm* vm, const char* type_name, int index);
hlffi_value* hlffi_enum_alloc(hlffi_vm* vm, const char* type_name, int index, int nparam, hlffi_value** params);
bool hlffi_enum_is(hlffi_value* value, int index);
bool hlffi_enum_is_named(hlffi_value* value, const char* name);

/* ---- 6.14 abstracts ---- */
bool hlffi_is_abstract(hlffi_type* type);
char* hlffi_abstract_get_name(hlffi_type* type);
hlffi_type* hlffi_abstract_find(hlffi_vm* vm, const char* name);
bool hlffi_value_is_abstract(hlffi_value* value);
char* hlffi_value_get_abstract_name(hlffi_value* value);

/* ---- 6.15 callbacks ---- */
bool hlffi_register_callback(hlffi_vm* vm, const char* name, hlffi_native_func func, int nargs);
bool hlffi_register_callback_typed(hlffi_vm* vm, const char* name, hlffi_native_func func, int nargs, const hlffi_arg_type* arg_types, hlffi_arg_type return_type);
hlffi_value* hlffi_get_callback(hlffi_vm* vm, const char* name);
bool hlffi_unregister_callback(hlffi_vm* vm, const char* name);

/* ---- 6.16 exceptions ---- */
hlffi_call_result hlffi_try_call_static(hlffi_vm* vm, const char* class_name, const char* method_name, int argc, hlffi_value** argv, hlffi_value** out_result, const char** out_error);
hlffi_call_result hlffi_try_call_method(hlffi_value* obj, const char* method_name, int argc, hlffi_value** argv, hlffi_value** out_result, const char** out_error);
const char* hlffi_get_exception_message(hlffi_vm* vm);
const char* hlffi_get_exception_stack(hlffi_vm* vm);
bool hlffi_has_exception(hlffi_vm* vm);
void hlffi_clear_exception(hlffi_vm* vm);

/* ---- 6.17 performance / caching ---- */
hlffi_cached_call* hlffi_cache_static_method(hlffi_vm* vm, const char* class_name, const char* method_name);
hlffi_value* hlffi_call_cached(hlffi_cached_call* cached, int argc, hlffi_value** args);
void hlffi_cached_call_free(hlffi_cached_call* cached);
hlffi_cached_call* hlffi_cache_instance_method(hlffi_vm* vm, const char* class_name, const char* method_name);
hlffi_value* hlffi_call_cached_method(hlffi_cached_call* cached, hlffi_value* instance, int argc, hlffi_value** args);

/* ---- 6.18 utilities & GC integration ---- */
const char* hlffi_get_version(void);
const char* hlffi_get_hl_version(void);
bool hlffi_is_jit_mode(void);
void hlffi_update_stack_top(void* stack_marker);
void hlffi_gc_block(void);
void hlffi_gc_unblock(void);

/* ---- 6.19 error handling ---- */
const char* hlffi_get_error(hlffi_vm* vm);
const char* hlffi_get_error_string(hlffi_error_code code);

#ifdef __cplusplus
} /* extern "C" */

namespace hlffi {
/* Marks the calling thread as outside VM control for the guard's lifetime. */
class BlockingGuard {
public:
    BlockingGuard() { hlffi_blocking_begin(); }
    ~BlockingGuard() { hlffi_blocking_end(); }
    BlockingGuard(const BlockingGuard&) = delete;
    BlockingGuard& operator=(const BlockingGuard&) = delete;
};

/* Registers the calling thread with the VM for the guard's lifetime. */
class WorkerGuard {
public:
    WorkerGuard() { hlffi_worker_register(); }
    ~WorkerGuard() { hlffi_worker_unregister(); }
    WorkerGuard(const WorkerGuard&) = delete;
    WorkerGuard& operator=(const WorkerGuard&) = delete;
};
} /* namespace hlffi */
#endif /* __cplusplus */

#endif /* HLFFI_H */
