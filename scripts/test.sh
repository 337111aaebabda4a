#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs the real sops and age (the interop oracles),
# checks formatting and lints, runs every test, and re-renders clusters/ to prove the
# committed output is current. Run from anywhere: `bash scripts/test.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

oracle_install=../shared/oracle/sops/install.sh
if [ -f "$oracle_install" ]; then
    if [ "$(id -u)" = 0 ]; then
        bash "$oracle_install" >&2
    elif ! command -v sops >/dev/null || ! command -v age >/dev/null; then
        echo "note: run as root (or install sops 3.11 and age) for the sops interop tests" >&2
    fi
elif [ "${TALFORGE_REQUIRE_ORACLE:-}" = 1 ]; then
    echo "error: ../shared/oracle is missing and TALFORGE_REQUIRE_ORACLE=1" >&2
    exit 1
fi
export SOPS_DISABLE_VERSION_CHECK=1
# tmux drives the interactive REPL through a pseudo-terminal in the tests.
if ! command -v tmux >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux) >&2
    else
        echo "note: install tmux for the REPL terminal tests" >&2
    fi
fi

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
# Plaintext outputs of every committed cluster must match a fresh render.
for script in clusters/*.rhai; do
    cargo run --quiet --locked -- run "$script" --check
done
# A directory of scripts run twice plus each script alone leaves git with nothing to commit.
bash scripts/gitops-check.sh
