// Flow-size CDFs: the named library in data/cdfs/, validation, and inverse-CDF sampling (§3.3,
// "Modeling traffic variability": each flow's size is drawn from the size distribution).
#include "estimator/flow_size_cdf_library.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "estimator/detail/text_tokens.h"

namespace swarm {
namespace {

// The last probability may miss 1 by rounding in hand-written files.
constexpr double kLastProbabilityTolerance = 1e-9;

std::string number_text(double x) {
    std::ostringstream out;
    out.precision(12);
    out << x;
    return out.str();
}

// What is wrong with the points and at which (0-based) point, so that the file loader can
// point at the offending line rather than at a point index.
struct CdfProblem {
    std::size_t point;
    std::string what;
};

std::optional<CdfProblem> check_point(const std::vector<std::pair<double, double>>& points,
                                      std::size_t i) {
    const auto [bytes, prob] = points[i];
    if (!std::isfinite(bytes)) {
        return CdfProblem{i, "bytes must be finite (got " + number_text(bytes) + ")"};
    }
    if (i == 0 && bytes < 0.0) {
        return CdfProblem{i, "bytes must not be negative (got " + number_text(bytes) + ")"};
    }
    if (i > 0 && bytes <= 0.0) {
        return CdfProblem{i, "bytes must be positive (got " + number_text(bytes) + ")"};
    }
    if (i > 0 && bytes <= points[i - 1].first) {
        return CdfProblem{i, "bytes must increase (got " + number_text(bytes) + " after " +
                                 number_text(points[i - 1].first) + ")"};
    }
    if (!(prob >= 0.0 && prob <= 1.0)) {
        return CdfProblem{i, "probability must be in [0, 1] (got " + number_text(prob) + ")"};
    }
    if (i > 0 && prob < points[i - 1].second) {
        return CdfProblem{i, "probability must not decrease (got " + number_text(prob) + " after " +
                                 number_text(points[i - 1].second) + ")"};
    }
    return std::nullopt;
}

std::optional<CdfProblem> find_problem(const std::vector<std::pair<double, double>>& points) {
    if (points.size() < 2) {
        return CdfProblem{points.size(),
                          "need at least 2 points (got " + std::to_string(points.size()) + ")"};
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (auto problem = check_point(points, i)) {
            return problem;
        }
    }
    const double last = points.back().second;
    if (std::abs(last - 1.0) > kLastProbabilityTolerance) {
        return CdfProblem{points.size() - 1,
                          "last probability must be 1 (got " + number_text(last) + ")"};
    }
    return std::nullopt;
}

std::string describe(const CdfProblem& problem, std::size_t point_count) {
    if (problem.point >= point_count) {
        return problem.what;  // a whole-CDF problem, not tied to one point
    }
    return "point " + std::to_string(problem.point + 1) + ": " + problem.what;
}

[[noreturn]] void fail(const std::filesystem::path& file, std::size_t line,
                       const std::string& what) {
    throw std::runtime_error(file.string() + ":" + std::to_string(line) + ": " + what);
}

// Parses the "bytes probability" lines; `lines[i]` is the 1-based line number of point i.
void parse_cdf_text(const std::filesystem::path& file, std::istream& in,
                    std::vector<std::pair<double, double>>& points,
                    std::vector<std::size_t>& lines) {
    std::string text;
    std::size_t line_no = 0;
    while (std::getline(in, text)) {
        ++line_no;
        const std::string_view line = std::string_view(text).substr(0, text.find('#'));
        const auto tokens = detail::split_whitespace(line);
        if (tokens.empty()) {
            continue;
        }
        if (tokens.size() != 2) {
            fail(file, line_no,
                 "expected \"bytes cumulative_probability\", got " + std::to_string(tokens.size()) +
                     " fields");
        }
        const auto bytes = detail::parse_number(tokens[0]);
        const auto prob = detail::parse_number(tokens[1]);
        if (!bytes || !prob) {
            fail(file, line_no,
                 "not a number: \"" + std::string(bytes ? tokens[1] : tokens[0]) + "\"");
        }
        points.emplace_back(*bytes, *prob);
        lines.push_back(line_no);
    }
    if (lines.empty()) {
        lines.push_back(line_no);  // so a "too few points" error still names a line
    }
}

// Names come from incident files; keep them inside data/cdfs/.
bool is_plain_name(const std::string& name) {
    return !name.empty() && name.find_first_of("/\\") == std::string::npos && name != "." &&
           name != "..";
}

}  // namespace

std::optional<std::string> check_flow_size_cdf(
    const std::vector<std::pair<double, double>>& points) {
    const auto problem = find_problem(points);
    if (!problem) {
        return std::nullopt;
    }
    return describe(*problem, points.size());
}

std::optional<FlowSizeCdf> load_named_flow_size_cdf(const std::filesystem::path& data_dir,
                                                    const std::string& name) {
    if (!is_plain_name(name)) {
        return std::nullopt;
    }
    const std::filesystem::path file = data_dir / "cdfs" / (name + ".cdf");
    std::ifstream in(file);
    if (!in) {
        return std::nullopt;
    }
    FlowSizeCdf cdf{name, {}};
    std::vector<std::size_t> lines;
    parse_cdf_text(file, in, cdf.points, lines);
    if (const auto problem = find_problem(cdf.points)) {
        const std::size_t line = lines[std::min(problem->point, lines.size() - 1)];
        fail(file, line, describe(*problem, cdf.points.size()));
    }
    return cdf;
}

std::vector<std::string> named_flow_size_cdfs(const std::filesystem::path& data_dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(data_dir / "cdfs", ec)) {
        if (entry.path().extension() == ".cdf") {
            names.push_back(entry.path().stem().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

FlowSizeSampler::FlowSizeSampler(const FlowSizeCdf& cdf) {
    if (const auto problem = check_flow_size_cdf(cdf.points)) {
        throw std::invalid_argument("flow-size CDF \"" + cdf.name + "\": " + *problem);
    }
    bytes_.reserve(cdf.points.size());
    prob_.reserve(cdf.points.size());
    for (const auto& [bytes, prob] : cdf.points) {
        bytes_.push_back(bytes);
        prob_.push_back(prob);
    }
    prob_.back() = 1.0;  // absorb the tolerated rounding so that sample(1) hits the last point
}

double FlowSizeSampler::sample(double u) const {
    // u at or below the first probability falls in the point mass at the first size (and NaN
    // lands there too rather than propagating into the simulation).
    if (!(u > prob_.front())) {
        return std::max(1.0, bytes_.front());
    }
    const auto it = std::lower_bound(prob_.begin(), prob_.end(), u);
    if (it == prob_.end()) {
        return bytes_.back();
    }
    // prob_[i-1] < u <= prob_[i], so the segment has positive probability mass.
    const auto i = static_cast<std::size_t>(it - prob_.begin());
    const double t = (u - prob_[i - 1]) / (prob_[i] - prob_[i - 1]);
    return std::max(1.0, bytes_[i - 1] + t * (bytes_[i] - bytes_[i - 1]));
}

double FlowSizeSampler::mean() const {
    // Point mass at the first size, then each segment is uniform on [b_{i-1}, b_i] with mass
    // p_i - p_{i-1}, so it contributes its midpoint times its mass. (The 1-byte floor of
    // sample() is ignored: it moves the mean by far less than a byte.)
    double total = bytes_.front() * prob_.front();
    for (std::size_t i = 1; i < bytes_.size(); ++i) {
        total += (prob_[i] - prob_[i - 1]) * 0.5 * (bytes_[i - 1] + bytes_[i]);
    }
    return total;
}

double FlowSizeSampler::cdf(double bytes) const {
    if (bytes < bytes_.front()) {
        return 0.0;
    }
    if (bytes >= bytes_.back()) {
        return 1.0;
    }
    // bytes_[i-1] <= bytes < bytes_[i]
    const auto it = std::upper_bound(bytes_.begin(), bytes_.end(), bytes);
    const auto i = static_cast<std::size_t>(it - bytes_.begin());
    const double t = (bytes - bytes_[i - 1]) / (bytes_[i] - bytes_[i - 1]);
    return prob_[i - 1] + t * (prob_[i] - prob_[i - 1]);
}

}  // namespace swarm
