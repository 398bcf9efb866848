// Everything we encode, for every PDU type in both roles, judged by tshark: each frame
// is decoded at the expected layer and PDU type, with zero malformed packets and zero
// expert errors, and the key fields tshark reads back equal what we encoded.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "ftam/doctype/data_value.h"
#include "ftam/doctype/document_types.h"
#include "tools/pcap_writer.h"
#include "tshark/wire.h"

namespace gw::test {
namespace {

namespace dt = ftam::doctype;
using ftam::NamedBits;
using Expect = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kSevError = "8388608";

struct Step {
  size_t frame = 0;
  Expect expect;
  bool nbs9 = false;  // NBS-9 data: tshark's FTAM dissector reports "zero-byte FTAM PDU"
};

ftam::Attributes Named(const std::string& name) {
  ftam::Attributes a;
  a.pathname = ftam::Pathname{name};
  return a;
}

ftam::Diagnostic Diag(int64_t id, std::string details) {
  ftam::DiagnosticEntry e;
  e.diagnostic_type = ftam::kPermanent;
  e.error_identifier = id;
  e.error_observer = ftam::kRespondingFileProtocolMachine;
  e.error_source = ftam::kRespondingFileServiceUser;
  e.further_details = std::move(details);
  return {e};
}

ftam::ConcurrencyControl Locks(int64_t read) {
  ftam::ConcurrencyControl c;
  c.lock[0] = read;
  return c;
}

ftam::FInitializeRequest InitRequest() {
  ftam::FInitializeRequest r;
  r.service_class = NamedBits::Of({1, 2, 3});
  r.functional_units = NamedBits::Of({2, 3, 5, 6, 7});
  r.attribute_groups = NamedBits::Of({0});
  r.ftam_quality_of_service = 0;
  r.contents_type_list = ftam::ContentsTypeList{{true, dt::kFtam3DocumentType}, {true, dt::kFtam1DocumentType},
                                                {true, dt::kNbs9DocumentType}};
  r.initiator_identity = "ftamtest";
  r.filestore_password = ftam::Password{"ftampass", false};
  return r;
}

ftam::FInitializeResponse InitResponse(bool ok) {
  ftam::FInitializeResponse r;
  if (!ok) {
    r.state_result = ftam::kStateFailure;
    r.action_result = ftam::kPermanentError;
    r.diagnostic = Diag(2020, "bad password");
  }
  r.service_class = NamedBits::Of({3});
  r.functional_units = NamedBits::Of({2, 3, 5, 6, 7});
  r.attribute_groups = NamedBits::Of({0});
  r.ftam_quality_of_service = 0;
  if (ok) r.contents_type_list = InitRequest().contents_type_list;
  return r;
}

std::string Hex(std::initializer_list<int> bytes) {
  std::string s;
  char b[4];
  for (int x : bytes) {
    std::snprintf(b, sizeof b, "%02x", x);
    s += b;
  }
  return s;
}

class Script {
 public:
  explicit Script(tools::PcapWriter* w) : w_(w) {}
  void Conn(uint16_t port) { conn_ = w_->Open(port); }
  void Close() { w_->Close(conn_); }
  void Send(int dir, const std::vector<uint8_t>& bytes, Expect e, bool nbs9 = false) {
    size_t frame = w_->Send(conn_, dir, bytes);
    steps.push_back({frame, std::move(e), nbs9});
  }
  std::vector<Step> steps;

 private:
  tools::PcapWriter* w_;
  int conn_ = 0;
};

// The main association: every FTAM PDU of the regime, file and bulk-data groups.
void MainAssociation(Script& s) {
  s.Conn(40001);
  s.Send(0, wire::ConnectRequest(0x4806), {{"cotp.type", "0x0e"}, {"cotp.srcref", "0x4806"}});
  s.Send(1, wire::ConnectConfirm(0x4806, 0x4807), {{"cotp.type", "0x0d"}, {"cotp.srcref", "0x4807"}});
  s.Send(0, wire::Associate(InitRequest()),
         {{"ses.type", "13"}, {"acse.aSO_context_name", "1.0.8571.1.1"}, {"ftam.fTAM_Regime_PDU", "0"},
          {"ftam.initiator_identity", "ftamtest"}, {"ftam.service_class", Hex({0x70})},
          {"ftam.functional_units", Hex({0x37})},
          {"ftam.document_type_name", "1.0.8571.5.3,1.0.8571.5.1,1.3.14.5.5.9"}});
  s.Send(1, wire::Accept(InitResponse(true)),
         {{"ses.type", "14"}, {"acse.result", "0"}, {"ftam.fTAM_Regime_PDU", "1"}, {"ftam.service_class", Hex({0x10})}});

  // Group: select, read-attributes, deselect.
  ftam::FSelectRequest sel;
  sel.attributes = Named("hello.txt");
  sel.requested_access = NamedBits::Of({ftam::access::kReadAttribute});
  ftam::FReadAttribRequest ra;
  ra.attribute_names = NamedBits::Of({0, 2, 4, 8, 13});
  s.Send(0, wire::PData({ftam::FBeginGroupRequest{3}, sel, ra, ftam::FDeselectRequest{}, ftam::FEndGroupRequest{}}),
         {{"ses.type", "1,1"}, {"ftam.file_PDU", "22,6,14,8,24"}, {"ftam.threshold", "3"}, {"ftam.Pathname_item", "hello.txt"},
          {"ftam.requested_access", Hex({0x04})}});
  ftam::FSelectResponse sel_rsp;
  sel_rsp.attributes = Named("hello.txt");
  ftam::FReadAttribResponse ra_rsp;
  ftam::Attributes attrs = Named("hello.txt");
  attrs.contents_type = dt::Ftam1ContentsType({27, std::nullopt, dt::kNotSignificant});
  attrs.date_and_time_of_creation = ftam::DateValue{false, *osi::ber::ParseGeneralizedTime("20261122012804Z")};
  attrs.identity_of_creator = ftam::IdentityValue{false, "ftamtest"};
  attrs.filesize = ftam::IntegerValue{false, 55};
  ra_rsp.attributes = attrs;
  ftam::FDeselectResponse desel_rsp;
  desel_rsp.charging = ftam::Charging{{"disk", "blocks", 3}};
  s.Send(1, wire::PData({ftam::FBeginGroupResponse{}, sel_rsp, ra_rsp, desel_rsp, ftam::FEndGroupResponse{}}),
         {{"ftam.file_PDU", "23,7,15,9,25"}, {"ftam.Pathname_item", "hello.txt,hello.txt"},
          {"ftam.document_type_name", "1.0.8571.5.1"}, {"ftam.charging_value", "3"}, {"ftam.charging_unit", "blocks"}});

  // Group: select, open (FTAM-1).
  sel.requested_access = NamedBits::Of({ftam::access::kRead});
  ftam::FOpenRequest open;
  open.processing_mode = NamedBits::Of({0});
  open.contents_type = ftam::OpenContentsType{false, dt::Ftam1ContentsType({27, std::nullopt, 2})};
  open.concurrency_control = Locks(ftam::kShared);
  s.Send(0, wire::PData({ftam::FBeginGroupRequest{2}, sel, open, ftam::FEndGroupRequest{}}),
         {{"ftam.file_PDU", "22,6,18,24"}, {"ftam.processing_mode", Hex({0x80})}});
  ftam::FOpenResponse open_rsp;
  open_rsp.contents_type = dt::Ftam1ContentsType({27, std::nullopt, 2});
  open_rsp.concurrency_control = Locks(ftam::kShared);
  s.Send(1, wire::PData({ftam::FBeginGroupResponse{}, sel_rsp, open_rsp, ftam::FEndGroupResponse{}}),
         {{"ftam.file_PDU", "23,7,19,25"}, {"ftam.document_type_name", "1.0.8571.5.1"}});

  // Read: F-READ, text data values, F-DATA-END, F-TRANSFER-END.
  ftam::FReadRequest read;
  read.file_access_data_unit_identity = ftam::FaduIdentity{ftam::FaduIdentity::kFirstLast, 0, {}};
  read.access_context = ftam::AccessContext{ftam::kUnstructuredAllDataUnits, std::nullopt};
  s.Send(0, wire::PData({read}), {{"ftam.bulk_Data_PDU", "32"}, {"ftam.first_last", "0"}, {"ftam.access_context", "5"}});
  std::string text = "Hello FTAM world\r\nline two of text\r\n";
  osi::Gather value;
  dt::AppendValues(osi::ber::universal::kGeneralString, osi::AsBytes(text), 1 << 20, &value);
  s.Send(1, wire::PData(wire::kCtxText, {value.Flatten()}),
         {{"ses.type", "1,1"}, {"pres.presentation_context_identifier", "5"}});
  std::vector<std::vector<uint8_t>> lines;
  for (const char* l : {"one line", "another line"}) {
    osi::Gather g;
    dt::AppendValues(osi::ber::universal::kGraphicString, osi::AsBytes(l), 1 << 20, &g);
    lines.push_back(g.Flatten());
  }
  s.Send(1, wire::PData(wire::kCtxText, lines), {{"pres.presentation_context_identifier", "5"}});
  s.Send(1, wire::PData({ftam::FDataEndRequest{}}), {{"ftam.bulk_Data_PDU", "34"}});
  s.Send(0, wire::PData({ftam::FTransferEndRequest{}}), {{"ftam.bulk_Data_PDU", "35"}});
  s.Send(1, wire::PData({ftam::FTransferEndResponse{}}), {{"ftam.bulk_Data_PDU", "36"}});

  // Cancel, locate, erase, restart, recover (both roles).
  ftam::FCancelRequest cancel;
  cancel.action_result = ftam::kTransientError;
  cancel.diagnostic = Diag(5027, "cancelled");
  s.Send(0, wire::PData({cancel}), {{"ftam.bulk_Data_PDU", "37"}, {"ftam.action_result", "1"},
                                    {"ftam.error_identifier", "5027"}, {"ftam.further_details", "cancelled"}});
  s.Send(1, wire::PData({ftam::FCancelResponse{}}), {{"ftam.bulk_Data_PDU", "38"}});
  ftam::FLocateRequest loc;
  loc.file_access_data_unit_identity = ftam::FaduIdentity{ftam::FaduIdentity::kFirstLast, 1, {}};
  s.Send(0, wire::PData({loc}), {{"ftam.file_PDU", "28"}, {"ftam.first_last", "1"}});
  ftam::FLocateResponse loc_rsp;
  loc_rsp.file_access_data_unit_identity = loc.file_access_data_unit_identity;
  s.Send(1, wire::PData({loc_rsp}), {{"ftam.file_PDU", "29"}});
  ftam::FEraseRequest erase;
  erase.file_access_data_unit_identity = loc.file_access_data_unit_identity;
  s.Send(0, wire::PData({erase}), {{"ftam.file_PDU", "30"}});
  s.Send(1, wire::PData({ftam::FEraseResponse{}}), {{"ftam.file_PDU", "31"}});
  ftam::FRestartRequest restart;
  restart.checkpoint_identifier = 7;
  restart.transfer_number = 1;
  s.Send(0, wire::PData({restart}), {{"ftam.bulk_Data_PDU", "39"}, {"ftam.checkpoint_identifier", "7"}});
  ftam::FRestartResponse restart_rsp;
  restart_rsp.checkpoint_identifier = 7;
  restart_rsp.transfer_number = 1;
  s.Send(1, wire::PData({restart_rsp}), {{"ftam.bulk_Data_PDU", "40"}, {"ftam.checkpoint_identifier", "7"}});
  ftam::FRecoverRequest recover;
  recover.activity_identifier = 5;
  recover.bulk_transfer_number = 2;
  recover.requested_access = NamedBits::Of({0});
  recover.recovery_point = 3;
  s.Send(0, wire::PData({recover}), {{"ftam.file_PDU", "26"}, {"ftam.bulk_transfer_number", "2"}});
  ftam::FRecoverResponse recover_rsp;
  recover_rsp.contents_type = dt::Ftam3ContentsType({std::nullopt, dt::kNotSignificant});
  recover_rsp.recovery_point = 3;
  s.Send(1, wire::PData({recover_rsp}), {{"ftam.file_PDU", "27"}, {"ftam.document_type_name", "1.0.8571.5.3"}});

  // Group: close, deselect.
  s.Send(0, wire::PData({ftam::FBeginGroupRequest{2}, ftam::FCloseRequest{}, ftam::FDeselectRequest{}, ftam::FEndGroupRequest{}}),
         {{"ftam.file_PDU", "22,20,8,24"}});
  s.Send(1, wire::PData({ftam::FBeginGroupResponse{}, ftam::FCloseResponse{}, desel_rsp, ftam::FEndGroupResponse{}}),
         {{"ftam.file_PDU", "23,21,9,25"}});

  // Group: create, open (FTAM-3), write 10000 octets over several DT TPDUs.
  ftam::FCreateRequest create;
  create.override = ftam::kDeleteAndCreateWithNewAttributes;
  ftam::Attributes initial = Named("up.bin");
  initial.permitted_actions = NamedBits::Of({0, 2, 3, 5, 6, 7});
  initial.contents_type = dt::Ftam3ContentsType({std::nullopt, dt::kNotSignificant});
  create.initial_attributes = initial;
  create.requested_access = NamedBits::Of({ftam::access::kReplace});
  create.concurrency_control = Locks(ftam::kNotRequired);
  ftam::FOpenRequest wopen;
  wopen.processing_mode = NamedBits::Of({2});
  wopen.contents_type = ftam::OpenContentsType{false, dt::Ftam3ContentsType({std::nullopt, dt::kNotSignificant})};
  s.Send(0, wire::PData({ftam::FBeginGroupRequest{2}, create, wopen, ftam::FEndGroupRequest{}}),
         {{"ftam.file_PDU", "22,10,18,24"}, {"ftam.override", "3"}, {"ftam.Pathname_item", "up.bin"}});
  ftam::FCreateResponse create_rsp;
  create_rsp.initial_attributes = initial;
  ftam::FOpenResponse wopen_rsp;
  wopen_rsp.contents_type = dt::Ftam3ContentsType({std::nullopt, dt::kNotSignificant});
  s.Send(1, wire::PData({ftam::FBeginGroupResponse{}, create_rsp, wopen_rsp, ftam::FEndGroupResponse{}}),
         {{"ftam.file_PDU", "23,11,19,25"}});
  ftam::FWriteRequest write;
  write.file_access_data_unit_operation = ftam::kExtend;
  write.file_access_data_unit_identity = ftam::FaduIdentity{ftam::FaduIdentity::kFirstLast, 0, {}};
  s.Send(0, wire::PData({write}), {{"ftam.bulk_Data_PDU", "33"}, {"ftam.file_access_data_unit_Operation", "2"}});
  std::string blob(10000, '\0');
  for (size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 131 + 7);
  osi::Gather bin;
  dt::AppendValues(osi::ber::universal::kOctetString, osi::AsBytes(blob), 1 << 20, &bin);
  s.Send(0, wire::PData(wire::kCtxBinary, {bin.Flatten()}), {{"pres.presentation_context_identifier", "3"}});
  s.Send(0, wire::PData({ftam::FDataEndRequest{}}), {{"ftam.bulk_Data_PDU", "34"}});
  s.Send(0, wire::PData({ftam::FTransferEndRequest{}}), {{"ftam.bulk_Data_PDU", "35"}});
  ftam::FTransferEndResponse te_rsp;
  te_rsp.action_result = ftam::kSuccess;
  s.Send(1, wire::PData({te_rsp}), {{"ftam.bulk_Data_PDU", "36"}, {"ftam.action_result", "0"}});

  // Group: close, delete; change attributes.
  s.Send(0, wire::PData({ftam::FBeginGroupRequest{2}, ftam::FCloseRequest{}, ftam::FDeleteRequest{}, ftam::FEndGroupRequest{}}),
         {{"ftam.file_PDU", "22,20,12,24"}});
  ftam::FDeleteResponse del_rsp;
  del_rsp.charging = ftam::Charging{{"disk", "blocks", 1}};
  s.Send(1, wire::PData({ftam::FBeginGroupResponse{}, ftam::FCloseResponse{}, del_rsp, ftam::FEndGroupResponse{}}),
         {{"ftam.file_PDU", "23,21,13,25"}, {"ftam.charging_value", "1"}});
  ftam::FChangeAttribRequest change;
  change.attributes = Named("new.txt");
  s.Send(0, wire::PData({change}), {{"ftam.file_PDU", "16"}, {"ftam.Pathname_item", "new.txt"}});
  ftam::FChangeAttribResponse change_rsp;
  change_rsp.action_result = ftam::kPermanentError;
  change_rsp.diagnostic = Diag(4002, "read-only");
  s.Send(1, wire::PData({change_rsp}), {{"ftam.file_PDU", "17"}, {"ftam.action_result", "2"},
                                        {"ftam.error_identifier", "4002"}, {"ftam.further_details", "read-only"}});
  ftam::FSelectResponse sel_fail;
  sel_fail.state_result = ftam::kStateFailure;
  sel_fail.action_result = ftam::kPermanentError;
  sel_fail.attributes = Named("nosuch.bin");
  sel_fail.diagnostic = Diag(3000, "No such file or directory");
  s.Send(1, wire::PData({sel_fail}), {{"ftam.file_PDU", "7"}, {"ftam.state_result", "1"}, {"ftam.error_identifier", "3000"}});

  // Release.
  s.Send(0, wire::Release(ftam::FTerminateRequest{}), {{"ses.type", "9"}, {"acse.reason", "0"}, {"ftam.fTAM_Regime_PDU", "2"}});
  ftam::FTerminateResponse term_rsp;
  term_rsp.charging = ftam::Charging{{"session", "seconds", 42}};
  s.Send(1, wire::Released(term_rsp), {{"ses.type", "10"}, {"ftam.fTAM_Regime_PDU", "3"}, {"ftam.charging_value", "42"}});
  s.Send(0, wire::Disconnect(0x4807, 0x4806), {{"cotp.type", "0x08"}});
  s.Close();
}

void RefusedAssociation(Script& s) {
  s.Conn(40002);
  s.Send(0, wire::ConnectRequest(0x5001), {{"cotp.type", "0x0e"}});
  s.Send(1, wire::ConnectConfirm(0x5001, 0x5002), {{"cotp.type", "0x0d"}});
  s.Send(0, wire::Associate(InitRequest()), {{"ses.type", "13"}, {"ftam.fTAM_Regime_PDU", "0"}});
  s.Send(1, wire::Refuse(InitResponse(false)),
         {{"ses.type", "12"}, {"acse.result", "1"}, {"ftam.fTAM_Regime_PDU", "1"}, {"ftam.state_result", "1"},
          {"ftam.action_result", "2"}, {"ftam.error_identifier", "2020"}, {"ftam.further_details", "bad password"}});
  s.Send(0, wire::Disconnect(0x5002, 0x5001), {{"cotp.type", "0x08"}});
  s.Close();
}

void AbortedAssociations(Script& s) {
  s.Conn(40003);  // F-U-ABORT from the initiator
  s.Send(0, wire::ConnectRequest(0x6001), {{"cotp.type", "0x0e"}});
  s.Send(1, wire::ConnectConfirm(0x6001, 0x6002), {{"cotp.type", "0x0d"}});
  s.Send(0, wire::Associate(InitRequest()), {{"ftam.fTAM_Regime_PDU", "0"}});
  s.Send(1, wire::Accept(InitResponse(true)), {{"ftam.fTAM_Regime_PDU", "1"}});
  ftam::FUAbortRequest uab;
  uab.action_result = ftam::kPermanentError;
  uab.diagnostic = Diag(0, "user abort");
  s.Send(0, wire::UserAbort(uab), {{"ses.type", "25"}, {"acse.abort_source", "0"}, {"ftam.fTAM_Regime_PDU", "4"},
                                   {"ftam.further_details", "user abort"}});
  s.Send(1, wire::Disconnect(0x6001, 0x6002), {{"cotp.type", "0x08"}});
  s.Close();

  s.Conn(40004);  // F-P-ABORT from the responder's FTAM provider, then a presentation provider abort
  s.Send(0, wire::ConnectRequest(0x7001), {{"cotp.type", "0x0e"}});
  s.Send(1, wire::ConnectConfirm(0x7001, 0x7002), {{"cotp.type", "0x0d"}});
  s.Send(0, wire::Associate(InitRequest()), {{"ftam.fTAM_Regime_PDU", "0"}});
  s.Send(1, wire::Accept(InitResponse(true)), {{"ftam.fTAM_Regime_PDU", "1"}});
  ftam::FPAbortRequest pab;
  pab.action_result = ftam::kPermanentError;
  pab.diagnostic = Diag(1011, "lower layer failure");
  s.Send(1, wire::UserAbort(pab), {{"ses.type", "25"}, {"ftam.fTAM_Regime_PDU", "5"}, {"ftam.error_identifier", "1011"}});
  s.Send(0, wire::ProviderAbort(osi::presentation::kUnexpectedPpdu), {{"ses.type", "25"}, {"pres.provider_reason", "2"}});
  s.Send(1, wire::Error(0x7001), {{"cotp.type", "0x07"}});
  s.Send(1, wire::Disconnect(0x7001, 0x7002), {{"cotp.type", "0x08"}});
  s.Close();
}

void DirectoryListing(Script& s) {
  s.Conn(40005);
  s.Send(0, wire::ConnectRequest(0x8001), {{"cotp.type", "0x0e"}});
  s.Send(1, wire::ConnectConfirm(0x8001, 0x8002), {{"cotp.type", "0x0d"}});
  s.Send(0, wire::Associate(InitRequest()), {{"ftam.fTAM_Regime_PDU", "0"}});
  s.Send(1, wire::Accept(InitResponse(true)), {{"ftam.fTAM_Regime_PDU", "1"}});
  ftam::FSelectRequest sel;
  sel.attributes = Named(".");
  sel.requested_access = NamedBits::Of({0});
  ftam::FOpenRequest open;
  open.contents_type = ftam::OpenContentsType{false, dt::Nbs9ContentsType({NamedBits(0x3fff)})};
  s.Send(0, wire::PData({ftam::FBeginGroupRequest{2}, sel, open, ftam::FEndGroupRequest{}}),
         {{"ftam.file_PDU", "22,6,18,24"}, {"ftam.document_type_name", "1.3.14.5.5.9"}});
  std::vector<std::vector<uint8_t>> entries;
  for (auto [name, size] : {std::pair<const char*, int>{"hello.txt", 55}, {"random.bin", 65536}}) {
    ftam::Attributes a = Named(name);
    a.filesize = ftam::IntegerValue{false, size};
    a.identity_of_creator = ftam::IdentityValue{false, "ftamtest"};
    entries.emplace_back();
    dt::EncodeDirectoryEntry(a, &entries.back());
  }
  s.Send(1, wire::PData(wire::kCtxNbs9, entries), {{"pres.presentation_context_identifier", "7"}}, /*nbs9=*/true);
  s.Send(0, wire::Disconnect(0x8002, 0x8001), {{"cotp.type", "0x08"}});
  s.Close();
}

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

TEST(Tshark, JudgesEveryPduWeEncode) {
  if (Shell("command -v tshark").empty()) GTEST_SKIP() << "tshark is not installed";
  tools::PcapWriter w;
  Script s(&w);
  MainAssociation(s);
  RefusedAssociation(s);
  AbortedAssociations(s);
  DirectoryListing(s);
  std::string path = (std::filesystem::temp_directory_path() / "ftam_front_tshark_test.pcap").string();
  ASSERT_TRUE(w.WriteTo(path));

  std::vector<std::string> fields = {"frame.number", "_ws.malformed", "_ws.expert.severity", "_ws.expert.message"};
  for (const auto& st : s.steps)
    for (const auto& [k, v] : st.expect)
      if (std::find(fields.begin(), fields.end(), k) == fields.end()) fields.push_back(k);
  std::string cmd = "tshark -r " + path + " -T fields -E separator='|' -E occurrence=a -E aggregator=,";
  for (const auto& f : fields) cmd += " -e " + f;
  cmd += " 2>/dev/null";
  std::string out = Shell(cmd);
  ASSERT_FALSE(out.empty()) << cmd;

  std::map<size_t, std::map<std::string, std::string>> frames;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    std::vector<std::string> cols = absl::StrSplit(line, '|');
    if (cols.size() != fields.size()) continue;
    auto& f = frames[std::stoul(cols[0])];
    for (size_t i = 1; i < cols.size(); ++i) f[fields[i]] = cols[i];
  }
  ASSERT_EQ(frames.size(), w.frames());

  std::set<size_t> nbs9;
  for (const auto& st : s.steps)
    if (st.nbs9) nbs9.insert(st.frame);
  for (auto& [n, f] : frames) {
    EXPECT_EQ(f["_ws.malformed"], "") << "frame " << n << " malformed: " << f["_ws.expert.message"];
    bool error = f["_ws.expert.severity"].find(kSevError) != std::string::npos;
    if (nbs9.count(n)) {
      // Known tshark behaviour (osi-ftam-notes §11): NBS-9 values go to the FTAM PDU dissector.
      EXPECT_NE(f["_ws.expert.message"].find("zero-byte FTAM PDU"), std::string::npos) << f["_ws.expert.message"];
    } else {
      EXPECT_FALSE(error) << "frame " << n << " expert error: " << f["_ws.expert.message"];
    }
  }
  size_t checked = 0;
  for (const auto& st : s.steps) {
    auto& f = frames[st.frame];
    for (const auto& [k, v] : st.expect) {
      EXPECT_EQ(f[k], v) << "frame " << st.frame << " field " << k;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100u);
  if (!HasFailure()) std::filesystem::remove(path);
}

}  // namespace
}  // namespace gw::test
