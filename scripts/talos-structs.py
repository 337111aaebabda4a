#!/usr/bin/env python3
"""Extracts the YAML field order and tags of Talos' config Go structs (facts, not code).

Usage: scripts/talos-structs.py <talos git dir> <tag> <crypto git dir> [<crypto ref>] \
           > schemas/talos-v1.13.9-structs.json
       TALOS_STRUCTS_GO_NAMES=1 scripts/talos-structs.py ... > schemas/talos-v1.13.9-gonames.json

With TALOS_STRUCTS_GO_NAMES=1 it prints, per struct, the Go field names beside the YAML
names instead ({"<pkg>.<Type>": [[yaml name, Go name], ...]}): talhelper's templates
address the config by Go names (`.MachineConfig.MachineInstall.InstallImage`).

<crypto ref> overrides the siderolabs/crypto tag go.mod pins, for a crypto copy that lacks
it (the x509 `aux` structs have not changed since v0.6.x).

Output: {"<pkg>.<Type>": {"fields": [[yaml name, Go type, "omitempty"|"", "replace"|"", "inline"|""], ...]}
         or {"type": "<Go type>"} for named non-struct types}.
The JSON schema omits deprecated (docgen:nodoc) fields; this table gives their position and
shape so patches using them are ordered and checked like Talos does.

The certificates and keys in the config are `x509.PEMEncoded*` types from siderolabs/crypto
(the version Talos' `pkg/machinery/go.mod` pins). They decode through their own
`UnmarshalYAML` into an `aux` struct; those keys are listed with `"codec": "UnmarshalYAML"`,
so the validator knows their keys while the patcher still treats them as opaque values.
"""
import json
import os
import re
import subprocess
import sys

git_dir, tag, crypto_dir = sys.argv[1], sys.argv[2], sys.argv[3]
GO_NAMES = os.environ.get("TALOS_STRUCTS_GO_NAMES") == "1"
base = "pkg/machinery/config/types/"


def git(*args, repo=None):
    return subprocess.run(["git", "--git-dir", repo or git_dir, *args], check=True,
                          capture_output=True, text=True).stdout


def tag_fields(body, pkg_qualify, indent="\t"):
    """[yaml name, Go type, omitempty, replace, inline] of each yaml-tagged field line
    (only lines at `indent`: fields of nested anonymous structs are not the struct's)."""
    fields = []
    for line in body.splitlines():
        fm = re.match(indent + r"(?:(\w+)\s+)?([^\s`]+)\s+`([^`]*)`", line)
        if not fm:
            continue
        y = re.search(r'yaml:"([^"]*)"', fm.group(3))
        if not y or y.group(1) == "-":
            continue
        parts = y.group(1).split(",")
        merge = re.search(r'merge:"([^"]*)"', fm.group(3))
        if GO_NAMES:
            # An embedded field is named after its type (without package or pointer).
            go = fm.group(1) or fm.group(2).lstrip("*").split(".")[-1]
            fields.append([parts[0], go])
            continue
        fields.append([parts[0], pkg_qualify(fm.group(2)),
                       "omitempty" if "omitempty" in parts else "",
                       "replace" if merge and "replace" in merge.group(1) else "",
                       "inline" if "inline" in parts else ""])
    return fields


files = [f for f in git("ls-tree", "-r", "--name-only", tag, base).split()
         if f.endswith(".go") and not f.endswith("_test.go") and "generated" not in f
         and not f.endswith("_doc.go")]
out = {}
for f in files:
    src = git("show", f"{tag}:{f}")
    pkg = re.search(r"^package (\w+)", src, re.M).group(1)

    def qualify(t):
        # Prefix local named types with the package; keep builtins and qualified names.
        builtins = {"string", "bool", "int", "int8", "int16", "int32", "int64", "uint", "uint8",
                    "uint16", "uint32", "uint64", "float32", "float64", "any", "byte", "map"}
        def q(m):
            name = m.group(0)
            return name if name in builtins or name == "interface" else f"{pkg}.{name}"
        return re.sub(r"(?<![\w.])[A-Za-z_]\w*(?![\w.])", q, t.replace("interface{}", "any"))

    for m in re.finditer(r"^type (\w+) struct \{\n(.*?)^\}", src, re.S | re.M):
        out[f"{pkg}.{m.group(1)}"] = {"fields": tag_fields(m.group(2), qualify)}
    for m in re.finditer(r"^type (\w+) ([^\s{][^\n]*)$", src, re.M):
        if m.group(2).startswith(("struct", "interface", "func")):
            continue
        out.setdefault(f"{pkg}.{m.group(1)}", {"type": qualify(m.group(2).split("//")[0].strip())})

# siderolabs/crypto's x509 types: the keys their UnmarshalYAML reads (its `aux` struct).
gomod = git("show", f"{tag}:pkg/machinery/go.mod")
crypto_tag = re.search(r"^\s*github\.com/siderolabs/crypto (v\S+)", gomod, re.M).group(1)
if len(sys.argv) > 4:
    crypto_tag = sys.argv[4]
for f in git("ls-tree", "--name-only", crypto_tag, "x509/", repo=crypto_dir).split():
    if not f.endswith(".go") or f.endswith("_test.go"):
        continue
    src = git("show", f"{crypto_tag}:{f}", repo=crypto_dir)
    for m in re.finditer(r"^func \(\w+ \*(\w+)\) UnmarshalYAML\(.*?\n\tvar aux struct \{\n(.*?)^\t\}",
                         src, re.S | re.M):
        out[f"x509.{m.group(1)}"] = {"fields": tag_fields(m.group(2), lambda t: t, "\t\t"),
                                     "codec": "UnmarshalYAML"}

if GO_NAMES:
    out = {k: v["fields"] for k, v in out.items() if v.get("fields")}

# One entry per line keeps diffs readable when the table is regenerated for a new tag.
print("{")
print(",\n".join(f" {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in sorted(out.items())))
print("}")
