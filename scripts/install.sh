#!/usr/bin/env bash
# Builds the `hlffi` runner in release mode and installs it under PREFIX (default
# /usr/local):
#   PREFIX/bin/hlffi   the runner (`hlffi run FILE.hl`, `hlffi dump`, ...)
#   PREFIX/bin/hl      a link to it: invoked as `hl`, the runner takes the reference
#                      HashLink `hl` command line (`hl FILE.hl [ARGS]`), so scripts and
#                      programs that start `hl` run on hlvm.
# HLFFI_PROFILE picks another cargo profile than `release` (for test scripts that already
# built one). The C library and header install with scripts/install-capi.sh.
#   usage: scripts/install.sh [PREFIX]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-/usr/local}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
cd "$root"

profile=${HLFFI_PROFILE:-release}
echo "== cargo build --profile $profile -p hlffi --bin hlffi" >&2
cargo build --profile "$profile" -p hlffi --bin hlffi
dir=$profile
[[ $profile == dev ]] && dir=debug
target=${CARGO_TARGET_DIR:-$root/target}/$dir

install -d "$prefix/bin"
install -m 755 "$target/hlffi" "$prefix/bin/hlffi"
ln -sf hlffi "$prefix/bin/hl"
echo "installed $prefix/bin/hlffi and $prefix/bin/hl -> hlffi" >&2
