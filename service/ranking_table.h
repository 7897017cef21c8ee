// Human-readable rendering of a Ranking for the terminal (`swarm rank`, default format).
#pragma once

#include <string>

#include "swarm/ranking.h"

namespace swarm::cli {

std::string render_table(const Ranking& ranking);
/// "1.23 Gbps", "850 Mbps"; "12.3 ms", "410 us".
std::string format_rate(double bps);
std::string format_duration(double seconds);

}  // namespace swarm::cli
