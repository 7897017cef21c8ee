#!/bin/sh
# The core owns its extension points and names no plugin (issue 16): no file under estimator/
# includes a header of models/ (by any spelling: "models/x.h", "../models/x.h", <models/x.h>).
# Usage: check_estimator_includes_no_models.sh SOURCE_DIR
root=${1:?usage: $0 SOURCE_DIR}
[ -d "$root/estimator" ] || { echo "no estimator/ under $root" >&2; exit 2; }
hits=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<](\.\./)*models/' "$root/estimator")
if [ -n "$hits" ]; then
    echo "estimator/ must not include models/ headers (the core depends on no plugin):" >&2
    echo "$hits" >&2
    exit 1
fi
echo "estimator/ includes no models/ header"
