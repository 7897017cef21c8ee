#!/usr/bin/env python3
"""Every shipped incident validates against the incident schema (data/schema/, draft 2020-12),
and the schema itself is a valid schema: the schema and the reader must agree on what ships.
Usage: validate_incidents.py DATA_DIR. Exit 77 (ctest: skipped) without python3-jsonschema."""
import json
import sys
from pathlib import Path

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (scripts/setup.sh installs it)")
    sys.exit(77)


def main() -> int:
    data = Path(sys.argv[1])
    schema = json.loads((data / "schema" / "incident.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((data / "incidents").rglob("*.json"))
    failures = 0
    for f in files:
        errors = sorted(validator.iter_errors(json.loads(f.read_text())), key=lambda e: list(e.absolute_path))
        for e in errors[:3]:
            print(f"{f.relative_to(data)}: $/{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
        failures += bool(errors)
    print(f"{len(files) - failures} of {len(files)} incidents valid")
    return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main())
