#!/usr/bin/env python3
"""Extracts the Go field names of Talos' v1alpha1 config structs with their YAML keys (facts).

Usage: scripts/talos-gonames.py <talos git dir> <tag> > schemas/talos-v1.13.9-gonames.json

Output: {"v1alpha1.<Type>": {"<Go field name>": "<yaml key>", ...}}. talhelper renders
`nodeLabels`/`nodeAnnotations` templates against the Go struct (`{{ .MachineConfig.MachineInstall
.InstallImage }}`); these names lead a template's field chain to the YAML it reads.
"""
import json
import re
import subprocess
import sys

git_dir, tag = sys.argv[1], sys.argv[2]
base = "pkg/machinery/config/types/v1alpha1/"


def git(*args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True,
                          capture_output=True, text=True).stdout


out = {}
for f in git("ls-tree", "-r", "--name-only", tag, base).split():
    if not f.endswith(".go") or f.endswith("_test.go") or "generated" in f or f.endswith("_doc.go"):
        continue
    src = git("show", f"{tag}:{f}")
    for m in re.finditer(r"^type (\w+) struct \{\n(.*?)^\}", src, re.S | re.M):
        names = {}
        for line in m.group(2).splitlines():
            fm = re.match(r"\t(\w+)\s+[^\s`]+\s+`([^`]*)`", line)
            if not fm:
                continue
            y = re.search(r'yaml:"([^"]*)"', fm.group(2))
            if y and y.group(1).split(",")[0] not in ("", "-"):
                names[fm.group(1)] = y.group(1).split(",")[0]
        if names:
            out[f"v1alpha1.{m.group(1)}"] = names

print("{")
print(",\n".join(f" {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in sorted(out.items())))
print("}")
