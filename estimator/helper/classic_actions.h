// The names of the classic candidate actions ("disable_link", "set_wcmp", ...; defined once, in
// incident_actions.cpp): a mitigation model registered under one of them would never be reached.
#pragma once

#include <string>

namespace swarm {

/// Whether `type` names a classic action, which no model may take.
bool is_classic_action_type(const std::string& type);

}  // namespace swarm
