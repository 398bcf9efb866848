#include <gtest/gtest.h>

#include "ftam/pdu/diagnostics.h"
#include "ftam/pdu/pdu.h"
#include "ftam/pdu/print.h"
#include "test_util.h"

namespace gw::ftam {
namespace {

using test::H;
using test::ToHex;

template <size_t... I>
std::vector<Pdu> AllDefaults(std::index_sequence<I...>) {
  return {Pdu(std::in_place_index<I>)...};
}

TEST(FtamPdu, EveryPduTypeRoundTripsWithItsTag) {
  for (const Pdu& p : AllDefaults(std::make_index_sequence<std::variant_size_v<Pdu>>())) {
    std::vector<uint8_t> out;
    ASSERT_TRUE(EncodePdu(p, &out).ok());
    auto back = DecodePdu(out);
    ASSERT_TRUE(back.ok()) << PduName(p) << ": " << back.status();
    EXPECT_EQ(back->index(), p.index()) << PduName(p);
    EXPECT_EQ(PduTag(*back), p.index());
    // [n] IMPLICIT SEQUENCE: context, constructed, high-tag form from 31 on.
    if (p.index() < 31) {
      EXPECT_EQ(out[0], 0xa0 | p.index()) << PduName(p);
    } else {
      EXPECT_EQ(out[0], 0xbf);
      EXPECT_EQ(out[1], p.index());
    }
  }
}

TEST(FtamPdu, IsodeBytesDecodeAndReEncodeExactly) {
  struct Case {
    const char* hex;
    const char* name;
  } cases[] = {
      {"bf200a6f03800100610380010" "5", "F-READ-request"},
      {"bf2108800101" "6f03800100", "F-WRITE-request"},
      {"a6137" "30da00b190968656c6c6f2e747874430207" "80", "F-SELECT-request"},
      {"b00d680ba00919076e65772e747874", "F-CHANGE-ATTRIB-request"},
      {"a742550101450102730ea00c190a6e6f737563682e62696e6d2a3028800102810" "20bb88201058301058519"
       "4e6f20737563682066696c65206f72206469726563746f7279",
       "F-SELECT-response"},
      {"a026830204108402003785020780860100a7154e0528c27b05034e0528c27b05014e052b0e050509",
       "F-INITIALIZE-request"},
  };
  for (const auto& c : cases) {
    auto b = H(c.hex);
    auto p = DecodePdu(b);
    ASSERT_TRUE(p.ok()) << c.name << ": " << p.status();
    EXPECT_STREQ(PduName(*p), c.name);
    std::vector<uint8_t> out;
    ASSERT_TRUE(EncodePdu(*p, &out).ok());
    EXPECT_EQ(ToHex(out), ToHex(b)) << c.name;
  }
  auto sel = DecodePdu(H(cases[4].hex));
  const auto& rsp = std::get<FSelectResponse>(*sel);
  EXPECT_EQ(rsp.state_result, kStateFailure);
  EXPECT_EQ((*rsp.diagnostic)[0].error_identifier, error_id::kFilenameNotFound);
  EXPECT_STREQ(ErrorIdentifierName(3000), "filename-not-found");
  EXPECT_EQ((*rsp.diagnostic)[0].further_details, "No such file or directory");
  EXPECT_NE(Summary(*sel).find("3000(filename-not-found)"), std::string::npos) << Summary(*sel);
}

TEST(FtamPdu, GroupsDecodeAsSeveralPdus) {
  auto b = H("b6038001 03 a6137" "30da00b190968656c6c6f2e747874430202" "04 ae04800205a0 a800 b800");
  auto ps = DecodePdus(b);
  ASSERT_TRUE(ps.ok()) << ps.status();
  ASSERT_EQ(ps->size(), 5u);
  EXPECT_EQ(std::get<FBeginGroupRequest>((*ps)[0]).threshold, 3);
  EXPECT_TRUE(std::holds_alternative<FEndGroupRequest>((*ps)[4]));
  EXPECT_TRUE(std::get<FReadAttribRequest>((*ps)[2]).attribute_names->Test(attribute_name::kContentsType));
}

TEST(FtamPdu, AttributesWithEveryValueForm) {
  FReadAttribResponse r;
  Attributes a;
  a.pathname = Pathname{"dir", "file.txt"};
  a.permitted_actions = NamedBits::Of({0, 1, 2, 8, 10});
  a.contents_type = ContentsType{false, {}, std::nullopt, Oid{1, 0, 8571, 4, 1}, Oid{1, 0, 8571, 2, 4}};
  a.storage_account = AccountValue{true, {}};
  a.date_and_time_of_last_modification = DateValue{false, *osi::ber::ParseGeneralizedTime("20261122012804Z")};
  a.identity_of_last_reader = IdentityValue{false, "reader"};
  a.file_availability = IntegerValue{false, 0};
  a.filesize = IntegerValue{false, 1ll << 40};
  a.future_filesize = IntegerValue{true, 0};
  a.legal_qualification = RawValue{true, std::string("\x81\x02hi", 4)};
  r.attributes = a;
  r.diagnostic = Diagnostic{{kInformative, 0, kRespondingFileServiceUser, kNoCategorization, 10, "ok"}};
  std::vector<uint8_t> out, again;
  ASSERT_TRUE(EncodePdu(r, &out).ok());
  auto back = DecodePdu(out);
  ASSERT_TRUE(back.ok()) << back.status();
  const auto& b = std::get<FReadAttribResponse>(*back);
  EXPECT_EQ(b.attributes->pathname, a.pathname);
  EXPECT_EQ(b.attributes->filesize->value, 1ll << 40);
  EXPECT_TRUE(b.attributes->storage_account->no_value);
  EXPECT_TRUE(b.attributes->future_filesize->no_value);
  EXPECT_EQ(b.attributes->date_and_time_of_last_modification->value.year, 2026);
  EXPECT_FALSE(b.attributes->contents_type->is_document_type);
  EXPECT_EQ(b.attributes->contents_type->abstract_syntax_name, (Oid{1, 0, 8571, 2, 4}));
  EXPECT_EQ(PresentAttributeNames(*b.attributes).mask, NamedBits::Of({0, 1, 2, 3, 5, 10, 12, 13, 14, 16}).mask);
  ASSERT_TRUE(EncodePdu(*back, &again).ok());
  EXPECT_EQ(out, again);
}

TEST(FtamPdu, PasswordsAreNeverPrinted) {
  FInitializeRequest r;
  r.filestore_password = Password{"secret", false};
  r.initiator_identity = "user";
  EXPECT_EQ(Summary(r).find("secret"), std::string::npos);
}

TEST(FtamPdu, HostilePdus) {
  struct Case {
    const char* hex;
    const char* message;
  } cases[] = {
      {"", "truncated identifier"},
      {"bf 29 00", "not an FTAM PDU"},                  // [41]: FSM PDUs are not supported
      {"80 00", "not an FTAM PDU"},                     // primitive
      {"60 00", "not an FTAM PDU"},                     // application class
      {"b6 03 80 01", "length past the end"},           // truncated
      {"b6 06 80 01 03 80 01 03", "duplicate member"},  // threshold twice
      {"a6 04 73 02 a0 05", "length past the end"},     // attributes past the end
      {"a6 03 43 01 09", "malformed bit string"},       // unused-bits octet 9
      {"b6 03 80 01", "length past the end"},
      {"bf 20 05 6f 03 86 01 00", "unknown FADU-Identity choice"},
      {"a2 00 00", "trailing data"},
      {"a0 03 56 81 ff", "length past the end"},
      {"a1 04 55 02 01", "length past the end"},
  };
  for (const auto& c : cases) {
    auto p = DecodePdu(H(c.hex));
    ASSERT_FALSE(p.ok()) << c.hex;
    EXPECT_NE(p.status().message().find(c.message), std::string::npos) << c.hex << " -> " << p.status();
  }
  // Deeply nested attributes stop at the depth limit instead of recursing without bound.
  std::vector<uint8_t> deep;
  for (int i = 0; i < 200; ++i) deep.insert(deep.end(), {0xa0, 0x80});
  deep.insert(deep.end(), 400, 0x00);
  std::vector<uint8_t> pdu = {0xaf, 0x80, 0x72, 0x80};
  pdu.insert(pdu.end(), deep.begin(), deep.end());
  pdu.insert(pdu.end(), {0, 0, 0, 0});
  auto p = DecodePdu(pdu);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("nesting too deep"), std::string::npos) << p.status();
}

}  // namespace
}  // namespace gw::ftam
