#include <gtest/gtest.h>

#include "ftam/doctype/data_value.h"
#include "ftam/doctype/document_types.h"
#include "test_util.h"

namespace gw::ftam::doctype {
namespace {

using test::H;
using test::ToHex;

TEST(Doctype, ParametersAsIsodeSendsThem) {
  auto p1 = DecodeFtam1Parameter(H("30 06 80 01 1b 82 01 02"));
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->universal_class_number, 27);
  EXPECT_EQ(p1->string_significance, kNotSignificant);
  EXPECT_FALSE(p1->maximum_string_length);
  std::string enc = EncodeParameter(*p1);
  EXPECT_EQ(ToHex(std::vector<uint8_t>(enc.begin(), enc.end())), "300680011b820102");
  auto p3 = DecodeFtam3Parameter(H("30 03 82 01 02"));
  ASSERT_TRUE(p3.ok());
  EXPECT_EQ(p3->string_significance, kNotSignificant);
  auto p9 = DecodeNbs9Parameter(H("80 03 02 ff fc"));
  ASSERT_TRUE(p9.ok());
  EXPECT_EQ(p9->attribute_names.mask, 0x3fffu);
  EXPECT_EQ(*AbstractSyntaxOf(kFtam1DocumentType), kUnstructuredTextAbstractSyntax);
  EXPECT_EQ(*AbstractSyntaxOf(kNbs9OldDocumentType), kNbs9OldAbstractSyntax);
  EXPECT_FALSE(AbstractSyntaxOf(Oid{1, 2, 3}));
  EXPECT_FALSE(DecodeFtam1Parameter(H("30 03 80 01")).ok());
  EXPECT_FALSE(DecodeNbs9Parameter(H("81 01 00")).ok());
}

TEST(Doctype, TextValuesOfEveryStringTypeAndForm) {
  for (uint32_t t : {19u, 20u, 21u, 22u, 25u, 26u, 27u}) {
    std::vector<uint8_t> v = {static_cast<uint8_t>(t), 2, 'h', 'i'};
    auto s = DecodeTextValue(v);
    ASSERT_TRUE(s.ok()) << t;
    EXPECT_EQ(s->Join(), "hi");
    EXPECT_EQ(s->segments[0].data(), v.data() + 2);  // a view, not a copy
  }
  auto constructed = H("3b 80 04 02 61 62 04 01 63 00 00");  // constructed GeneralString
  auto c = DecodeTextValue(constructed);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->segments.size(), 2u);
  EXPECT_EQ(c->Join(), "abc");
  EXPECT_FALSE(DecodeTextValue(H("04 01 61")).ok());   // OCTET STRING is not text
  EXPECT_FALSE(DecodeBinaryValue(H("1b 01 61")).ok()); // and text is not binary
  EXPECT_FALSE(DecodeTextValue(H("1b 05 61")).ok());   // truncated
  EXPECT_FALSE(DecodeTextValue(H("3b 03 02 01 00")).ok());  // INTEGER segment
}

TEST(Doctype, ValuesAreProducedChunkByChunkWithoutCopies) {
  std::string data(5000, 'z');
  osi::Gather g;
  AppendValues(osi::ber::universal::kOctetString, osi::AsBytes(data), 2000, &g);
  ASSERT_EQ(g.pieces().size(), 6u);  // (header, chunk) x 3
  EXPECT_EQ(g.pieces()[1].data(), reinterpret_cast<const uint8_t*>(data.data()));
  EXPECT_EQ(g.pieces()[5].size(), 1000u);
  auto flat = g.Flatten();
  std::vector<osi::Bytes> values;
  ASSERT_TRUE(osi::ber::SplitValues(flat, &values).ok());
  ASSERT_EQ(values.size(), 3u);
  size_t total = 0;
  for (auto v : values) {
    auto b = DecodeBinaryValue(v);
    ASSERT_TRUE(b.ok());
    total += b->size();
  }
  EXPECT_EQ(total, 5000u);
  auto h = TextValueHeader(27, 300);
  EXPECT_EQ(ToHex(std::vector<uint8_t>(h.view().begin(), h.view().end())), "1b82012c");
}

TEST(Doctype, CrLfHandlingAcrossChunkBoundaries) {
  CrLfToLf conv;
  std::string out;
  conv.Append(osi::AsBytes("one\r"), &out);
  EXPECT_EQ(out, "one");  // the CR waits for the next chunk
  conv.Append(osi::AsBytes("\ntwo\r\r\nthree\r"), &out);
  conv.Finish(&out);
  EXPECT_EQ(out, "one\ntwo\r\nthree\r");
  std::string wire;
  LfToCrLf(osi::AsBytes("a\nb\n"), &wire);
  EXPECT_EQ(wire, "a\r\nb\r\n");
}

TEST(Doctype, Nbs9DirectoryEntries) {
  Attributes a;
  a.pathname = Pathname{"subdir/inner.txt"};
  a.filesize = IntegerValue{false, 14};
  a.identity_of_creator = IdentityValue{false, "ftamtest"};
  std::vector<uint8_t> out;
  EncodeDirectoryEntry(a, &out);
  EXPECT_EQ(out[0], 0xe2);  // [PRIVATE 2]
  EXPECT_EQ(out[2], 0x72);  // Read-Attributes
  auto back = DecodeDirectoryEntry(out);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->pathname, a.pathname);
  EXPECT_EQ(back->filesize->value, 14);
  // ISODE's form with indefinite lengths.
  auto isode = DecodeDirectoryEntry(H("e2 80 72 80 a0 03 19 01 2e ad 04 81 02 10 00 00 00 00 00"));
  ASSERT_TRUE(isode.ok()) << isode.status();
  EXPECT_EQ(isode->pathname->front(), ".");
  EXPECT_EQ(isode->filesize->value, 4096);
  EXPECT_FALSE(DecodeDirectoryEntry(H("e3 02 72 00")).ok());
  EXPECT_FALSE(DecodeDirectoryEntry(H("e2 02 73 00")).ok());
}

}  // namespace
}  // namespace gw::ftam::doctype
