// The OpenAPI 3.1 description of the REST API, served at GET /openapi.json. The source is
// docs/openapi.yaml; the build converts it to JSON (service/openapi_embed.py) and compiles the
// result in, so the served document cannot drift from the file.
#pragma once

#include <string_view>

namespace swarm::service {

std::string_view openapi_json();

}  // namespace swarm::service
