#!/usr/bin/env bash
# Installs what building and testing hlffi needs: the Haxe compiler and the zlib headers
# (apt-get, when missing; hlvm's fmt natives link the system zlib, as HashLink's fmt.hdll
# does) and checks that cargo is there. Idempotent; prints nothing when everything is
# present.
set -euo pipefail

if ! command -v cargo >/dev/null 2>&1; then
  echo "install-deps: cargo not found; install Rust from https://rustup.rs (rustup, stable toolchain)" >&2
  exit 1
fi

updated=0
# apt_install WHAT PACKAGE HINT: installs PACKAGE with apt-get (through sudo when not root);
# HINT says what to install by hand when apt-get is unavailable.
apt_install() {
  local what=$1 package=$2 hint=$3
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: $what not found and apt-get is unavailable; $hint" >&2
    exit 1
  fi
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "install-deps: $what not found; run as root or install sudo (needed for apt-get install $package)" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  echo "install-deps: installing $package with apt-get"
  if [[ $updated -eq 0 ]]; then
    ${sudo[@]+"${sudo[@]}"} apt-get update -qq
    updated=1
  fi
  ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
}

if ! command -v haxe >/dev/null 2>&1; then
  apt_install haxe haxe "install Haxe 4.2+ from https://haxe.org/download/"
  command -v haxe >/dev/null 2>&1 || { echo "install-deps: haxe still not on PATH after apt-get" >&2; exit 1; }
  echo "install-deps: $(haxe -version 2>&1) installed"
fi

if ! pkg-config --exists zlib 2>/dev/null && [[ ! -f /usr/include/zlib.h ]]; then
  apt_install "zlib headers" zlib1g-dev "install zlib with its headers (zlib.h, zlib.pc)"
fi
