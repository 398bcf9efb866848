// One association of the responder (internal to ftam/responder): the connect phase
// (association.cpp), the file regimes (regime.cpp) and bulk data (transfer.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/experimental/channel.hpp>

#include "ftam/doctype/document_types.h"
#include "ftam/responder/initialize.h"
#include "ftam/responder/responder.h"
#include "osi/association/inbound.h"
#include "osi/association/messages.h"
#include "osi/session/negotiation.h"
#include "osi/transport/tsdu.h"

namespace gw::ftam::responder {

namespace asio = boost::asio;
namespace v1 = gateway::v1;
using osi::association::Indication;

// The selection regime: the file (or directory) named by F-SELECT or F-CREATE.
struct Selection {
  std::string name;               // as the initiator named it (responses echo it)
  std::string path;               // as sent to the bridge
  bool exists = false;
  bool directory = false;
  v1::Attributes attributes;      // from the bridge (stat), when the file exists
  bool create_pending = false;    // F-CREATE: the file is made by the first write, or at deselect
  std::optional<ContentsType> initial_contents;  // from F-CREATE's initial attributes
};

// The open regime: how the file is being accessed.
struct OpenFile {
  bool directory = false;
  bool text = false;
  int64_t ctx = 0;                 // presentation context of the data values
  uint32_t string_tag = 27;        // FTAM-1: universal class of the values
  bool line_per_value = false;     // FTAM-1: a value a line (no format effectors, or significant boundaries)
  bool fixed_length = false;       // FTAM-1, fixed significance: values padded to max_string_length
  std::optional<int64_t> max_string_length;
  NamedBits nbs9_names;            // NBS-9: attributes each entry carries
  NamedBits processing_mode;
};

enum class Next { kGoOn, kEnd };

class Association {
 public:
  Association(osi::association::Connection& conn, BridgeLink& bridge, const Config& cfg, std::string session_id,
              std::string peer);
  asio::awaitable<void> Run();

 private:
  // Connect phase (association.cpp).
  asio::awaitable<bool> Establish();
  asio::awaitable<std::optional<osi::Bytes>> ReadConnectTsdu();
  std::chrono::steady_clock::duration ConnectTimeLeft() const;
  asio::awaitable<void> RefuseAndClose(std::vector<uint8_t> rf);
  asio::awaitable<void> Loop();
  asio::awaitable<void> ReaderLoop();
  asio::awaitable<void> ReadIndications();
  asio::awaitable<std::optional<Indication>> NextIndication();
  std::optional<Indication> PollIndication();
  asio::awaitable<bool> Send(std::vector<uint8_t> bytes);
  asio::awaitable<bool> SendPdus(std::vector<Pdu> pdus);
  asio::awaitable<void> ProviderAbort(int64_t id, std::string details);
  asio::awaitable<Next> Release(const osi::association::ReleaseIndication& r);
  void Shutdown();
  asio::awaitable<void> CancelBridge();

  // File regimes (regime.cpp): each returns the response(s) and whether it failed.
  asio::awaitable<Next> OnPdus(std::vector<Pdu> pdus);
  asio::awaitable<bool> OnRequest(Pdu& pdu, std::vector<Pdu>* responses, bool* abort);
  asio::awaitable<bool> Select(const FSelectRequest& req, std::vector<Pdu>* out);
  asio::awaitable<bool> Create(const FCreateRequest& req, std::vector<Pdu>* out);
  asio::awaitable<bool> ReadAttrib(const FReadAttribRequest& req, std::vector<Pdu>* out);
  asio::awaitable<bool> ChangeAttrib(const FChangeAttribRequest& req, std::vector<Pdu>* out);
  asio::awaitable<bool> Delete(std::vector<Pdu>* out);
  asio::awaitable<bool> Deselect(std::vector<Pdu>* out);
  asio::awaitable<bool> Open(const FOpenRequest& req, std::vector<Pdu>* out);
  bool Close(std::vector<Pdu>* out);

  // Bulk data (transfer.cpp).
  asio::awaitable<Next> Read(const FReadRequest& req);
  asio::awaitable<Next> Write(const FWriteRequest& req);
  asio::awaitable<Next> FinishTransfer(std::optional<Diagnostic> failure);
  asio::awaitable<Next> ReadDirectory();
  asio::awaitable<bool> SendFileData(std::string& chunk, std::string& carry, bool last);
  // During a write, the one reader of the bridge session: its next message is the write's
  // final result (early when the destination failed); a broken session is reported to the
  // association loop at once through the inbox.
  asio::awaitable<void> WatchBridge();
  asio::awaitable<std::optional<v1::SessionResponse>> WatchedResult();

  // Bridge helpers.
  asio::awaitable<std::optional<v1::OperationResult>> Call(v1::Operation op);
  asio::awaitable<std::optional<v1::OperationResult>> StatWithContents(const std::string& path);
  Diagnostic DiagnosticOf(const v1::Result& r, int64_t fallback_id) const;

  osi::association::Connection& conn_;
  BridgeLink& bridge_;
  const Config& cfg_;
  std::string session_id_, peer_;
  osi::association::Wire wire_;
  osi::presentation::ContextTable contexts_;
  osi::transport::TsduReassembler tsdu_;
  Negotiated ftam_;
  std::string user_;
  bool bridge_open_ = false;
  std::chrono::steady_clock::time_point connect_deadline_{};
  bool bridge_lost_ = false;

  // The reader coroutine's indications (data phase).
  using Channel = asio::experimental::channel<void(boost::system::error_code, Indication)>;
  std::unique_ptr<Channel> inbox_;
  std::unique_ptr<asio::experimental::channel<void(boost::system::error_code)>> reader_done_;
  bool reader_running_ = false;
  std::chrono::seconds read_timeout_{300};

  using Watch = asio::experimental::channel<void(boost::system::error_code, std::optional<v1::SessionResponse>)>;
  std::unique_ptr<Watch> watch_;
  bool watching_ = false;  // a watcher is still waiting on the bridge

  std::optional<Selection> selection_;
  std::optional<OpenFile> open_;
};

}  // namespace gw::ftam::responder
