#!/usr/bin/env bash
# Installs what building and testing hlffi needs: the Haxe compiler (apt-get, when missing)
# and checks that cargo is there. Idempotent; prints nothing when everything is present.
set -euo pipefail

if ! command -v cargo >/dev/null 2>&1; then
  echo "install-deps: cargo not found; install Rust from https://rustup.rs (rustup, stable toolchain)" >&2
  exit 1
fi

if ! command -v haxe >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: haxe not found and apt-get is unavailable; install Haxe 4.2+ from https://haxe.org/download/" >&2
    exit 1
  fi
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "install-deps: haxe not found; run as root or install sudo (needed for apt-get install haxe)" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  echo "install-deps: installing haxe with apt-get"
  ${sudo[@]+"${sudo[@]}"} apt-get update -qq
  ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haxe >/dev/null
  command -v haxe >/dev/null 2>&1 || { echo "install-deps: haxe still not on PATH after apt-get" >&2; exit 1; }
  echo "install-deps: $(haxe -version 2>&1) installed"
fi
