#!/usr/bin/env bash
# The whole test suite: every package of the workspace with every feature.
# Installs first whatever it needs beyond the Rust toolchain and Python.
set -euo pipefail
cd "$(dirname "$0")"

# The object-storage tests (store/, cli/tests/cli/remote.rs) run moto's
# standalone S3 server, installed from PyPI into a virtual environment of
# their own under target/; they find its Python through TDPR_TEST_PYTHON.
venv=target/moto-venv
if ! "$venv/bin/python" -c "import moto.server, flask, flask_cors" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'moto[server]==5.2.5'
fi
export TDPR_TEST_PYTHON="$PWD/$venv/bin/python"

cargo test --workspace --all-features
