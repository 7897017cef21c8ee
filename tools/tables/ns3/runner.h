// Runs independent ns-3 simulations in parallel, one forked child process per job.
//
// Why processes: ns-3's Simulator, node list and random-stream numbering are process-global, so
// two simulations cannot share a process concurrently, and even sequential runs in one process
// would see different automatic stream numbers. A child forked from the driver (which never
// touches ns-3 itself) starts from the same pristine state every time, so a job's result
// depends only on its parameters and run number, whichever worker runs it and in which order.
//
// Results are appended to a cache file as they arrive (one "key<TAB>value" line per job), so an
// interrupted regeneration resumes where it stopped and finished table sets can be written
// while others are still running.
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace swarm::ns3tables {

/// Job results by key, backed by an append-only text file.
class ResultCache {
   public:
    /// Loads `file` if it exists (a torn last line from a killed run is ignored). An empty
    /// path keeps results in memory only.
    explicit ResultCache(std::filesystem::path file);
    bool has(const std::string& key) const { return values_.count(key) > 0; }
    const std::string& get(const std::string& key) const;
    void put(const std::string& key, const std::string& value);
    const std::filesystem::path& file() const { return file_; }

   private:
    std::filesystem::path file_;
    std::map<std::string, std::string> values_;
    std::ofstream out_;
};

struct Job {
    std::string key;                    // unique; also the cache key
    std::function<std::string()> work;  // runs in the child; returns one line of text
};

/// Runs every job whose key is not cached yet, at most `parallel` at a time, storing each
/// result in the cache as it completes; prints progress with `label` to stderr. Throws
/// std::runtime_error if a job fails (its child's message included).
void run_jobs(const std::vector<Job>& jobs, int parallel, ResultCache& cache,
              const std::string& label);

}  // namespace swarm::ns3tables
