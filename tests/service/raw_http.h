// Raw HTTP over a loopback socket, for the requests a well-behaved client library will not
// send: invalid UTF-8 in the request line and headers, hand-made chunked bodies, headers that
// arrive a byte at a time.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>

namespace swarm::test {

/// A connected TCP socket to 127.0.0.1:port, closed on destruction.
class RawConnection {
   public:
    explicit RawConnection(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    ~RawConnection() {
        if (fd_ >= 0) ::close(fd_);
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool connected() const { return fd_ >= 0; }
    /// False once the peer has closed or reset the connection.
    bool send(const std::string& data) {
        for (std::size_t done = 0; done < data.size();) {
            const ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
            if (n <= 0) return false;
            done += static_cast<std::size_t>(n);
        }
        return true;
    }
    /// Everything the server sends until it closes the connection or `timeout` passes.
    std::string receive_all(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        std::string out;
        const auto until = std::chrono::steady_clock::now() + timeout;
        char buffer[65536];
        while (std::chrono::steady_clock::now() < until) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            out.append(buffer, static_cast<std::size_t>(n));
        }
        return out;
    }

   private:
    int fd_ = -1;
};

/// One request on a fresh connection ("Connection: close"); the raw response.
inline std::string raw_request(int port, const std::string& request) {
    RawConnection connection(port);
    if (!connection.connected() || !connection.send(request)) return "";
    return connection.receive_all();
}

/// The status code of the first response in `raw` (0 if none).
inline int status_of(const std::string& raw) {
    if (raw.rfind("HTTP/1.1 ", 0) != 0 || raw.size() < 12) return 0;
    return std::stoi(raw.substr(9, 3));
}

/// The body of the first response in `raw` (after the blank line; up to Content-Length).
inline std::string body_of(const std::string& raw) {
    const std::size_t start = raw.find("\r\n\r\n");
    if (start == std::string::npos) return "";
    const std::size_t length_at = raw.find("Content-Length: ");
    const std::string body = raw.substr(start + 4);
    if (length_at == std::string::npos || length_at > start) return body;
    return body.substr(0, std::stoul(raw.substr(length_at + 16)));
}

/// A POST /v1/rankings with `body` and extra header lines (each ending in \r\n).
inline std::string post_request(const std::string& body, const std::string& headers = "",
                                const std::string& target = "/v1/rankings") {
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// `body` in chunked transfer encoding, in chunks of `chunk` bytes.
inline std::string chunked(const std::string& body, std::size_t chunk) {
    std::string out;
    char size[32];
    for (std::size_t at = 0; at < body.size(); at += chunk) {
        const std::string part = body.substr(at, chunk);
        std::snprintf(size, sizeof size, "%zx\r\n", part.size());
        out += size + part + "\r\n";
    }
    return out + "0\r\n\r\n";
}

}  // namespace swarm::test
