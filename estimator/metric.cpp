// Metric names are the comparator vocabulary of incident files ("p1_throughput", "avg_fct"):
// parse() accepts exactly what name() can print, so names round-trip.
#include <charconv>
#include <cmath>
#include <string_view>

#include "swarm/incident.h"

namespace swarm {
namespace {

constexpr std::string_view kThroughputSuffix = "_throughput";
constexpr std::string_view kFctSuffix = "_fct";

// Shortest fixed-notation form that reads back to the same double: 1 -> "1", 99.9 -> "99.9".
std::string format_percentile(double p) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, p, std::chars_format::fixed);
    return std::string(buffer, result.ptr);
}

// Plain decimal only (digits, optionally '.' and more digits): no sign, exponent, inf or nan,
// which from_chars would otherwise accept.
bool is_plain_decimal(std::string_view text) {
    const auto dot = text.find('.');
    const auto digits = [](std::string_view s) {
        return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    if (dot == std::string_view::npos) {
        return digits(text);
    }
    return digits(text.substr(0, dot)) && digits(text.substr(dot + 1));
}

std::optional<double> parse_percentile(std::string_view text) {
    if (!is_plain_decimal(text)) {
        return std::nullopt;
    }
    double value = 0.0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    if (!(value > 0.0 && value < 100.0)) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string Metric::name() const {
    const std::string_view suffix =
        quantity == Quantity::Throughput ? kThroughputSuffix : kFctSuffix;
    const std::string statistic = percentile ? "p" + format_percentile(*percentile) : "avg";
    return statistic + std::string(suffix);
}

std::optional<Metric> Metric::parse(const std::string& name) {
    std::string_view text = name;
    Metric metric;
    if (text.ends_with(kThroughputSuffix)) {
        metric.quantity = Quantity::Throughput;
        text.remove_suffix(kThroughputSuffix.size());
    } else if (text.ends_with(kFctSuffix)) {
        metric.quantity = Quantity::Fct;
        text.remove_suffix(kFctSuffix.size());
    } else {
        return std::nullopt;
    }
    if (text == "avg") {
        return metric;
    }
    if (!text.starts_with('p')) {
        return std::nullopt;
    }
    metric.percentile = parse_percentile(text.substr(1));
    if (!metric.percentile) {
        return std::nullopt;
    }
    return metric;
}

}  // namespace swarm
