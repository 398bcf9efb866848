#include "protocol/command.h"

#include <gtest/gtest.h>

namespace gw::ftp {
namespace {

TEST(ParseCommand, VerbsAndArguments) {
  struct Row { const char* line; bool ok; const char* verb; const char* arg; };
  const Row rows[] = {
      {"USER demo", true, "USER", "demo"},
      {"user demo", true, "USER", "demo"},
      {"PWD", true, "PWD", ""},
      {"RETR file with spaces.txt", true, "RETR", "file with spaces.txt"},
      {"STOR  leading", true, "STOR", " leading"},   // one separator space only
      {"CWD /a/b\r", true, "CWD", "/a/b"},
      {"NOOP\r", true, "NOOP", ""},
      {"  NOOP", true, "NOOP", ""},
      {"", false, "", ""},
      {"AB", false, "", ""},           // too short
      {"ABCDE x", false, "", ""},      // too long
      {"RE1R x", false, "", ""},       // not letters
      {"\x16\x03\x01", false, "", ""}, // TLS bytes on a plain port
  };
  for (const Row& r : rows) {
    auto c = ParseCommand(r.line);
    ASSERT_EQ(c.has_value(), r.ok) << r.line;
    if (!r.ok) continue;
    EXPECT_EQ(c->verb, r.verb);
    EXPECT_EQ(c->arg, r.arg);
  }
}

TEST(LineReader, SplitsCrlfAndBareLf) {
  LineReader lr(100);
  lr.Feed("USER a\r\nPASS b\nNO");
  std::string line;
  ASSERT_EQ(lr.Next(&line), LineReader::Status::kLine);
  EXPECT_EQ(line, "USER a");
  ASSERT_EQ(lr.Next(&line), LineReader::Status::kLine);
  EXPECT_EQ(line, "PASS b");
  EXPECT_EQ(lr.Next(&line), LineReader::Status::kNeedMore);
  lr.Feed("OP\r\n");
  ASSERT_EQ(lr.Next(&line), LineReader::Status::kLine);
  EXPECT_EQ(line, "NOOP");
}

TEST(LineReader, StripsTelnetInterruptAndSynch) {
  // lftp's abort: IAC IP, IAC DM, then ABOR.
  LineReader lr(100);
  lr.Feed(std::string("\xff\xf4\xff\xf2" "ABOR\r\n", 10));
  std::string line;
  ASSERT_EQ(lr.Next(&line), LineReader::Status::kLine);
  EXPECT_EQ(line, "ABOR");
  // IAC IAC is a data 0xFF; option negotiation takes its option byte.
  lr.Feed(std::string("\xff\xfb\x01" "CWD \xff\xff" "x\r\n"));
  ASSERT_EQ(lr.Next(&line), LineReader::Status::kLine);
  EXPECT_EQ(line, "CWD \xff" "x");
}

TEST(LineReader, OverlongLineIsReportedOnceAndSkipped) {
  LineReader lr(16);
  lr.Feed(std::string(40, 'A'));
  std::string line;
  EXPECT_EQ(lr.Next(&line), LineReader::Status::kTooLong);
  EXPECT_EQ(lr.Next(&line), LineReader::Status::kNeedMore);
  lr.Feed(std::string(40, 'B') + "\r\nNOOP\r\n");
  ASSERT_EQ(lr.Next(&line), LineReader::Status::kLine);
  EXPECT_EQ(line, "NOOP");
}

TEST(LineReader, OverlongCompleteLine) {
  LineReader lr(8);
  lr.Feed("RETR 0123456789\r\nPWD\r\n");
  std::string line;
  EXPECT_EQ(lr.Next(&line), LineReader::Status::kTooLong);
  ASSERT_EQ(lr.Next(&line), LineReader::Status::kLine);
  EXPECT_EQ(line, "PWD");
}

}  // namespace
}  // namespace gw::ftp
