// mpi/round_reply.h: a reply survives the bytes bit for bit (NaN, infinities, negative zero,
// side metrics, an error text), and a damaged buffer is refused, never read past its end.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "mpi/round_reply.h"

namespace swarm::mpi {
namespace {

RoundReply sample_reply() {
    RoundReply reply;
    reply.status = RoundReply::Status::Stopped;
    reply.error = "";
    SampleOutcome a;
    a.metrics = {1.5e9, std::numeric_limits<double>::quiet_NaN(), -0.0,
                 std::numeric_limits<double>::infinity(), 0.1 + 0.2};
    a.side_metrics = {{"bifrost_reroutes", 3.0}, {"", 1e-300}};
    a.censored = 7;
    a.measured = 1u << 20;
    reply.outcomes.emplace_back(4u, a);
    reply.outcomes.emplace_back(0u, SampleOutcome{});
    return reply;
}

void expect_same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        EXPECT_EQ(std::bit_cast<std::uint64_t>(a[i]), std::bit_cast<std::uint64_t>(b[i])) << i;
}

TEST(RoundReply, RoundTripIsBitExact) {
    const RoundReply sent = sample_reply();
    const RoundReply got = decode(encode(sent));
    EXPECT_EQ(got.status, sent.status);
    ASSERT_EQ(got.outcomes.size(), sent.outcomes.size());
    for (std::size_t i = 0; i < sent.outcomes.size(); ++i) {
        const auto& [index, outcome] = got.outcomes[i];
        EXPECT_EQ(index, sent.outcomes[i].first);
        expect_same_bits(outcome.metrics, sent.outcomes[i].second.metrics);
        ASSERT_EQ(outcome.side_metrics.size(), sent.outcomes[i].second.side_metrics.size());
        for (std::size_t j = 0; j < outcome.side_metrics.size(); ++j) {
            EXPECT_EQ(outcome.side_metrics[j].first, sent.outcomes[i].second.side_metrics[j].first);
            expect_same_bits({outcome.side_metrics[j].second},
                             {sent.outcomes[i].second.side_metrics[j].second});
        }
        EXPECT_EQ(outcome.censored, sent.outcomes[i].second.censored);
        EXPECT_EQ(outcome.measured, sent.outcomes[i].second.measured);
    }
}

TEST(RoundReply, FailureCarriesItsMessage) {
    RoundReply sent;
    sent.status = RoundReply::Status::Failed;
    sent.error = "std::bad_alloc";
    const RoundReply got = decode(encode(sent));
    EXPECT_EQ(got.status, RoundReply::Status::Failed);
    EXPECT_EQ(got.error, "std::bad_alloc");
    EXPECT_TRUE(got.outcomes.empty());
}

TEST(RoundReply, EveryTruncationAndTrailingBytesAreRefused) {
    const std::vector<char> bytes = encode(sample_reply());
    for (std::size_t n = 0; n < bytes.size(); ++n)
        EXPECT_THROW(decode(std::span(bytes).first(n)), std::runtime_error) << n << " bytes";
    std::vector<char> longer = bytes;
    longer.push_back(0);
    EXPECT_THROW(decode(longer), std::runtime_error);
}

TEST(RoundReply, UnknownStatusIsRefused) {
    std::vector<char> bytes = encode(RoundReply{});
    bytes[0] = 9;
    EXPECT_THROW(decode(bytes), std::runtime_error);
}

}  // namespace
}  // namespace swarm::mpi
