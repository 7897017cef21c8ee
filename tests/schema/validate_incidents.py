#!/usr/bin/env python3
"""Every shipped incident validates against the incident schema (data/schema/, draft 2020-12),
and the schema itself is a valid schema: the schema and the reader must agree on what ships.
With OPENAPI_JSON (the generated /openapi.json), every incident also validates against its
components.schemas.Incident, which must be the same schema (service/openapi_embed.py inlines it).
Usage: validate_incidents.py DATA_DIR [OPENAPI_JSON]. Exit 77 (ctest: skipped) without
python3-jsonschema."""
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
    validators = [("schema", jsonschema.Draft202012Validator(schema))]
    if len(sys.argv) > 2:
        openapi = json.loads(Path(sys.argv[2]).read_text())
        inlined = openapi["components"]["schemas"]["Incident"]
        same = {k: v for k, v in schema.items() if k not in ("$id", "$schema")}
        if json.dumps(inlined, sort_keys=True).replace("#/components/schemas/Incident/", "#/") != \
                json.dumps(same, sort_keys=True):
            print("openapi.json's Incident schema differs from data/schema/incident.schema.json")
            return 1
        # Validated from the OpenAPI document's root, as a client generator would resolve it.
        rooted = dict(openapi, **{"$ref": "#/components/schemas/Incident"})
        validators.append(("openapi", jsonschema.Draft202012Validator(rooted)))
    files = sorted((data / "incidents").rglob("*.json"))
    failures = 0
    for f in files:
        document = json.loads(f.read_text())
        invalid = False
        for name, validator in validators:
            errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
            for e in errors[:3]:
                print(f"{f.relative_to(data)} ({name}): $/{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
            invalid = invalid or bool(errors)
        failures += invalid
    print(f"{len(files) - failures} of {len(files)} incidents valid")
    return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main())
