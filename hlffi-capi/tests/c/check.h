/* Tiny assertion helpers for the C API tests: a failed check prints where and the
 * VM's last error, then exits with status 1. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlffi.h"

static hlffi_vm* g_vm = NULL;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n  last error: %s\n", __FILE__, \
                    __LINE__, #cond, g_vm ? hlffi_get_error(g_vm) : "(no VM)");      \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

#define CHECK_INT(got, want)                                                                 \
    do {                                                                                     \
        long long g_ = (long long)(got), w_ = (long long)(want);                             \
        if (g_ != w_) {                                                                      \
            fprintf(stderr, "%s:%d: %s = %lld, expected %lld\n  last error: %s\n", __FILE__, \
                    __LINE__, #got, g_, w_, g_vm ? hlffi_get_error(g_vm) : "(no VM)");       \
            exit(1);                                                                         \
        }                                                                                    \
    } while (0)

#define CHECK_STR(got, want)                                                                   \
    do {                                                                                       \
        const char* g_ = (got);                                                                \
        const char* w_ = (want);                                                               \
        if (g_ == NULL || strcmp(g_, w_) != 0) {                                               \
            fprintf(stderr, "%s:%d: %s = \"%s\", expected \"%s\"\n  last error: %s\n", __FILE__, \
                    __LINE__, #got, g_ ? g_ : "(null)", w_, g_vm ? hlffi_get_error(g_vm) : "(no VM)"); \
            exit(1);                                                                           \
        }                                                                                      \
    } while (0)

/* Checks a malloc'd string result and frees it. */
#define CHECK_OWNED_STR(expr, want)       \
    do {                                  \
        char* s_ = (expr);                \
        CHECK_STR(s_, want);              \
        free(s_);                         \
    } while (0)

/* The last error contains `part`. */
#define CHECK_ERROR_HAS(part)                                                             \
    do {                                                                                  \
        const char* e_ = hlffi_get_error(g_vm);                                           \
        if (strstr(e_, (part)) == NULL) {                                                 \
            fprintf(stderr, "%s:%d: last error \"%s\" does not contain \"%s\"\n", __FILE__, \
                    __LINE__, e_, (part));                                                \
            exit(1);                                                                      \
        }                                                                                 \
    } while (0)

#endif
