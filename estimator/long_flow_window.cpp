#include "estimator/long_flow_window.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace swarm {

QuantileGrid::Spec LongFlowWindow::spec() {
    return {"long_flow_window",
            "rtts",
            {{"size_bytes", true, 1.0, {}}, {"rtt_us", true, 1e-3, {}}},
            /*log_values=*/false,
            /*allow_inf=*/false};
}

LongFlowWindow LongFlowWindow::load(const std::filesystem::path& file) {
    return LongFlowWindow(load_table_grid(file, spec()));
}

LongFlowWindow::LongFlowWindow(QuantileGrid grid) : grid_(std::move(grid)) {
    const std::vector<double>& sizes = grid_.axes()[0].points;
    const std::vector<double>& rtts = grid_.axes()[1].points;
    sizes_.assign(1, 0.0);
    sizes_.insert(sizes_.end(), sizes.begin(), sizes.end());
    for (const double rtt_us : rtts) {
        log_rtts_.push_back(std::log10(std::max(rtt_us, 1e-3)));
        std::vector<double> rounds(1, 0.0);
        for (const double size : sizes) {
            const double coords[] = {size, rtt_us};
            // The handshake's round trip is charged with the FCT (one RTT), not on the curve.
            const double n = grid_.median(coords) - 1.0;
            if (!(n > rounds.back())) {
                throw std::runtime_error(grid_.provenance() +
                                         ": long_flow_window rounds must grow with the size "
                                         "(size_bytes " +
                                         std::to_string(size) + ")");
            }
            rounds.push_back(n);
        }
        rounds_.push_back(std::move(rounds));
    }
}

LongFlowWindow::Curve LongFlowWindow::curve(double rtt_s) const {
    const double x = std::log10(std::max(rtt_s * 1e6, 1e-3));
    const auto upper = std::upper_bound(log_rtts_.begin(), log_rtts_.end(), x);
    if (upper == log_rtts_.begin()) return {&rounds_.front(), &rounds_.front(), 0.0};
    if (upper == log_rtts_.end()) return {&rounds_.back(), &rounds_.back(), 0.0};
    const auto j = static_cast<std::size_t>(upper - log_rtts_.begin());
    const double w = (x - log_rtts_[j - 1]) / (log_rtts_[j] - log_rtts_[j - 1]);
    return {&rounds_[j - 1], &rounds_[j], w};
}

double LongFlowWindow::rounds_on(const Curve& curve, double bytes) const {
    if (bytes <= 0.0) return 0.0;
    auto upper = std::upper_bound(sizes_.begin(), sizes_.end(), bytes);
    if (upper == sizes_.end()) --upper;  // beyond the largest size: the last segment's slope
    const auto i = static_cast<std::size_t>(upper - sizes_.begin());
    const double w = (bytes - sizes_[i - 1]) / (sizes_[i] - sizes_[i - 1]);
    return curve.at(i - 1) + w * (curve.at(i) - curve.at(i - 1));
}

double LongFlowWindow::bytes_on(const Curve& curve, double n) const {
    if (n <= 0.0) return 0.0;
    // The first point above n (the blended rounds grow with the size, as both curves do).
    std::size_t lo = 1;
    std::size_t hi = sizes_.size() - 1;
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (curve.at(mid) > n) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    const double w = (n - curve.at(lo - 1)) / (curve.at(lo) - curve.at(lo - 1));
    return sizes_[lo - 1] + w * (sizes_[lo] - sizes_[lo - 1]);
}

double LongFlowWindow::rounds(double bytes, double rtt_s) const {
    return rounds_on(curve(rtt_s), bytes);
}

double LongFlowWindow::bytes(double rounds, double rtt_s) const {
    return bytes_on(curve(rtt_s), rounds);
}

double LongFlowWindow::cap_bps(double delivered, double size, double rtt_s,
                               double horizon_s) const {
    if (!(rtt_s > 0.0) || !(horizon_s > 0.0) || delivered >= size)
        return std::numeric_limits<double>::infinity();
    const Curve at = curve(rtt_s);
    const double start = rounds_on(at, delivered);
    const double finish = rounds_on(at, size);
    const double h = std::min(horizon_s, (finish - start) * rtt_s);
    if (!(h > 0.0)) return std::numeric_limits<double>::infinity();
    const double end = h < horizon_s ? size : bytes_on(at, start + h / rtt_s);
    return 8.0 * (end - delivered) / h;
}

double LongFlowWindow::window_bytes(double delivered, double size, double rtt_s) const {
    if (delivered >= size) return 0.0;
    const Curve at = curve(rtt_s);
    return std::min(size, bytes_on(at, rounds_on(at, delivered) + 1.0)) - delivered;
}

}  // namespace swarm
