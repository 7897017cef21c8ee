// The bug-tolerant router's voting strategies in numbers (Keller thesis ch. 2): the fault rate
// each strategy measured with R instances (§2.5.1, "Fault rate" and "Waiting time"), how long
// a buggy route stays in the FIB before the voter corrects it (§2.3.2, §2.4.2), the voter's
// waiting time (§2.5.1) and the FIB pass-through delay of R instances (§2.5.2). Pure functions:
// the model (bug_tolerant_router.h) applies them; docs/models/bug-tolerant-router.md derives
// each from the thesis and marks the proposals.
#pragma once

#include <string>

namespace swarm {

enum class VotingStrategy { MasterSlave, ContinuousMajority, WaitForConsensus };

/// "master_slave", "continuous_majority", "wait_for_consensus".
std::string strategy_name(VotingStrategy strategy);

struct BtrConfig {
    VotingStrategy strategy = VotingStrategy::ContinuousMajority;
    int instances = 3;         ///< R, running and voting
    int standby = 0;           ///< diverse copies kept stopped, started when one fails
    int consensus = 3;         ///< K, wait-for-consensus only (the thesis's "wait-3")
    double stability_s = 0.5;  ///< T, an output must be stable this long to be voted on
};

/// §2.5.2: FIB pass-through time of one instance behind the hypervisor, 0.06 s.
inline constexpr double kFibPassThroughS = 0.06;

/// The fraction of time a buggy route still reaches the FIB (§2.5.1). Measured points: R = 3
/// and 4 for each strategy, and R = 3 with one standby under continuous-majority. Other R
/// continue the measured R = 3 -> 4 ratio geometrically (proposal); a standby counts as an
/// extra instance times the measured standby penalty 0.0008% / 0.0006% (proposal).
double btr_fault_rate(const BtrConfig& config);

/// How long a single buggy instance's route stays in the FIB before the voter replaces it:
/// master/slave outputs the master at once and fails over once the slaves' stable outputs
/// disagree, after T plus one FIB pass-through (§2.3.2, §2.4.2); the voting strategies never
/// let a minority's output through (§2.3.2), so 0.
double btr_exposed_s(const BtrConfig& config);

/// The voter's mean waiting time from a new best route to its output (§2.5.1): master/slave
/// 0.02 s, continuous-majority 0.035 s; wait-for-consensus rises linearly in K from 0.035 s at
/// a bare majority to one pass-through time (0.06 s) at K = R (proposal: the thesis bounds it by
/// "less delay than the pass-through time for a single instance").
double btr_voter_wait_s(const BtrConfig& config);

/// The FIB pass-through delay R instances add to a standard router (§2.5.2, Fig. 2.7): +0.08%
/// for the hypervisor, then +1.7% at R = 3 and +4.6% at R = 5 of 0.06 s, linear in R between
/// and beyond the measured points (proposal beyond R = 5).
double btr_fib_extra_delay_s(int instances);

/// The smallest K wait-for-consensus accepts: a majority of R.
inline int btr_majority(int instances) { return instances / 2 + 1; }

}  // namespace swarm
