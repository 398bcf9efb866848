// ftam-front's initiator role: one FTAM association toward a responder, driven operation
// by operation (RFC 1415 §8.1 on the FTAM side). The connect phase (COTP CR, session CN with
// v2 then v1, presentation CP with the contexts ISODE's initiator proposes, ACSE AARQ,
// F-INITIALIZE), the file regimes (grouped when the responder negotiated grouping), bulk
// data in both directions, release and aborts. Every wait has a deadline.
//
// Failures are absl::Status values; when the responder gave a diagnostic, the status
// carries it (DiagnosticOf) and its message is the diagnostic's further details. A status
// with lost() true means the association is gone.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "absl/status/statusor.h"
#include "ftam/pdu/pdu.h"
#include "osi/association/connection.h"
#include "osi/association/inbound.h"
#include "osi/association/messages.h"
#include "osi/ber/reader.h"
#include "osi/presentation/context_table.h"
#include "osi/transport/tsdu.h"

namespace gw::ftam::initiator {

// Where the responder is: RFC 1006 host and port, the selectors (octets) and the AE title.
struct Address {
  std::string host;
  uint16_t port = 102;
  std::string tsel, ssel, psel;
  std::optional<osi::ber::Oid> ap_title;
  std::optional<int64_t> ae_qualifier;
};

struct Options {
  std::chrono::seconds connect_timeout{15};  // TCP connect through F-INITIALIZE's response
  std::chrono::seconds reply_timeout{60};    // each confirm
  std::chrono::seconds data_timeout{120};    // a transfer that stalls
  std::chrono::seconds release_timeout{5};
  size_t max_tpdu = 65531;                   // asked for in CR (the responder may lower it)
  size_t max_value = 32768;                  // largest document value sent
  size_t max_tsdu = 16u << 20;
  osi::ber::Limits ber{32, size_t{16} << 20, size_t{16} << 20};
  std::string calling_tsel;                  // octets, empty: none
  // Propose the old NBS-9 registration too, as ISODE's initiator does (a responder that
  // only knows it can still list directories).
  bool propose_old_nbs9 = true;
  std::function<void(std::string_view)> trace;  // one line per PDU sent or received
};

// What F-INITIALIZE-response granted.
struct Granted {
  bool grouping = false, read = false, write = false, limited_management = false, enhanced_management = false;
  bool recovery = false, restart = false;
  std::optional<int64_t> text_ctx, binary_ctx, nbs9_ctx;
  bool nbs9_old = false;  // nbs9_ctx is the old NBS-9 registration
  std::string implementation;
};

// The diagnostic a failed status carries, if any.
std::optional<DiagnosticEntry> DiagnosticOf(const absl::Status& s);
// An association that is gone (aborted, connection lost, protocol error).
bool Lost(const absl::Status& s);

class Initiator {
 public:
  Initiator(boost::asio::any_io_executor ex, Options o);
  ~Initiator();
  Initiator(const Initiator&) = delete;
  Initiator& operator=(const Initiator&) = delete;

  // Connects and initializes; the filestore password and account pass through (RFC 1415 §11).
  boost::asio::awaitable<absl::Status> Associate(const Address& a, const std::string& user,
                                                 const std::string& password, const std::string& account);
  // The same over a connection already made (tests and the fuzz target); no version 1
  // fallback, which needs a new connection.
  boost::asio::awaitable<absl::Status> AssociateOver(osi::association::Stream stream, const Address& a,
                                                     const std::string& user, const std::string& password,
                                                     const std::string& account);
  bool associated() const { return associated_; }
  const Granted& granted() const { return granted_; }
  int session_version() const { return wire_.session_version; }

  // File management (each a grouped select .. deselect when grouping was granted).
  boost::asio::awaitable<absl::StatusOr<Attributes>> ReadAttributes(const std::string& path);
  // NBS-9 directory read: the entries of a directory ("" or "." is the initial one).
  boost::asio::awaitable<absl::StatusOr<std::vector<Attributes>>> ListDirectory(const std::string& path);
  boost::asio::awaitable<absl::Status> Delete(const std::string& path);
  boost::asio::awaitable<absl::Status> Rename(const std::string& from, const std::string& to);
  boost::asio::awaitable<absl::Status> MakeDirectory(const std::string& path);

  // Bulk data, one transfer at a time. A read: StartRead, then ReadSome until *end; the
  // transfer is finished (F-TRANSFER-END, F-CLOSE, F-DESELECT) when *end is set.
  boost::asio::awaitable<absl::Status> StartRead(const std::string& path, bool text);
  boost::asio::awaitable<absl::Status> ReadSome(std::string* out, size_t want, bool* end);
  // A write: StartWrite, WriteSome..., FinishWrite (F-DATA-END .. F-DESELECT).
  enum class WriteMode { kReplace, kExtend, kCreateNew };
  boost::asio::awaitable<absl::Status> StartWrite(const std::string& path, WriteMode mode, bool text);
  boost::asio::awaitable<absl::Status> WriteSome(std::span<const char> data);
  boost::asio::awaitable<absl::Status> FinishWrite();
  // F-CANCEL of the transfer in progress, then close and deselect.
  boost::asio::awaitable<absl::Status> Cancel();
  bool transferring() const { return transfer_ != Transfer::kNone; }

  // F-TERMINATE (orderly), or F-U-ABORT; both close the connection.
  boost::asio::awaitable<void> Release();
  boost::asio::awaitable<void> Abort(std::string why);
  void Close();

 private:
  enum class Transfer { kNone, kReading, kWriting };

  boost::asio::awaitable<absl::Status> Connect(const Address& a, uint8_t versions, const std::string& user,
                                               const std::string& password, const std::string& account,
                                               bool* version_refused);
  boost::asio::awaitable<absl::Status> Handshake(osi::association::Stream stream, const Address& a, uint8_t versions,
                                                 const std::string& user, const std::string& password,
                                                 const std::string& account, bool* version_refused);
  boost::asio::awaitable<absl::StatusOr<osi::Bytes>> ReadTsdu(std::chrono::seconds timeout);
  boost::asio::awaitable<absl::Status> Send(const std::vector<uint8_t>& bytes, std::chrono::seconds timeout);
  boost::asio::awaitable<absl::Status> SendPdus(const std::vector<Pdu>& pdus);
  // The next indication of the data phase (queued ones first).
  boost::asio::awaitable<absl::StatusOr<osi::association::Indication>> Next(std::chrono::seconds timeout);
  // The FTAM PDUs of the next P-DATA; anything else ends the association.
  boost::asio::awaitable<absl::StatusOr<std::vector<Pdu>>> NextPdus();
  // Requests as a group (or one by one without grouping): the responses, in order, up to
  // the first failed one.
  boost::asio::awaitable<absl::StatusOr<std::vector<Pdu>>> Exchange(std::vector<Pdu> requests);
  void Reset(const Address& a);
  absl::Status ContentsGranted(bool text) const;  // FTAM-1 or FTAM-3 was granted
  absl::Status Fail(absl::Status s);  // marks the association lost and closes
  absl::Status HandleUnexpected(const osi::association::Indication& i);
  boost::asio::awaitable<absl::Status> EndTransfer(bool cancel);
  boost::asio::awaitable<absl::Status> CheckInbound();
  void Trace(std::string_view dir, const Pdu& p);

  boost::asio::any_io_executor ex_;
  Options opt_;
  std::unique_ptr<osi::association::Connection> conn_;
  osi::association::Wire wire_;
  osi::presentation::ContextTable contexts_;
  std::unique_ptr<osi::transport::TsduReassembler> tsdu_;
  std::unique_ptr<osi::association::DataPhaseDecoder> decoder_;
  std::deque<osi::association::Indication> pending_;
  Granted granted_;
  bool associated_ = false;
  std::string peer_;

  Transfer transfer_ = Transfer::kNone;
  bool text_ = false;
  bool write_created_ = false;  // the write's F-CREATE made (or replaced) the file
  bool line_per_value_ = false;
  uint32_t string_tag_ = 27;
};

}  // namespace gw::ftam::initiator
