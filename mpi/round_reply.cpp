#include "mpi/round_reply.h"

#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace swarm::mpi {

namespace {

class Writer {
   public:
    template <typename T>
    void put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto* p = reinterpret_cast<const char*>(&value);
        bytes_.insert(bytes_.end(), p, p + sizeof(T));
    }
    void put(const std::string& text) {
        put(static_cast<std::uint64_t>(text.size()));
        bytes_.insert(bytes_.end(), text.begin(), text.end());
    }
    std::vector<char> take() { return std::move(bytes_); }

   private:
    std::vector<char> bytes_;
};

class Reader {
   public:
    explicit Reader(std::span<const char> bytes) : bytes_(bytes) {}

    template <typename T>
    T get() {
        static_assert(std::is_trivially_copyable_v<T>);
        T value;
        std::memcpy(&value, take(sizeof(T)).data(), sizeof(T));
        return value;
    }
    std::string text() {
        const auto size = get<std::uint64_t>();
        const std::span<const char> chars = take(size);
        return {chars.begin(), chars.end()};
    }
    /// A count of items each at least `item_bytes` long, checked against what is left.
    std::size_t count(std::size_t item_bytes) {
        const auto n = get<std::uint64_t>();
        if (n > (bytes_.size() - at_) / item_bytes) fail();
        return n;
    }
    bool done() const { return at_ == bytes_.size(); }

   private:
    std::span<const char> take(std::size_t n) {
        if (n > bytes_.size() - at_) fail();
        const std::span<const char> chars = bytes_.subspan(at_, n);
        at_ += n;
        return chars;
    }
    [[noreturn]] static void fail() { throw std::runtime_error("truncated MPI round reply"); }

    std::span<const char> bytes_;
    std::size_t at_ = 0;
};

}  // namespace

std::vector<char> encode(const RoundReply& reply) {
    Writer out;
    out.put(reply.status);
    out.put(reply.error);
    out.put(static_cast<std::uint64_t>(reply.outcomes.size()));
    for (const auto& [index, outcome] : reply.outcomes) {
        out.put(index);
        out.put(static_cast<std::uint64_t>(outcome.metrics.size()));
        for (double value : outcome.metrics) out.put(value);
        out.put(static_cast<std::uint64_t>(outcome.side_metrics.size()));
        for (const auto& [name, value] : outcome.side_metrics) {
            out.put(name);
            out.put(value);
        }
        out.put(outcome.censored);
        out.put(outcome.measured);
    }
    return out.take();
}

RoundReply decode(std::span<const char> bytes) {
    Reader in(bytes);
    RoundReply reply;
    reply.status = in.get<RoundReply::Status>();
    if (reply.status > RoundReply::Status::Failed)
        throw std::runtime_error("MPI round reply with an unknown status");
    reply.error = in.text();
    reply.outcomes.resize(in.count(sizeof(std::uint32_t)));
    for (auto& [index, outcome] : reply.outcomes) {
        index = in.get<std::uint32_t>();
        outcome.metrics.resize(in.count(sizeof(double)));
        for (double& value : outcome.metrics) value = in.get<double>();
        outcome.side_metrics.resize(in.count(sizeof(std::uint64_t) + sizeof(double)));
        for (auto& [name, value] : outcome.side_metrics) {
            name = in.text();
            value = in.get<double>();
        }
        outcome.censored = in.get<std::uint64_t>();
        outcome.measured = in.get<std::uint64_t>();
    }
    if (!in.done()) throw std::runtime_error("MPI round reply with trailing bytes");
    return reply;
}

}  // namespace swarm::mpi
