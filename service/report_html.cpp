#include "service/report_html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "estimator/helper/ranking_json.h"
#include "estimator/mitigation/mitigation_model.h"
#include "service/ranking_table.h"

namespace swarm::service {

namespace {

using nlohmann::json;

std::string fixed(double value, int digits) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", digits, value);
    return text;
}

std::string general(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

bool is_throughput(const std::string& metric_key) { return metric_key.ends_with("_bps"); }

std::string format_value(const std::string& metric_key, const json& value) {
    if (!value.is_number()) return "&ndash;";
    const double v = value.get<double>();
    return html_escape(is_throughput(metric_key) ? cli::format_rate(v) : cli::format_duration(v));
}

/// "p1_throughput_bps" -> "p1 throughput"; "p99_fct_s" -> "p99 FCT".
std::string metric_label(const std::string& key) {
    std::string name = key.substr(0, key.rfind('_'));
    const std::size_t underscore = name.find('_');
    std::string stat = name.substr(0, underscore);
    std::string quantity = name.substr(underscore + 1);
    if (stat == "avg") stat = "mean";
    return stat + " " + (quantity == "fct" ? "FCT" : quantity);
}

// ---- SVG percentile curves ---------------------------------------------------------------------

struct Axis {
    double lo = 0.0;
    double hi = 1.0;
};

/// The range of every finite value (estimates and interval ends) of one quantity, padded.
Axis axis_of(const json& curves) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& [name, points] : curves.items()) {
        for (const json& p : points) {
            if (!p.is_array()) continue;
            for (const json& v : p) {
                if (!v.is_number()) continue;
                lo = std::min(lo, v.get<double>());
                hi = std::max(hi, v.get<double>());
            }
        }
    }
    if (!std::isfinite(lo)) return {};
    if (hi <= lo) hi = lo + std::max(std::abs(lo) * 0.1, 1e-12);
    const double pad = (hi - lo) * 0.05;
    return {std::max(0.0, lo - pad), hi + pad};
}

std::string svg_curve(const std::string& title, bool throughput, const json& percentiles,
                      const json& points, const json& healthy, const Axis& axis) {
    constexpr double width = 400, height = 230, left = 46, right = 34, top = 26, bottom = 40;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    auto x_of = [&](double v) { return left + (v - axis.lo) / (axis.hi - axis.lo) * plot_w; };
    auto y_of = [&](double p) { return top + (1.0 - p / 100.0) * plot_h; };
    auto label = [&](double v) {
        return throughput ? cli::format_rate(v) : cli::format_duration(v);
    };

    std::ostringstream svg;
    svg << "<svg class=\"curve\" role=\"img\" viewBox=\"0 0 " << width << " " << height
        << "\" width=\"" << width << "\" height=\"" << height << "\" aria-label=\""
        << html_escape(title) << "\">";
    svg << "<text class=\"plot-title\" x=\"" << left << "\" y=\"16\">" << html_escape(title)
        << "</text>";
    // Grid and axes.
    for (int p = 0; p <= 100; p += 25) {
        svg << "<line class=\"grid\" x1=\"" << left << "\" x2=\"" << left + plot_w << "\" y1=\""
            << y_of(p) << "\" y2=\"" << y_of(p) << "\"/>";
        svg << "<text class=\"tick\" text-anchor=\"end\" x=\"" << left - 4 << "\" y=\""
            << y_of(p) + 4 << "\">" << p << "</text>";
    }
    for (int t = 0; t <= 4; ++t) {
        const double v = axis.lo + (axis.hi - axis.lo) * t / 4.0;
        svg << "<line class=\"grid\" x1=\"" << x_of(v) << "\" x2=\"" << x_of(v) << "\" y1=\"" << top
            << "\" y2=\"" << top + plot_h << "\"/>";
        svg << "<text class=\"tick\" text-anchor=\"middle\" x=\"" << x_of(v) << "\" y=\""
            << top + plot_h + 14 << "\">" << html_escape(label(v)) << "</text>";
    }
    svg << "<text class=\"axis-label\" text-anchor=\"middle\" x=\"" << left + plot_w / 2
        << "\" y=\"" << height - 6 << "\">"
        << (throughput ? "long-flow throughput" : "short-flow completion time") << "</text>";
    svg << "<text class=\"axis-label\" transform=\"rotate(-90)\" text-anchor=\"middle\" x=\""
        << -(top + plot_h / 2) << "\" y=\"12\">percentile</text>";

    // Confidence band: the interval of each percentile's estimate, joined into one polygon.
    std::vector<std::pair<double, double>> upper, lower, centre, base;
    for (std::size_t i = 0; i < percentiles.size(); ++i) {
        const double p = percentiles[i].get<double>();
        if (i < points.size() && points[i].is_array() && points[i][0].is_number()) {
            const double est = points[i][0].get<double>();
            const double lo = points[i][1].is_number() ? points[i][1].get<double>() : est;
            const double hi = points[i][2].is_number() ? points[i][2].get<double>() : est;
            centre.emplace_back(x_of(est), y_of(p));
            lower.emplace_back(x_of(lo), y_of(p));
            upper.emplace_back(x_of(hi), y_of(p));
        }
        if (i < healthy.size() && healthy[i].is_array() && healthy[i][0].is_number()) {
            base.emplace_back(x_of(healthy[i][0].get<double>()), y_of(p));
        }
    }
    auto path = [](const std::vector<std::pair<double, double>>& xy) {
        std::ostringstream d;
        for (std::size_t i = 0; i < xy.size(); ++i)
            d << (i ? " L" : "M") << fixed(xy[i].first, 1) << "," << fixed(xy[i].second, 1);
        return d.str();
    };
    if (!centre.empty()) {
        std::ostringstream band;
        for (const auto& [x, y] : lower) band << fixed(x, 1) << "," << fixed(y, 1) << " ";
        for (auto it = upper.rbegin(); it != upper.rend(); ++it)
            band << fixed(it->first, 1) << "," << fixed(it->second, 1) << " ";
        svg << "<polygon class=\"band\" points=\"" << band.str() << "\"/>";
    }
    if (!base.empty()) svg << "<path class=\"healthy\" d=\"" << path(base) << "\"/>";
    if (!centre.empty()) {
        svg << "<path class=\"estimate\" d=\"" << path(centre) << "\"/>";
        for (const auto& [x, y] : centre)
            svg << "<circle class=\"dot\" cx=\"" << fixed(x, 1) << "\" cy=\"" << fixed(y, 1)
                << "\" r=\"2\"/>";
    } else {
        svg << "<text class=\"empty\" text-anchor=\"middle\" x=\"" << left + plot_w / 2 << "\" y=\""
            << top + plot_h / 2 << "\">no flows of this kind were measured</text>";
    }
    svg << "</svg>";
    return svg.str();
}

// ---- what the estimator assumed ----------------------------------------------------------------

std::string node_name(const Incident& incident, NodeId n) { return incident.topology.node(n).name; }
std::string link_name(const Incident& incident, LinkId l) { return incident.topology.link_name(l); }

std::string describe(const Incident& incident, const Failure& failure) {
    return std::visit(
        [&](const auto& f) -> std::string {
            using T = std::decay_t<decltype(f)>;
            if constexpr (std::is_same_v<T, LinkLoss>)
                return "packet loss " + general(f.drop_rate) + " on link " +
                       link_name(incident, f.link);
            if constexpr (std::is_same_v<T, LinkDown>)
                return "link " + link_name(incident, f.link) + " down";
            if constexpr (std::is_same_v<T, LinkCapacity>)
                return "link " + link_name(incident, f.link) + " at " +
                       general(100.0 * f.fraction) + "% capacity";
            if constexpr (std::is_same_v<T, NodeLoss>)
                return "packet loss " + general(f.drop_rate) + " at switch " +
                       node_name(incident, f.node);
            if constexpr (std::is_same_v<T, NodeDown>)
                return "switch " + node_name(incident, f.node) + " down";
            if constexpr (std::is_same_v<T, LinkBlackhole>)
                return "link " + link_name(incident, f.link) + " silently drops everything";
            if constexpr (std::is_same_v<T, NodeBlackhole>)
                return "switch " + node_name(incident, f.node) + " silently drops everything";
            if constexpr (std::is_same_v<T, RoutingBug>)
                return "routing bug at switch " + node_name(incident, f.node) + ": " +
                       (f.next_hops.empty() ? "blackholes " : "misroutes ") +
                       std::to_string(f.destinations.size()) + " destination rack(s) in episodes";
        },
        failure);
}

std::string describe(const Incident& incident, const Action& action) {
    return std::visit(
        [&](const auto& a) -> std::string {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, DisableLink>)
                return "disable link " + link_name(incident, a.link);
            if constexpr (std::is_same_v<T, EnableLink>)
                return "enable link " + link_name(incident, a.link);
            if constexpr (std::is_same_v<T, DisableNode>)
                return "drain switch " + node_name(incident, a.node);
            if constexpr (std::is_same_v<T, EnableNode>)
                return "enable switch " + node_name(incident, a.node);
            if constexpr (std::is_same_v<T, SetWcmp>) {
                std::string text = "WCMP at " + node_name(incident, a.node) + ":";
                for (const auto& [n, w] : a.weights)
                    text += " " + node_name(incident, n) + "=" + general(w);
                return text;
            }
            if constexpr (std::is_same_v<T, MoveTraffic>) {
                return "move " + general(100.0 * a.fraction) + "% of " +
                       node_name(incident, a.from) + "'s traffic to " + node_name(incident, a.to);
            }
            if constexpr (std::is_same_v<T, ModelAction>)
                return a.model->describe(incident.topology);
        },
        action);
}

std::string describe_actions(const Incident& incident, const std::vector<Action>& actions) {
    if (actions.empty()) return "no action";
    std::string text;
    for (const Action& a : actions) text += (text.empty() ? "" : "; ") + describe(incident, a);
    return text;
}

std::string describe_pattern(const TrafficPattern& pattern) {
    if (std::holds_alternative<UniformPattern>(pattern))
        return "uniform: every other server equally likely";
    if (const auto* l = std::get_if<LocalityPattern>(&pattern)) {
        return "locality: same rack " + general(l->same_rack) + ", same pod " +
               general(l->same_pod) + ", other pod " + general(l->other_pod);
    }
    return "ToR-to-ToR matrix";
}

std::string describe_comparator(const ComparatorSpec& comparator) {
    if (const auto* p = std::get_if<PriorityComparatorSpec>(&comparator)) {
        std::string order;
        for (const Metric& m : p->order) order += (order.empty() ? "" : " &rarr; ") + m.name();
        return "priority: " + order + " (values within " + general(100.0 * p->tie_tolerance) +
               "% tie and the next metric decides)";
    }
    std::string weights;
    for (const auto& [m, w] : std::get<LinearComparatorSpec>(comparator).weights) {
        weights += (weights.empty() ? "" : ", ") + general(w) + " &times; " + m.name();
    }
    return "linear, normalised by the healthy network: " + weights;
}

void row(std::ostringstream& out, const std::string& term, const std::string& value_html) {
    out << "<dt>" << html_escape(term) << "</dt><dd>" << value_html << "</dd>";
}

std::string assumptions(const Incident& incident, const json& result) {
    const Topology& topo = incident.topology;
    const json& samples = result.value("samples", json::object());
    std::ostringstream out;
    out << "<dl class=\"assumptions\">";
    row(out, "topology",
        std::to_string(topo.node_count() - topo.servers().size()) + " switches (" +
            std::to_string(topo.tors().size()) + " ToRs), " +
            std::to_string(topo.servers().size()) + " servers, " +
            std::to_string(topo.link_count()) + " links");
    row(out, "routing",
        incident.routing.wcmp.empty()
            ? "ECMP"
            : "WCMP with static weights at " + std::to_string(incident.routing.wcmp.size()) +
                  " switches");
    std::string failures;
    for (const Failure& f : incident.failures)
        failures += "<li>" + html_escape(describe(incident, f)) + "</li>";
    row(out, "failures", failures.empty() ? "none" : "<ul>" + failures + "</ul>");
    row(out, "ongoing mitigations",
        html_escape(describe_actions(incident, incident.ongoing_mitigations)));
    const TrafficSpec& t = incident.traffic;
    row(out, "traffic",
        html_escape(general(t.arrival_rate_per_server) +
                    " flows/s per server (Poisson), sizes from \"" + t.flow_size.name + "\", " +
                    describe_pattern(t.pattern)));
    row(out, "simulated interval",
        html_escape(general(t.duration.value) + " s; flows starting in [" +
                    general(t.window_start.value) + ", " + general(t.window_end.value) +
                    ") s are measured"));
    const EstimatorSpec& e = incident.estimator;
    row(out, "samples",
        html_escape(
            std::to_string(samples.value("traffic", 0)) + " traffic x " +
            std::to_string(samples.value("routing", 0)) + " routing samples; DKW asks for " +
            std::to_string(samples.value("dkw_required", 0)) + " at epsilon " + general(e.epsilon) +
            ", these achieve epsilon " + fixed(samples.value("dkw_epsilon", 0.0), 3)));
    row(out, "confidence",
        html_escape(general(100.0 * e.confidence) +
                    "% (Student-t intervals of the mean over samples)"));
    row(out, "epoch", html_escape(general(e.epoch.value * 1e3) + " ms"));
    row(out, "short flows",
        html_escape("up to " + general(e.short_flow_threshold.value) +
                    " bytes (FCT); longer flows give throughput"));
    row(out, "seed",
        html_escape(result.contains("seed") ? result["seed"].dump() : std::to_string(e.seed)));
    row(out, "comparator", describe_comparator(incident.comparator));
    row(out, "transport tables", html_escape(result.value("tables", std::string("?"))));
    row(out, "swarm version", html_escape(result.value("swarm_version", std::string("?"))));
    row(out, "elapsed", html_escape(fixed(result.value("elapsed_s", 0.0), 2) + " s"));
    row(out, "model",
        "Long flows share links max-min fairly, each capped by its loss-limited rate from the "
        "transport tables, epoch by "
        "epoch (SWARM &sect;3.3, Algorithm 1); short flows take table-drawn RTT counts times path "
        "RTT plus queueing. "
        "Every candidate sees the same traffic samples (common random numbers). <em>healthy</em> "
        "is the same network with "
        "every failure and ongoing mitigation removed. Curves show, for each percentile, the mean "
        "over samples of that "
        "percentile and its confidence interval. See docs/model.md.");
    out << "</dl>";
    return out.str();
}

// ---- one incident
// --------------------------------------------------------------------------------

void render_entry(std::ostringstream& out, const ReportEntry& entry, std::size_t index) {
    const json& result = entry.result;
    const json& ranking = result.value("ranking", json::array());
    const json& healthy = result.value("healthy", json::object());
    // Columns in the comparator's order (what decided the ranking), then the other metrics.
    std::vector<std::string> metric_keys;
    auto add_key = [&](const std::string& key) {
        if (healthy.contains(key) &&
            std::find(metric_keys.begin(), metric_keys.end(), key) == metric_keys.end()) {
            metric_keys.push_back(key);
        }
    };
    if (const auto* p = std::get_if<PriorityComparatorSpec>(&entry.incident.comparator)) {
        for (const Metric& m : p->order) add_key(metric_json_name(m));
    } else {
        for (const auto& [m, w] : std::get<LinearComparatorSpec>(entry.incident.comparator).weights)
            add_key(metric_json_name(m));
    }
    for (const auto& [key, value] : healthy.items()) add_key(key);

    out << "<section class=\"incident\" id=\"incident-" << index << "\">";
    out << "<h2>" << html_escape(entry.incident.name) << " <small>" << html_escape(entry.source)
        << "</small></h2>";
    if (!entry.incident.description.empty())
        out << "<p class=\"description\">" << html_escape(entry.incident.description) << "</p>";

    const double confidence = result.value("samples", json::object()).value("confidence", 0.95);
    out << "<table class=\"ranking\"><thead><tr><th>rank</th><th>candidate</th><th>actions</th>";
    for (const std::string& key : metric_keys)
        out << "<th>" << html_escape(metric_label(key)) << "</th>";
    out << "<th>censored</th></tr></thead><tbody>";
    auto cells = [&](const json& metrics) {
        for (const std::string& key : metric_keys) {
            const json m = metrics.is_object() ? metrics.value(key, json(nullptr)) : json(nullptr);
            if (!m.is_object()) {
                out << "<td>&ndash;</td>";
                continue;
            }
            out << "<td><span class=\"value\">" << format_value(key, m["estimate"])
                << "</span><span class=\"ci\">[" << format_value(key, m["ci_low"]) << ", "
                << format_value(key, m["ci_high"]) << "]</span></td>";
        }
    };
    for (const json& c : ranking) {
        const std::string name = c.value("candidate", std::string());
        std::string actions;
        for (const Candidate& candidate : entry.incident.candidates) {
            if (candidate.name == name) {
                actions = html_escape(describe_actions(entry.incident, candidate.actions));
                if (!candidate.description.empty())
                    actions += " &mdash; " + html_escape(candidate.description);
            }
        }
        const bool connected = c.value("connected", true);
        out << "<tr class=\"" << (c.value("rank", 0) == 1 ? "best" : "")
            << (connected ? "" : " partitioned") << "\"><td>" << c.value("rank", 0)
            << "</td><td class=\"name\">" << html_escape(name) << "</td><td class=\"actions\">"
            << actions << "</td>";
        if (connected) {
            cells(c["metrics"]);
            out << "<td>" << fixed(100.0 * c.value("censored_fraction", 0.0), 1) << "%</td>";
        } else {
            out << "<td colspan=\"" << metric_keys.size() + 1
                << "\">not estimated: " << html_escape(c.value("reason", std::string())) << "</td>";
        }
        out << "</tr>";
    }
    out << "<tr class=\"baseline\"><td></td><td class=\"name\">healthy</td><td "
           "class=\"actions\">every failure removed</td>";
    cells(healthy);
    out << "<td></td></tr></tbody></table>";
    out << "<p class=\"note\">Estimates with their " << general(100.0 * confidence)
        << "% confidence intervals in brackets. Rank 1 is the recommended mitigation. "
           "<em>censored</em>: long flows still "
           "running at the end of the simulated interval.</p>";

    const json& curves = entry.curves;
    if (curves.is_object() && curves.contains("percentiles")) {
        const Axis throughput_axis = axis_of(curves["throughput_bps"]);
        const Axis fct_axis = axis_of(curves["fct_s"]);
        out << "<h3>Percentile curves</h3><p class=\"note\">Solid: the candidate, with its "
               "confidence band. Dashed: the "
               "healthy network. Read a point as &ldquo;p% of flows do at most this well&rdquo;; "
               "the axes are shared "
               "across candidates.</p><div class=\"curves\">";
        for (const json& c : ranking) {
            const std::string name = c.value("candidate", std::string());
            out << "<figure class=\"candidate\"><figcaption>#" << c.value("rank", 0) << " "
                << html_escape(name) << "</figcaption>";
            if (!c.value("connected", true)) {
                out << "<p class=\"empty\">not estimated: "
                    << html_escape(c.value("reason", std::string())) << "</p>";
            } else {
                out << svg_curve(name + ": long-flow throughput", true, curves["percentiles"],
                                 curves["throughput_bps"].value(name, json::array()),
                                 curves["throughput_bps"].value("healthy", json::array()),
                                 throughput_axis);
                out << svg_curve(name + ": short-flow FCT", false, curves["percentiles"],
                                 curves["fct_s"].value(name, json::array()),
                                 curves["fct_s"].value("healthy", json::array()), fct_axis);
            }
            out << "</figure>";
        }
        out << "</div>";
    }
    out << "<h3>What the estimator assumed</h3>" << assumptions(entry.incident, result);
    out << "</section>";
}

constexpr const char* kStyle = R"css(
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #1f6feb; --band: rgba(31,111,235,0.18); --best: #e8f5e9; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); margin: 0; padding: 24px 32px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 28px 0 6px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h2 small { color: var(--muted); font-weight: normal; font-size: 14px; } h3 { font-size: 16px; margin: 20px 0 6px; }
.meta, .note, .description { color: var(--muted); font-size: 13px; margin: 4px 0; }
nav ul { padding-left: 18px; margin: 6px 0; }
table.ranking { border-collapse: collapse; margin: 10px 0; font-variant-numeric: tabular-nums; }
table.ranking th, table.ranking td { border-bottom: 1px solid var(--line); padding: 6px 10px; text-align: left; vertical-align: top; }
table.ranking th { font-size: 13px; color: var(--muted); font-weight: 600; }
table.ranking td.name { font-weight: 600; } table.ranking td.actions { color: var(--muted); font-size: 13px; max-width: 320px; }
table.ranking tr.best { background: var(--best); } table.ranking tr.baseline td { font-style: italic; color: var(--muted); border-top: 2px solid var(--line); }
table.ranking tr.partitioned td { color: #a33; } table.ranking tr:hover { outline: 1px solid var(--accent); }
.value { display: block; } .ci { display: block; color: var(--muted); font-size: 12px; }
.curves { display: flex; flex-wrap: wrap; gap: 14px; }
figure.candidate { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
figure.candidate figcaption { font-weight: 600; margin-bottom: 4px; }
svg.curve { display: block; } svg .grid { stroke: #eceff4; stroke-width: 1; }
svg .tick { font-size: 10px; fill: var(--muted); } svg .axis-label { font-size: 11px; fill: var(--muted); }
svg .plot-title { font-size: 12px; font-weight: 600; fill: var(--fg); }
svg .band { fill: var(--band); stroke: none; } svg .estimate { fill: none; stroke: var(--accent); stroke-width: 2; }
svg .dot { fill: var(--accent); } svg .healthy { fill: none; stroke: #666; stroke-width: 1.5; stroke-dasharray: 5 4; }
svg .empty { font-size: 12px; fill: var(--muted); }
dl.assumptions { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font-size: 14px; max-width: 1100px; }
dl.assumptions dt { color: var(--muted); } dl.assumptions dd { margin: 0; } dl.assumptions ul { margin: 0; padding-left: 18px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
)css";

// After rendering: marks the page (the report test reads data-rendered with --dump-dom) and
// lets a click on a ranking row scroll to that candidate's curves.
constexpr const char* kScript = R"js(
(function () {
  var plots = document.querySelectorAll('svg.curve').length;
  document.querySelectorAll('table.ranking tbody tr').forEach(function (row) {
    var name = row.querySelector('td.name');
    if (!name) return;
    row.style.cursor = 'pointer';
    row.addEventListener('click', function () {
      var section = row.closest('section');
      section.querySelectorAll('figcaption').forEach(function (caption) {
        if (caption.textContent.split(' ').slice(1).join(' ') === name.textContent) caption.scrollIntoView({behavior: 'smooth'});
      });
    });
  });
  document.body.setAttribute('data-rendered', 'ok');
  document.body.setAttribute('data-plots', String(plots));
})();
)js";

}  // namespace

std::string html_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string render_report_html(const std::vector<ReportEntry>& entries) {
    std::ostringstream out;
    const std::string title =
        entries.size() == 1 ? "swarm report: " + entries[0].incident.name
                            : "swarm report: " + std::to_string(entries.size()) + " incidents";
    const std::string version =
        entries.empty() ? SWARM_VERSION
                        : entries[0].result.value("swarm_version", std::string(SWARM_VERSION));
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
           "'unsafe-inline'; "
           "script-src 'unsafe-inline'; img-src data:\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        << "<title>" << html_escape(title) << "</title><style>" << kStyle
        << "</style></head><body>";
    out << "<header><h1>" << html_escape(title)
        << "</h1><p class=\"meta\">Mitigations ranked by estimated "
           "connection-level performance (SWARM). swarm "
        << html_escape(version) << ".</p></header>";
    if (entries.size() > 1) {
        out << "<nav><ul>";
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const json& ranking = entries[i].result.value("ranking", json::array());
            out << "<li><a href=\"#incident-" << i << "\">" << html_escape(entries[i].incident.name)
                << "</a>"
                << (ranking.empty() ? ""
                                    : " &mdash; best: " +
                                          html_escape(ranking[0].value("candidate", std::string())))
                << "</li>";
        }
        out << "</ul></nav>";
    }
    if (entries.empty()) out << "<p>No incident was ranked.</p>";
    for (std::size_t i = 0; i < entries.size(); ++i) render_entry(out, entries[i], i);
    out << "<footer>Generated by swarm " << html_escape(version)
        << ". Self-contained: no scripts, styles or fonts are fetched.</footer>";
    out << "<script>" << kScript << "</script></body></html>\n";
    return out.str();
}

}  // namespace swarm::service
