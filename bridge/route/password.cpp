// Local account passwords for file:// routes: PBKDF2-HMAC-SHA256.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "absl/strings/numbers.h"
#include "bridge/route/internal.h"
#include "bridge/route/route_table.h"

namespace gw::route {
namespace {

constexpr std::string_view kAlgorithm = "pbkdf2-sha256";
constexpr int kIterations = 100000;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
// Bounds on what a stored hash may ask for, so that a bad entry cannot make
// every login attempt expensive.
constexpr uint32_t kMaxIterations = 10'000'000;
constexpr size_t kMaxSaltBytes = 64;
constexpr size_t kMinHashBytes = 16;
constexpr size_t kMaxHashBytes = 64;

struct ParsedHash {
  uint32_t iterations;
  std::vector<unsigned char> salt;
  std::vector<unsigned char> hash;
};

std::optional<std::vector<unsigned char>> DecodeHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<unsigned char> bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = nibble(hex[i]);
    int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<unsigned char>(high << 4 | low));
  }
  return bytes;
}

std::string EncodeHex(const unsigned char* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    hex.push_back(kDigits[data[i] >> 4]);
    hex.push_back(kDigits[data[i] & 0xf]);
  }
  return hex;
}

std::optional<ParsedHash> Parse(std::string_view encoded) {
  std::string_view parts[4];
  for (int i = 0; i < 3; ++i) {
    size_t dollar = encoded.find('$');
    if (dollar == std::string_view::npos) return std::nullopt;
    parts[i] = encoded.substr(0, dollar);
    encoded.remove_prefix(dollar + 1);
  }
  parts[3] = encoded;
  if (parts[0] != kAlgorithm) return std::nullopt;
  ParsedHash parsed;
  // Digits only: SimpleAtoi would also accept signs and spaces.
  if (parts[1].empty() || parts[1].find_first_not_of("0123456789") != std::string_view::npos ||
      !absl::SimpleAtoi(CatPiece(parts[1]), &parsed.iterations) || parsed.iterations == 0 ||
      parsed.iterations > kMaxIterations) {
    return std::nullopt;
  }
  std::optional<std::vector<unsigned char>> salt = DecodeHex(parts[2]);
  std::optional<std::vector<unsigned char>> hash = DecodeHex(parts[3]);
  if (!salt || salt->empty() || salt->size() > kMaxSaltBytes) return std::nullopt;
  if (!hash || hash->size() < kMinHashBytes || hash->size() > kMaxHashBytes) return std::nullopt;
  parsed.salt = std::move(*salt);
  parsed.hash = std::move(*hash);
  return parsed;
}

bool Derive(std::string_view password, const std::vector<unsigned char>& salt, uint32_t iterations,
            unsigned char* out, size_t out_size) {
  return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                           static_cast<int>(salt.size()), static_cast<int>(iterations),
                           EVP_sha256(), static_cast<int>(out_size), out) == 1;
}

// Checked against when the login is unknown, so that the answer takes as
// long as for a known login with a wrong password. The hash of a random
// password nobody knows.
constexpr std::string_view kDummyHash =
    "pbkdf2-sha256$100000$b2d59417f34761e0fc10b94f077ab864$"
    "1e56fedad9ffe98efa5b5a70f1f923463fe189d0640f7e9e6982dce7fdabce6e";

}  // namespace

bool IsWellFormedPasswordHash(std::string_view encoded) { return Parse(encoded).has_value(); }

std::string HashPassword(std::string_view password) {
  std::vector<unsigned char> salt(kSaltBytes);
  unsigned char hash[kHashBytes];
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1 ||
      !Derive(password, salt, kIterations, hash, sizeof hash)) {
    // Without a random source no safe hash can be made; nothing sensible to
    // return either.
    std::fputs("HashPassword: OpenSSL failed\n", stderr);
    std::abort();
  }
  return Cat(kAlgorithm, "$", kIterations, "$", EncodeHex(salt.data(), salt.size()), "$",
             EncodeHex(hash, sizeof hash));
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  std::optional<ParsedHash> parsed = Parse(encoded);
  if (!parsed) return false;
  std::vector<unsigned char> derived(parsed->hash.size());
  if (!Derive(password, parsed->salt, parsed->iterations, derived.data(), derived.size())) {
    return false;
  }
  return CRYPTO_memcmp(derived.data(), parsed->hash.data(), derived.size()) == 0;
}

absl::Status CheckAccount(const Route& route, std::string_view login, std::string_view password) {
  if (route.destination.scheme != Scheme::kFile) {
    return absl::FailedPreconditionError(
        Cat("route ", route.name, " has no local accounts; its destination checks logins"));
  }
  auto account = route.accounts.find(login);
  bool known = account != route.accounts.end();
  bool match = VerifyPassword(known ? std::string_view(account->second) : kDummyHash, password);
  if (!known || !match) return absl::PermissionDeniedError("login incorrect");
  return absl::OkStatus();
}

absl::Status RefuseUnknownLogin(std::string_view password) {
  (void)VerifyPassword(kDummyHash, password);
  return absl::PermissionDeniedError("login incorrect");
}

}  // namespace gw::route
