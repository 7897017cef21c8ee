// libFuzzer target: untrusted text -> parse (depth limit, duplicate keys) -> topology budget ->
// reader -> work budget, as `swarm rank FILE` and POST /v1/rankings take it. The contract under
// test: any input either reads or throws IncidentError; anything else (another exception, a
// crash, a sanitizer report, a leak, a slow unit) is a finding. fuzz/README.md runs it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "estimator/helper/incident_reader.h"
#include "models/builtin_models.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const swarm::Incident incident =
            swarm::read_incident_text(text, SWARM_SOURCE_DATA_DIR, swarm::builtin_models());
        (void)incident;
    } catch (const swarm::IncidentError&) {
        // the expected answer to bad input
    }
    return 0;
}
