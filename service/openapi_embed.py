#!/usr/bin/env python3
"""Build step: docs/openapi.yaml -> openapi.json and a C++ file defining openapi_json().

Usage: openapi_embed.py SOURCE.yaml OUT.json OUT.cpp
Fails (and so fails the build) when the YAML does not parse or is not an OpenAPI 3.1 document.
"""
import json
import sys

import yaml


def main() -> int:
    source, out_json, out_cpp = sys.argv[1:4]
    with open(source, encoding="utf-8") as f:
        document = yaml.safe_load(f)
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        print(f"{source}: not an OpenAPI 3.1 document", file=sys.stderr)
        return 1
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
