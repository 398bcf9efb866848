#include "ftam/responder/listener.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "osi/transport/cotp.h"
#include "osi/transport/tpkt.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/session_client.h"
#include "runtime/util.h"

namespace gw::ftam::responder {

namespace asio = boost::asio;
using asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

// The bridge session of one association: the gRPC session stream.
class GrpcBridgeLink : public BridgeLink {
 public:
  GrpcBridgeLink(rt::SessionStub* stub, asio::any_io_executor ex) : client_(stub, ex) {}
  asio::awaitable<bool> Open(gateway::v1::OpenSession open) override { co_return co_await client_.Open(std::move(open)); }
  asio::awaitable<uint64_t> Send(gateway::v1::Operation op) override { co_return co_await client_.Send(std::move(op)); }
  asio::awaitable<bool> SendData(std::string data, bool last) override {
    co_return co_await client_.SendData(rt::Payload::Adopt(std::move(data)), last);
  }
  // The responder builds FTAM data values from one contiguous chunk: a received chunk's
  // pieces are joined here (the one copy; the values are then built from it).
  asio::awaitable<std::optional<gateway::v1::SessionResponse>> Receive() override {
    auto frame = co_await client_.Receive();
    if (!frame) co_return std::nullopt;
    if (frame->is_data()) frame->payload.AppendTo(*frame->msg.mutable_data()->mutable_data());
    co_return std::move(frame->msg);
  }
  asio::awaitable<void> Close() override { co_await client_.Close(); }
  asio::awaitable<void> Cancel() override { co_await client_.Cancel(); }
  std::string error() const override { return client_.error(); }

 private:
  rt::SessionClient client_;
};

std::string IpOf(const tcp::endpoint& ep) {
  auto a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
  return a.to_string();
}

// Refuses a connection beyond the limits: a DR once its CR arrived (ISO 8073 §13.5,
// reason "congestion at TSAP"), then close.
asio::awaitable<void> RefuseConnection(tcp::socket sock, std::string why) {
  osi::association::Connection conn(std::move(sock), osi::transport::kTpktMaxPacket);
  auto tpdu = co_await conn.ReadTpdu(std::chrono::seconds(5));
  if (tpdu.ok()) {
    auto t = osi::transport::DecodeTpdu(*tpdu);
    if (t.ok() && std::holds_alternative<osi::transport::ConnectTpdu>(*t)) {
      std::vector<uint8_t> dr;
      osi::transport::EncodeTpkt(osi::transport::DisconnectTpdu{std::get<osi::transport::ConnectTpdu>(*t).src_ref, 0,
                                                                 osi::transport::dr_reason::kCongestion, why},
                                 &dr);
      (void)co_await conn.Write(osi::Bytes(dr), std::chrono::seconds(5));
    }
  }
  conn.Close();
}

asio::awaitable<void> RunAssociation(tcp::socket sock, std::shared_ptr<ServiceShared> shared, std::string peer) {
  const std::string id = rt::RandomHex(8);
  {
    osi::association::Connection conn(std::move(sock), shared->config.max_tpdu + 4);
    GrpcBridgeLink link(shared->bridge.get(), co_await asio::this_coro::executor);
    try {
      co_await Serve(conn, link, shared->config, id, peer);
    } catch (const std::exception& e) {
      log::Error("ftam.exception", {{"session", id}, {"error", e.what()}});
    }
  }
  std::lock_guard lock(shared->mu);
  --shared->active;
  if (--shared->per_address[peer] == 0) shared->per_address.erase(peer);
}

}  // namespace

asio::awaitable<void> AcceptLoop(tcp::acceptor acceptor, std::shared_ptr<ServiceShared> shared) {
  auto& m = metrics::Registry::Global();
  for (;;) {
    auto [ec, sock] = co_await acceptor.async_accept(asio::make_strand(acceptor.get_executor()), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      log::Warn("ftam.accept_failed", {{"error", ec.message()}});
      asio::steady_timer t(co_await asio::this_coro::executor);
      t.expires_after(std::chrono::milliseconds(100));
      co_await t.async_wait(kTuple);
      continue;
    }
    boost::system::error_code pec;
    std::string peer = IpOf(sock.remote_endpoint(pec));
    std::string refusal;
    {
      std::lock_guard lock(shared->mu);
      if (shared->active >= shared->max_associations) refusal = "too many associations";
      else if (shared->per_address[peer] >= shared->max_per_address) refusal = "too many associations from " + peer;
      if (refusal.empty()) {
        ++shared->active;
        ++shared->per_address[peer];
      } else if (shared->per_address[peer] == 0) {
        shared->per_address.erase(peer);
      }
    }
    auto ex = sock.get_executor();
    if (!refusal.empty()) {
      m.Add("gw_ftam_associations_total", {{"result", "limit"}}, 1);
      log::Warn("ftam.refused", {{"peer", peer}, {"reason", refusal}});
      asio::co_spawn(ex, RefuseConnection(std::move(sock), refusal), asio::detached);
      continue;
    }
    asio::co_spawn(ex, RunAssociation(std::move(sock), shared, peer), asio::detached);
  }
}

}  // namespace gw::ftam::responder
