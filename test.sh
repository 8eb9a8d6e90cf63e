#!/usr/bin/env bash
# The whole test suite: every package of the workspace with every feature,
# then the web package (web/): the TypeScript reader against the conformance
# suite, the range loader, and the player in headless Chromium, also as
# `tdpr play` and `tdpr serve` serve it.
# Installs first whatever it needs beyond the Rust toolchain and Python:
# ffmpeg, Node.js, npm, Chromium and clang from Debian when they are missing, the
# wasm32-unknown-unknown target with rustup, and web/'s npm packages
# (package-lock.json).
set -euo pipefail
cd "$(dirname "$0")"

# The object-storage tests (store/) run moto's
# standalone S3 server, installed from PyPI into a virtual environment of
# their own under target/; they find its Python through TDPR_TEST_PYTHON.
venv=target/moto-venv
if ! "$venv/bin/python" -c "import moto.server, flask, flask_cors" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'moto[server]==5.2.5'
fi
export TDPR_TEST_PYTHON="$PWD/$venv/bin/python"

# `tdpr export video` to MP4 and WebM runs ffmpeg: here its tests must run.
if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
  echo "== installing ffmpeg (Debian package)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >/dev/null
fi
export TDPR_REQUIRE_FFMPEG=1

cargo test --workspace --all-features

web_start=$SECONDS
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
# The renderer compiled to WebAssembly for the player (web/scripts/build-wasm.mjs):
# the rustup target, and clang for zstd's C sources (QOIZ).
command -v clang >/dev/null 2>&1 || missing+=(clang)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
rustup target add wasm32-unknown-unknown
echo "== web tests: node $(node --version), $("${CHROMIUM:-/usr/bin/chromium}" --version), $(clang --version | head -1)"
# The conformance runner, the recordings the tests make, and `tdpr play`; the
# renderer's fast-path sessions and screens the player is compared with
# (example browser_reference). One release build of every package with every
# feature and the dev-dependencies the examples pull in: the same units as
# `cargo bench --workspace --all-features`, which .ci/run builds next from it.
cargo build --release --workspace --all-features --bins --examples
(
  cd web
  npm ci --no-audit --no-fund --loglevel=error
  # Nothing skipped: a missing browser or binary fails the run.
  TDPR_BIN="$PWD/../target/release/tdpr" TDPR_WEB_REQUIRE_ALL=1 npm test
)
echo "== web tests took $((SECONDS - web_start)) s"
