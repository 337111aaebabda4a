#!/usr/bin/env python3
"""Copies Talos' stability goldens into src/talos/generate/testdata/ with every secret replaced
by its placeholder name (the bundle `placeholder_bundle()` in src/talos/generate/tests.rs).

usage: scripts/talos-goldens.py <talos git dir> <tag> <minor>...
  e.g. scripts/talos-goldens.py /path/to/talos.git v1.13.9 13

Reads pkg/machinery/config/types/v1alpha1/testdata/stability/{secrets.yaml,v1.N/base-*.yaml,
v1.N/overrides-*.yaml} at <tag>. Secrets appear verbatim (base64, as in the bundle) and, from contract 1.14 on, also
PEM-decoded in the k8s documents; both forms map to the same placeholder.
"""
import base64
import os
import re
import subprocess
import sys

STABILITY = "pkg/machinery/config/types/v1alpha1/testdata/stability"
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "talos", "generate", "testdata")


def show(git, tag, path):
    return subprocess.run(
        ["git", "-C", git, "show", f"{tag}:{path}"], check=True, capture_output=True, text=True
    ).stdout


def secrets(text):
    """(value, placeholder) pairs from the flat secrets.yaml layout."""
    pairs, section, cert = [], None, None
    for line in text.splitlines():
        m = re.match(r"^(\s*)([a-z0-9]+):\s*(.*)$", line)
        if not m:
            continue
        indent, key, value = len(m.group(1)), m.group(2), m.group(3)
        if indent == 0:
            section, cert = key, None
            continue
        if section == "certs" and indent == 4:
            cert = key
            continue
        name = {
            ("cluster", "id"): "CLUSTER-ID",
            ("cluster", "secret"): "CLUSTER-SECRET",
            ("secrets", "bootstraptoken"): "BOOTSTRAP-TOKEN",
            ("secrets", "secretboxencryptionsecret"): "SECRETBOX-SECRET",
            ("trustdinfo", "token"): "TRUSTD-TOKEN",
        }.get((section, key))
        if section == "certs" and cert:
            name = f"{cert.upper()}-{key.upper()}"
        if name and value:
            pairs.append((value, name))
    return pairs


def replace(text, pairs):
    for value, name in pairs:
        text = text.replace(value, name)
        if value.startswith("LS0t"):
            pem = base64.b64decode(value).decode()
            # A PEM block in a literal scalar: each line indented as the first one.
            for m in reversed(list(re.finditer(r"^( +)-----BEGIN ", text, re.M))):
                indent = m.group(1)
                block = "".join(indent + l + "\n" for l in pem.rstrip("\n").split("\n"))
                if text.startswith(block, m.start()):
                    text = text[: m.start()] + indent + name + "\n" + text[m.start() + len(block) :]
    return text


def main():
    git, tag, minors = sys.argv[1], sys.argv[2], sys.argv[3:]
    pairs = secrets(show(git, tag, f"{STABILITY}/secrets.yaml"))
    for minor in minors:
        for flavor in ("base", "overrides"):
            for role in ("controlplane", "worker"):
                text = show(git, tag, f"{STABILITY}/v1.{minor}/{flavor}-{role}.yaml")
                with open(os.path.join(OUT, f"{flavor}-v1.{minor}-{role}.yaml"), "w") as f:
                    f.write(replace(text, pairs))


if __name__ == "__main__":
    main()
