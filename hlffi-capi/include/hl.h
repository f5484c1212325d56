/*
 * hl.h — the part of HashLink's hl.h that hlffi hosts use: the type descriptors passed
 * as element / key / value types to hlffi_array_new, hlffi_native_array_new and
 * hlffi_map_new (`&hlt_i32`, `&hlt_bytes`, ...). The library identifies them by
 * address; their contents are not part of the API.
 */
#ifndef HL_H
#define HL_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef HLFFI_HL_TYPE_DECLARED
#define HLFFI_HL_TYPE_DECLARED
typedef struct hl_type hl_type;
#endif

extern hl_type hlt_void;
extern hl_type hlt_i32;
extern hl_type hlt_i64;
extern hl_type hlt_f64;
extern hl_type hlt_f32;
extern hl_type hlt_dyn;
extern hl_type hlt_array;
extern hl_type hlt_bytes;
extern hl_type hlt_dynobj;
extern hl_type hlt_bool;
extern hl_type hlt_abstract;

#ifdef __cplusplus
}
#endif

#endif /* HL_H */
