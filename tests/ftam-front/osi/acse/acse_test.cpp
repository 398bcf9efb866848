#include <gtest/gtest.h>

#include "osi/acse/apdu.h"
#include "test_util.h"

namespace gw::osi::acse {
namespace {

using test::H;
using test::ToHex;

TEST(Acse, IsodeAarqAndAare) {
  auto bytes = H("60 20 a1 07 06 05 28 c2 7b 01 01 a2 06 06 04 39 04 00 10 be 0d 28 0b 06 02 51 01 02 01 01 a0 02 a0 00");
  auto aarq = DecodeApdu(bytes);  // user information views point into bytes
  ASSERT_TRUE(aarq.ok()) << aarq.status();
  const auto& q = std::get<Aarq>(*aarq);
  EXPECT_EQ(q.application_context_name, kFtamApplicationContext);
  EXPECT_EQ(q.called_ap_title->form2, (Oid{1, 17, 4, 0, 16}));
  ASSERT_EQ(q.user_information.size(), 1u);
  EXPECT_EQ(q.user_information[0].direct_reference, (Oid{2, 1, 1}));
  EXPECT_EQ(q.user_information[0].indirect_reference, 1);
  EXPECT_EQ(ToHex(std::vector<uint8_t>(q.user_information[0].data.begin(), q.user_information[0].data.end())), "a000");
  std::vector<uint8_t> out;
  ASSERT_TRUE(EncodeApdu(q, &out).ok());
  EXPECT_EQ(ToHex(out), "6020a107060528c27b0101a206060439040010be0d280b06025101020101a002a000");

  auto aare = DecodeApdu(H("61 14 a1 07 06 05 28 c2 7b 01 01 a2 03 02 01 01 a3 04 a1 02 02 01"));
  EXPECT_FALSE(aare.ok());  // truncated diagnostic
  aare = DecodeApdu(H("61 15 a1 07 06 05 28 c2 7b 01 01 a2 03 02 01 01 a3 05 a1 03 02 01 01"));
  ASSERT_TRUE(aare.ok()) << aare.status();
  EXPECT_EQ(std::get<Aare>(*aare).result, kRejectedPermanent);
  EXPECT_EQ(std::get<Aare>(*aare).result_source_diagnostic.value, kNoReasonGiven);
}

TEST(Acse, ReleaseAndAbortRoundTrip) {
  std::vector<uint8_t> ftam = {0xa2, 0x00};
  External x;
  x.indirect_reference = 1;
  x.data = ftam;
  for (const Apdu& a : {Apdu(Rlrq{kReleaseNormal, {x}}), Apdu(Rlre{kResponseNormal, {x}}),
                        Apdu(Abrt{kAbortServiceProvider, 2, {x}})}) {
    std::vector<uint8_t> out, again;
    ASSERT_TRUE(EncodeApdu(a, &out).ok());
    auto back = DecodeApdu(out);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->index(), a.index());
    ASSERT_TRUE(EncodeApdu(*back, &again).ok());
    EXPECT_EQ(out, again);
  }
  std::vector<uint8_t> out;
  ASSERT_TRUE(EncodeApdu(Rlrq{kReleaseNormal, {x}}, &out).ok());
  EXPECT_EQ(ToHex(out), "620e800100be092807020101a002a200");  // CAP RLRQ shape (no direct-reference)
}

TEST(Acse, HostileApdus) {
  EXPECT_FALSE(DecodeApdu(H("")).ok());
  EXPECT_FALSE(DecodeApdu(H("65 00")).ok());                 // [APPLICATION 5] is not ACSE
  EXPECT_FALSE(DecodeApdu(H("60 00")).ok());                 // AARQ without application context
  EXPECT_FALSE(DecodeApdu(H("64 00")).ok());                 // ABRT without abort-source
  EXPECT_FALSE(DecodeApdu(H("61 05 a1 03 06 01 28")).ok());  // AARE without result
  EXPECT_FALSE(DecodeApdu(H("62 05 be 03 28 01 02")).ok());  // EXTERNAL without encoding
  EXPECT_FALSE(DecodeApdu(H("60 80 a1 07 06 05 28 c2 7b 01 01")).ok());  // no end-of-contents
  EXPECT_FALSE(DecodeApdu(H("62 00 00")).ok());              // trailing octet
}

}  // namespace
}  // namespace gw::osi::acse
