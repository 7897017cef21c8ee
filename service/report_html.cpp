#include "service/report_html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "estimator/helper/ranking_json.h"
#include "estimator/mitigation/mitigation_model.h"
#include "service/ranking_explanation.h"
#include "service/ranking_table.h"
#include "service/report_charts.h"

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

std::string format_value(const std::string& metric_key, double v) {
    return is_throughput(metric_key) ? cli::format_rate(v) : cli::format_duration(v);
}

std::string format_value(const std::string& metric_key, const json& value) {
    if (!value.is_number()) return "&ndash;";
    const double v = value.get<double>();
    return html_escape(is_throughput(metric_key) ? cli::format_rate(v) : cli::format_duration(v));
}

/// "p1_throughput_bps" -> "p1_throughput": the metric's name as the comparator, the CLI table
/// and the CSV spell it (the JSON key adds the unit).
std::string metric_label(const std::string& key) { return key.substr(0, key.rfind('_')); }

// ---- what the estimator assumed ----------------------------------------------------------------

std::string node_name(const Incident& incident, NodeId n) { return incident.topology.node(n).name; }
std::string link_name(const Incident& incident, LinkId l) {
    return link_label(incident.topology, l);
}

std::string describe(const Incident& incident, const Failure& failure) {
    return std::visit(
        [&](const auto& f) -> std::string {
            using T = std::decay_t<decltype(f)>;
            if constexpr (std::is_same_v<T, LinkLoss>) {
                const Link& link = incident.topology.link(f.link);
                const std::string one_way =
                    !f.from
                        ? ""
                        : " (" + node_name(incident, *f.from) + " → " +
                              node_name(incident, *f.from == link.a ? link.b : link.a) + " only)";
                return "packet loss " + general(f.drop_rate) + " on link " +
                       link_name(incident, f.link) + one_way;
            }
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
                    "% (order-statistic intervals of the median over samples)"));
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

// ---- charts (report_charts.h)
// ------------------------------------------------------------------------------

/// Colour of each connected candidate, in rank order, and the healthy network last.
std::vector<std::pair<std::string, std::string>> series_colours(const json& ranking) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const json& c : ranking) {
        if (c.value("connected", true)) {
            out.emplace_back(c.value("candidate", std::string()),
                             charts::series_colour(out.size()));
        }
    }
    out.emplace_back("healthy", "#666666");
    return out;
}

double number_or_nan(const json& object, const char* key) {
    const json value = object.value(key, json());
    return value.is_number() ? value.get<double>() : NAN;
}

charts::Series series_of(const std::string& name, const std::string& colour,
                         const json& percentiles, const json& points) {
    charts::Series s{name, colour, name == "healthy", {}};
    for (std::size_t i = 0; i < percentiles.size() && i < points.size(); ++i) {
        if (points[i].is_array() && points[i][0].is_number()) {
            s.points.emplace_back(points[i][0].get<double>(), percentiles[i].get<double>());
        }
    }
    return s;
}

void render_charts(std::ostringstream& out, const ReportEntry& entry,
                   const std::vector<std::string>& metric_keys) {
    const json& ranking = entry.result.value("ranking", json::array());
    const json& healthy = entry.result.value("healthy", json::object());
    const auto colours = series_colours(ranking);
    out << "<div class=\"legend\">";
    for (const auto& [name, colour] : colours) {
        out << "<span><i style=\"border-color:" << colour
            << (name == "healthy" ? ";border-style:dashed" : "") << "\"></i>" << html_escape(name)
            << "</span>";
    }
    out << "</div>";

    out << "<h3>Ranking metrics</h3><p class=\"note\">Each candidate's estimate (dot) with its "
           "confidence interval (whiskers), in rank order; the grey line is the healthy network. "
           "Overlapping whiskers mean the estimates cannot tell those candidates apart.</p>"
           "<div class=\"charts\">";
    for (const std::string& key : metric_keys) {
        const auto metric = Metric::parse(metric_label(key));
        charts::DotPlot plot{metric_label(key),
                             !metric || metric->higher_is_better(),
                             [&key](double v) { return format_value(key, v); },
                             {},
                             NAN};
        for (const json& c : ranking) {
            const std::string name = c.value("candidate", std::string());
            const auto colour = std::find_if(colours.begin(), colours.end(),
                                             [&](const auto& e) { return e.first == name; });
            const json m = c.contains("metrics") ? c["metrics"].value(key, json()) : json();
            charts::Dot dot{name, NAN, NAN, NAN,
                            colour == colours.end() ? "#999999" : colour->second};
            if (m.is_object()) {
                dot.estimate = number_or_nan(m, "estimate");
                dot.ci_low = number_or_nan(m, "ci_low");
                dot.ci_high = number_or_nan(m, "ci_high");
            }
            plot.dots.push_back(dot);
        }
        const json h = healthy.value(key, json());
        if (h.is_object()) plot.healthy = number_or_nan(h, "estimate");
        out << charts::dot_plot(plot);
    }
    out << "</div>";

    const json& curves = entry.curves;
    if (!curves.is_object() || !curves.contains("percentiles")) return;
    out << "<h3>Distributions</h3><p class=\"note\">Every candidate and the healthy network "
           "(dashed) on one chart per quantity. Throughput: the fraction of long flows at or below "
           "each rate (the low tail, where p1 lives, at the bottom). FCT: the fraction of short "
           "flows slower than each time (the high tail, where p99 lives, at the bottom). The "
           "fraction axis is logarithmic, and so is the value axis when the values span a decade "
           "or more. Points are the mean over samples of each percentile (1 to 99).</p>"
           "<div class=\"charts\">";
    const std::pair<const char*, bool> quantities[] = {{"throughput_bps", false}, {"fct_s", true}};
    for (const auto& [quantity, upper] : quantities) {
        charts::DistributionChart chart;
        chart.title = upper ? "short-flow FCT (CCDF)" : "long-flow throughput (CDF)";
        chart.value_label = upper ? "flow completion time" : "throughput";
        chart.upper_tail = upper;
        const std::string key = quantity;
        chart.format = [key](double v) {
            return is_throughput(key) ? cli::format_rate(v) : cli::format_duration(v);
        };
        for (const auto& [name, colour] : colours) {
            chart.series.push_back(
                series_of(name, colour, curves["percentiles"],
                          curves.value(quantity, json::object()).value(name, json::array())));
        }
        out << charts::distribution_chart(chart);
    }
    out << "</div>";
}

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
    out << "<th>censored</th><th>why above the next</th></tr></thead><tbody>";
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
            out << "<td>" << fixed(100.0 * c.value("censored_fraction", 0.0), 1)
                << "%</td><td class=\"why\">"
                << (c.contains("explanation")
                        ? html_escape(explanation_text(entry.incident, c["explanation"]))
                        : "");
            if (c.contains("explanation") && c["explanation"].contains("busiest_channels")) {
                out << "<div class=\"diagnosis\">" << html_escape(diagnosis_text(c["explanation"]))
                    << "</div>";
            }
            out << "</td>";
        } else {
            out << "<td colspan=\"" << metric_keys.size() + 2
                << "\">not estimated: " << html_escape(c.value("reason", std::string())) << "</td>";
        }
        out << "</tr>";
    }
    out << "<tr class=\"baseline\"><td></td><td class=\"name\">healthy</td><td "
           "class=\"actions\">every failure removed</td>";
    cells(healthy);
    out << "<td></td><td></td></tr></tbody></table>";
    out << "<p class=\"note\">Estimates with their " << general(100.0 * confidence)
        << "% confidence intervals in brackets. Rank 1 is the recommended mitigation. "
           "<em>censored</em>: long flows still "
           "running at the end of the simulated interval.</p>";

    render_charts(out, entry, metric_keys);
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
table.ranking td.name { font-weight: 600; } table.ranking td.why { font-size: 13px; max-width: 300px; } table.ranking td.why .diagnosis { color: var(--muted); font-size: 12px; margin-top: 4px; } table.ranking td.actions { color: var(--muted); font-size: 13px; max-width: 320px; }
table.ranking tr.best { background: var(--best); } table.ranking tr.baseline td { font-style: italic; color: var(--muted); border-top: 2px solid var(--line); }
table.ranking tr.partitioned td { color: #a33; } table.ranking tr:hover { outline: 1px solid var(--accent); }
.value { display: block; } .ci { display: block; color: var(--muted); font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 12px 0 4px; font-size: 13px; }
.legend i { display: inline-block; width: 26px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 6px; }
svg.chart { display: block; border: 1px solid var(--line); border-radius: 6px; } svg .grid { stroke: #eceff4; stroke-width: 1; }
svg .series { fill: none; stroke-width: 2; } svg .series.healthy { stroke-dasharray: 6 4; stroke-width: 1.5; }
svg .whisker { stroke-width: 2; } svg .healthy-line { stroke: #888; stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .row-label { font-size: 12px; fill: var(--fg); }
svg .tick { font-size: 10px; fill: var(--muted); } svg .axis-label { font-size: 11px; fill: var(--muted); }
svg .plot-title { font-size: 12px; font-weight: 600; fill: var(--fg); }
svg .empty { font-size: 12px; fill: var(--muted); }
dl.assumptions { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font-size: 14px; max-width: 1100px; }
dl.assumptions dt { color: var(--muted); } dl.assumptions dd { margin: 0; } dl.assumptions ul { margin: 0; padding-left: 18px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
)css";

// After rendering: marks the page (the report test reads data-rendered and data-plots with
// --dump-dom).
constexpr const char* kScript = R"js(
(function () {
  document.body.setAttribute('data-rendered', 'ok');
  document.body.setAttribute('data-plots', String(document.querySelectorAll('svg.chart').length));
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
