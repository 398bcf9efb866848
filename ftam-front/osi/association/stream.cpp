#include "osi/association/stream.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

#include <boost/asio/append.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/recycling_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>

namespace gw::osi::association {

namespace asio = boost::asio;
using boost::system::error_code;

struct MemoryStream::Pipe {
  explicit Pipe(executor_type e) : ex(std::move(e)) {}
  executor_type ex;
  // way[s]: the octets side s wrote and its peer has not read yet.
  struct Way {
    std::vector<uint8_t> data;
    size_t pos = 0;
    bool eof = false;  // side s shut down sending
  } way[2];
  bool closed[2] = {false, false};
  // waiting[s]: side s's read, waiting for octets (it holds the executor's work, as a
  // socket's pending read does).
  struct Waiting {
    std::optional<Handler> handler;
    asio::mutable_buffer into;
    asio::cancellation_slot slot;
    executor_type work;
  } waiting[2];
};

namespace {

// Posts the completion (the handler then runs on its own associated executor). The posted
// operation's memory comes from the thread's recycling cache, as a socket's does.
void Post(const MemoryStream::Pipe* p, MemoryStream::Handler h, error_code ec, size_t n) {
  asio::post(p->ex, asio::bind_allocator(asio::recycling_allocator<void>(), asio::append(std::move(h), ec, n)));
}

void RequirePipe(const std::shared_ptr<MemoryStream::Pipe>& p) {
  if (!p) throw std::logic_error("I/O on a MemoryStream that was moved from");
}

}  // namespace

MemoryStream& MemoryStream::operator=(MemoryStream&& o) noexcept {
  if (this != &o) {
    close();
    pipe_ = std::move(o.pipe_);
    side_ = o.side_;
  }
  return *this;
}

MemoryStream::~MemoryStream() { close(); }

MemoryStream::executor_type MemoryStream::get_executor() const { return pipe_->ex; }

std::pair<MemoryStream, MemoryStream> MemoryPipe(const MemoryStream::executor_type& ex) {
  auto p = std::make_shared<MemoryStream::Pipe>(ex);
  return {MemoryStream(p, 0), MemoryStream(p, 1)};
}

// Satisfies side r's waiting read from what its peer wrote (or its end), if it can.
static bool Satisfy(MemoryStream::Pipe& p, int r, asio::mutable_buffer into, error_code* ec, size_t* n) {
  auto& w = p.way[1 - r];
  *n = 0;
  if (into.size() == 0) return true;
  if (w.pos < w.data.size()) {
    *n = std::min(into.size(), w.data.size() - w.pos);
    std::memcpy(into.data(), w.data.data() + w.pos, *n);
    w.pos += *n;
    if (w.pos == w.data.size()) {
      w.data.clear();
      w.pos = 0;
    }
    return true;
  }
  if (w.eof || p.closed[1 - r]) {
    *ec = asio::error::eof;
    return true;
  }
  return false;
}

static void Wake(MemoryStream::Pipe& p, int r) {
  auto& wt = p.waiting[r];
  if (!wt.handler) return;
  error_code ec;
  size_t n = 0;
  if (!Satisfy(p, r, wt.into, &ec, &n)) return;
  if (wt.slot.is_connected()) wt.slot.clear();
  auto h = std::move(*wt.handler);
  wt.handler.reset();
  wt.work = {};
  Post(&p, std::move(h), ec, n);
}

static void Abort(MemoryStream::Pipe& p, int r) {
  auto& wt = p.waiting[r];
  if (!wt.handler) return;
  if (wt.slot.is_connected()) wt.slot.clear();
  auto h = std::move(*wt.handler);
  wt.handler.reset();
  wt.work = {};
  Post(&p, std::move(h), asio::error::operation_aborted, 0);
}

void MemoryStream::StartRead(const std::shared_ptr<Pipe>& p, int side, Handler h, asio::mutable_buffer into) {
  RequirePipe(p);
  if (p->closed[side]) {
    Post(p.get(), std::move(h), asio::error::bad_descriptor, 0);
    return;
  }
  error_code ec;
  size_t n = 0;
  if (Satisfy(*p, side, into, &ec, &n)) {
    Post(p.get(), std::move(h), ec, n);
    return;
  }
  auto& wt = p->waiting[side];
  wt.slot = asio::get_associated_cancellation_slot(h);
  wt.handler.emplace(std::move(h));
  wt.into = into;
  wt.work = asio::prefer(p->ex, asio::execution::outstanding_work.tracked);
  if (wt.slot.is_connected()) {
    Pipe* raw = p.get();  // the slot is cleared before the pipe can go
    wt.slot.assign([raw, side](asio::cancellation_type) { Abort(*raw, side); });
  }
}

error_code MemoryStream::CanWrite(const std::shared_ptr<Pipe>& p, int side) {
  if (!p || p->closed[side]) return asio::error::bad_descriptor;
  if (p->way[side].eof || p->closed[1 - side]) return asio::error::broken_pipe;
  return {};
}

void MemoryStream::AppendBytes(const std::shared_ptr<Pipe>& p, int side, asio::const_buffer b) {
  auto* from = static_cast<const uint8_t*>(b.data());
  p->way[side].data.insert(p->way[side].data.end(), from, from + b.size());
}

void MemoryStream::Finish(const std::shared_ptr<Pipe>& p, int side, Handler h, error_code ec, size_t n) {
  RequirePipe(p);
  Post(p.get(), std::move(h), ec, n);
  if (n > 0) Wake(*p, 1 - side);
}

size_t MemoryStream::available() const {
  if (!pipe_) return 0;
  const auto& w = pipe_->way[1 - side_];
  return w.data.size() - w.pos;
}

void MemoryStream::shutdown_send() {
  if (!pipe_ || pipe_->way[side_].eof) return;
  pipe_->way[side_].eof = true;
  Wake(*pipe_, 1 - side_);
}

void MemoryStream::close() {
  if (!pipe_ || pipe_->closed[side_]) return;
  shutdown_send();
  pipe_->closed[side_] = true;
  pipe_->way[1 - side_].data.clear();  // unread octets are dropped, as a closed socket's are
  pipe_->way[1 - side_].pos = 0;
  Abort(*pipe_, side_);
  Wake(*pipe_, 1 - side_);
}

size_t Stream::available(error_code& ec) const {
  if (auto* s = std::get_if<asio::ip::tcp::socket>(&v_)) return s->available(ec);
  ec = {};
  return std::get<MemoryStream>(v_).available();
}

void Stream::set_no_delay() {
  if (auto* s = std::get_if<asio::ip::tcp::socket>(&v_)) {
    error_code ignored;
    s->set_option(asio::ip::tcp::no_delay(true), ignored);
  }
}

void Stream::shutdown_and_close() {
  if (auto* s = std::get_if<asio::ip::tcp::socket>(&v_)) {
    error_code ec;
    s->shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    s->close(ec);
    return;
  }
  std::get<MemoryStream>(v_).close();
}

}  // namespace gw::osi::association
