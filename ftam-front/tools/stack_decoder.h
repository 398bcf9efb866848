// Decodes both directions of one RFC 1006 connection through every layer (TPKT, COTP,
// session, presentation, ACSE, FTAM) and reports each PDU to an observer. Presentation
// contexts are learnt from the CP so that data-phase PDVs can be routed to the FTAM PDU
// decoder (FTAM PCI), the ACSE decoder or reported as document data values.
// Used by the `ftam-front decode` tool and by the capture tests.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "ftam/pdu/pdu.h"
#include "osi/acse/apdu.h"
#include "osi/presentation/ppdu.h"
#include "osi/session/spdu.h"
#include "osi/session/ssdu.h"
#include "osi/transport/cotp.h"
#include "osi/transport/tsdu.h"

namespace gw::tools {

namespace pres = osi::presentation;

using Ppdu = std::variant<pres::ConnectPpdu, pres::AcceptPpdu, pres::RefusePpdu, pres::AbortPpdu,
                          pres::UserData>;
const char* PpduName(const Ppdu& p);

// FTAM abstract syntaxes (osi-ftam-notes §4.6).
inline constexpr osi::ber::Oid kFtamPciAbstractSyntax{1, 0, 8571, 2, 1};

class StackObserver {
 public:
  virtual ~StackObserver() = default;
  virtual void OnTpdu(int dir, const osi::transport::Tpdu& t) {}
  virtual void OnSpdu(int dir, const osi::session::Spdu& s) {}
  virtual void OnPpdu(int dir, const Ppdu& p) {}
  virtual void OnApdu(int dir, const osi::acse::Apdu& a) {}
  virtual void OnFtamPdu(int dir, const ftam::Pdu& p, osi::Bytes encoded) {}
  // A value in a document context (FTAM-1, FTAM-3, NBS-9 ...).
  virtual void OnDataValue(int dir, int64_t context, const osi::ber::Oid& abstract_syntax,
                           osi::Bytes value) {}
  virtual void OnError(int dir, const std::string& layer, const absl::Status& s) {}
};

class StackDecoder {
 public:
  explicit StackDecoder(StackObserver* obs, size_t max_tsdu = size_t{64} << 20);
  // Feeds bytes of one direction of the TCP stream (0 = initiator).
  void Feed(int dir, osi::Bytes data);
  // Decodes one complete TSDU (tests of one layer feed TSDUs directly).
  void OnTsdu(int dir, osi::Bytes tsdu);
  // Abstract syntax of a context id, as proposed in the CP.
  const osi::ber::Oid* AbstractSyntax(int64_t id) const;
  size_t buffered(int dir) const { return buf_[dir].size(); }

 private:
  void OnTpkt(int dir, osi::Bytes tpdu);
  void OnUserData(int dir, const pres::UserData& u, bool association_phase);
  void OnPdvValue(int dir, int64_t ctx, osi::Bytes value, bool association_phase);
  void OnExternal(int dir, const std::vector<osi::acse::External>& ui);

  StackObserver* obs_;
  std::vector<uint8_t> buf_[2];
  bool broken_[2] = {false, false};
  osi::transport::TsduReassembler tsdu_[2];
  osi::session::SsduReassembler ssdu_[2];
  std::map<int64_t, osi::ber::Oid> contexts_;
};

}  // namespace gw::tools
