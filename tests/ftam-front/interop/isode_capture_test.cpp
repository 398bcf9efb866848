// Every PDU of every ISODE capture decodes through all layers from the raw TCP stream,
// re-encodes to a value that decodes the same, and carries what a user would expect.
#include <gtest/gtest.h>

#include <filesystem>

#include "ftam/doctype/document_types.h"
#include "ftam/pdu/diagnostics.h"
#include "interop/capture_helpers.h"

namespace gw::test {
namespace {

namespace dt = ftam::doctype;
namespace acse = osi::acse;
using ftam::Pathname;

const char* kCaptures[] = {
    "ftam-abort.pcap",       "ftam-append.pcap",    "ftam-delete.pcap",
    "ftam-dir-listing.pcap", "ftam-get-binary.pcap", "ftam-get-text.pcap",
    "ftam-login-badpass.pcap", "ftam-login.pcap",   "ftam-put.pcap",
    "ftam-rename.pcap",      "ftam-text-multiline.pcap",
};

class EveryCapture : public ::testing::TestWithParam<const char*> {};

TEST_P(EveryCapture, DecodesThroughAllLayersAndRoundTrips) {
  ASSERT_TRUE(std::filesystem::exists(CaptureDir() + "/" + GetParam())) << CaptureDir();
  Decoded d = DecodeCapture(GetParam());
  const auto& o = *d.obs;
  EXPECT_EQ(d.connections, 1u);
  EXPECT_TRUE(o.errors.empty()) << o.errors.front();
  EXPECT_TRUE(o.roundtrip_errors.empty()) << o.roundtrip_errors.front();
  EXPECT_GT(o.roundtrips, 10u);
  // Every capture starts with CR/CC and an association carrying F-INITIALIZE.
  ASSERT_GE(o.tpdus.size(), 3u);
  EXPECT_EQ(o.tpdus[0], "CR");
  EXPECT_EQ(o.tpdus[1], "CC");
  EXPECT_EQ(o.spdus[0], "CN");
  EXPECT_EQ(o.ppdus[0], "CP");
  ASSERT_FALSE(o.apdus.empty());
  EXPECT_TRUE(std::holds_alternative<acse::Aarq>(o.apdus[0]));
  auto init = Find<ftam::FInitializeRequest>(o);
  ASSERT_EQ(init.size(), 1u);
  EXPECT_EQ(init[0]->initiator_identity, "ftamtest");
  ASSERT_TRUE(init[0]->filestore_password);
  ASSERT_TRUE(init[0]->functional_units);
  // read, write, limited and enhanced file management, grouping
  EXPECT_EQ(init[0]->functional_units->mask, ftam::NamedBits::Of({2, 3, 5, 6, 7}).mask);
  EXPECT_EQ(init[0]->service_class->mask, ftam::NamedBits::Of({1, 2, 3}).mask);
  ASSERT_TRUE(init[0]->contents_type_list);
  ASSERT_GE(init[0]->contents_type_list->size(), 2u);
  EXPECT_EQ((*init[0]->contents_type_list)[0].name, dt::kFtam3DocumentType);
  EXPECT_EQ((*init[0]->contents_type_list)[1].name, dt::kFtam1DocumentType);
  auto rsp = Find<ftam::FInitializeResponse>(o);
  ASSERT_EQ(rsp.size(), 1u);
  EXPECT_EQ(rsp[0]->service_class->mask, ftam::NamedBits::Of({3}).mask);  // transfer-and-management
}

INSTANTIATE_TEST_SUITE_P(Isode, EveryCapture, ::testing::ValuesIn(kCaptures),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

std::string Name(const std::optional<ftam::Attributes>& a) {
  return a && a->pathname && !a->pathname->empty() ? a->pathname->back() : "";
}

TEST(IsodeCapture, LoginAndRelease) {
  auto d = DecodeCapture("ftam-login.pcap");
  const auto& o = *d.obs;
  EXPECT_EQ(o.spdus, (std::vector<std::string>{"CN", "AC", "FN", "DN"}));
  EXPECT_EQ(Find<ftam::FTerminateRequest>(o).size(), 1u);
  EXPECT_EQ(Find<ftam::FTerminateResponse>(o).size(), 1u);
  EXPECT_EQ(o.tpdus.back(), "DR");
  ASSERT_EQ(o.apdus.size(), 4u);
  EXPECT_EQ(std::get<acse::Aarq>(o.apdus[0]).called_ap_title->form2, (osi::ber::Oid{1, 17, 4, 0, 16}));
  EXPECT_EQ(std::get<acse::Aare>(o.apdus[1]).result, acse::kAccepted);
  EXPECT_TRUE(std::holds_alternative<acse::Rlrq>(o.apdus[2]));
  EXPECT_TRUE(std::holds_alternative<acse::Rlre>(o.apdus[3]));
}

TEST(IsodeCapture, BadPasswordIsRefusedWithDiagnostic) {
  auto d = DecodeCapture("ftam-login-badpass.pcap");
  const auto& o = *d.obs;
  EXPECT_EQ(o.spdus, (std::vector<std::string>{"CN", "RF"}));
  EXPECT_EQ(o.ppdus[1], "CPR");
  ASSERT_EQ(o.apdus.size(), 2u);
  EXPECT_EQ(std::get<acse::Aare>(o.apdus[1]).result, acse::kRejectedPermanent);
  auto rsp = Find<ftam::FInitializeResponse>(o);
  ASSERT_EQ(rsp.size(), 1u);
  EXPECT_EQ(rsp[0]->state_result, ftam::kStateFailure);
  EXPECT_EQ(rsp[0]->action_result, ftam::kPermanentError);
  ASSERT_TRUE(rsp[0]->diagnostic);
  ASSERT_EQ(rsp[0]->diagnostic->size(), 1u);
  const auto& diag = (*rsp[0]->diagnostic)[0];
  EXPECT_EQ(diag.diagnostic_type, ftam::kPermanent);
  EXPECT_EQ(diag.error_identifier, ftam::error_id::kInvalidFilestorePassword);
  EXPECT_EQ(diag.error_observer, ftam::kRespondingFileServiceUser);
  EXPECT_EQ(diag.error_source, ftam::kInitiatingFileServiceUser);
  EXPECT_EQ(Find<ftam::FInitializeRequest>(o)[0]->filestore_password->value, "wrongpass");
}

TEST(IsodeCapture, GetTextReadsHelloTxtAsFtam1) {
  auto d = DecodeCapture("ftam-get-text.pcap");
  const auto& o = *d.obs;
  auto sel = Find<ftam::FSelectRequest>(o);
  ASSERT_EQ(sel.size(), 2u);
  EXPECT_EQ(Name(sel[0]->attributes), "hello.txt");
  EXPECT_TRUE(sel[1]->requested_access->Test(ftam::access::kRead));
  auto open = Find<ftam::FOpenResponse>(o);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]->contents_type->document_type_name, dt::kFtam1DocumentType);
  auto param = dt::DecodeFtam1Parameter(osi::AsBytes(*open[0]->contents_type->parameter));
  ASSERT_TRUE(param.ok());
  EXPECT_EQ(param->universal_class_number, 27);  // GeneralString
  EXPECT_EQ(param->string_significance, dt::kNotSignificant);
  auto ra = Find<ftam::FReadAttribResponse>(o);
  ASSERT_EQ(ra.size(), 1u);
  EXPECT_EQ(ra[0]->attributes->contents_type->document_type_name, dt::kFtam1DocumentType);
  auto read = Find<ftam::FReadRequest>(o);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0]->access_context->context, ftam::kUnstructuredAllDataUnits);
  std::string text = FileData(o, dt::kUnstructuredTextAbstractSyntax, 1);
  EXPECT_EQ(text.size(), 58u);  // three lines with CR LF on the wire
  EXPECT_EQ(text.substr(0, 18), "Hello FTAM world\r\n");
  EXPECT_EQ(LocalText(text).size(), 55u);  // hello.txt is 55 bytes
  EXPECT_EQ(Find<ftam::FDataEndRequest>(o).size(), 1u);
  EXPECT_EQ(Find<ftam::FTransferEndResponse>(o).size(), 1u);
}

TEST(IsodeCapture, MultilineTextIs16500Bytes) {
  auto d = DecodeCapture("ftam-text-multiline.pcap");
  const auto& o = *d.obs;
  EXPECT_EQ(Name(Find<ftam::FSelectRequest>(o)[0]->attributes), "lines.txt");
  std::string text = FileData(o, dt::kUnstructuredTextAbstractSyntax, 1);
  EXPECT_EQ(text.size(), 16800u);  // 300 lines with CR LF
  EXPECT_EQ(LocalText(text).size(), 16500u);
  // CR LF inside values, not aligned to value boundaries: the streaming converter joins them.
  dt::CrLfToLf conv;
  std::string unix_text;
  for (const auto& v : o.data) {
    if (v.dir != 1) continue;
    auto s = dt::DecodeTextValue(osi::AsBytes(v.value));
    ASSERT_TRUE(s.ok());
    for (auto seg : s->segments) conv.Append(seg, &unix_text);
  }
  conv.Finish(&unix_text);
  EXPECT_EQ(unix_text.find('\r'), std::string::npos);
  EXPECT_EQ(unix_text.size(), 16500u);
  EXPECT_EQ(std::count(unix_text.begin(), unix_text.end(), '\n'), 300);
  // ... and the initiator writes it back as lines-up.txt with the same bytes.
  EXPECT_EQ(FileData(o, dt::kUnstructuredTextAbstractSyntax, 0), text);
}

TEST(IsodeCapture, GetBinaryReadsRandomBinAsFtam3) {
  auto d = DecodeCapture("ftam-get-binary.pcap");
  const auto& o = *d.obs;
  EXPECT_EQ(Name(Find<ftam::FSelectRequest>(o)[0]->attributes), "random.bin");
  auto open = Find<ftam::FOpenResponse>(o);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]->contents_type->document_type_name, dt::kFtam3DocumentType);
  EXPECT_EQ(FileData(o, dt::kUnstructuredBinaryAbstractSyntax, 1).size(), 65536u);
}

TEST(IsodeCapture, DirectoryListingIsNbs9) {
  auto d = DecodeCapture("ftam-dir-listing.pcap");
  const auto& o = *d.obs;
  std::vector<std::string> names;
  for (const auto& v : o.data) {
    ASSERT_EQ(v.abstract_syntax, dt::kNbs9AbstractSyntax);
    auto a = dt::DecodeDirectoryEntry(osi::AsBytes(v.value));
    ASSERT_TRUE(a.ok()) << a.status();
    ASSERT_TRUE(a->pathname);
    names.push_back(a->pathname->back());
    if (names.back() == "random.bin") {
      EXPECT_EQ(a->filesize->value, 65536);
      EXPECT_EQ(a->identity_of_creator->value, "ftamtest");
      EXPECT_EQ(a->date_and_time_of_last_modification->value.year, 2026);  // ISODE writes "0126"
    }
    if (names.back() == "hello.txt") {
      EXPECT_EQ(a->filesize->value, 55);
    }
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "hello.txt"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "subdir/inner.txt"), names.end());
  auto open = Find<ftam::FOpenRequest>(o);
  ASSERT_FALSE(open.empty());
  EXPECT_EQ(open[0]->contents_type->proposed.document_type_name, dt::kNbs9DocumentType);
  auto p = dt::DecodeNbs9Parameter(osi::AsBytes(*open[0]->contents_type->proposed.parameter));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->attribute_names.mask, 0x3fffu);  // attributes 0..13
}

TEST(IsodeCapture, PutCreatesAndWrites) {
  auto d = DecodeCapture("ftam-put.pcap");
  const auto& o = *d.obs;
  auto create = Find<ftam::FCreateRequest>(o);
  ASSERT_EQ(create.size(), 2u);
  EXPECT_EQ(Name(create[0]->initial_attributes), "up.txt");
  EXPECT_EQ(Name(create[1]->initial_attributes), "up.bin");
  EXPECT_EQ(create[0]->override, ftam::kDeleteAndCreateWithOldAttributes);
  auto write = Find<ftam::FWriteRequest>(o);
  ASSERT_EQ(write.size(), 2u);
  EXPECT_EQ(write[0]->file_access_data_unit_operation, ftam::kReplace);
  EXPECT_EQ(FileData(o, dt::kUnstructuredTextAbstractSyntax, 0), "Uploaded text via FTAM put\r\nsecond line\r\n");
  EXPECT_EQ(FileData(o, dt::kUnstructuredBinaryAbstractSyntax, 0).size(), 100000u);
}

TEST(IsodeCapture, AppendUsesExtend) {
  auto d = DecodeCapture("ftam-append.pcap");
  const auto& o = *d.obs;
  auto write = Find<ftam::FWriteRequest>(o);
  ASSERT_FALSE(write.empty());
  EXPECT_EQ(write[0]->file_access_data_unit_operation, ftam::kExtend);
  auto open = Find<ftam::FOpenRequest>(o);
  EXPECT_TRUE(open[0]->processing_mode->Test(ftam::access::kExtend));
  EXPECT_EQ(Name(Find<ftam::FCreateRequest>(o)[0]->initial_attributes), "up.txt");
}

TEST(IsodeCapture, DeleteSelectsAndDeletes) {
  auto d = DecodeCapture("ftam-delete.pcap");
  const auto& o = *d.obs;
  auto sel = Find<ftam::FSelectRequest>(o);
  ASSERT_EQ(sel.size(), 1u);
  EXPECT_EQ(Name(sel[0]->attributes), "delme.txt");
  EXPECT_TRUE(sel[0]->requested_access->Test(ftam::access::kDeleteFile));
  EXPECT_EQ(Find<ftam::FDeleteRequest>(o).size(), 1u);
  EXPECT_EQ(Find<ftam::FDeleteResponse>(o).size(), 1u);
}

TEST(IsodeCapture, RenameChangesFilename) {
  auto d = DecodeCapture("ftam-rename.pcap");
  const auto& o = *d.obs;
  EXPECT_EQ(Name(Find<ftam::FSelectRequest>(o)[0]->attributes), "old.txt");
  auto change = Find<ftam::FChangeAttribRequest>(o);
  ASSERT_EQ(change.size(), 1u);
  EXPECT_EQ(Name(change[0]->attributes), "new.txt");
  EXPECT_EQ(Find<ftam::FChangeAttribResponse>(o).size(), 1u);
}

TEST(IsodeCapture, AbortCarriesUserAbortDiagnostic) {
  auto d = DecodeCapture("ftam-abort.pcap");
  const auto& o = *d.obs;
  EXPECT_EQ(o.spdus.back(), "AB");
  EXPECT_EQ(o.ppdus.back(), "ARU");
  ASSERT_TRUE(std::holds_alternative<acse::Abrt>(o.apdus.back()));
  EXPECT_EQ(std::get<acse::Abrt>(o.apdus.back()).abort_source, acse::kAbortServiceUser);
  auto ab = Find<ftam::FUAbortRequest>(o);
  ASSERT_EQ(ab.size(), 1u);
  EXPECT_EQ(ab[0]->action_result, ftam::kPermanentError);
  EXPECT_EQ((*ab[0]->diagnostic)[0].further_details, "test abort from ftam-abort");
}

}  // namespace
}  // namespace gw::test
