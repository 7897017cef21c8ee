// swarm_plot_tables: plots transport table sets as SVG and compares two sets, for
// docs/tables.md. Reads the tables through the estimator's own loader (TransportTables::load),
// so what is drawn is what the estimator samples.
//
//   swarm_plot_tables svg <set-dir> <out-dir> [<reference-set-dir>]
//       writes <out-dir>/<set>-{loss_limited_throughput,short_flow_rtts,queueing_delay}.svg;
//       with a reference set (e.g. the analytic one) its medians are drawn dashed.
//   swarm_plot_tables compare <set-dir> <reference-set-dir>
//       prints markdown tables of median ratios set / reference at representative points.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "estimator/transport_tables.h"

namespace swarm::plot {
namespace {

// ---- a minimal SVG line-chart writer ------------------------------------------------------------

struct Axis {
    double lo;
    double hi;
    bool log;
    std::string label;
    double map(double v, double from, double to) const {
        const double a = log ? std::log10(lo) : lo;
        const double b = log ? std::log10(hi) : hi;
        const double x = log ? std::log10(std::max(v, lo)) : v;
        return from + (std::clamp(x, std::min(a, b), std::max(a, b)) - a) / (b - a) * (to - from);
    }
};

struct Series {
    Series(std::string name_, std::string color_, bool dashed_ = false)
        : name(std::move(name_)), color(std::move(color_)), dashed(dashed_) {}
    std::string name;
    std::string color;
    bool dashed = false;
    std::vector<std::pair<double, double>> points;   // skipped where y is not finite
    std::vector<std::pair<double, double>> band_lo;  // optional shaded band (same x as points)
    std::vector<std::pair<double, double>> band_hi;
    std::vector<std::pair<double, double>> tail;  // optional thin dotted line (e.g. p99)
};

std::string fmt(double v) {
    std::ostringstream out;
    out.precision(3);
    out << v;
    return out.str();
}

std::string tick_label(double v) {
    if (v != 0.0 && (std::abs(v) >= 1e4 || std::abs(v) < 1e-2)) {
        const int e = static_cast<int>(std::lround(std::log10(std::abs(v))));
        if (std::abs(v - std::pow(10.0, e)) < 1e-9 * std::abs(v)) {
            return "1e" + std::to_string(e);
        }
    }
    return fmt(v);
}

std::vector<double> ticks(const Axis& a) {
    std::vector<double> out;
    if (a.log) {
        for (int e = static_cast<int>(std::floor(std::log10(a.lo)));
             e <= static_cast<int>(std::ceil(std::log10(a.hi))); ++e) {
            const double v = std::pow(10.0, e);
            if (v >= a.lo * 0.999 && v <= a.hi * 1.001) {
                out.push_back(v);
            }
        }
        return out;
    }
    const double step = std::pow(10.0, std::floor(std::log10((a.hi - a.lo) / 4.0)));
    const double nice = (a.hi - a.lo) / step > 20  ? 5 * step
                        : (a.hi - a.lo) / step > 8 ? 2 * step
                                                   : step;
    for (double v = std::ceil(a.lo / nice) * nice; v <= a.hi + 1e-9; v += nice) {
        out.push_back(v);
    }
    return out;
}

class Chart {
   public:
    Chart(std::string title, Axis x, Axis y)
        : title_(std::move(title)), x_(std::move(x)), y_(std::move(y)) {}
    void add(Series s) { series_.push_back(std::move(s)); }
    void note(std::string text) { notes_.push_back(std::move(text)); }

    /// Draws the chart into a panel at (ox, oy) of size w x h.
    void draw(std::ostream& out, double ox, double oy, double w, double h) const {
        const double left = ox + 70, right = ox + w - 190, top = oy + 30, bottom = oy + h - 50;
        out << "<text x='" << (left + right) / 2 << "' y='" << oy + 18
            << "' text-anchor='middle' font-size='14' font-weight='bold'>" << title_ << "</text>\n";
        out << "<rect x='" << left << "' y='" << top << "' width='" << right - left << "' height='"
            << bottom - top << "' fill='none' stroke='#444'/>\n";
        for (const double t : ticks(x_)) {
            const double px = x_.map(t, left, right);
            out << "<line x1='" << px << "' y1='" << top << "' x2='" << px << "' y2='" << bottom
                << "' stroke='#ddd'/><text x='" << px << "' y='" << bottom + 16
                << "' text-anchor='middle' font-size='11'>" << tick_label(t) << "</text>\n";
        }
        for (const double t : ticks(y_)) {
            const double py = y_.map(t, bottom, top);
            out << "<line x1='" << left << "' y1='" << py << "' x2='" << right << "' y2='" << py
                << "' stroke='#ddd'/><text x='" << left - 6 << "' y='" << py + 4
                << "' text-anchor='end' font-size='11'>" << tick_label(t) << "</text>\n";
        }
        out << "<text x='" << (left + right) / 2 << "' y='" << bottom + 36
            << "' text-anchor='middle' font-size='12'>" << x_.label << "</text>\n";
        out << "<text transform='translate(" << ox + 16 << "," << (top + bottom) / 2
            << ") rotate(-90)' text-anchor='middle' font-size='12'>" << y_.label << "</text>\n";
        double legend_y = top + 10;
        for (const Series& s : series_) {
            draw_band(out, s, left, right, top, bottom);
            draw_line(out, s, left, right, top, bottom);
            if (s.name.empty()) {
                continue;  // reference curves are explained by a note, not one legend line each
            }
            out << "<line x1='" << right + 10 << "' y1='" << legend_y << "' x2='" << right + 34
                << "' y2='" << legend_y << "' stroke='" << s.color << "' stroke-width='2'"
                << (s.dashed ? " stroke-dasharray='5,3'" : "") << "/><text x='" << right + 40
                << "' y='" << legend_y + 4 << "' font-size='11'>" << s.name << "</text>\n";
            legend_y += 16;
        }
        for (const auto& n : notes_) {
            out << "<text x='" << right + 10 << "' y='" << legend_y + 8
                << "' font-size='10' fill='#555'>" << n << "</text>\n";
            legend_y += 14;
        }
    }

   private:
    void draw_line(std::ostream& out, const Series& s, double l, double r, double t,
                   double b) const {
        out << "<polyline fill='none' stroke='" << s.color << "' stroke-width='2'"
            << (s.dashed ? " stroke-dasharray='5,3'" : "") << " points='"
            << path_of(s.points, l, r, t, b) << "'/>\n";
        if (!s.tail.empty()) {
            out << "<polyline fill='none' stroke='" << s.color
                << "' stroke-width='1.2' stroke-dasharray='1,3' points='"
                << path_of(s.tail, l, r, t, b) << "'/>\n";
        }
    }
    std::string path_of(const std::vector<std::pair<double, double>>& points, double l, double r,
                        double t, double b) const {
        std::string path;
        for (const auto& [x, y] : points) {
            if (std::isfinite(y)) {
                path += fmt(x_.map(x, l, r)) + "," + fmt(y_.map(y, b, t)) + " ";
            }
        }
        return path;
    }
    void draw_band(std::ostream& out, const Series& s, double l, double r, double t,
                   double b) const {
        if (s.band_lo.empty()) {
            return;
        }
        std::string path;
        for (const auto& [x, y] : s.band_hi) {
            path +=
                fmt(x_.map(x, l, r)) + "," + fmt(y_.map(std::isfinite(y) ? y : y_.hi, b, t)) + " ";
        }
        for (auto it = s.band_lo.rbegin(); it != s.band_lo.rend(); ++it) {
            path += fmt(x_.map(it->first, l, r)) + "," +
                    fmt(y_.map(std::isfinite(it->second) ? it->second : y_.hi, b, t)) + " ";
        }
        out << "<polygon fill='" << s.color << "' fill-opacity='0.15' stroke='none' points='"
            << path << "'/>\n";
    }

    std::string title_;
    Axis x_;
    Axis y_;
    std::vector<Series> series_;
    std::vector<std::string> notes_;
};

void write_svg(const std::filesystem::path& file, const std::vector<Chart>& charts, double panel_w,
               double panel_h) {
    std::ofstream out(file);
    const double w = panel_w * static_cast<double>(charts.size());
    out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << w << "' height='" << panel_h
        << "' font-family='sans-serif'>\n<rect width='100%' height='100%' fill='white'/>\n";
    for (std::size_t i = 0; i < charts.size(); ++i) {
        charts[i].draw(out, panel_w * static_cast<double>(i), 0, panel_w, panel_h);
    }
    out << "</svg>\n";
    if (!out) {
        throw std::runtime_error(file.string() + ": write failed");
    }
}

const std::vector<std::string> kColors = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

// ---- the three plots
// -----------------------------------------------------------------------------

std::vector<double> positive(const std::vector<double>& v) {
    std::vector<double> out;
    std::copy_if(v.begin(), v.end(), std::back_inserter(out), [](double x) { return x > 0; });
    return out;
}

Chart throughput_chart(const TransportTables& t, const TransportTables* ref) {
    const auto& axes = t.loss_limited.grid().axes();
    const auto drops = positive(axes[0].points);
    Chart c(t.name + ": loss-limited throughput (median, 10-90% band)",
            Axis{drops.front(), drops.back(), true, "path drop rate"},
            Axis{1e5, 1e11, true, "goodput (b/s); inf drawn at top"});
    std::size_t k = 0;
    for (const double rtt_us : axes[1].points) {
        Series s{"RTT " + fmt(rtt_us) + " us", kColors[k++ % kColors.size()]};
        for (const double p : drops) {
            const double bps = t.loss_limited.sample_bps(p, rtt_us * 1e-6, 0.5);
            s.points.emplace_back(p, std::isfinite(bps) ? bps : 1e11);
            s.band_lo.emplace_back(p, t.loss_limited.sample_bps(p, rtt_us * 1e-6, 0.1));
            s.band_hi.emplace_back(p, t.loss_limited.sample_bps(p, rtt_us * 1e-6, 0.9));
        }
        c.add(s);
        if (ref) {
            Series r{"", s.color, true};
            for (const double p : drops) {
                r.points.emplace_back(p, ref->loss_limited.sample_bps(p, rtt_us * 1e-6, 0.5));
            }
            c.add(r);
        }
    }
    if (ref) {
        c.note("dashed: " + ref->name + " medians");
    }
    return c;
}

std::vector<Chart> short_flow_charts(const TransportTables& t, const TransportTables* ref) {
    const auto& axes = t.short_flow_rtts.grid().axes();
    std::vector<Chart> charts;
    for (const double rtt_us : {axes[2].points.front(), 100.0}) {
        Chart c(t.name + ": short-flow RTTs, RTT " + fmt(rtt_us) + " us (median; p99 dotted)",
                Axis{axes[0].points.front(), axes[0].points.back(), true, "flow size (bytes)"},
                Axis{1, 1e5, true, "FCT / RTT"});
        std::size_t k = 0;
        for (const double p : axes[1].points) {
            if (p != 0 && p != 1e-4 && p != 1e-3 && p != 1e-2 && p != 0.1) {
                continue;  // a readable subset of the drop rates
            }
            Series s{"drop " + fmt(p), kColors[k++ % kColors.size()]};
            for (const double size : axes[0].points) {
                s.points.emplace_back(size,
                                      t.short_flow_rtts.sample_rtts(size, p, rtt_us * 1e-6, 0.5));
                s.tail.emplace_back(size,
                                    t.short_flow_rtts.sample_rtts(size, p, rtt_us * 1e-6, 0.99));
            }
            c.add(s);
            if (ref) {
                Series r{"", s.color, true};
                for (const double size : axes[0].points) {
                    r.points.emplace_back(
                        size, ref->short_flow_rtts.sample_rtts(size, p, rtt_us * 1e-6, 0.5));
                }
                c.add(r);
            }
        }
        if (ref) {
            c.note("dashed: " + ref->name + " medians");
        }
        charts.push_back(std::move(c));
    }
    return charts;
}

Chart queueing_chart(const TransportTables& t, const TransportTables* ref) {
    const auto& axes = t.queueing.grid().axes();
    Chart c(t.name + ": queueing delay (median; p99 dotted)", Axis{0, 1, false, "link utilisation"},
            Axis{0.01, 1000, true, "wait (MTU packet times)"});
    std::size_t k = 0;
    for (const double n : axes[1].points) {
        if (n != 1 && n != 4 && n != 16 && n != 128) {
            continue;  // a readable subset
        }
        Series s{std::to_string(static_cast<int>(n)) + " flows", kColors[k++ % kColors.size()]};
        for (const double u : axes[0].points) {
            s.points.emplace_back(u, std::max(0.01, t.queueing.sample_packets(u, n, 0.5)));
            s.tail.emplace_back(u, std::max(0.01, t.queueing.sample_packets(u, n, 0.99)));
        }
        c.add(s);
        if (ref) {
            Series r{"", s.color, true};
            for (const double u : axes[0].points) {
                r.points.emplace_back(u, std::max(0.01, ref->queueing.sample_packets(u, n, 0.5)));
            }
            c.add(r);
        }
    }
    c.note("values below 0.01 drawn at 0.01");
    if (ref) {
        c.note("dashed: " + ref->name + " medians");
    }
    return c;
}

int svg(const std::filesystem::path& set, const std::filesystem::path& out_dir,
        const std::filesystem::path& ref_dir) {
    const auto tables = TransportTables::load(set);
    std::unique_ptr<TransportTables> ref;
    if (!ref_dir.empty()) {
        ref = std::make_unique<TransportTables>(TransportTables::load(ref_dir));
    }
    std::filesystem::create_directories(out_dir);
    const auto base = out_dir / tables.name;
    write_svg(base.string() + "-loss_limited_throughput.svg", {throughput_chart(tables, ref.get())},
              900, 520);
    write_svg(base.string() + "-short_flow_rtts.svg", short_flow_charts(tables, ref.get()), 700,
              480);
    write_svg(base.string() + "-queueing_delay.svg", {queueing_chart(tables, ref.get())}, 900, 480);
    std::printf("wrote %s-*.svg\n", base.string().c_str());
    return 0;
}

// ---- comparison
// ------------------------------------------------------------------------------------

/// "a/b" as a number, or why not: "inf" marks a cell that is not loss-limited.
std::string ratio(double a, double b) {
    if (std::isinf(a) || std::isinf(b)) {
        return "n/a";
    }
    return b > 0 ? fmt(a / b) : (a > 0 ? "n/a" : "1");
}

int compare(const std::filesystem::path& set, const std::filesystem::path& ref_dir) {
    const auto a = TransportTables::load(set);
    const auto b = TransportTables::load(ref_dir);
    std::printf(
        "Median ratio %s / %s\n\nLoss-limited throughput (cells: ratio (%s median vs %s "
        "median, b/s); inf = not loss-limited)\n\n",
        a.name.c_str(), b.name.c_str(), a.name.c_str(), b.name.c_str());
    const std::vector<double> rtts = {10, 100, 1000};
    std::printf("| drop rate |");
    for (const double r : rtts) {
        std::printf(" RTT %s us |", fmt(r).c_str());
    }
    std::printf("\n|---|---|---|---|\n");
    for (const double p : {1e-4, 1e-3, 1e-2, 1e-1}) {
        std::printf("| %s |", fmt(p).c_str());
        for (const double r : rtts) {
            const double x = a.loss_limited.sample_bps(p, r * 1e-6, 0.5);
            const double y = b.loss_limited.sample_bps(p, r * 1e-6, 0.5);
            std::printf(" %s (%s vs %s) |", ratio(x, y).c_str(), fmt(x).c_str(), fmt(y).c_str());
        }
        std::printf("\n");
    }
    std::printf(
        "\nShort-flow RTTs (cells: median ratio, p99 ratio (%s median vs %s median, in "
        "RTTs))\n\n",
        a.name.c_str(), b.name.c_str());
    std::printf("| size | drop rate | RTT 10 us | RTT 100 us |\n|---|---|---|---|\n");
    for (const double size : {10000.0, 100000.0, 1000000.0}) {
        for (const double p : {0.0, 1e-3, 1e-2}) {
            std::printf("| %s | %s |", fmt(size).c_str(), fmt(p).c_str());
            for (const double r : {10.0, 100.0}) {
                const double m = a.short_flow_rtts.sample_rtts(size, p, r * 1e-6, 0.5);
                const double mb = b.short_flow_rtts.sample_rtts(size, p, r * 1e-6, 0.5);
                std::printf(" %s, %s (%s vs %s) |", ratio(m, mb).c_str(),
                            ratio(a.short_flow_rtts.sample_rtts(size, p, r * 1e-6, 0.99),
                                  b.short_flow_rtts.sample_rtts(size, p, r * 1e-6, 0.99))
                                .c_str(),
                            fmt(m).c_str(), fmt(mb).c_str());
            }
            std::printf("\n");
        }
    }
    std::printf("\nQueueing delay in packets, median (p99): %s vs %s\n\n", a.name.c_str(),
                b.name.c_str());
    std::printf("| utilisation | flows | %s | %s |\n|---|---|---|---|\n", a.name.c_str(),
                b.name.c_str());
    for (const double u : {0.5, 0.9, 0.95, 1.0}) {
        for (const double n : {1.0, 16.0, 128.0}) {
            std::printf("| %s | %s | %s (%s) | %s (%s) |\n", fmt(u).c_str(), fmt(n).c_str(),
                        fmt(a.queueing.sample_packets(u, n, 0.5)).c_str(),
                        fmt(a.queueing.sample_packets(u, n, 0.99)).c_str(),
                        fmt(b.queueing.sample_packets(u, n, 0.5)).c_str(),
                        fmt(b.queueing.sample_packets(u, n, 0.99)).c_str());
        }
    }
    return 0;
}

}  // namespace
}  // namespace swarm::plot

int main(int argc, char** argv) {
    const std::string usage =
        "usage: swarm_plot_tables svg <set-dir> <out-dir> [<reference-set-dir>]\n"
        "       swarm_plot_tables compare <set-dir> <reference-set-dir>\n";
    try {
        const std::string mode = argc > 1 ? argv[1] : "";
        if (mode == "svg" && (argc == 4 || argc == 5)) {
            return swarm::plot::svg(argv[2], argv[3], argc == 5 ? argv[4] : "");
        }
        if (mode == "compare" && argc == 4) {
            return swarm::plot::compare(argv[2], argv[3]);
        }
        std::cerr << usage;
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "swarm_plot_tables: " << e.what() << '\n';
        return 1;
    }
}
