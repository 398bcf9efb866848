#include "runtime/metrics.h"

#include <cstdio>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace gw::metrics {
namespace asio = boost::asio;

Registry& Registry::Global() {
  static Registry* r = new Registry;
  return *r;
}

const std::vector<double>& LatencyBounds() {
  static const std::vector<double> b = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120};
  return b;
}

namespace {
std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ',';
    out += labels[i].first + "=\"";
    for (char c : labels[i].second) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') { out += "\\n"; continue; }
      out += c;
    }
    out += '"';
  }
  return out + "}";
}
std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace

void Registry::Describe(std::string_view name, std::string_view type, std::string_view help) {
  std::lock_guard lock(mu_);
  auto& f = families_[std::string(name)];
  f.type = type;
  f.help = help;
}

void Registry::Add(std::string_view name, const Labels& labels, double delta) {
  std::lock_guard lock(mu_);
  families_[std::string(name)].values[RenderLabels(labels)] += delta;
}

void Registry::Set(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  families_[std::string(name)].values[RenderLabels(labels)] = value;
}

void Registry::Observe(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  auto& h = families_[std::string(name)].histograms[RenderLabels(labels)];
  const auto& bounds = LatencyBounds();
  if (h.buckets.empty()) h.buckets.assign(bounds.size(), 0);
  for (std::size_t i = 0; i < bounds.size(); ++i)
    if (value <= bounds[i]) ++h.buckets[i];
  ++h.count;
  h.sum += value;
}

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    if (!f.help.empty()) out += "# HELP " + name + " " + f.help + "\n";
    if (!f.type.empty()) out += "# TYPE " + name + " " + f.type + "\n";
    for (const auto& [labels, v] : f.values) out += name + labels + " " + Num(v) + "\n";
    for (const auto& [labels, h] : f.histograms) {
      std::string inner = labels.empty() ? "" : labels.substr(1, labels.size() - 2) + ",";
      const auto& bounds = LatencyBounds();
      for (std::size_t i = 0; i < bounds.size(); ++i)
        out += name + "_bucket{" + inner + "le=\"" + Num(bounds[i]) + "\"} " +
               std::to_string(h.buckets[i]) + "\n";
      out += name + "_bucket{" + inner + "le=\"+Inf\"} " + std::to_string(h.count) + "\n";
      out += name + "_sum" + labels + " " + Num(h.sum) + "\n";
      out += name + "_count" + labels + " " + std::to_string(h.count) + "\n";
    }
  }
  return out;
}

namespace {
asio::awaitable<void> ServeOne(asio::ip::tcp::socket sock) {
  asio::streambuf buf(8192);
  boost::system::error_code ec;
  co_await asio::async_read_until(sock, buf, "\r\n\r\n", asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  std::string req(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
  std::string status = "200 OK", body, type = "text/plain; version=0.0.4";
  if (req.rfind("GET /metrics", 0) == 0) {
    body = Registry::Global().Render();
  } else if (req.rfind("GET /healthz", 0) == 0) {
    body = "ok\n";
  } else {
    status = "404 Not Found";
    body = "not found\n";
  }
  std::string resp = "HTTP/1.1 " + status + "\r\nContent-Type: " + type +
                     "\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\nConnection: close\r\n\r\n" + body;
  co_await asio::async_write(sock, asio::buffer(resp), asio::redirect_error(asio::use_awaitable, ec));
}
}  // namespace

asio::awaitable<void> ServeHttp(asio::ip::tcp::acceptor acceptor) {
  for (;;) {
    boost::system::error_code ec;
    auto sock = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;
    asio::co_spawn(acceptor.get_executor(), ServeOne(std::move(sock)), asio::detached);
  }
}

}  // namespace gw::metrics
