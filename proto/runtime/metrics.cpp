#include "runtime/metrics.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <unordered_map>

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

prometheus::Labels ToLabels(Labels labels) {
  prometheus::Labels out;
  for (const auto& [k, v] : labels) out.emplace(std::string(k), std::string(v));
  return out;
}

// One series: the family it belongs to and its metric (prometheus-cpp keeps both alive for
// the registry's life).
struct Series {
  Family* family;
  void* metric;
};

// What an update does, and so which kinds of family it applies to.
enum class Use { kAdd, kSet, kObserve };

bool Fits(const Family& f, Use use) {
  switch (use) {
    case Use::kAdd: return f.counter || f.gauge;
    case Use::kSet: return f.gauge != nullptr;
    case Use::kObserve: return f.histogram != nullptr;
  }
  return false;
}

// The key of a series as the caller names it: the name, then each label's name and value,
// each preceded by its length (so no two different namings share a key, whatever octets the
// values hold). Built in a buffer kept per thread: a lookup allocates nothing once it has grown.
const std::string& SeriesKey(std::string_view name, Labels labels) {
  thread_local std::string key;
  key.clear();
  auto put = [](std::string_view piece) {
    const auto n = static_cast<uint32_t>(piece.size());
    key.append(reinterpret_cast<const char*>(&n), sizeof n).append(piece);
  };
  put(name);
  for (const auto& [k, v] : labels) {
    put(k);
    put(v);
  }
  return key;
}

Kind ByConvention(std::string_view name) {
  return name.size() > 6 && name.substr(name.size() - 6) == "_total" ? Kind::kCounter : Kind::kGauge;
}

}  // namespace

struct Registry::Impl {
  prometheus::Registry registry;
  // Families are created once and never removed, so a found pointer stays valid.
  mutable std::shared_mutex mu;
  std::map<std::string, Family, std::less<>> families;
  // Series made so far, by SeriesKey. prometheus-cpp's Family::Add builds a metric (and
  // copies the labels into a map) before looking it up, on every call.
  mutable std::shared_mutex series_mu;
  std::unordered_map<std::string, Series> series;

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

  // The series of `name` with `labels`, made on first use (the family, if new, of kind
  // `kind`); its metric is null where the family is of a kind `use` does not apply to.
  Series SeriesOf(std::string_view name, Labels labels, Kind kind, Use use) {
    const std::string& key = SeriesKey(name, labels);
    {
      std::shared_lock lock(series_mu);
      if (auto it = series.find(key); it != series.end()) {
        return Fits(*it->second.family, use) ? it->second : Series{it->second.family, nullptr};
      }
    }
    Family& f = Get(name, kind);
    Series s{&f, nullptr};
    if (!Fits(f, use)) return s;
    if (f.counter) s.metric = &f.counter->Add(ToLabels(labels));
    if (f.gauge) s.metric = &f.gauge->Add(ToLabels(labels));
    if (f.histogram) s.metric = &f.histogram->Add(ToLabels(labels), LatencyBounds());
    std::unique_lock lock(series_mu);
    series.emplace(key, s);
    return s;
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

void Registry::Add(std::string_view name, Labels labels, double delta) {
  Series s = impl_->SeriesOf(name, labels, ByConvention(name), Use::kAdd);
  if (!s.metric) return;
  if (s.family->counter) {
    if (delta > 0) static_cast<prometheus::Counter*>(s.metric)->Increment(delta);  // counters only rise
  } else if (s.family->gauge) {
    static_cast<prometheus::Gauge*>(s.metric)->Increment(delta);
  }
}

void Registry::Set(std::string_view name, Labels labels, double value) {
  Series s = impl_->SeriesOf(name, labels, Kind::kGauge, Use::kSet);
  if (s.metric) static_cast<prometheus::Gauge*>(s.metric)->Set(value);
}

void Registry::Observe(std::string_view name, Labels labels, double value) {
  Series s = impl_->SeriesOf(name, labels, Kind::kHistogram, Use::kObserve);
  if (s.metric) static_cast<prometheus::Histogram*>(s.metric)->Observe(value);
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
