#include <gtest/gtest.h>

#include <limits>

#include "osi/ber/reader.h"
#include "osi/ber/writer.h"
#include "test_util.h"

namespace gw::osi::ber {
namespace {

using test::H;
using test::ToHex;

TEST(BerReader, HighTagNumbersAsFtamUsesThem) {
  auto b = H("bf 20 03 80 01 05  9f 81 00 00");  // [32] constructed, [128] primitive
  ErrorState err(b);
  Reader r(b, &err), sub(Bytes(), &err);
  Tag t;
  ASSERT_TRUE(r.PeekTag(&t));
  EXPECT_EQ(t, ContextC(32));
  ASSERT_TRUE(r.Enter(ContextC(32), &sub));
  int64_t v = 0;
  ASSERT_TRUE(sub.ReadInteger(Context(0), &v));
  EXPECT_EQ(v, 5);
  Element e;
  ASSERT_TRUE(r.ReadAny(&e));
  EXPECT_EQ(e.tag, Context(128));
  EXPECT_TRUE(r.empty());
  std::vector<uint8_t> out;
  Writer w(&out);
  w.Constructed(ContextC(32), [&] { w.Integer(Context(0), 5); });
  w.Null(Context(128));
  EXPECT_EQ(ToHex(out), "bf20038001059f810000");
}

TEST(BerReader, IndefiniteLengthsNestedAsIsodeSendsThem) {
  // 61 80 30 80 02 01 03 a0 80 04 02 aa bb 00 00 00 00 00 00 (FTAM-3 P-DATA shape)
  auto b = H("61 80 30 80 02 01 03 a0 80 04 02 aa bb 00 00 00 00 00 00");
  ErrorState err(b);
  Reader r(b, &err), a(Bytes(), &err), s(Bytes(), &err), v(Bytes(), &err);
  ASSERT_TRUE(r.Enter(ApplicationC(1), &a));
  EXPECT_TRUE(r.empty());
  ASSERT_TRUE(a.Enter(kSequence, &s));
  int64_t id = 0;
  ASSERT_TRUE(s.ReadInteger(kInteger, &id));
  EXPECT_EQ(id, 3);
  ASSERT_TRUE(s.Enter(ContextC(0), &v));
  Bytes data;
  ASSERT_TRUE(v.ReadPrimitive(kOctetString, &data));
  EXPECT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0], 0xaa);
  EXPECT_TRUE(v.empty() && s.empty() && a.empty());
}

TEST(BerReader, ConstructedStringsAreJoined) {
  auto b = H("24 80 04 02 61 62 24 03 04 01 63 04 00 00 00");  // "ab" + ("c") + ""
  ErrorState err(b);
  Reader r(b, &err);
  std::string s;
  ASSERT_TRUE(r.ReadString(kOctetString, &s));
  EXPECT_EQ(s, "abc");
}

TEST(BerReader, IntegersObjectIdentifiersBitsAndTimes) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{127}, int64_t{128}, int64_t{-1}, int64_t{-128},
                    int64_t{-129}, int64_t{65535}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    std::vector<uint8_t> out;
    Writer w(&out);
    w.Integer(v);
    ErrorState err(out);
    Reader r(out, &err);
    int64_t back = 0;
    ASSERT_TRUE(r.ReadInteger(kInteger, &back)) << v;
    EXPECT_EQ(back, v);
  }
  std::vector<uint8_t> out;
  Writer w(&out);
  w.Integer(128);
  EXPECT_EQ(ToHex(out), "02020080");  // minimal two's complement

  auto oid = Oid::Decode(H("28 c2 7b 02 01"));
  ASSERT_TRUE(oid);
  EXPECT_EQ(oid->ToString(), "1.0.8571.2.1");
  EXPECT_EQ(*Oid::Parse("2.999.3"), *Oid::Decode(H("88 37 03")));
  EXPECT_FALSE(Oid::Decode(H("28 80 01")));  // non-minimal subidentifier
  EXPECT_FALSE(Oid::Decode(H("28 c2")));     // truncated

  auto bits = H("83 02 04 70");  // service-class {management, transfer, transfer-and-management}
  ErrorState err(bits);
  Reader r(bits, &err);
  NamedBits nb;
  ASSERT_TRUE(r.ReadNamedBits(Context(3), &nb));
  EXPECT_EQ(nb.mask, NamedBits::Of({1, 2, 3}).mask);
  out.clear();
  Writer w2(&out);
  w2.Bits(Context(3), nb);
  EXPECT_EQ(ToHex(out), "83020470");

  auto t = ParseGeneralizedTime("01261122012804Z");  // ISODE's year 2026
  ASSERT_TRUE(t);
  EXPECT_EQ(t->ToIso8601(), "2026-11-22T01:28:04Z");
  auto u = ParseUtcTime("1261122012838Z");  // ISODE's three-digit UTCTime year
  ASSERT_TRUE(u);
  EXPECT_EQ(u->year, 2026);
  EXPECT_EQ(ParseUtcTime("261122012838Z")->year, 2026);
  EXPECT_EQ(ParseGeneralizedTime("20261122012804.5+0100")->offset_minutes, 60);
  EXPECT_FALSE(ParseGeneralizedTime("2026x122012804Z"));
}

TEST(BerWriter, LongLengthsAreMinimal) {
  std::vector<uint8_t> out;
  Writer w(&out);
  std::string big(200, 'x');
  w.Octets(kOctetString, big);
  EXPECT_EQ(out[1], 0x81);
  EXPECT_EQ(out[2], 200);
  out.clear();
  std::string huge(70000, 'y');
  w.Sequence([&] { w.Octets(kOctetString, huge); });
  EXPECT_EQ(ToHex(std::vector<uint8_t>(out.begin(), out.begin() + 10)), "30830111750483011170");
  ErrorState err(out);
  Reader r(out, &err), s(Bytes(), &err);
  std::string back;
  ASSERT_TRUE(r.Enter(kSequence, &s));
  ASSERT_TRUE(s.ReadString(kOctetString, &back));
  EXPECT_EQ(back, huge);
  EXPECT_EQ(Writer::HeaderSize(kOctetString, 70000), 5u);
}

// ---- hostile input: each a clear error, the cursor does not move, errors stick ----

struct Hostile {
  const char* name;
  const char* hex;
  const char* message;
};

class BerHostile : public ::testing::TestWithParam<Hostile> {};

TEST_P(BerHostile, IsAClearError) {
  auto b = H(GetParam().hex);
  Limits l;
  l.max_depth = 8;
  l.max_element = 1 << 20;
  ErrorState err(b, l);
  Reader r(b, &err);
  Element e;
  EXPECT_FALSE(r.ReadAny(&e));
  EXPECT_FALSE(err.ok());
  EXPECT_NE(err.status().message().find(GetParam().message), std::string::npos) << err.status();
  EXPECT_EQ(r.remaining(), b.size());  // nothing consumed
  EXPECT_FALSE(r.ReadAny(&e));         // sticky
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BerHostile,
    ::testing::Values(
        Hostile{"Empty", "", "truncated identifier"},
        Hostile{"NoLength", "30", "truncated length"},
        Hostile{"TruncatedTagNumber", "bf 81", "truncated tag number"},
        Hostile{"HugeTagNumber", "bf ff ff ff ff 7f 00", "tag number too large"},
        Hostile{"ContentsPastEnd", "04 05 01 02", "length past the end"},
        Hostile{"LongFormPastEnd", "04 82 01 00 00", "length past the end"},
        Hostile{"HugeDeclaredLength", "04 84 ff ff ff ff 00", "declared length over the limit"},
        Hostile{"NineLengthOctets", "04 89 01 01 01 01 01 01 01 01 01", "truncated length"},
        Hostile{"IndefinitePrimitive", "04 80 00 00", "indefinite length on a primitive"},
        Hostile{"MissingEndOfContents", "30 80 02 01 00", "missing end-of-contents"},
        Hostile{"TooDeep", "30 80 30 80 30 80 30 80 30 80 30 80 30 80 30 80 30 80 30 80 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
                "nesting too deep"},
        Hostile{"InnerLengthPastOuter", "30 80 04 10 00 00", "length past the end"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(BerHostile, WrongTagLeavesCursorAndSticks) {
  auto b = H("04 01 05 02 01 07");
  ErrorState err(b);
  Reader r(b, &err);
  int64_t v = 0;
  EXPECT_FALSE(r.ReadInteger(kInteger, &v));
  EXPECT_NE(err.status().message().find("expected [UNIVERSAL 2]"), std::string::npos) << err.status();
  EXPECT_EQ(r.remaining(), b.size());
  std::string s;
  EXPECT_FALSE(r.ReadString(kOctetString, &s));  // sticky: even a valid read now fails
}

TEST(BerHostile, DefiniteNestingBeyondTheDepthLimit) {
  // 40 nested definite SEQUENCEs.
  std::vector<uint8_t> nested = {0x30, 0x00};
  for (int i = 0; i < 39; ++i) {
    std::vector<uint8_t> outer = {0x30, static_cast<uint8_t>(nested.size())};
    outer.insert(outer.end(), nested.begin(), nested.end());
    nested = outer;
  }
  Limits l;
  l.max_depth = 16;
  ErrorState err(nested, l);
  Reader r(nested, &err);
  int depth = 0;
  while (true) {
    Reader sub(Bytes(), &err);
    if (!r.Enter(kSequence, &sub)) break;
    r = sub;
    ++depth;
  }
  EXPECT_EQ(depth, 16);
  EXPECT_NE(err.status().message().find("nesting too deep"), std::string::npos);
}

TEST(BerHostile, ConstructedStringOverTheSizeLimit) {
  std::vector<uint8_t> b = {0x24, 0x80};
  for (int i = 0; i < 100; ++i) b.insert(b.end(), {0x04, 0x02, 0x41, 0x42});
  b.insert(b.end(), {0x00, 0x00});
  Limits l;
  l.max_string = 64;
  ErrorState err(b, l);
  Reader r(b, &err);
  std::string s;
  EXPECT_FALSE(r.ReadString(kOctetString, &s));
  EXPECT_NE(err.status().message().find("size limit"), std::string::npos);
}

TEST(BerHostile, SplitValuesReportsTheBadValue) {
  std::vector<Bytes> values;
  auto b = H("02 01 05 30 05 02 01");
  absl::Status s = SplitValues(b, &values);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(values.size(), 1u);
}

}  // namespace
}  // namespace gw::osi::ber
