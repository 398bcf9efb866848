#include <gtest/gtest.h>

#include "osi/transport/cotp.h"
#include "osi/transport/tpkt.h"
#include "osi/transport/tsdu.h"
#include "test_util.h"

namespace gw::osi::transport {
namespace {

using test::H;
using test::ToHex;

TEST(Tpkt, FramesAStream) {
  auto s = H("03 00 00 0b 06 80 48 07 48 06 80  03 00 00");
  auto f = NextTpkt(s);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->has_value());
  EXPECT_EQ((*f)->consumed, 11u);
  EXPECT_EQ((*f)->tpdu.size(), 7u);
  auto rest = NextTpkt(Bytes(s).subspan(11));
  ASSERT_TRUE(rest.ok());
  EXPECT_FALSE(rest->has_value());  // needs more bytes
}

TEST(Tpkt, RejectsBadHeaders) {
  EXPECT_FALSE(NextTpkt(H("04 00 00 0b")).ok());        // version
  EXPECT_FALSE(NextTpkt(H("03 00 00 05 00")).ok());     // shorter than a TPDU
  EXPECT_FALSE(NextTpkt(H("03 00 ff ff"), 8192).ok());  // over the configured limit
}

TEST(Cotp, IsodeConnectionRequestAndConfirm) {
  auto cr = DecodeTpdu(H("0d e0 00 00 48 06 00 c2 02 01 03 c0 01 0b"));
  ASSERT_TRUE(cr.ok()) << cr.status();
  const auto& c = std::get<ConnectTpdu>(*cr);
  EXPECT_FALSE(c.confirm);
  EXPECT_EQ(c.src_ref, 0x4806);
  EXPECT_EQ(c.called_tsap, std::string("\x01\x03", 2));
  EXPECT_FALSE(c.calling_tsap);
  EXPECT_EQ(c.tpdu_size, kTpduSize2048);
  std::vector<uint8_t> out;
  EncodeTpkt(c, &out);
  EXPECT_EQ(ToHex(out), "030000120de00000480600c2020103c0010b");
  EXPECT_EQ(NegotiateTpduSize(c, kTpduSize8192), kTpduSize2048);
  EXPECT_EQ(NegotiateTpduSize(ConnectTpdu{}, kTpduSize8192), kTpduSize128);

  auto cc = DecodeTpdu(H("09 d0 48 06 48 07 00 c0 01 0b"));
  ASSERT_TRUE(cc.ok());
  EXPECT_TRUE(std::get<ConnectTpdu>(*cc).confirm);
  EXPECT_EQ(std::get<ConnectTpdu>(*cc).dst_ref, 0x4806);
}

TEST(Cotp, DisconnectAndError) {
  auto dr = DecodeTpdu(H("06 80 48 07 48 06 80"));
  ASSERT_TRUE(dr.ok());
  EXPECT_EQ(std::get<DisconnectTpdu>(*dr).reason, dr_reason::kNormal);
  std::vector<uint8_t> out;
  EncodeTpkt(std::get<DisconnectTpdu>(*dr), &out);
  EXPECT_EQ(ToHex(out), "0300000b0680480748068" "0");
  auto er = DecodeTpdu(H("08 70 12 34 02 c1 02 aa bb"));
  ASSERT_TRUE(er.ok());
  EXPECT_EQ(std::get<ErrorTpdu>(*er).reject_cause, 2);
  EXPECT_EQ(std::get<ErrorTpdu>(*er).invalid_tpdu, std::string("\xaa\xbb", 2));
}

TEST(Cotp, HostileTpdus) {
  EXPECT_FALSE(DecodeTpdu(H("02")).ok());                          // too short
  EXPECT_FALSE(DecodeTpdu(H("0d e0 00 00")).ok());                 // LI past the end
  EXPECT_FALSE(DecodeTpdu(H("08 e0 00 00 48 06 00 c2 09")).ok());  // parameter past the header
  EXPECT_FALSE(DecodeTpdu(H("06 e0 00 00 48 06 20")).ok());        // class 2
  EXPECT_FALSE(DecodeTpdu(H("09 e0 00 00 48 06 00 c0 01 02")).ok());  // TPDU size 4
  EXPECT_FALSE(DecodeTpdu(H("01 f0")).ok());                       // DT header too short
  EXPECT_FALSE(DecodeTpdu(H("02 10 80")).ok());                    // unknown code
  EXPECT_FALSE(DecodeTpdu(H("ff f0 80")).ok());                    // reserved LI
}

TEST(Cotp, SegmentsAndReassemblesWithoutCopyingPayload) {
  std::vector<uint8_t> a(3000, 'a'), b(2500, 'b');
  Gather g;
  SegmentTsdu({Bytes(a), Bytes(b)}, 2048, &g);
  // 5500 octets in 2045-octet DTs: 3 TPDUs; payload pieces reference a and b.
  size_t headers = 0, refs = 0;
  for (auto p : g.pieces()) {
    if (p.data() >= a.data() && p.data() < a.data() + a.size()) ++refs;
    else if (p.data() >= b.data() && p.data() < b.data() + b.size()) ++refs;
    else ++headers;
  }
  EXPECT_EQ(headers, 3u);
  EXPECT_EQ(refs, 4u);  // a split in two, b split in two
  auto stream = g.Flatten();
  TsduReassembler r;
  std::optional<Bytes> tsdu;
  size_t pos = 0, dts = 0;
  while (pos < stream.size()) {
    auto f = NextTpkt(Bytes(stream).subspan(pos));
    ASSERT_TRUE(f.ok() && f->has_value());
    auto t = DecodeTpdu((*f)->tpdu);
    ASSERT_TRUE(t.ok());
    auto out = r.Add(std::get<DataTpdu>(*t));
    ASSERT_TRUE(out.ok());
    if (out->has_value()) tsdu = **out;
    pos += (*f)->consumed;
    ++dts;
    EXPECT_LE((*f)->tpdu.size(), 2048u);
  }
  EXPECT_EQ(dts, 3u);
  ASSERT_TRUE(tsdu);
  ASSERT_EQ(tsdu->size(), 5500u);
  EXPECT_EQ((*tsdu)[2999], 'a');
  EXPECT_EQ((*tsdu)[3000], 'b');

  Gather empty;
  SegmentTsdu({}, 2048, &empty);  // an empty TSDU is one DT with EOT
  EXPECT_EQ(test::ToHex(empty.Flatten()), "0300000702f080");
}

TEST(Cotp, SingleDtTsduIsAView) {
  auto dt = DecodeTpdu(H("02 f0 80 01 00 01 00"));
  ASSERT_TRUE(dt.ok());
  TsduReassembler r;
  auto out = r.Add(std::get<DataTpdu>(*dt));
  ASSERT_TRUE(out.ok() && out->has_value());
  EXPECT_EQ((*out)->data(), std::get<DataTpdu>(*dt).user_data.data());
}

TEST(Cotp, TsduLimitIsEnforced) {
  TsduReassembler r(4096);
  std::vector<uint8_t> chunk(2045, 'x');
  DataTpdu more{false, Bytes(chunk)};
  ASSERT_TRUE(r.Add(more).ok());
  ASSERT_TRUE(r.Add(more).ok());
  auto over = r.Add(more);
  EXPECT_EQ(over.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_FALSE(r.in_progress());  // buffer released
}

}  // namespace
}  // namespace gw::osi::transport
