// SVG charts of the HTML report (report_html.h), inline and self-contained:
// - a distribution chart per quantity that overlays every candidate and the healthy network:
//   throughput as a CDF, FCT as a CCDF, both with a log probability axis so the tails that the
//   ranking turns on (p1 throughput, p99 FCT) get as much room as the median;
// - a dot plot per ranking metric: each candidate's estimate with its confidence-interval
//   whiskers, the healthy network as a reference line.
// Value axes turn logarithmic when the values span a decade or more; ticks are round numbers
// (1-2-5 steps, or decades).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace swarm::service::charts {

/// A value axis: linear, or logarithmic (base 10) over positive values.
struct Scale {
    double lo = 0.0;
    double hi = 1.0;
    bool log = false;
    /// Position of `v` in [0, 1] along the axis (values outside are clamped).
    double fraction(double v) const;
};

/// The axis for values in [lo, hi]: logarithmic when `allow_log`, lo > 0 and hi / lo >= 10;
/// ends widened to round tick values.
Scale choose_scale(double lo, double hi, bool allow_log);
/// Round tick values inside the scale: 1, 2, 5 x 10^k steps (about 5 ticks) on a linear axis;
/// decades on a log axis (with 2 and 5 between when it spans fewer than 2 decades).
std::vector<double> ticks(const Scale& scale);

/// Candidate colours (Okabe-Ito, distinguishable with colour-vision deficiencies).
const std::string& series_colour(std::size_t index);

struct Series {
    std::string name;
    std::string colour;
    bool dashed = false;                            ///< the healthy network
    std::vector<std::pair<double, double>> points;  ///< (value, percentile in (0, 100))
};

struct DistributionChart {
    std::string title;
    std::string value_label;                    ///< "long-flow throughput"
    bool upper_tail = false;                    ///< CCDF (FCT) instead of CDF (throughput)
    std::function<std::string(double)> format;  ///< tick labels: "2 Gbps", "500 us"
    std::vector<Series> series;
};
std::string distribution_chart(const DistributionChart& chart);

struct Dot {
    std::string name;
    double estimate = 0.0;
    double ci_low = 0.0;
    double ci_high = 0.0;
    std::string colour;
};

struct DotPlot {
    std::string title;  ///< the metric's name: "p1_throughput"
    bool higher_is_better = true;
    std::function<std::string(double)> format;
    std::vector<Dot> dots;  ///< candidates in rank order
    double healthy = 0.0;   ///< NaN when not measured
};
std::string dot_plot(const DotPlot& plot);

}  // namespace swarm::service::charts
