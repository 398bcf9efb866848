#include "mapping/text_convert.h"

#include <gtest/gtest.h>

namespace gw::bridge {
namespace {

TEST(TextConvert, LfBecomesCrlf) {
  std::string out;
  AppendLfToCrlf("a\nbb\n\nc", out);
  EXPECT_EQ(out, "a\r\nbb\r\n\r\nc");
}

TEST(TextConvert, CrlfBecomesLfAcrossChunkBoundaries) {
  CrlfToLf conv;
  std::string out;
  conv.Append("line1\r", out);
  conv.Append("\nline2\r\n", out);
  conv.Append("lone\rcr\r", out);
  conv.Finish(out);
  EXPECT_EQ(out, "line1\nline2\nlone\rcr\r");
}

TEST(TextConvert, RoundTripOfEveryByteSplit) {
  const std::string native = "alpha\nbeta\r gamma\n\n\rdelta\n";
  std::string wire;
  AppendLfToCrlf(native, wire);
  for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
    CrlfToLf conv;
    std::string back;
    conv.Append(std::string_view(wire).substr(0, cut), back);
    conv.Append(std::string_view(wire).substr(cut), back);
    conv.Finish(back);
    EXPECT_EQ(back, native) << "cut at " << cut;
  }
}

// RFC 1415 §6: text (FTAM-1) only when text throughout, else binary (FTAM-3).
TEST(TextSniffer, TextThroughoutIsText) {
  TextSniffer s;
  s.Append("line one\r\nline\ttwo\n");
  s.Append("\fpage two\v\n");
  EXPECT_TRUE(s.text());
  TextSniffer empty;
  EXPECT_TRUE(empty.text());
}

TEST(TextSniffer, AnyOtherByteMakesItBinary) {
  for (char c : {'\0', '\x01', '\x1b', '\x7f', '\x80', '\xe9', '\xff'}) {
    TextSniffer s;
    s.Append("plain text\n");
    s.Append(std::string("then ") + c + " here");
    s.Append("and text again\n");  // once binary, always binary
    EXPECT_FALSE(s.text()) << int(static_cast<unsigned char>(c));
  }
}

}  // namespace
}  // namespace gw::bridge
