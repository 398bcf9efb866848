#include <gtest/gtest.h>

#include "osi/session/negotiation.h"
#include "osi/session/spdu.h"
#include "test_util.h"

namespace gw::osi::session {
namespace {

using test::H;
using test::ToHex;

TEST(Session, IsodeConnectWithLongLengthForm) {
  // CN head from ftam-login: 0d ff 01 12 ..., user data (PGI 193, 0xea octets) shortened.
  std::vector<uint8_t> ud(0xea, 0x31);
  auto b = H("0d ff 01 12 01 18 0a 04 14 02 76 6d 0b 10 17 0e 31 32 36 31 31 32 32 30 31 32 38 33 38 5a"
             "05 06 13 01 00 16 01 02 14 02 00 02 c1 ea");
  b.insert(b.end(), ud.begin(), ud.end());
  auto s = DecodeTsdu(b);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->size(), 1u);
  const auto& cn = std::get<ConnectSpdu>((*s)[0]);
  EXPECT_EQ(cn.version_number, kVersion2);
  EXPECT_EQ(cn.session_user_requirements, requirement::kDuplex);
  EXPECT_EQ(cn.protocol_options, 0);
  EXPECT_EQ(cn.user_data.size(), 0xeau);
  ASSERT_TRUE(cn.connection_identifier);
  EXPECT_EQ(cn.connection_identifier->calling_ss_user_reference->size(), 4u);
  Gather g;
  ASSERT_TRUE(Encode(cn, &g).ok());
  EXPECT_EQ(g.Flatten(), b);  // byte-exact re-encoding
}

TEST(Session, DataIsGiveTokensThenDataTransfer) {
  auto s = DecodeTsdu(H("01 00 01 00 61 02 30 00"));
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 2u);
  EXPECT_TRUE(std::holds_alternative<GiveTokensSpdu>((*s)[0]));
  EXPECT_EQ(UserData((*s)[1]).size(), 4u);
  // A lone GT is a real Give-Tokens.
  auto gt = DecodeTsdu(H("01 03 10 01 01"));
  ASSERT_TRUE(gt.ok());
  ASSERT_EQ(gt->size(), 1u);
  EXPECT_EQ(std::get<GiveTokensSpdu>((*gt)[0]).token_item, 1);
}

TEST(Session, ReleaseAbortAndRefuse) {
  auto fn = DecodeTsdu(H("09 06 11 01 01 c1 01 aa"));
  ASSERT_TRUE(fn.ok());
  EXPECT_EQ(std::get<FinishSpdu>((*fn)[0]).transport_disconnect, transport_disconnect::kRelease);
  auto ab = DecodeTsdu(H("19 06 11 01 03 c1 01 bb"));
  ASSERT_TRUE(ab.ok());
  EXPECT_EQ(std::get<AbortSpdu>((*ab)[0]).user_data.size(), 1u);
  auto rf_bytes = H("0c 0b 11 01 01 14 02 00 02 32 02 02 cc");
  auto rf = DecodeTsdu(rf_bytes);  // views into rf_bytes
  ASSERT_TRUE(rf.ok());
  const auto& r = std::get<RefuseSpdu>((*rf)[0]);
  EXPECT_EQ(r.reason, refuse_reason::kRejectedWithUserData);
  EXPECT_EQ(r.user_data.size(), 1u);
  Gather g;
  ASSERT_TRUE(Encode(r, &g).ok());
  EXPECT_EQ(ToHex(g.Flatten()), "0c0b1101011402000232020" "2cc");
  auto aa = DecodeTsdu(H("1a 00"));
  ASSERT_TRUE(aa.ok());
  EXPECT_TRUE(std::holds_alternative<AbortAcceptSpdu>((*aa)[0]));
}

TEST(Session, UserDataLimitsByVersion) {
  std::vector<uint8_t> big(600, 0x42);
  ConnectSpdu cn;
  cn.version_number = kVersion1 | kVersion2;
  cn.session_user_requirements = requirement::kDuplex;
  cn.user_data = big;
  Gather g;
  EXPECT_FALSE(Encode(cn, &g).ok());  // > 512 needs version 2 only
  cn.version_number = kVersion2;
  Gather g2;
  ASSERT_TRUE(Encode(cn, &g2).ok());
  auto back = DecodeTsdu(g2.Flatten());
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(std::get<ConnectSpdu>((*back)[0]).extended_user_data);  // PGI 194
  std::vector<uint8_t> huge(10241, 0x42);
  cn.user_data = huge;
  Gather g3;
  EXPECT_FALSE(Encode(cn, &g3).ok());
  AcceptSpdu ac;
  ac.version_number = kVersion1;
  ac.user_data = big;
  Gather g4;
  EXPECT_FALSE(Encode(ac, &g4).ok());
  Gather g5;
  EXPECT_FALSE(Encode(FinishSpdu{transport_disconnect::kRelease, big}, &g5, kVersion1).ok());
  Gather g6;
  EXPECT_TRUE(Encode(FinishSpdu{transport_disconnect::kRelease, big}, &g6, kVersion2).ok());
}

TEST(Session, NegotiationInBothRoles) {
  ConnectSpdu cn;
  cn.version_number = kVersion1 | kVersion2;
  cn.session_user_requirements = requirement::kDuplex | requirement::kHalfDuplex | requirement::kMinorSync;
  AcceptSpdu ac;
  auto n = NegotiateAccept(cn, ResponderPolicy{}, &ac);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->version, kVersion2);
  EXPECT_EQ(ac.session_user_requirements, requirement::kDuplex);
  auto checked = CheckAccept(cn, ac);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->requirements, requirement::kDuplex);

  ConnectSpdu v1only;
  v1only.version_number = kVersion1;
  v1only.session_user_requirements = requirement::kDuplex;
  ResponderPolicy v2only{kVersion2, requirement::kDuplex};
  EXPECT_FALSE(NegotiateAccept(v1only, v2only, &ac).ok());
  ConnectSpdu absent;  // no PI 20: default half-duplex set, which we do not support
  EXPECT_FALSE(NegotiateAccept(absent, ResponderPolicy{}, &ac).ok());
  AcceptSpdu greedy;
  greedy.version_number = kVersion2;
  greedy.session_user_requirements = requirement::kDuplex | requirement::kExpedited;
  EXPECT_FALSE(CheckAccept(cn, greedy).ok());
}

TEST(Session, HostileSpdus) {
  EXPECT_FALSE(DecodeTsdu(H("")).ok());
  EXPECT_FALSE(DecodeTsdu(H("0d")).ok());                  // no LI
  EXPECT_FALSE(DecodeTsdu(H("0d ff 01")).ok());            // truncated long LI
  EXPECT_FALSE(DecodeTsdu(H("0d 05 14 02 00")).ok());      // LI past the end
  EXPECT_FALSE(DecodeTsdu(H("0d 03 14 05 00")).ok());      // PI past the SPDU
  EXPECT_FALSE(DecodeTsdu(H("0d 04 14 03 00 02")).ok());   // PI 20 must be two octets
  EXPECT_FALSE(DecodeTsdu(H("0d 04 c1 ff 01 00")).ok());   // long PI length past the end
  EXPECT_FALSE(DecodeTsdu(H("0c 02 32 00")).ok());         // empty reason code
  std::vector<uint8_t> many;
  for (int i = 0; i < 40; ++i) many.insert(many.end(), {0x1a, 0x00});
  EXPECT_FALSE(DecodeTsdu(many).ok());  // too many concatenated SPDUs
}

}  // namespace
}  // namespace gw::osi::session

#include "osi/session/ssdu.h"

namespace gw::osi::session {
namespace {

TEST(Session, EnclosureItemSegmentsAreReassembled) {
  std::vector<uint8_t> a = {1, 2}, b = {3}, c = {4, 5};
  SsduReassembler r(16);
  auto whole = r.Add(DataTransferSpdu{std::nullopt, Bytes(a)});
  ASSERT_TRUE(whole.ok() && whole->has_value());
  EXPECT_EQ((*whole)->data(), a.data());  // unsegmented: a view
  ASSERT_TRUE(r.Add(DataTransferSpdu{kEnclosureBegin, Bytes(a)}).ok());
  ASSERT_TRUE(r.Add(DataTransferSpdu{0, Bytes(b)}).ok());
  auto done = r.Add(DataTransferSpdu{kEnclosureEnd, Bytes(c)});
  ASSERT_TRUE(done.ok() && done->has_value());
  EXPECT_EQ(std::vector<uint8_t>((*done)->begin(), (*done)->end()), (std::vector<uint8_t>{1, 2, 3, 4, 5}));
  EXPECT_FALSE(r.Add(DataTransferSpdu{kEnclosureEnd, Bytes(c)}).ok());  // end without begin
  std::vector<uint8_t> big(20, 0);
  ASSERT_TRUE(r.Add(DataTransferSpdu{kEnclosureBegin, Bytes(a)}).ok());
  EXPECT_EQ(r.Add(DataTransferSpdu{0, Bytes(big)}).status().code(), absl::StatusCode::kResourceExhausted);
  // The encoded enclosure item survives decoding.
  auto dt = DecodeTsdu(std::vector<uint8_t>{0x01, 0x00, 0x01, 0x03, 0x19, 0x01, 0x01, 0xaa});
  ASSERT_TRUE(dt.ok());
  EXPECT_EQ(std::get<DataTransferSpdu>((*dt)[1]).enclosure_item, kEnclosureBegin);
}

}  // namespace
}  // namespace gw::osi::session
