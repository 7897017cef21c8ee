// libFuzzer target: untrusted bytes as one client connection to `swarm serve` -> httplib's
// request parser -> bearer auth -> routing -> swarm's query, header and body parsing -> the
// route handlers (job submission validates the incident; the store is a real SQLite file) ->
// the response. The contract under test: every input gets well-formed HTTP answers and never a
// 500 (a 500 is a bug the client could trigger); a crash, a sanitizer report, a leak or a slow
// unit is a finding too. fuzz/README.md runs it.
//
// httplib itself is Debian's shared library and not instrumented: its parser runs, and a crash
// in it is caught, but coverage feedback comes from swarm's own code.
#include <httplib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "service/http_server.h"
#include "service/metrics_registry.h"
#include "service/ranking_jobs.h"

namespace {

/// The fuzz input as the bytes a client sent; what the server writes is kept for the checks.
class MemoryStream final : public httplib::Stream {
   public:
    explicit MemoryStream(std::string_view input) : input_(input) {}

    bool is_readable() const override { return offset_ < input_.size(); }
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, std::size_t size) override {
        const std::size_t n = std::min(size, input_.size() - offset_);
        input_.copy(ptr, n, offset_);
        offset_ += n;
        return static_cast<ssize_t>(n);
    }
    ssize_t write(const char* ptr, std::size_t size) override {
        output_.append(ptr, size);
        return static_cast<ssize_t>(size);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 40000;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 8080;
    }
    socket_t socket() const override { return INVALID_SOCKET; }

    const std::string& output() const { return output_; }

   private:
    std::string_view input_;
    std::size_t offset_ = 0;
    std::string output_;
};

/// One server for the whole run, as in production: a job store in a temporary directory, a
/// queue of capacity 0 (every valid incident is validated in full, then refused with 429, so no
/// job process ever starts and runs stay independent of each other), a bearer token so that
/// both sides of auth are reachable (the seed corpus sends it).
struct Service {
    std::filesystem::path dir;
    swarm::service::MetricsRegistry metrics;
    std::unique_ptr<swarm::service::RankingJobs> jobs;
    std::unique_ptr<swarm::service::HttpServer> http;

    Service() {
        char pattern[] = "/tmp/swarm-http-fuzz-XXXXXX";
        dir = mkdtemp(pattern);
        swarm::service::JobsConfig jobs_config;
        jobs_config.db_path = dir / "jobs.db";
        jobs_config.data_dir = SWARM_SOURCE_DATA_DIR;
        jobs_config.tables_dir = std::filesystem::path(SWARM_SOURCE_DATA_DIR) / "tables";
        jobs_config.worker_binary = "/nonexistent/swarm";
        jobs_config.max_queue = 0;
        // Small enough that the store-full answer is reached too; forget_networks() empties
        // the store after each input.
        jobs_config.max_network_store_bytes = 256 * 1024;
        jobs = std::make_unique<swarm::service::RankingJobs>(jobs_config, metrics);
        swarm::service::HttpConfig http_config;
        http_config.max_body_bytes = 64 * 1024;
        http_config.max_wait_s = 0.01;  // ?wait= is accepted but never blocks the run
        http_config.token = "fuzz-token";
        http = std::make_unique<swarm::service::HttpServer>(http_config, *jobs, metrics,
                                                            SWARM_SOURCE_DATA_DIR);
    }
    ~Service() {
        http.reset();
        jobs.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
};

Service& service() {
    static Service s;
    return s;
}

/// Walks the responses written (status line, headers, Content-Length body) and aborts on a 5xx
/// other than 503 (shutting down): that is a server bug a client can trigger. Every response of
/// this server has a Content-Length; the walk stops at anything else.
void check_responses(std::string_view output) {
    while (output.starts_with("HTTP/1.1 ")) {
        const std::string_view status = output.substr(9, 3);
        if (status.starts_with("5") && status != "503") std::abort();
        const std::size_t end = output.find("\r\n\r\n");
        if (end == std::string_view::npos) return;
        const std::string_view head = output.substr(0, end);
        const std::size_t length_at = head.find("\r\nContent-Length: ");
        if (length_at == std::string_view::npos) return;
        const std::size_t length =
            std::strtoull(std::string(head.substr(length_at + 18, 20)).c_str(), nullptr, 10);
        if (end + 4 + length > output.size()) return;
        output.remove_prefix(end + 4 + length);
    }
}

/// Deletes the stored networks an input may have created (every name written out after
/// "/v1/networks/" in it), so that inputs stay independent of each other, as the queue of
/// capacity 0 keeps them for jobs. A percent-encoded name escapes this; the store's byte limit
/// bounds what such names leave behind.
void forget_networks(std::string_view input) {
    constexpr std::string_view prefix = "/v1/networks/";
    for (std::size_t at = input.find(prefix); at != std::string_view::npos;
         at = input.find(prefix, at + 1)) {
        const std::string_view rest = input.substr(at + prefix.size());
        const std::size_t length = std::min<std::size_t>(
            rest.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"),
            rest.size());
        if (length == 0 || length > 64) continue;
        const std::string request = "DELETE /v1/networks/" + std::string(rest.substr(0, length)) +
                                    " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer fuzz-token\r\n"
                                    "Connection: close\r\n\r\n";
        MemoryStream stream(request);
        service().http->serve_stream(stream);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    MemoryStream stream(std::string_view(reinterpret_cast<const char*>(data), size));
    service().http->serve_stream(stream);
    check_responses(stream.output());
    forget_networks(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
