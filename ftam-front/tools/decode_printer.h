// The StackObserver that renders PDUs as text for the decode tool.
#pragma once

#include <ostream>
#include <string>

#include "tools/stack_decoder.h"

namespace gw::tools {

class DecodePrinter : public StackObserver {
 public:
  DecodePrinter(std::ostream& out, bool verbose, bool directions = true)
      : out_(out), verbose_(verbose), directions_(directions) {}
  void OnTpdu(int dir, const osi::transport::Tpdu& t) override;
  void OnSpdu(int dir, const osi::session::Spdu& s) override;
  void OnPpdu(int dir, const Ppdu& p) override;
  void OnApdu(int dir, const osi::acse::Apdu& a) override;
  void OnFtamPdu(int dir, const ftam::Pdu& p, osi::Bytes encoded) override;
  void OnDataValue(int dir, int64_t context, const osi::ber::Oid& as, osi::Bytes value) override;
  void OnError(int dir, const std::string& layer, const absl::Status& s) override;

  size_t pdus() const { return pdus_; }
  size_t errors() const { return errors_; }

 private:
  std::ostream& Line(int dir, const char* layer);
  std::ostream& out_;
  bool verbose_;
  bool directions_;
  size_t pdus_ = 0, errors_ = 0;
};

}  // namespace gw::tools
