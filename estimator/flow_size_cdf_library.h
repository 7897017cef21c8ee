// Flow-size distributions: the named library in data/cdfs/ and inverse-CDF sampling.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "swarm/incident.h"

namespace swarm {

/// Reads data/cdfs/<name>.cdf. Empty when no such file; throws std::runtime_error naming the
/// file and line when the file exists but is malformed.
std::optional<FlowSizeCdf> load_named_flow_size_cdf(const std::filesystem::path& data_dir,
                                                    const std::string& name);

/// Names of the CDFs shipped in data/cdfs/ (for error messages), sorted.
std::vector<std::string> named_flow_size_cdfs(const std::filesystem::path& data_dir);

/// Empty when the points form a valid CDF, else what is wrong (e.g. "point 3: bytes must increase").
std::optional<std::string> check_flow_size_cdf(
    const std::vector<std::pair<double, double>>& points);

/// Inverse-CDF sampling with linear interpolation between points (the convention of the
/// DCTCP/pFabric simulators). Precomputes nothing but a copy; sample() is O(log n).
class FlowSizeSampler {
   public:
    explicit FlowSizeSampler(const FlowSizeCdf& cdf);
    /// Flow size in bytes (at least 1) for a uniform draw u in [0, 1).
    double sample(double u) const;
    /// Mean flow size in bytes under linear interpolation.
    double mean() const;
    /// Probability that a flow is at most `bytes` long.
    double cdf(double bytes) const;

   private:
    std::vector<double> bytes_;
    std::vector<double> prob_;
};

}  // namespace swarm
