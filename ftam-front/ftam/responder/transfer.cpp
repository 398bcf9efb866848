// Bulk data (ISO 8571-4 §A.1 Bulk-Data-PDUs, osi-ftam-notes §6.5): F-READ streams the
// bridge's chunks out as document values as they arrive; F-WRITE streams the initiator's
// values to the bridge. Nothing is staged: memory stays at one chunk each way.
#include <deque>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "absl/strings/str_cat.h"
#include "ftam/doctype/data_value.h"
#include "ftam/pdu/diagnostics.h"
#include "ftam/responder/association.h"
#include "ftam/responder/attributes.h"
#include "runtime/log.h"
#include "runtime/metrics.h"

namespace gw::ftam::responder {

namespace assoc = osi::association;
namespace dt = doctype;
using osi::Bytes;

namespace {
template <typename T>
const T* As(const Indication& ind) {
  const auto* f = std::get_if<assoc::FtamPdus>(&ind);
  if (!f || f->pdus.size() != 1) return nullptr;
  return std::get_if<T>(&f->pdus.front());
}
}  // namespace

asio::awaitable<bool> Association::SendFileData(std::string& chunk, std::string& carry, bool last) {
  osi::Gather g;
  const size_t max_value = open_->max_string_length && *open_->max_string_length > 0
                               ? std::min<size_t>(cfg_.max_value, static_cast<size_t>(*open_->max_string_length))
                               : cfg_.max_value;
  const uint32_t tag = open_->text ? open_->string_tag : 4;
  if (open_->text && open_->line_per_value) {
    // One value a line, without its CR LF (notes §8.1); a line cut by the chunk waits.
    carry += chunk;
    size_t start = 0;
    std::deque<std::string> padded;  // fixed significance: the lines padded, alive until written
    auto line = [&](std::string_view l) {
      if (open_->fixed_length) {
        // Every string exactly max_value long: the line padded with spaces to a multiple of it.
        std::string& p = padded.emplace_back(l);
        const size_t n = p.empty() ? max_value : (p.size() + max_value - 1) / max_value * max_value;
        p.resize(n, ' ');
        l = p;
      }
      assoc::ValuesPData(wire_, open_->ctx, tag, osi::AsBytes(l), max_value, &g);
    };
    for (;;) {
      size_t nl = carry.find('\n', start);
      if (nl == std::string::npos) break;
      size_t end = nl > start && carry[nl - 1] == '\r' ? nl - 1 : nl;
      line(std::string_view(carry).substr(start, end - start));
      start = nl + 1;
    }
    if (last && start < carry.size()) {
      line(std::string_view(carry).substr(start));
      start = carry.size();
    }
    auto st = co_await conn_.Write(g, cfg_.data_timeout);
    carry.erase(0, start);
    co_return st.ok();
  }
  if (chunk.empty()) co_return true;
  assoc::ValuesPData(wire_, open_->ctx, tag, osi::AsBytes(chunk), max_value, &g);
  co_return (co_await conn_.Write(g, cfg_.data_timeout)).ok();
}

asio::awaitable<Next> Association::Read(const FReadRequest& req) {
  if (!open_ || !open_->processing_mode.Test(access::kRead)) {
    co_await ProviderAbort(error_id::kProcedureError, "F-READ needs a file opened for reading");
    co_return Next::kEnd;
  }
  if (req.file_access_data_unit_identity) {
    const auto& f = *req.file_access_data_unit_identity;
    const bool whole = (f.kind == FaduIdentity::kFirstLast && f.value == 0) ||
                       (f.kind == FaduIdentity::kBeginEnd && f.value == 0);
    if (!whole) {
      // Unstructured files have one data unit; restart points need the restart unit.
      co_return co_await FinishTransfer(MakeDiagnostic(kPermanent, error_id::kBadFadu,
                                                       "only the whole file (first data unit) can be read"));
    }
  }
  if (open_->directory) co_return co_await ReadDirectory();
  auto t0 = std::chrono::steady_clock::now();
  v1::Operation op;
  op.mutable_read()->set_path(selection_->path);
  op.mutable_read()->set_type(open_->text ? v1::TRANSFER_TYPE_TEXT : v1::TRANSFER_TYPE_IMAGE);
  uint64_t id = co_await bridge_.Send(std::move(op));
  if (id == 0) {
    bridge_lost_ = true;  // the loop answers with F-P-ABORT (RFC 1415 §5)
    co_return Next::kEnd;
  }
  uint64_t bytes = 0, abort_id = 0;
  bool cancelled = false;
  std::optional<Diagnostic> failure;
  std::string carry;
  for (;;) {
    // Between chunks: an F-CANCEL or an abort from the initiator.
    if (!cancelled) {
      if (auto ind = PollIndication()) {
        if (As<FCancelRequest>(*ind)) {
          v1::Operation ab;
          ab.mutable_abort();
          abort_id = co_await bridge_.Send(std::move(ab));
          cancelled = true;
        } else {
          // Anything else during a read: the association cannot go on.
          v1::Operation ab;
          ab.mutable_abort();
          (void)co_await bridge_.Send(std::move(ab));
          if (std::holds_alternative<assoc::AbortIndication>(*ind)) {
            Shutdown();
          } else {
            co_await ProviderAbort(error_id::kProcedureError, "only F-CANCEL may interrupt a read");
          }
          co_return Next::kEnd;
        }
      }
    }
    auto msg = co_await bridge_.Receive();
    if (!msg) {
      bridge_lost_ = true;  // the loop answers with F-P-ABORT (RFC 1415 §5)
      co_return Next::kEnd;
    }
    if (msg->has_data()) {
      if (cancelled) continue;
      std::string* chunk = msg->mutable_data()->mutable_data();
      bytes += chunk->size();
      if (!co_await SendFileData(*chunk, carry, false)) {
        Shutdown();
        co_return Next::kEnd;
      }
      continue;
    }
    if (!msg->has_result() || msg->result().id() != id || msg->result().transfer_started()) continue;
    if ((msg->result().result().code() == v1::STATUS_UNAVAILABLE || msg->result().connection_lost()) && !cancelled) {
      // RFC 1415 §5: the destination's connection dropped during the transfer: the
      // association cannot go on (the loop answers with F-P-ABORT 1011).
      bridge_lost_ = true;
      co_return Next::kEnd;
    }
    if (msg->result().result().code() != v1::STATUS_OK && !cancelled)
      failure = DiagnosticOf(msg->result().result(), error_id::kBadRead);
    break;
  }
  auto& m = metrics::Registry::Global();
  m.Add("gw_ftam_bytes_total", {{"direction", "out"}}, double(bytes));
  log::Info("ftam.transfer", {{"session", session_id_}, {"user", log::Sanitize(user_)}, {"op", "read"},
                              {"path", log::Sanitize(selection_->path)}, {"bytes", bytes},
                              {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()},
                              {"result", cancelled ? "cancelled" : failure ? "failed" : "ok"}});
  if (cancelled) {
    if (abort_id != 0 && !bridge_lost_) {
      if (!co_await bridge_.Await(abort_id)) bridge_lost_ = true;
    }
    FCancelResponse rsp;
    if (!co_await SendPdus({Pdu(rsp)})) co_return Next::kEnd;
    co_return bridge_lost_ ? Next::kEnd : Next::kGoOn;
  }
  if (!failure && !carry.empty()) {
    std::string none;
    if (!co_await SendFileData(none, carry, true)) co_return Next::kEnd;
  }
  FDataEndRequest end;
  if (failure) {
    end.action_result = kPermanentError;
    end.diagnostic = *failure;
  }
  if (!co_await SendPdus({Pdu(end)})) co_return Next::kEnd;
  co_return co_await FinishTransfer(std::nullopt);
}

asio::awaitable<Next> Association::ReadDirectory() {
  v1::Operation op;
  op.mutable_list()->set_path(selection_->path);
  op.mutable_list()->set_contents(true);
  auto r = co_await Call(std::move(op));
  if (!r) co_return Next::kEnd;  // the loop answers with F-P-ABORT (RFC 1415 §5)
  FDataEndRequest end;
  if (r->result().code() != v1::STATUS_OK) {
    end.action_result = kPermanentError;
    end.diagnostic = DiagnosticOf(r->result(), error_id::kBadRead);
  } else {
    // One entry a value, names relative to the directory opened (notes §8.3), a batch of
    // entries a P-DATA.
    const bool storage = ftam_.attribute_groups.Test(attribute_group::kStorage);
    const std::string prefix = selection_->name == "." || selection_->name.empty() ? "" : selection_->name + "/";
    std::vector<std::vector<uint8_t>> encoded;
    auto flush = [&]() -> asio::awaitable<bool> {
      if (encoded.empty()) co_return true;
      std::vector<Bytes> values;
      for (const auto& e : encoded) values.push_back(Bytes(e));
      osi::Gather g;
      assoc::EncodedValuesPData(wire_, open_->ctx, values, &g);
      bool ok = (co_await conn_.Write(g, cfg_.data_timeout)).ok();
      encoded.clear();
      co_return ok;
    };
    for (const auto& e : r->entries()) {
      encoded.emplace_back();
      dt::EncodeDirectoryEntry(ToFtamAttributes(e, prefix + e.name(), open_->nbs9_names, storage), &encoded.back());
      if (encoded.size() == 64 && !co_await flush()) co_return Next::kEnd;
    }
    if (!co_await flush()) co_return Next::kEnd;
  }
  if (!co_await SendPdus({Pdu(end)})) co_return Next::kEnd;
  co_return co_await FinishTransfer(std::nullopt);
}

asio::awaitable<void> Association::WatchBridge() {
  std::optional<v1::SessionResponse> r;
  try {
    r = co_await bridge_.Receive();
  } catch (...) {  // taken as a lost bridge: the association ends
    log::Error("ftam.internal_error", {{"session", session_id_}, {"in", "bridge watcher"},
                                       {"error", log::Describe(std::current_exception())}});
  }
  const bool lost = !r.has_value();
  watching_ = false;
  watch_->try_send(boost::system::error_code{}, std::move(r));
  if (lost && inbox_)
    inbox_->try_send(boost::system::error_code{}, Indication(assoc::ProtocolError{absl::UnavailableError("bridge lost")}));
}

asio::awaitable<std::optional<v1::SessionResponse>> Association::WatchedResult() {
  auto [ec, r] = co_await watch_->async_receive(asio::as_tuple(asio::use_awaitable));
  co_return ec ? std::nullopt : std::move(r);
}

asio::awaitable<Next> Association::Write(const FWriteRequest& req) {
  const bool writable = open_ && (open_->processing_mode.Test(access::kReplace) || open_->processing_mode.Test(access::kExtend) ||
                                  open_->processing_mode.Test(access::kInsert));
  if (!writable || open_->directory) {
    co_await ProviderAbort(error_id::kProcedureError, "F-WRITE needs a file opened for writing");
    co_return Next::kEnd;
  }
  auto t0 = std::chrono::steady_clock::now();
  const int64_t fadu_op = req.file_access_data_unit_operation.value_or(kReplace);
  v1::Operation op;
  op.mutable_write()->set_path(selection_->path);
  op.mutable_write()->set_type(open_->text ? v1::TRANSFER_TYPE_TEXT : v1::TRANSFER_TYPE_IMAGE);
  // Unstructured files: replace writes the file anew, extend and insert add to its end.
  op.mutable_write()->set_mode(fadu_op == kReplace || selection_->create_pending ? v1::WRITE_MODE_REPLACE
                                                                                 : v1::WRITE_MODE_APPEND);
  uint64_t id = co_await bridge_.Send(std::move(op));
  std::optional<Diagnostic> failure;
  bool started = false;
  if (id == 0) {
    bridge_lost_ = true;
    failure = DestinationLost();
  } else {
    auto first = co_await bridge_.Await(id);
    if (!first) {
      bridge_lost_ = true;
      failure = DestinationLost();
    } else if (!first->transfer_started()) {
      failure = DiagnosticOf(first->result(), error_id::kFileCannotBeCreated);
    } else {
      started = true;
    }
  }
  if (bridge_lost_) co_return Next::kEnd;  // the loop answers with F-P-ABORT (RFC 1415 §5)
  if (started) {
    watch_ = std::make_unique<Watch>(co_await asio::this_coro::executor, 1);
    watching_ = true;
    asio::co_spawn(co_await asio::this_coro::executor, WatchBridge(), asio::detached);
  }

  // One chunk's room (and a value's more) is taken at once when data comes: growing the
  // string value by value would copy each chunk several times over. A write with no data,
  // or after its last chunk, takes none.
  const size_t room = cfg_.upload_chunk + (64u << 10);
  std::string buf;
  uint64_t bytes = 0;
  bool cancelled = false;
  for (;;) {
    read_timeout_ = cfg_.data_timeout;
    auto ind = co_await NextIndication();
    if (!ind) co_return Next::kEnd;
    if (auto* d = std::get_if<assoc::DataValues>(&*ind)) {
      if (d->ctx != open_->ctx) {
        co_await ProviderAbort(error_id::kProtocolError, "document values on another context than the open file's");
        co_return Next::kEnd;
      }
      bytes += d->payload.size();
      if (!started) continue;  // the write was refused: the values are discarded
      if (buf.capacity() < room && !(buf.empty() && d->payload.size() >= cfg_.upload_chunk)) buf.reserve(room);
      if (open_->text && open_->line_per_value) {
        size_t from = 0;
        for (size_t e : d->ends) {
          buf.append(d->payload, from, e - from);
          // A string is a record: a line (one that already ends its line keeps its own end).
          if (e == from || d->payload[e - 1] != '\n') buf += "\r\n";
          from = e;
        }
      } else if (buf.empty() && d->payload.size() >= cfg_.upload_chunk) {
        buf = std::move(d->payload);
      } else {
        buf += d->payload;
      }
      if (buf.size() >= cfg_.upload_chunk) {
        if (!co_await bridge_.SendData(std::move(buf), false)) {
          bridge_lost_ = true;
          started = false;
          failure = DestinationLost();
        }
        buf.clear();
      }
      continue;
    }
    if (As<FDataEndRequest>(*ind)) break;
    if (As<FCancelRequest>(*ind)) {
      cancelled = true;
      break;
    }
    if (auto* ab = std::get_if<assoc::AbortIndication>(&*ind)) {
      // The initiator vanished mid-write: the neutral write is aborted, nothing is kept.
      log::Info("ftam.aborted", {{"session", session_id_}, {"peer", peer_}, {"why", ab->why}});
      if (started) co_await CancelBridge();
      Shutdown();
      co_return Next::kEnd;
    }
    if (auto* pe = std::get_if<assoc::ProtocolError>(&*ind); pe && absl::IsUnavailable(pe->status)) {
      bridge_lost_ = true;  // the watcher saw the bridge session break: F-P-ABORT (RFC 1415 §5)
      co_return Next::kEnd;
    }
    if (auto* pe = std::get_if<assoc::ProtocolError>(&*ind)) {
      if (started) co_await CancelBridge();
      co_await ProviderAbort(absl::IsDeadlineExceeded(pe->status) ? error_id::kTimeout : error_id::kProtocolError,
                             std::string(pe->status.message()));
      co_return Next::kEnd;
    }
    if (started) co_await CancelBridge();
    co_await ProviderAbort(error_id::kProcedureError, "only values, F-DATA-END or F-CANCEL may follow F-WRITE");
    co_return Next::kEnd;
  }
  if (started) {
    if (cancelled) {
      v1::Operation ab;
      ab.mutable_abort();
      uint64_t abort_id = co_await bridge_.Send(std::move(ab));
      auto r = co_await WatchedResult();
      if (!r || (abort_id != 0 && !co_await bridge_.Await(abort_id))) bridge_lost_ = true;
    } else {
      std::optional<v1::OperationResult> r;
      if (co_await bridge_.SendData(std::move(buf), true)) {
        // The watcher's message is the final result (or, if it was something else, the
        // final result follows it).
        auto m = co_await WatchedResult();
        if (m && m->has_result() && m->result().id() == id && !m->result().transfer_started())
          r = std::move(*m->mutable_result());
        else if (m)
          r = co_await bridge_.Await(id);
      }
      if (!r) {
        bridge_lost_ = true;
        failure = DestinationLost();
      } else if (r->result().code() == v1::STATUS_UNAVAILABLE || r->connection_lost()) {
        bridge_lost_ = true;  // RFC 1415 §5: the destination dropped during the transfer
      } else if (r->result().code() != v1::STATUS_OK) {
        failure = DiagnosticOf(r->result(), error_id::kLocalFailureOnWrite);
      } else {
        selection_->create_pending = false;
        selection_->exists = true;
      }
    }
  }
  if (bridge_lost_) co_return Next::kEnd;  // the loop answers with F-P-ABORT (RFC 1415 §5)
  auto& m = metrics::Registry::Global();
  m.Add("gw_ftam_bytes_total", {{"direction", "in"}}, double(bytes));
  log::Info("ftam.transfer", {{"session", session_id_}, {"user", log::Sanitize(user_)}, {"op", "write"},
                              {"path", log::Sanitize(selection_->path)}, {"bytes", bytes},
                              {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()},
                              {"result", cancelled ? "cancelled" : failure ? "failed" : "ok"}});
  if (cancelled) {
    if (!co_await SendPdus({Pdu(FCancelResponse{})})) co_return Next::kEnd;
    co_return bridge_lost_ ? Next::kEnd : Next::kGoOn;
  }
  co_return co_await FinishTransfer(failure);
}

asio::awaitable<Next> Association::FinishTransfer(std::optional<Diagnostic> failure) {
  // The initiator ends the transfer with F-TRANSFER-END (or cancels it).
  for (;;) {
    read_timeout_ = cfg_.data_timeout;
    auto ind = co_await NextIndication();
    if (!ind) co_return Next::kEnd;
    if (As<FTransferEndRequest>(*ind)) {
      FTransferEndResponse rsp;
      if (failure) {
        rsp.action_result = kPermanentError;
        rsp.diagnostic = *failure;
        metrics::Registry::Global().Add("gw_ftam_diagnostics_total",
                                        {{"id", std::to_string(failure->front().error_identifier.value_or(0))}}, 1);
      }
      if (!co_await SendPdus({Pdu(rsp)})) co_return Next::kEnd;
      co_return bridge_lost_ ? Next::kEnd : Next::kGoOn;
    }
    if (As<FCancelRequest>(*ind)) {
      if (!co_await SendPdus({Pdu(FCancelResponse{})})) co_return Next::kEnd;
      co_return bridge_lost_ ? Next::kEnd : Next::kGoOn;
    }
    if (std::holds_alternative<assoc::AbortIndication>(*ind)) {
      Shutdown();
      co_return Next::kEnd;
    }
    co_await ProviderAbort(error_id::kProcedureError, "F-TRANSFER-END-request expected");
    co_return Next::kEnd;
  }
}

}  // namespace gw::ftam::responder
