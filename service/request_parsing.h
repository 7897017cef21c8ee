// What a client sent, read strictly: query parameters (plain decimal only: no hex, exponents,
// signs or spaces), the body's media type, the Idempotency-Key header. A bad value throws the
// Problem to answer with (400 or 415, naming the parameter); nothing here throws anything else.
#pragma once

#include <cstdint>
#include <initializer_list>
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

/// Throws 400 invalid-parameter naming the first query parameter not in `known`, or one given
/// twice: a misspelt `?wiat=30` must not silently be ignored.
void check_parameters(const httplib::Request& req, std::initializer_list<const char*> known);
/// ?page_size=N: an integer in [1, max_value]; `fallback` when absent.
std::size_t page_size_parameter(const httplib::Request& req, std::size_t fallback,
                                std::size_t max_value);
/// ?page_token=N: a token this service issued (a decimal integer >= 1).
std::optional<std::int64_t> page_token_parameter(const httplib::Request& req);
/// ?version=N of a stored network: a decimal integer >= 1.
std::optional<std::int64_t> version_parameter(const httplib::Request& req);

Problem bad_parameter(const std::string& name, const std::string& what);

}  // namespace swarm::service
