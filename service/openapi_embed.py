#!/usr/bin/env python3
"""Build step: docs/openapi.yaml -> openapi.json and a C++ file defining openapi_json().

Usage: openapi_embed.py SOURCE.yaml OUT.json OUT.cpp
Fails (and so fails the build) when the YAML does not parse or is not an OpenAPI 3.1 document.
A `$ref` to a file (`../data/schema/incident.schema.json`) is replaced by that file's schema,
its internal references rewritten to where it now sits, so the served document is whole and
the incident schema has one source.
"""
import json
import os
import sys

import yaml


def rebased(node, pointer):
    """`node` with its local references ("#/$defs/x") rewritten to "#<pointer>/$defs/x"."""
    if isinstance(node, dict):
        out = {k: rebased(v, pointer) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            out["$ref"] = "#" + pointer + ref[1:]
        return out
    if isinstance(node, list):
        return [rebased(v, pointer) for v in node]
    return node


def inline_file_refs(node, base_dir, pointer=""):
    """Replaces every {"$ref": "<file>"} (not "#...") under `node` by the file's schema."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            with open(os.path.join(base_dir, ref), encoding="utf-8") as f:
                schema = json.load(f)
            # The base URI and dialect are the OpenAPI document's (3.1 is JSON Schema 2020-12).
            schema.pop("$id", None)
            schema.pop("$schema", None)
            extra = {k: v for k, v in node.items() if k != "$ref"}
            return {**rebased(schema, pointer), **extra}
        return {k: inline_file_refs(v, base_dir, pointer + "/" + k.replace("~", "~0").replace("/", "~1"))
                for k, v in node.items()}
    if isinstance(node, list):
        return [inline_file_refs(v, base_dir, f"{pointer}/{i}") for i, v in enumerate(node)]
    return node


def main() -> int:
    source, out_json, out_cpp = sys.argv[1:4]
    with open(source, encoding="utf-8") as f:
        document = yaml.safe_load(f)
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        print(f"{source}: not an OpenAPI 3.1 document", file=sys.stderr)
        return 1
    document = inline_file_refs(document, os.path.dirname(os.path.abspath(source)))
    text = json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False)
    with open(out_json, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    delimiter = "swarm_openapi"
    if ")" + delimiter in text:
        print("the raw-string delimiter occurs in the document", file=sys.stderr)
        return 1
    with open(out_cpp, "w", encoding="utf-8") as f:
        f.write("// Generated from docs/openapi.yaml by service/openapi_embed.py. Do not edit.\n")
        f.write('#include "service/openapi_document.h"\n\n')
        f.write("namespace swarm::service {\n\n")
        f.write("std::string_view openapi_json() {\n")
        f.write(f'    static constexpr std::string_view document = R"{delimiter}({text}){delimiter}";\n')
        f.write("    return document;\n}\n\n}  // namespace swarm::service\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
