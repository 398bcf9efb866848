#include <gtest/gtest.h>

#include "osi/presentation/context_table.h"
#include "osi/presentation/ppdu.h"
#include "test_util.h"

namespace gw::osi::presentation {
namespace {

using test::H;
using test::ToHex;

TEST(Presentation, IsodeAcceptWithIndefiniteLengths) {
  auto b = H("31 80 a0 03 80 01 01 a2 80 a5 13 30 07 80 01 00 81 02 51 01 30 03 80 01 01 30 03 80 01 02"
             "61 0b 30 09 02 01 0b a0 04 02 02 12 34 00 00 00 00");
  auto cpa = DecodeAccept(b);
  ASSERT_TRUE(cpa.ok()) << cpa.status();
  ASSERT_EQ(cpa->context_results.size(), 3u) << "";
  EXPECT_EQ(cpa->context_results[0].transfer_syntax, kBasicEncoding);
  EXPECT_EQ(cpa->context_results[1].result, kUserRejection);
  ASSERT_TRUE(cpa->user_data);
  ASSERT_EQ(cpa->user_data->pdvs.size(), 1u);
  EXPECT_EQ(cpa->user_data->pdvs[0].context_id, 11);
  EXPECT_EQ(ToHex(std::vector<uint8_t>(cpa->user_data->pdvs[0].data[0].begin(), cpa->user_data->pdvs[0].data[0].end())), "02021234");
}

TEST(Presentation, OctetAlignedGroupsAreSplitIntoValues) {
  // ISODE's grouped request: one octet-aligned PDV, one segment per FTAM PDU.
  auto b = H("61 13 30 11 02 01 01 a1 0c 04 05 b6 03 80 01 03 04 03 b8 01 00");
  auto u = DecodeUserData(b);
  ASSERT_TRUE(u.ok()) << u.status();
  std::vector<Bytes> values;
  std::string scratch;
  ASSERT_TRUE(PdvValues(u->pdvs[0], &values, &scratch).ok());
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].size(), 5u);
  // A value that straddles two segments is joined.
  auto straddle = H("61 12 30 10 02 01 01 a1 0b 04 03 b6 03 80 04 04 01 03 b8 00");
  auto u2 = DecodeUserData(straddle);
  ASSERT_TRUE(u2.ok()) << u2.status();
  values.clear();
  ASSERT_TRUE(PdvValues(u2->pdvs[0], &values, &scratch).ok());
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].size(), 5u);
  // Re-encoding a decoded PDV gives the same bytes.
  std::vector<uint8_t> out;
  ASSERT_TRUE(EncodeUserData(*u, &out).ok());
  EXPECT_EQ(out, b);
}

TEST(Presentation, ConnectRoundTripsAndContextTableWorksForBothRoles) {
  ConnectPpdu cp;
  cp.context_definitions = {{1, Oid{1, 0, 8571, 2, 1}, {kBasicEncoding}},
                            {3, Oid{1, 0, 8571, 2, 4}, {kBasicEncoding}},
                            {5, Oid{1, 2, 9}, {Oid{2, 1, 2}}},
                            {7, kAcseAbstractSyntax, {kBasicEncoding}}};
  std::vector<uint8_t> aarq = {0x60, 0x00};
  cp.user_data = SingleValue(7, aarq);
  std::vector<uint8_t> out;
  ASSERT_TRUE(EncodeConnect(cp, &out).ok());
  auto back = DecodeConnect(out);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->context_definitions, cp.context_definitions);

  ContextTable responder;
  auto results = responder.Respond(back->context_definitions, [](const Oid& o) { return !(o == Oid{1, 0, 8571, 2, 4}) && !(o == Oid{1, 2, 9}); });
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].result, kAcceptance);
  EXPECT_EQ(results[1].result, kProviderRejection);
  EXPECT_EQ(results[1].provider_reason, kAbstractSyntaxNotSupported);
  EXPECT_EQ(results[2].result, kProviderRejection);
  EXPECT_EQ(results[2].provider_reason, kTransferSyntaxesNotSupported);
  ContextTable initiator;
  ASSERT_TRUE(initiator.Propose(cp.context_definitions).ok());
  ASSERT_TRUE(initiator.ApplyResults(results).ok());
  EXPECT_EQ(initiator.IdFor(kAcseAbstractSyntax), 7);
  EXPECT_FALSE(initiator.IdFor(Oid{1, 0, 8571, 2, 4}));
  EXPECT_FALSE(initiator.ApplyResults({}).ok());
  EXPECT_FALSE(initiator.Propose({{2, kAcseAbstractSyntax, {kBasicEncoding}}}).ok());  // even id
}

TEST(Presentation, AbortForms) {
  AbortPpdu arp = AbortProviderPpdu{kUnexpectedPpdu, 3};
  std::vector<uint8_t> out;
  ASSERT_TRUE(EncodeAbort(arp, &out).ok());
  EXPECT_EQ(ToHex(out), "3006800102810103");
  auto back = DecodeAbort(out);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::get<AbortProviderPpdu>(*back).provider_reason, kUnexpectedPpdu);
  auto aru = DecodeAbort(H("a0 0e a0 07 30 05 02 01 01 06 00 61 03 30 01 00"));
  EXPECT_FALSE(aru.ok());  // malformed OID and PDV: a clear error, not a crash
}

TEST(Presentation, HostileUserData) {
  EXPECT_FALSE(DecodeUserData(H("")).ok());
  EXPECT_FALSE(DecodeUserData(H("61 05 30 03 02 01")).ok());          // truncated
  EXPECT_FALSE(DecodeUserData(H("61 05 30 03 02 01 01")).ok());       // PDV without values
  EXPECT_FALSE(DecodeUserData(H("61 07 30 05 a0 03 02 01 01")).ok()); // PDV without context id
  EXPECT_FALSE(DecodeUserData(H("61 0a 30 08 02 01 01 a0 03 02 01 01 00")).ok());  // trailing
  EXPECT_FALSE(DecodeUserData(H("62 00")).ok());                      // wrong tag
  EXPECT_FALSE(DecodeConnect(H("31 05 a0 03 80 01 00")).ok());        // X.410 mode
  EXPECT_FALSE(DecodeAccept(H("31 80 a2 80 a5 80 30 80 80 01 00")).ok());  // unterminated
}

}  // namespace
}  // namespace gw::osi::presentation
