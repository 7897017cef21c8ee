#include "service/report_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "service/report_html.h"

namespace swarm::service::charts {
namespace {

std::string fixed1(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v);
    return text;
}

/// The 1, 2, 5 x 10^k step giving about `count` intervals over `span`.
double round_step(double span, int count) {
    const double raw = span / count;
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0}) {
        if (m * decade >= raw) return m * decade;
    }
    return 10.0 * decade;
}

struct Frame {
    double width, height, left, right, top, bottom;
    double plot_w() const { return width - left - right; }
    double plot_h() const { return height - top - bottom; }
};

std::string open_svg(const Frame& f, const std::string& title) {
    std::ostringstream svg;
    svg << "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " << f.width << " " << f.height
        << "\" width=\"" << f.width << "\" height=\"" << f.height << "\" aria-label=\""
        << html_escape(title) << "\">"
        << "<text class=\"plot-title\" x=\"" << f.left << "\" y=\"16\">" << html_escape(title)
        << "</text>";
    return svg.str();
}

/// Vertical grid lines and labels of a value axis along the bottom.
void value_axis(std::ostringstream& svg, const Frame& f, const Scale& scale,
                const std::function<std::string(double)>& format, const std::string& label) {
    for (double t : ticks(scale)) {
        const double x = f.left + scale.fraction(t) * f.plot_w();
        svg << "<line class=\"grid\" x1=\"" << fixed1(x) << "\" x2=\"" << fixed1(x) << "\" y1=\""
            << f.top << "\" y2=\"" << f.top + f.plot_h()
            << "\"/><text class=\"tick\" text-anchor=\"middle\" x=\"" << fixed1(x) << "\" y=\""
            << f.top + f.plot_h() + 14 << "\">" << html_escape(format(t)) << "</text>";
    }
    svg << "<text class=\"axis-label\" text-anchor=\"middle\" x=\"" << f.left + f.plot_w() / 2
        << "\" y=\"" << f.height - 6 << "\">"
        << html_escape(label + (scale.log ? " (log scale)" : "")) << "</text>";
}

std::string percent_label(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%g%%", fraction * 100.0);
    return text;
}

}  // namespace

double Scale::fraction(double v) const {
    const double f =
        log ? (std::log10(std::max(v, lo)) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))
            : (v - lo) / (hi - lo);
    return std::clamp(f, 0.0, 1.0);
}

Scale choose_scale(double lo, double hi, bool allow_log) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
    if (hi <= lo) {
        const double pad = std::max(std::abs(lo) * 0.1, 1e-12);
        lo -= pad;
        hi += pad;
        if (lo < 0.0 && allow_log) lo = 0.0;
    }
    if (allow_log && lo > 0.0 && hi / lo >= 10.0) {
        return {std::pow(10.0, std::floor(std::log10(lo))),
                std::pow(10.0, std::ceil(std::log10(hi))), true};
    }
    const double step = round_step(hi - lo, 5);
    const double low = std::floor(lo / step) * step;
    return {lo >= 0.0 ? std::max(0.0, low) : low, std::ceil(hi / step) * step, false};
}

std::vector<double> ticks(const Scale& scale) {
    std::vector<double> out;
    if (scale.log) {
        const double decades = std::log10(scale.hi / scale.lo);
        for (double d = scale.lo; d <= scale.hi * 1.0001; d *= 10.0) {
            for (double m :
                 decades <= 2.0 + 1e-9 ? std::vector<double>{1, 2, 5} : std::vector<double>{1}) {
                if (m * d <= scale.hi * 1.0001) out.push_back(m * d);
            }
        }
        return out;
    }
    const double step = round_step(scale.hi - scale.lo, 5);
    for (double t = std::ceil(scale.lo / step - 1e-9) * step; t <= scale.hi + step * 1e-9;
         t += step) {
        out.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return out;
}

const std::string& series_colour(std::size_t index) {
    static const std::vector<std::string> palette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                     "#E69F00", "#56B4E9", "#000000"};
    return palette[index % palette.size()];
}

std::string distribution_chart(const DistributionChart& chart) {
    const Frame f{460, 270, 52, 34, 26, 42};
    double lo = INFINITY, hi = -INFINITY;
    for (const Series& s : chart.series) {
        for (const auto& [v, p] : s.points) {
            if (!std::isfinite(v) || v <= 0.0) continue;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    std::ostringstream svg;
    svg << open_svg(f, chart.title);
    if (!std::isfinite(lo)) {
        svg << "<text class=\"empty\" text-anchor=\"middle\" x=\"" << f.left + f.plot_w() / 2
            << "\" y=\"" << f.top + f.plot_h() / 2
            << "\">no flows of this kind were measured</text></svg>";
        return svg.str();
    }
    const Scale x = choose_scale(lo, hi, true);
    const Scale y{0.01, 1.0, true};  // the fraction of flows, 1% .. 100%, log
    value_axis(svg, f, x, chart.format, chart.value_label);
    for (double t : {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0}) {
        const double py = f.top + (1.0 - y.fraction(t)) * f.plot_h();
        svg << "<line class=\"grid\" x1=\"" << f.left << "\" x2=\"" << f.left + f.plot_w()
            << "\" y1=\"" << fixed1(py) << "\" y2=\"" << fixed1(py)
            << "\"/><text class=\"tick\" text-anchor=\"end\" x=\"" << f.left - 4 << "\" y=\""
            << fixed1(py + 4) << "\">" << percent_label(t) << "</text>";
    }
    svg << "<text class=\"axis-label\" transform=\"rotate(-90)\" text-anchor=\"middle\" x=\""
        << -(f.top + f.plot_h() / 2) << "\" y=\"12\">"
        << (chart.upper_tail ? "flows slower than this (log)" : "flows at or below this (log)")
        << "</text>";
    for (const Series& s : chart.series) {
        std::ostringstream d;
        for (const auto& [v, p] : s.points) {
            if (!std::isfinite(v) || v <= 0.0) continue;
            const double tail = chart.upper_tail ? 1.0 - p / 100.0 : p / 100.0;
            d << (d.tellp() == 0 ? "M" : " L") << fixed1(f.left + x.fraction(v) * f.plot_w()) << ","
              << fixed1(f.top + (1.0 - y.fraction(tail)) * f.plot_h());
        }
        svg << "<path class=\"series" << (s.dashed ? " healthy" : "") << "\" stroke=\"" << s.colour
            << "\" d=\"" << d.str() << "\"><title>" << html_escape(s.name) << "</title></path>";
    }
    svg << "</svg>";
    return svg.str();
}

std::string dot_plot(const DotPlot& plot) {
    const double row = 24;
    const Frame f{460, 26 + row * static_cast<double>(plot.dots.size()) + 42, 150, 34, 26, 42};
    double lo = INFINITY, hi = -INFINITY;
    auto extend = [&](double v) {
        if (!std::isfinite(v)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    };
    for (const Dot& d : plot.dots) {
        extend(d.estimate);
        extend(d.ci_low);
        extend(d.ci_high);
    }
    extend(plot.healthy);
    std::ostringstream svg;
    svg << open_svg(f, plot.title);
    if (!std::isfinite(lo)) {
        svg << "<text class=\"empty\" x=\"" << f.left << "\" y=\"" << f.top + 14
            << "\">not measured</text></svg>";
        return svg.str();
    }
    const Scale x = choose_scale(lo, hi, lo > 0.0);
    value_axis(svg, f, x, plot.format,
               plot.higher_is_better ? "higher is better \u2192" : "\u2190 lower is better");
    auto px = [&](double v) { return fixed1(f.left + x.fraction(v) * f.plot_w()); };
    if (std::isfinite(plot.healthy)) {
        svg << "<line class=\"healthy-line\" x1=\"" << px(plot.healthy) << "\" x2=\""
            << px(plot.healthy) << "\" y1=\"" << f.top << "\" y2=\"" << f.top + f.plot_h()
            << "\"><title>healthy: " << html_escape(plot.format(plot.healthy)) << "</title></line>";
    }
    for (std::size_t i = 0; i < plot.dots.size(); ++i) {
        const Dot& d = plot.dots[i];
        const double y = f.top + row * (static_cast<double>(i) + 0.5);
        svg << "<text class=\"row-label\" text-anchor=\"end\" x=\"" << f.left - 8 << "\" y=\""
            << fixed1(y + 4) << "\">" << html_escape(d.name) << "</text>";
        if (!std::isfinite(d.estimate)) continue;
        const double ci_lo = std::isfinite(d.ci_low) ? d.ci_low : d.estimate;
        const double ci_hi = std::isfinite(d.ci_high) ? d.ci_high : d.estimate;
        svg << "<g><title>"
            << html_escape(d.name + ": " + plot.format(d.estimate) + " [" + plot.format(ci_lo) +
                           ", " + plot.format(ci_hi) + "]")
            << "</title><line class=\"whisker\" stroke=\"" << d.colour << "\" x1=\"" << px(ci_lo)
            << "\" x2=\"" << px(ci_hi) << "\" y1=\"" << fixed1(y) << "\" y2=\"" << fixed1(y)
            << "\"/>";
        for (double end : {ci_lo, ci_hi}) {
            svg << "<line class=\"whisker\" stroke=\"" << d.colour << "\" x1=\"" << px(end)
                << "\" x2=\"" << px(end) << "\" y1=\"" << fixed1(y - 5) << "\" y2=\""
                << fixed1(y + 5) << "\"/>";
        }
        svg << "<circle class=\"estimate-dot\" fill=\"" << d.colour << "\" cx=\"" << px(d.estimate)
            << "\" cy=\"" << fixed1(y) << "\" r=\"4.5\"/></g>";
    }
    svg << "</svg>";
    return svg.str();
}

}  // namespace swarm::service::charts
