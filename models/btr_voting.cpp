#include "models/btr_voting.h"

#include <algorithm>
#include <cmath>

namespace swarm {

namespace {

/// §2.5.1 "Fault rate": the measured fault rates with R = 3 and R = 4 instances.
struct MeasuredPair {
    double r3;
    double r4;
};

MeasuredPair measured(VotingStrategy strategy) {
    switch (strategy) {
        case VotingStrategy::MasterSlave:
            return {
                0.089e-2,
                0.06e-2};  // "with master/slave the fault rate only decreases from 0.089% to 0.06%"
        case VotingStrategy::ContinuousMajority:
            return {0.02e-2, 0.0006e-2};  // "if R = 3 ... 0.02%. Increasing R to 4 reduced the
                                          // fault rate to 0.0006%"
        case VotingStrategy::WaitForConsensus:
            break;
    }
    return {0.088e-2,
            0.003e-2};  // "the fault rate decreases from 0.088% to 0.003% with wait-for-consensus"
}

/// §2.5.1: "using a standby router with R = 3 reduced the fault rate to 0.0008%", against
/// 0.0006% for R = 4: a standby is an instance that counts 4/3 as much fault time.
constexpr double kStandbyPenalty = 0.0008 / 0.0006;

double fault_rate_running(VotingStrategy strategy, int instances) {
    const MeasuredPair m = measured(strategy);
    return m.r3 * std::pow(m.r4 / m.r3, instances - 3);
}

}  // namespace

std::string strategy_name(VotingStrategy strategy) {
    switch (strategy) {
        case VotingStrategy::MasterSlave:
            return "master_slave";
        case VotingStrategy::ContinuousMajority:
            return "continuous_majority";
        case VotingStrategy::WaitForConsensus:
            break;
    }
    return "wait_for_consensus";
}

double btr_fault_rate(const BtrConfig& config) {
    const double rate = fault_rate_running(config.strategy, config.instances + config.standby);
    return config.standby > 0 ? rate * kStandbyPenalty : rate;
}

double btr_exposed_s(const BtrConfig& config) {
    return config.strategy == VotingStrategy::MasterSlave ? config.stability_s + kFibPassThroughS
                                                          : 0.0;
}

double btr_voter_wait_s(const BtrConfig& config) {
    constexpr double kMasterSlaveWaitS = 0.02;          // §2.5.1 "0.02 sec on average"
    constexpr double kContinuousMajorityWaitS = 0.035;  // §2.5.1 "0.035 sec on average"
    switch (config.strategy) {
        case VotingStrategy::MasterSlave:
            return kMasterSlaveWaitS;
        case VotingStrategy::ContinuousMajority:
            return kContinuousMajorityWaitS;
        case VotingStrategy::WaitForConsensus:
            break;
    }
    const int majority = btr_majority(config.instances);
    if (config.instances <= majority) return kFibPassThroughS;
    const double share =
        static_cast<double>(config.consensus - majority) / (config.instances - majority);
    return kContinuousMajorityWaitS + (kFibPassThroughS - kContinuousMajorityWaitS) * share;
}

double btr_fib_extra_delay_s(int instances) {
    constexpr double kHypervisor = 0.0008;  // §2.5.2 "increases FIB pass-through time by 0.08%"
    constexpr double kAtThree =
        0.017;  // "Increasing the number of instances to 3 incurred an additional 1.7%"
    constexpr double kAtFive = 0.046;  // "and to 5 incurred a 4.6% increase"
    double more = 0.0;
    if (instances <= 3) {
        more = kAtThree * std::max(0, instances - 1) / 2.0;
    } else {
        more = kAtThree + (kAtFive - kAtThree) * (instances - 3) / 2.0;
    }
    return kFibPassThroughS * (kHypervisor + more);
}

}  // namespace swarm
