// What a client sent, read strictly: query parameters (plain decimal only: no hex, exponents,
// signs or spaces), the body's media type, the Idempotency-Key header. A bad value throws the
// Problem to answer with (400 or 415, naming the parameter); nothing here throws anything else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "service/problem_json.h"

namespace httplib {
struct Request;
}

namespace swarm::service {

/// ?name=SECONDS: digits with an optional fraction ("30", "0.25"), at most `max_value`.
std::optional<double> seconds_parameter(const httplib::Request& req, const std::string& name,
                                        double max_value);
/// ?seed=N: an integer in [0, 2^64 - 1], digits only.
std::optional<std::uint64_t> seed_parameter(const httplib::Request& req);
/// True for "application/json" (any case) with optional parameters, as in
/// "application/json; charset=utf-8"; a charset other than UTF-8 is not JSON (RFC 8259 §8.1).
bool is_json_media_type(const std::string& content_type);
/// The Idempotency-Key header, if sent: 1 to 255 printable ASCII characters.
std::optional<std::string> idempotency_key(const httplib::Request& req);

Problem bad_parameter(const std::string& name, const std::string& what);

}  // namespace swarm::service
