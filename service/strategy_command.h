// `swarm rank --strategy NAME`: what a baseline (NetPilot, CorrOpt, the operator playbook;
// SWARM §4.1) would pick for each incident, instead of swarm's own ranking.
#pragma once

#include "service/rank_command.h"

namespace swarm::cli {

/// Prints each requested strategy's pick ("all" = every baseline) for every input file.
/// Exit codes as for rank: 0 ok, 1 a file failed, 2 bad usage (unknown strategy).
int run_strategies(const RankArguments& args);

}  // namespace swarm::cli
