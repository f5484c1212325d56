#!/usr/bin/env bash
# Builds the C API (hlffi-capi) in release mode and installs it under PREFIX
# (default /usr/local):
#   PREFIX/include/hlffi.h         the API (HLFFI 3.0.0 compatible)
#   PREFIX/include/hlffi/hl.h      the hlt_* type descriptors, for hosts that include <hl.h>
#   PREFIX/lib/libhlffi.so, PREFIX/lib/libhlffi.a
#   PREFIX/lib/pkgconfig/hlffi.pc  so a host builds with
#                                  cc host.c $(pkg-config --cflags --libs hlffi)
# HLFFI_CAPI_PROFILE picks another cargo profile than `release` (for test scripts that
# already built one).
#   usage: scripts/install-capi.sh [PREFIX]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-/usr/local}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
cd "$root"

profile=${HLFFI_CAPI_PROFILE:-release}
echo "== cargo build --profile $profile -p hlffi-capi" >&2
cargo build --profile "$profile" -p hlffi-capi
dir=$profile
[[ $profile == dev ]] && dir=debug
target=${CARGO_TARGET_DIR:-$root/target}/$dir

install -d "$prefix/include/hlffi" "$prefix/lib/pkgconfig"
install -m 644 hlffi-capi/include/hlffi.h "$prefix/include/hlffi.h"
install -m 644 hlffi-capi/include/hl.h "$prefix/include/hlffi/hl.h"
install -m 755 "$target/libhlffi.so" "$prefix/lib/libhlffi.so"
install -m 644 "$target/libhlffi.a" "$prefix/lib/libhlffi.a"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
cat > "$prefix/lib/pkgconfig/hlffi.pc" <<PC
prefix=$prefix
includedir=\${prefix}/include
libdir=\${prefix}/lib

Name: hlffi
Description: Embed Haxe (HashLink bytecode) in C and C++ hosts; HLFFI 3.0.0 compatible C API
Version: $version
Cflags: -I\${includedir} -I\${includedir}/hlffi
Libs: -L\${libdir} -Wl,-rpath,\${libdir} -lhlffi
Libs.private: -lpthread -ldl -lm -lz
PC
echo "== installed hlffi $version under $prefix" >&2
