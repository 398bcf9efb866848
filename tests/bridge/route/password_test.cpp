#include <string>

#include "bridge/route/route_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::route {
namespace {

using ::testing::MatchesRegex;

TEST(HashPassword, HasTheDocumentedFormat) {
  std::string hash = HashPassword("secret");
  EXPECT_THAT(hash, MatchesRegex("pbkdf2-sha256\\$100000\\$[0-9a-f]{32}\\$[0-9a-f]{64}"));
}

TEST(HashPassword, SaltsEachHash) { EXPECT_NE(HashPassword("secret"), HashPassword("secret")); }

TEST(VerifyPassword, RoundTrip) {
  std::string hash = HashPassword("correct horse");
  EXPECT_TRUE(VerifyPassword(hash, "correct horse"));
  EXPECT_FALSE(VerifyPassword(hash, "correct hors"));
  EXPECT_FALSE(VerifyPassword(hash, "Correct horse"));
  EXPECT_FALSE(VerifyPassword(hash, ""));
}

TEST(VerifyPassword, EmptyPasswordCanBeHashed) {
  EXPECT_TRUE(VerifyPassword(HashPassword(""), ""));
  EXPECT_FALSE(VerifyPassword(HashPassword(""), "x"));
}

// Made by an independent implementation (Python's hashlib.pbkdf2_hmac), as
// the README shows administrators how to do.
TEST(VerifyPassword, AcceptsHashesMadeElsewhere) {
  EXPECT_TRUE(
      VerifyPassword("pbkdf2-sha256$100000$000102030405060708090a0b0c0d0e0f$"
                     "57f2c2f0739748d516419b062a884666323c583ea4ae165504a81f7b53c62a09",
                     "correct horse"));
  // Other iteration counts, salt and hash lengths, UTF-8 password, upper-case hex.
  EXPECT_TRUE(VerifyPassword("pbkdf2-sha256$1000$73616C74$aa97d8ee82853e5548b5f32b23dc67df64f06e4d",
                             "p\xc3\xa4ss"));
  EXPECT_FALSE(VerifyPassword(
      "pbkdf2-sha256$1000$73616c74$aa97d8ee82853e5548b5f32b23dc67df64f06e4d", "pass"));
}

TEST(VerifyPassword, RejectsMalformedHashes) {
  const std::string good = HashPassword("pw");
  ASSERT_TRUE(VerifyPassword(good, "pw"));
  const char* kSalt = "000102030405060708090a0b0c0d0e0f";
  const char* kHash = "57f2c2f0739748d516419b062a884666323c583ea4ae165504a81f7b53c62a09";
  auto make = [](std::string a, std::string i, std::string s, std::string h) {
    return a + "$" + i + "$" + s + "$" + h;
  };
  for (const std::string& bad : {
           std::string(""),
           std::string("pw"),
           std::string("pbkdf2-sha256$100000$") + kSalt,
           make("pbkdf2-sha1", "100000", kSalt, kHash),
           make("PBKDF2-SHA256", "100000", kSalt, kHash),
           make("pbkdf2-sha256", "", kSalt, kHash),
           make("pbkdf2-sha256", "0", kSalt, kHash),
           make("pbkdf2-sha256", "-1", kSalt, kHash),
           make("pbkdf2-sha256", "+100000", kSalt, kHash),
           make("pbkdf2-sha256", " 100000", kSalt, kHash),
           make("pbkdf2-sha256", "99999999999", kSalt, kHash),  // over the cap
           make("pbkdf2-sha256", "100000", "", kHash),
           make("pbkdf2-sha256", "100000", "abc", kHash),  // odd length
           make("pbkdf2-sha256", "100000", "zz", kHash),
           make("pbkdf2-sha256", "100000", kSalt, ""),
           make("pbkdf2-sha256", "100000", kSalt, "0011"),  // too short to mean anything
           make("pbkdf2-sha256", "100000", kSalt, std::string(kHash) + "$"),
           make("pbkdf2-sha256", "100000", kSalt, std::string(kHash) + "0"),
           good + "$extra",
       }) {
    EXPECT_FALSE(VerifyPassword(bad, "correct horse")) << bad;
    EXPECT_FALSE(VerifyPassword(bad, "pw")) << bad;
  }
}

Route FileRoute() {
  Route route;
  route.name = "demo";
  route.destination.scheme = Scheme::kFile;
  route.destination.root = "/srv/demo";
  route.accounts.emplace("alice", HashPassword("wonderland"));
  route.accounts.emplace("broken", "not a hash");
  return route;
}

TEST(CheckAccount, AcceptsTheRightPassword) {
  EXPECT_TRUE(CheckAccount(FileRoute(), "alice", "wonderland").ok());
}

TEST(CheckAccount, WrongPasswordAndUnknownUserLookTheSame) {
  Route route = FileRoute();
  absl::Status wrong = CheckAccount(route, "alice", "looking-glass");
  absl::Status unknown = CheckAccount(route, "mallory", "wonderland");
  EXPECT_EQ(wrong.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(wrong, unknown);
  EXPECT_EQ(wrong.message(), "login incorrect");
}

TEST(CheckAccount, ANameNoRouteKnowsLooksLikeAWrongPassword) {
  EXPECT_EQ(RefuseUnknownLogin("wonderland"), CheckAccount(FileRoute(), "alice", "looking-glass"));
}

TEST(CheckAccount, LoginNamesAreCaseSensitive) {
  EXPECT_EQ(CheckAccount(FileRoute(), "Alice", "wonderland").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(CheckAccount, MalformedStoredHashNeverMatches) {
  EXPECT_EQ(CheckAccount(FileRoute(), "broken", "not a hash").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(CheckAccount, NetworkRoutesHaveNoLocalAccounts) {
  Route route;
  route.name = "remote";
  route.destination.scheme = Scheme::kFtp;
  EXPECT_EQ(CheckAccount(route, "alice", "x").code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gw::route
