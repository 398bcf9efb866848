#include "protocol/reply.h"

#include <gtest/gtest.h>

namespace gw::ftp {
namespace {

TEST(Reply, SingleLineCannotBeSplitByForeignText) {
  EXPECT_EQ(FormatReply(550, "no such file: a\r\n230 fake"), "550 no such file: a  230 fake\r\n");
}

TEST(Reply, MultilineIndentsBody) {
  EXPECT_EQ(FormatMultiline(211, "Features:", {"UTF8", "226 trick"}, "End"),
            "211-Features:\r\n UTF8\r\n 226 trick\r\n211 End\r\n");
}

TEST(Reply, QuotePathDoublesQuotes) {
  EXPECT_EQ(QuotePath("/a\"b"), "\"/a\"\"b\"");
}

}  // namespace
}  // namespace gw::ftp
