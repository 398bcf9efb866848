// Decodes ISODE captures through every layer and checks that what we decode re-encodes
// to something that decodes the same (encode(decode(x)) is stable under decode/encode).
#pragma once

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "ftam/doctype/data_value.h"
#include "ftam/pdu/pdu.h"
#include "ftam/pdu/print.h"
#include "osi/acse/apdu.h"
#include "osi/presentation/ppdu.h"
#include "osi/session/spdu.h"
#include "osi/transport/cotp.h"
#include "tools/pcap.h"
#include "tools/stack_decoder.h"

namespace gw::test {

std::string CaptureDir();
std::vector<uint8_t> ReadFile(const std::string& path);

struct Seen {
  int dir;
  ftam::Pdu pdu;
};
struct SeenData {
  int dir;
  int64_t context;
  osi::ber::Oid abstract_syntax;
  std::string value;  // complete BER of the value
};

// Collects every decoded unit and verifies the round trip of each as it goes.
class CollectingObserver : public tools::StackObserver {
 public:
  void OnTpdu(int dir, const osi::transport::Tpdu& t) override;
  void OnSpdu(int dir, const osi::session::Spdu& s) override;
  void OnPpdu(int dir, const tools::Ppdu& p) override;
  void OnApdu(int dir, const osi::acse::Apdu& a) override;
  void OnFtamPdu(int dir, const ftam::Pdu& p, osi::Bytes encoded) override;
  void OnDataValue(int dir, int64_t ctx, const osi::ber::Oid& as, osi::Bytes value) override;
  void OnError(int dir, const std::string& layer, const absl::Status& s) override;

  std::vector<std::string> tpdus, spdus, ppdus;
  std::vector<osi::acse::Apdu> apdus;
  std::vector<Seen> ftam;
  std::vector<SeenData> data;
  std::vector<std::string> errors;            // decode errors
  std::vector<std::string> roundtrip_errors;  // re-encoding mismatches
  size_t roundtrips = 0;
};

struct Decoded {
  std::unique_ptr<CollectingObserver> obs;
  size_t connections = 0;
};
Decoded DecodeCapture(const std::string& name);

// The byte stream of a capture's first RFC 1006 connection, in capture order: (direction,
// bytes) pieces, direction 0 from the initiator. `path` is a file path.
std::vector<std::pair<int, std::string>> CaptureStream(const std::string& path);

// Concatenated contents of the FTAM-1 / FTAM-3 values sent in one direction
// (1 = responder to initiator, i.e. a read; 0 = a write).
std::string FileData(const CollectingObserver& o, const osi::ber::Oid& abstract_syntax, int dir);
// The same with CR LF turned into LF, as a local text file.
std::string LocalText(const std::string& wire);

template <typename T>
std::vector<const T*> Find(const CollectingObserver& o) {
  std::vector<const T*> out;
  for (const auto& s : o.ftam)
    if (auto* p = std::get_if<T>(&s.pdu)) out.push_back(p);
  return out;
}

}  // namespace gw::test
