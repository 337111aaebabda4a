#!/usr/bin/env bash
# GitOps hygiene, as CI checks it: a directory of cluster scripts run twice, then each script
# alone, must leave git with nothing to commit after the first run (headers name their own
# script, nothing churns). Runs on a copy of examples/fleet in a scratch git repository.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/target/debug/talforge"
cargo build --quiet --locked
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r examples/fleet "$scratch/clusters"
cd "$scratch"
git init -q
git config user.email ci@example.invalid
git config user.name ci
"$bin" run clusters >/dev/null 2>&1
git add -A
git commit -qm "first run"
"$bin" run clusters >/dev/null 2>&1
for script in clusters/*.rhai; do
    # Modules (imported by the others) are not cluster scripts of their own.
    grep -q "^import \"$(basename "$script" .rhai)\"" clusters/*.rhai && continue
    "$bin" run "$script" >/dev/null 2>&1
done
"$bin" run clusters --check >/dev/null
if [ -n "$(git status --porcelain)" ]; then
    echo "error: re-running the fleet changed files:" >&2
    git status --porcelain >&2
    git diff --stat >&2
    exit 1
fi
echo "gitops check: a directory run twice and each script alone changed nothing"
