#!/usr/bin/env bash
# The whole test suite: every package of the workspace with every feature.
# Installs first whatever it needs beyond the Rust toolchain and Python.
set -euo pipefail
cd "$(dirname "$0")"

cargo test --workspace --all-features
