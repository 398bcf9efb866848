#include "runtime/metrics.h"

#include <map>
#include <mutex>
#include <shared_mutex>
#include <sstream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace gw::metrics {
namespace asio = boost::asio;

namespace {
enum class Kind { kCounter, kGauge, kHistogram };

struct Family {
  Kind kind;
  prometheus::Family<prometheus::Counter>* counter = nullptr;
  prometheus::Family<prometheus::Gauge>* gauge = nullptr;
  prometheus::Family<prometheus::Histogram>* histogram = nullptr;
};

prometheus::Labels ToLabels(const Labels& labels) { return {labels.begin(), labels.end()}; }

Kind ByConvention(std::string_view name) {
  return name.size() > 6 && name.substr(name.size() - 6) == "_total" ? Kind::kCounter : Kind::kGauge;
}

}  // namespace

struct Registry::Impl {
  prometheus::Registry registry;
  // Families are created once and never removed, so a found pointer stays valid.
  mutable std::shared_mutex mu;
  std::map<std::string, Family, std::less<>> families;

  Family* Find(std::string_view name) {
    std::shared_lock lock(mu);
    auto it = families.find(name);
    return it == families.end() ? nullptr : &it->second;
  }

  Family& Get(std::string_view name, Kind kind, std::string_view help = {}) {
    if (Family* f = Find(name)) return *f;
    std::unique_lock lock(mu);
    auto it = families.find(name);
    if (it != families.end()) return it->second;
    Family f{kind};
    std::string n(name), h(help);
    switch (kind) {
      case Kind::kCounter: f.counter = &prometheus::BuildCounter().Name(n).Help(h).Register(registry); break;
      case Kind::kGauge: f.gauge = &prometheus::BuildGauge().Name(n).Help(h).Register(registry); break;
      case Kind::kHistogram: f.histogram = &prometheus::BuildHistogram().Name(n).Help(h).Register(registry); break;
    }
    return families.emplace(n, f).first->second;
  }
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

Registry& Registry::Global() {
  static Registry* r = new Registry;
  return *r;
}

const std::vector<double>& LatencyBounds() {
  static const std::vector<double> b = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120};
  return b;
}

void Registry::Describe(std::string_view name, std::string_view type, std::string_view help) {
  Kind kind = type == "counter" ? Kind::kCounter : type == "histogram" ? Kind::kHistogram : Kind::kGauge;
  impl_->Get(name, kind, help);
}

void Registry::Add(std::string_view name, const Labels& labels, double delta) {
  Family& f = impl_->Get(name, ByConvention(name));
  if (f.counter) {
    if (delta > 0) f.counter->Add(ToLabels(labels)).Increment(delta);  // counters only rise
  } else if (f.gauge) {
    f.gauge->Add(ToLabels(labels)).Increment(delta);
  }
}

void Registry::Set(std::string_view name, const Labels& labels, double value) {
  Family& f = impl_->Get(name, Kind::kGauge);
  if (f.gauge) f.gauge->Add(ToLabels(labels)).Set(value);
}

void Registry::Observe(std::string_view name, const Labels& labels, double value) {
  Family& f = impl_->Get(name, Kind::kHistogram);
  if (f.histogram) f.histogram->Add(ToLabels(labels), LatencyBounds()).Observe(value);
}

std::string Registry::Render() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, impl_->registry.Collect());
  return out.str();
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
