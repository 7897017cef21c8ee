// The `swarm` Python module (pybind11): rank an incident given as a Python dict, get the JSON
// contract of docs/api.md back as a dict. The dict goes through Python's json module, so
// whatever json.dumps accepts (and the incident format allows) works, and the result is
// exactly `swarm rank --format json`.
//
//   import swarm
//   result = swarm.rank(incident)                 # dict in, dict out
//   result["ranking"][0]["candidate"]
//   swarm.rank(incident, seed=7, threads=2, tables="analytic-reno")
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "swarm/swarm.h"

namespace py = pybind11;

namespace {

/// A table set by name (under the data directory's tables/) or by directory path.
swarm::TableSet load_tables(const std::optional<std::string>& tables,
                            const std::filesystem::path& data) {
    if (!tables)
        return swarm::TableSet::load(data / "tables" / "ns3-cubic");  // TableSet::load_default()
    const std::filesystem::path given(*tables);
    if (tables->find('/') == std::string::npos && !std::filesystem::is_directory(given)) {
        return swarm::TableSet::load(data / "tables" / given);
    }
    return swarm::TableSet::load(given);
}

py::object rank(const py::dict& incident, std::optional<std::uint64_t> seed, int threads,
                std::optional<std::string> tables, std::optional<std::string> data_dir) {
    const py::module_ json = py::module_::import("json");
    const std::string text = py::str(json.attr("dumps")(incident));
    const std::filesystem::path data =
        data_dir ? std::filesystem::path(*data_dir) : swarm::data_dir();
    swarm::Incident parsed;
    try {
        parsed = swarm::parse_incident(text, data);
    } catch (const swarm::InvalidIncident& e) {
        const py::object type = py::module_::import("swarm").attr("InvalidIncident");
        py::object error = type(e.what());
        error.attr("json_path") = e.json_path();
        PyErr_SetObject(type.ptr(), error.ptr());
        throw py::error_already_set();
    }
    const swarm::TableSet table_set = load_tables(tables, data);
    swarm::RankOptions options;
    options.threads = threads;
    options.seed = seed;
    std::string result;
    {
        py::gil_scoped_release unlocked;  // the estimate runs on its own threads
        result = swarm::to_json_string(swarm::rank(parsed, table_set, options), -1);
    }
    return json.attr("loads")(result);
}

}  // namespace

PYBIND11_MODULE(swarm, m) {
    m.doc() =
        "swarm: rank data-center incident mitigations by estimated connection-level performance";
    // A ValueError subclass whose instances carry json_path (rank() raises it).
    py::exception<swarm::InvalidIncident>(m, "InvalidIncident", PyExc_ValueError);
    m.def("rank", &rank, py::arg("incident"), py::kw_only(), py::arg("seed") = py::none(),
          py::arg("threads") = 0, py::arg("tables") = py::none(), py::arg("data_dir") = py::none(),
          R"(Rank an incident's candidate mitigations.

incident: the incident as a dict (docs/incident-format.md); an imported topology must be
  given "inline" (a dict cannot name files relative to anything).
seed: overrides estimator.seed; threads: worker threads (0 = every core, the result does not
  depend on it); tables: a table-set name under <data_dir>/tables/ or a directory (default
  ns3-cubic); data_dir: where cdfs/ and tables/ live (default: $SWARM_DATA_DIR or the
  installation's).
Returns the ranking as a dict: the JSON contract of docs/api.md.
Raises swarm.InvalidIncident (a ValueError) naming the JSON path of the first problem.)");
    m.def(
        "data_dir", [] { return swarm::data_dir().string(); },
        "Where cdfs/, tables/ and schema/ are found: $SWARM_DATA_DIR, else the data of the "
        "installation this module belongs to (wherever it was moved), else the built-in path.");
    m.attr("__version__") = swarm::version();
}
