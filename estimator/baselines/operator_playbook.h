// The provider's operator playbook (SWARM §2 "Troubleshooting guides" and §4.1 "Operator
// playbooks"): (1) a lossy link above the ToR is disabled when the switch below it keeps at
// least the threshold fraction of its uplinks; (2) packet loss at the ToR or below drains the
// affected node; (3) otherwise no action. The decision is mapped onto the candidate list.
#pragma once

#include "estimator/baselines/baseline_strategy.h"

namespace swarm::baselines {

/// Loss levels at which the playbook acts. The paper's numbers did not survive in our copy of
/// the text; 1e-5 is our choice (docs/baselines.md): the shipped incidents' drop rates (1e-4 to
/// 5e-2) are all above it, so the playbook acts even on a low-rate FCS link, as §2 describes.
struct PlaybookLevels {
    double link_drop = 1e-5;          ///< rule (1): a link above the ToR dropping more than this
    double tor_or_below_drop = 1e-5;  ///< rule (2): a ToR or a server link dropping more than this
};

/// `uplink_fraction` is the rule (1) threshold: 0.5 for Operator-50.
BaselinePick pick_operator(const Incident& incident, double uplink_fraction,
                           const PlaybookLevels& levels = {});

}  // namespace swarm::baselines
