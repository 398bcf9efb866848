// RFC 1415 §9 tables, row by row: each expectation below is written from the RFC's text
// (and ISO 8571-3's identifiers), not read back from the table under test.
#include "mapping/ftam_diagnostics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace gw::bridge {
namespace {
namespace v1 = gateway::v1;
using O = NeutralOp;

v1::Result FtpFailure(v1::StatusCode code, uint32_t ftp_code, const std::string& text) {
  v1::Result r;
  r.set_code(code);
  r.set_message(text);
  auto* ftp = r.add_origin()->mutable_ftp();
  ftp->set_code(ftp_code);
  ftp->set_text(text);
  return r;
}

v1::Result Neutral(v1::StatusCode code, const std::string& message) {
  v1::Result r;
  r.set_code(code);
  r.set_message(message);
  if (code != v1::STATUS_OK) r.add_origin()->set_filestore(message);
  return r;
}

// ---- §9.1: FTP reply -> FTAM diagnostic (the FTAM-initiated gateway)

struct FtpRow {
  uint32_t ftp;
  uint32_t type;
  uint32_t id;
};

TEST(FtpToFtam, EveryRowOfRfc1415Section9_1) {
  // RFC 1415 §9.1, transcribed: code, Type, Id.
  const FtpRow rows[] = {
      {110, 0, 0}, {120, 0, 0}, {125, 0, 0}, {150, 0, 0}, {200, 0, 0}, {202, 0, 0},
      {211, 0, 0}, {212, 0, 0}, {213, 0, 0}, {214, 0, 0}, {215, 0, 0}, {220, 0, 0},
      {221, 0, 0}, {225, 0, 0}, {226, 0, 0}, {227, 0, 0}, {230, 0, 0}, {250, 0, 0},
      {257, 0, 0}, {331, 0, 0}, {332, 0, 0}, {350, 0, 0},
      {421, 1, 1},    {425, 1, 3},    {426, 1, 1014}, {450, 1, 5041}, {451, 1, 5028},
      {452, 1, 9},    {500, 2, 5015}, {501, 2, 4004}, {502, 2, 5016}, {503, 2, 1015},
      {504, 2, 4003}, {530, 2, 2020}, {532, 2, 2008}, {550, 2, 3013}, {551, 2, 5002},
      {552, 2, 9},    {553, 2, 3024},
  };
  for (const FtpRow& row : rows) {
    std::string text = "far text for " + std::to_string(row.ftp);
    // A failing reply decides whatever neutral code ftp-front chose, for every op; the
    // success rows come with a successful result.
    const v1::StatusCode status = row.ftp < 400 ? v1::STATUS_OK : v1::STATUS_INTERNAL;
    for (O op : {O::kLogin, O::kRead, O::kWrite, O::kDelete, O::kOther}) {
      v1::FtamDiagnostic d = FtamDiagnosticFor(op, FtpFailure(status, row.ftp, text));
      EXPECT_EQ(d.diagnostic_type(), row.type) << row.ftp;
      EXPECT_EQ(d.error_identifier(), row.id) << row.ftp;
      EXPECT_EQ(d.further_details(), text) << row.ftp;
      EXPECT_EQ(d.error_observer(), kEntityRespondingUser) << row.ftp;
      EXPECT_EQ(d.error_source(), kEntityRespondingUser) << row.ftp;
    }
  }
  EXPECT_EQ(FtpToFtamRows().size(), std::size(rows));
}

TEST(FtpToFtam, CodesTheTableDoesNotNameAreUnrecoverableWithTheServersText) {
  // RFC 1415 §9.4: FTP failures -> unrecoverable (permanent), the FTP text in further details.
  for (uint32_t code : {420u, 431u, 434u, 455u, 522u, 534u, 535u, 554u, 599u}) {
    v1::FtamDiagnostic d =
        FtamDiagnosticFor(O::kRead, FtpFailure(v1::STATUS_INTERNAL, code, "odd server reply"));
    EXPECT_EQ(d.diagnostic_type(), kPermanent) << code;
    EXPECT_EQ(d.error_identifier(), ftam_error::kResponderError) << code;
    EXPECT_EQ(d.further_details(), "odd server reply") << code;
  }
  // Positive codes it does not name (AUTH TLS 234, EPSV 229) are success.
  for (uint32_t code : {229u, 232u, 234u}) {
    v1::FtamDiagnostic d = FtamDiagnosticFor(O::kRead, FtpFailure(v1::STATUS_OK, code, "fine"));
    EXPECT_EQ(d.diagnostic_type(), kInformative) << code;
    EXPECT_EQ(d.error_identifier(), 0u) << code;
  }
}

TEST(FtpToFtam, TheResultsOutcomeComesFirst) {
  // A fallback that worked (MLST refused, then SIZE answered): success.
  v1::Result ok = FtpFailure(v1::STATUS_OK, 500, "MLST not understood");
  auto* size = ok.add_origin()->mutable_ftp();
  size->set_code(213);
  size->set_text("1234");
  v1::FtamDiagnostic d = FtamDiagnosticFor(O::kStat, ok);
  EXPECT_EQ(d.diagnostic_type(), kInformative);
  EXPECT_EQ(d.error_identifier(), 0u);
  EXPECT_EQ(d.further_details(), "1234");
  // A failure after a positive reply (the bridge ended a transfer the server completed):
  // the neutral code decides, with the result's message.
  v1::Result failed = FtpFailure(v1::STATUS_RESOURCE_EXHAUSTED, 226, "Transfer complete");
  failed.set_message("file larger than the configured limit");
  d = FtamDiagnosticFor(O::kWrite, failed);
  EXPECT_EQ(d.diagnostic_type(), kPermanent);
  EXPECT_EQ(d.error_identifier(), ftam_error::kFilespaceExhausted);
  EXPECT_EQ(d.further_details(), "file larger than the configured limit");
}

TEST(FtpToFtam, TheLastFailingReplyDecides) {
  v1::Result r = FtpFailure(v1::STATUS_NOT_LOGGED_IN, 331, "Password required");
  auto* refused = r.add_origin()->mutable_ftp();
  refused->set_code(530);
  refused->set_text("Login incorrect.");
  auto* bye = r.add_origin()->mutable_ftp();
  bye->set_code(221);
  bye->set_text("Goodbye.");
  v1::FtamDiagnostic d = FtamDiagnosticFor(O::kLogin, r);
  EXPECT_EQ(d.error_identifier(), ftam_error::kInvalidFilestorePassword);
  EXPECT_EQ(d.diagnostic_type(), kPermanent);
  EXPECT_EQ(d.further_details(), "Login incorrect.");
}

TEST(FtpToFtam, AnFtamRespondersDiagnosticIsHandedOnUnchanged) {
  v1::Result r = Neutral(v1::STATUS_NOT_FOUND, "no such file");
  auto* far = r.add_origin()->mutable_ftam();
  far->set_diagnostic_type(1);
  far->set_error_identifier(3012);
  far->set_error_observer(4);
  far->set_error_source(5);
  far->set_further_details("locked by ops");
  v1::FtamDiagnostic d = FtamDiagnosticFor(O::kRead, r);
  EXPECT_EQ(d.diagnostic_type(), 1u);
  EXPECT_EQ(d.error_identifier(), 3012u);
  EXPECT_EQ(d.error_observer(), 4u);
  EXPECT_EQ(d.error_source(), 5u);
  EXPECT_EQ(d.further_details(), "locked by ops");
}

// ---- Neutral result -> FTAM diagnostic, where no far-side reply decides

struct NeutralRow {
  O op;
  v1::StatusCode code;
  uint32_t type;
  uint32_t id;
  uint32_t source;
};

TEST(NeutralToFtam, RowByRow) {
  constexpr uint32_t kUser = kEntityRespondingUser, kInit = kEntityInitiatingUser;
  const NeutralRow rows[] = {
      // F-INITIALIZE.
      {O::kLogin, v1::STATUS_NOT_LOGGED_IN, 2, 2020, kUser},
      {O::kLogin, v1::STATUS_PERMISSION_DENIED, 2, 2000, kUser},
      {O::kLogin, v1::STATUS_NO_ROUTE, 2, 2015, kInit},
      {O::kLogin, v1::STATUS_INVALID_ARGUMENT, 2, 2015, kInit},
      {O::kLogin, v1::STATUS_NOT_FOUND, 2, 2015, kInit},
      {O::kLogin, v1::STATUS_UNAVAILABLE, 2, 1011, kUser},
      {O::kLogin, v1::STATUS_RESOURCE_EXHAUSTED, 1, 9, kUser},
      {O::kLogin, v1::STATUS_DEADLINE_EXCEEDED, 1, 1013, kUser},
      // F-READ-ATTRIB.
      {O::kStat, v1::STATUS_NOT_FOUND, 2, 3000, kUser},
      {O::kStat, v1::STATUS_PERMISSION_DENIED, 2, 4001, kUser},
      // F-OPEN / F-READ.
      {O::kRead, v1::STATUS_NOT_FOUND, 2, 3000, kUser},
      {O::kRead, v1::STATUS_PERMISSION_DENIED, 2, 3028, kUser},
      {O::kRead, v1::STATUS_FAILED_PRECONDITION, 2, 5007, kUser},
      {O::kRead, v1::STATUS_INTERNAL, 2, 5027, kUser},
      {O::kRead, v1::STATUS_OUT_OF_RANGE, 2, 5013, kInit},
      {O::kRead, v1::STATUS_ABORTED, 1, 1014, kUser},
      {O::kRead, v1::STATUS_UNAVAILABLE, 2, 1011, kUser},
      // F-CREATE / F-WRITE.
      {O::kWrite, v1::STATUS_ALREADY_EXISTS, 2, 3005, kUser},
      {O::kWrite, v1::STATUS_PERMISSION_DENIED, 2, 3006, kUser},
      {O::kWrite, v1::STATUS_INVALID_ARGUMENT, 2, 3006, kInit},
      {O::kWrite, v1::STATUS_FAILED_PRECONDITION, 2, 3006, kUser},
      {O::kWrite, v1::STATUS_RESOURCE_EXHAUSTED, 2, 5029, kUser},
      {O::kWrite, v1::STATUS_INTERNAL, 2, 5026, kUser},
      {O::kWrite, v1::STATUS_NOT_FOUND, 2, 3000, kUser},
      // F-DELETE.
      {O::kDelete, v1::STATUS_NOT_FOUND, 2, 3000, kUser},
      {O::kDelete, v1::STATUS_PERMISSION_DENIED, 2, 3007, kUser},
      {O::kDelete, v1::STATUS_FAILED_PRECONDITION, 2, 3007, kUser},
      {O::kRemoveDirectory, v1::STATUS_PERMISSION_DENIED, 2, 3007, kUser},
      {O::kRemoveDirectory, v1::STATUS_FAILED_PRECONDITION, 2, 3007, kUser},
      {O::kRemoveDirectory, v1::STATUS_NOT_FOUND, 2, 3000, kUser},
      // F-CREATE of a directory.
      {O::kMakeDirectory, v1::STATUS_ALREADY_EXISTS, 2, 3005, kUser},
      {O::kMakeDirectory, v1::STATUS_PERMISSION_DENIED, 2, 3006, kUser},
      {O::kMakeDirectory, v1::STATUS_INVALID_ARGUMENT, 2, 3006, kInit},
      {O::kMakeDirectory, v1::STATUS_RESOURCE_EXHAUSTED, 2, 5029, kUser},
      // F-CHANGE-ATTRIB filename.
      {O::kRename, v1::STATUS_NOT_FOUND, 2, 3000, kUser},
      {O::kRename, v1::STATUS_PERMISSION_DENIED, 2, 4002, kUser},
      {O::kRename, v1::STATUS_ALREADY_EXISTS, 2, 4002, kUser},
      {O::kRename, v1::STATUS_FAILED_PRECONDITION, 2, 4002, kUser},
      {O::kRename, v1::STATUS_INTERNAL, 2, 4002, kUser},
      {O::kRename, v1::STATUS_INVALID_ARGUMENT, 2, 4005, kInit},
      // Directory reads and checks.
      {O::kList, v1::STATUS_NOT_FOUND, 2, 3000, kUser},
      {O::kList, v1::STATUS_PERMISSION_DENIED, 2, 3028, kUser},
      {O::kList, v1::STATUS_INTERNAL, 2, 5027, kUser},
      {O::kChangeDirectory, v1::STATUS_NOT_FOUND, 2, 3000, kUser},
      {O::kChangeDirectory, v1::STATUS_FAILED_PRECONDITION, 2, 3001, kUser},
      // Any op.
      {O::kOther, v1::STATUS_NOT_FOUND, 2, 3000, kUser},
      {O::kOther, v1::STATUS_ALREADY_EXISTS, 2, 3005, kUser},
      {O::kOther, v1::STATUS_PERMISSION_DENIED, 2, 3028, kUser},
      {O::kOther, v1::STATUS_NOT_LOGGED_IN, 2, 2020, kUser},
      {O::kOther, v1::STATUS_INVALID_ARGUMENT, 2, 1001, kInit},
      {O::kOther, v1::STATUS_FAILED_PRECONDITION, 2, 5017, kUser},
      {O::kOther, v1::STATUS_OUT_OF_RANGE, 2, 5013, kInit},
      {O::kOther, v1::STATUS_UNAVAILABLE, 2, 1011, kUser},
      {O::kOther, v1::STATUS_ABORTED, 1, 1014, kUser},
      {O::kOther, v1::STATUS_UNIMPLEMENTED, 2, 5016, kUser},
      {O::kOther, v1::STATUS_RESOURCE_EXHAUSTED, 1, 9, kUser},
      {O::kOther, v1::STATUS_DEADLINE_EXCEEDED, 1, 1013, kUser},
      {O::kOther, v1::STATUS_INTERNAL, 2, 1, kUser},
      {O::kOther, v1::STATUS_NO_ROUTE, 2, 2015, kInit},
  };
  for (const NeutralRow& row : rows) {
    std::string message = "filestore says " + v1::StatusCode_Name(row.code);
    v1::FtamDiagnostic d = FtamDiagnosticFor(row.op, Neutral(row.code, message));
    SCOPED_TRACE(testing::Message() << "op " << static_cast<int>(row.op) << " "
                                    << v1::StatusCode_Name(row.code));
    EXPECT_EQ(d.diagnostic_type(), row.type);
    EXPECT_EQ(d.error_identifier(), row.id);
    EXPECT_EQ(d.error_observer(), kEntityRespondingUser);
    EXPECT_EQ(d.error_source(), row.source);
    EXPECT_EQ(d.further_details(), message);
  }
}

TEST(NeutralToFtam, EveryFailureCodeGivesAnErrorForEveryOp) {
  for (int c = v1::StatusCode_MIN; c <= v1::StatusCode_MAX; ++c) {
    if (!v1::StatusCode_IsValid(c) || c == v1::STATUS_OK) continue;
    for (int o = 0; o <= static_cast<int>(O::kOther); ++o) {
      v1::FtamDiagnostic d =
          FtamDiagnosticFor(static_cast<O>(o), Neutral(static_cast<v1::StatusCode>(c), "x"));
      EXPECT_NE(d.diagnostic_type(), kInformative) << c << " op " << o;
      EXPECT_NE(d.error_identifier(), 0u) << c << " op " << o;
    }
  }
  v1::FtamDiagnostic ok = FtamDiagnosticFor(O::kRead, v1::Result());
  EXPECT_EQ(ok.diagnostic_type(), kInformative);
  EXPECT_EQ(ok.error_identifier(), 0u);
}

// ---- §9.2: FTAM diagnostic -> FTP reply (the FTP-initiated gateway)

v1::FtamDiagnostic Diagnostic(uint32_t type, uint32_t id, const std::string& details = "") {
  v1::FtamDiagnostic d;
  d.set_diagnostic_type(type);
  d.set_error_identifier(id);
  d.set_error_observer(kEntityRespondingFpm);
  d.set_error_source(kEntityRespondingUser);
  d.set_further_details(details);
  return d;
}

struct FtamRow {
  std::vector<uint32_t> types;
  uint32_t id;
  uint32_t ftp;
};

TEST(FtamToFtp, EveryRowOfRfc1415Section9_2) {
  // RFC 1415 §9.2, transcribed: Type(s), Id, FTP reply code (for no particular command).
  const FtamRow rows[] = {
      {{1, 2}, 0, 421},    {{0}, 1, 211},       {{1, 2}, 1, 421},    {{1, 2}, 2, 421},
      {{0}, 3, 211},       {{1, 2}, 3, 425},    {{0}, 4, 221},       {{2}, 4, 532},
      {{0}, 5, 211},       {{2}, 5, 530},       {{0}, 6, 211},       {{0}, 7, 211},
      {{1, 2}, 7, 421},    {{0}, 8, 211},       {{1, 2}, 8, 421},    {{0}, 9, 211},
      {{1, 2}, 9, 452},    {{1, 2}, 10, 550},   {{1, 2}, 11, 550},   {{2}, 1000, 504},
      {{2}, 1001, 504},    {{2}, 1002, 504},    {{2}, 1003, 504},    {{2}, 1004, 504},
      {{2}, 1005, 504},    {{2}, 1006, 504},    {{2}, 1007, 426},    {{2}, 1008, 426},
      {{2}, 1009, 426},    {{2}, 1010, 426},    {{2}, 1011, 426},    {{1, 2}, 1012, 426},
      {{1, 2}, 1013, 426}, {{1, 2}, 1014, 426}, {{2}, 1015, 503},    {{2}, 1016, 503},
      {{2}, 1017, 503},    {{2}, 2000, 532},    {{2}, 2002, 504},    {{0}, 2003, 211},
      {{2}, 2003, 502},    {{0}, 2004, 211},    {{1, 2}, 2004, 504}, {{2}, 2005, 504},
      {{0}, 2006, 211},    {{2}, 2006, 504},    {{0}, 2007, 211},    {{2}, 2007, 532},
      {{0}, 2008, 211},    {{1, 2}, 2008, 532}, {{2}, 2009, 532},    {{1, 2}, 2010, 532},
      {{0}, 2011, 211},    {{2}, 2011, 426},    {{0}, 2012, 211},    {{2}, 2012, 426},
      {{0}, 2013, 211},    {{2}, 2013, 504},    {{0}, 2014, 211},    {{1, 2}, 2014, 504},
      {{2}, 2015, 532},    {{0}, 2016, 211},    {{0}, 2017, 211},    {{0}, 2018, 211},
      {{0}, 2019, 211},    {{2}, 2020, 530},    {{2}, 2021, 530},    {{1, 2}, 3000, 550},
      {{1, 2}, 3001, 550}, {{2}, 3002, 550},    {{2}, 3003, 550},    {{1, 2}, 3004, 550},
      {{1, 2}, 3005, 553}, {{1, 2}, 3006, 553}, {{1, 2}, 3007, 553}, {{0}, 3008, 211},
      {{2}, 3008, 503},    {{0}, 3009, 211},    {{2}, 3009, 502},    {{0}, 3010, 211},
      {{2}, 3010, 503},    {{0}, 3011, 211},    {{1}, 3011, 450},    {{1, 2}, 3012, 450},
      {{1, 2}, 3013, 450}, {{0}, 3014, 211},    {{1, 2}, 3014, 503}, {{0}, 3015, 211},
      {{1, 2}, 3015, 502}, {{0}, 3016, 211},    {{1, 2}, 3016, 503}, {{0}, 3017, 211},
      {{0}, 3018, 211},    {{1, 2}, 3019, 532}, {{0}, 3020, 211},    {{0}, 3021, 211},
      {{0}, 3022, 211},    {{1, 2}, 3023, 553}, {{1, 2}, 3024, 553}, {{2}, 3025, 550},
      {{2}, 3026, 550},    {{2}, 3027, 550},    {{2}, 3028, 550},    {{2}, 3029, 550},
      {{0}, 3030, 211},    {{1}, 3030, 550},    {{0}, 4000, 211},    {{1, 2}, 4000, 501},
      {{1, 2}, 4001, 504}, {{1, 2}, 4002, 504}, {{1, 2}, 4003, 504}, {{2}, 4004, 501},
      {{2}, 4005, 501},    {{0}, 4006, 211},    {{0}, 4007, 211},    {{1, 2}, 5000, 550},
      {{2}, 5001, 501},    {{2}, 5002, 551},    {{2}, 5003, 501},    {{2}, 5004, 550},
      {{0}, 5005, 550},    {{1}, 5005, 550},    {{0}, 5006, 550},    {{1, 2}, 5006, 550},
      {{1, 2}, 5007, 550}, {{1, 2}, 5008, 550}, {{1, 2}, 5009, 550}, {{1, 2}, 5010, 550},
      {{1, 2}, 5011, 550}, {{1, 2}, 5012, 550}, {{0}, 5013, 550},    {{1, 2}, 5013, 550},
      {{2}, 5014, 550},    {{1, 2}, 5015, 500}, {{1, 2}, 5016, 502}, {{0}, 5017, 211},
      {{2}, 5017, 503},    {{0}, 5018, 211},    {{1, 2}, 5018, 503}, {{0}, 5019, 211},
      {{2}, 5019, 502},    {{0}, 5020, 211},    {{2}, 5020, 503},    {{0}, 5021, 211},
      {{1, 2}, 5021, 503}, {{0}, 5022, 211},    {{2}, 5022, 504},    {{0}, 5023, 211},
      {{2}, 5023, 503},    {{0}, 5024, 211},    {{2}, 5024, 503},    {{0}, 5025, 211},
      {{2}, 5025, 504},    {{1, 2}, 5026, 550}, {{1, 2}, 5027, 550}, {{0}, 5028, 211},
      {{1, 2}, 5028, 451}, {{0}, 5029, 211},    {{1, 2}, 5029, 552}, {{0}, 5030, 211},
      {{1, 2}, 5030, 451}, {{0}, 5031, 211},    {{1, 2}, 5031, 451}, {{2}, 5032, 451},
      {{0}, 5034, 211},    {{0}, 5035, 211},    {{2}, 5035, 503},    {{0}, 5036, 211},
      {{2}, 5036, 503},    {{0}, 5037, 211},    {{0}, 5038, 211},    {{1, 2}, 5039, 553},
      {{1, 2}, 5040, 450}, {{1, 2}, 5041, 450},
  };
  for (const FtamRow& row : rows) {
    for (uint32_t type : row.types) {
      v1::FtpReply reply = FtpReplyFor(O::kOther, Diagnostic(type, row.id, "responder said so"));
      EXPECT_EQ(reply.code(), row.ftp) << "type " << type << " id " << row.id;
      EXPECT_EQ(reply.text(), "responder said so") << row.id;
    }
  }
  EXPECT_EQ(FtamToFtpRows().size(), std::size(rows));
}

struct CommandRow {
  O op;
  uint32_t type;
  uint32_t id;
  uint32_t ftp;
};

TEST(FtamToFtp, ACodeTheCommandCannotGiveBecomesItsFailureOfTheSameClass) {
  const CommandRow rows[] = {
      // RFC 959 §5.4 allows these as they are.
      {O::kRead, 2, 3000, 550},           // RETR missing file
      {O::kRead, 2, 1011, 426},           // RETR, association lost mid-transfer
      {O::kRead, 1, 5041, 450},           // RETR, locked
      {O::kRead, 1, 5028, 451},           // RETR, local failure
      {O::kWrite, 2, 3005, 553},          // STOR over an existing file
      {O::kWrite, 2, 5029, 552},          // STOR, filespace exhausted
      {O::kWrite, 1, 9, 452},             // STOR, temporal insufficiency
      {O::kLogin, 2, 2020, 530},          // PASS, invalid filestore password
      {O::kLogin, 1, 0, 421},             // no reason: service not available
      {O::kDelete, 2, 3000, 550},         // DELE missing file
      {O::kRename, 2, 3005, 553},         // RNTO onto an existing name
      {O::kStat, 2, 4003, 504},           // MLST attribute not supported
      {O::kList, 1, 3012, 450},           // LIST, directory busy
      // Replaced: not a reply RFC 959 lets the command give.
      {O::kDelete, 2, 3007, 550},         // DELE: 553 is not a DELE reply
      {O::kDelete, 1, 3007, 550},       // the table's class (553) decides, not the type
      {O::kMakeDirectory, 2, 3005, 550},  // MKD: 553 -> 550
      {O::kMakeDirectory, 2, 3006, 550},
      {O::kRemoveDirectory, 2, 3007, 550},
      {O::kChangeDirectory, 1, 3013, 550},  // CWD has no 450
      {O::kWrite, 2, 3000, 553},          // STOR has no 550
      {O::kWrite, 2, 3028, 553},
      {O::kWrite, 2, 4003, 553},          // 504 is no STOR reply
      {O::kRead, 2, 3024, 550},           // RETR has no 553
      {O::kRead, 2, 2020, 530},
      {O::kLogin, 2, 2008, 530},          // 532 is no USER/PASS reply
      {O::kLogin, 2, 2000, 530},
      {O::kLogin, 2, 3000, 530},
      {O::kLogin, 2, 1011, 421},          // 426 at login: service not available
      {O::kRename, 2, 4002, 553},         // F-CHANGE-ATTRIB refused: 504 -> 553
      {O::kRename, 2, 3000, 550},         // RNFR missing file
      {O::kStat, 2, 3005, 550},
      {O::kList, 2, 5016, 502},
      {O::kList, 2, 3024, 550},
  };
  for (const CommandRow& row : rows) {
    v1::FtpReply reply = FtpReplyFor(row.op, Diagnostic(row.type, row.id, "why"));
    EXPECT_EQ(reply.code(), row.ftp) << "op " << static_cast<int>(row.op) << " type " << row.type
                                     << " id " << row.id;
    EXPECT_TRUE(ReplyAllowedFor(row.op, reply.code())) << reply.code();
  }
}

TEST(FtamToFtp, IdentifiersTheTableDoesNotNameForThatType) {
  // The same identifier's row for the other error type: 1011 is only listed as permanent.
  EXPECT_EQ(FtpReplyFor(O::kOther, Diagnostic(kTransient, 1011)).code(), 426u);
  EXPECT_EQ(FtpReplyFor(O::kOther, Diagnostic(kPermanent, 3011)).code(), 450u);
  // Identifiers it never names: the command's failure code for the class.
  EXPECT_EQ(FtpReplyFor(O::kRead, Diagnostic(kPermanent, 6000)).code(), 550u);
  EXPECT_EQ(FtpReplyFor(O::kRead, Diagnostic(kTransient, 6000)).code(), 450u);
  EXPECT_EQ(FtpReplyFor(O::kWrite, Diagnostic(kPermanent, 2001)).code(), 553u);
  EXPECT_EQ(FtpReplyFor(O::kWrite, Diagnostic(kTransient, 2001)).code(), 451u);
  EXPECT_EQ(FtpReplyFor(O::kLogin, Diagnostic(kPermanent, 9999)).code(), 530u);
  EXPECT_EQ(FtpReplyFor(O::kOther, Diagnostic(kPermanent, 9999)).code(), 550u);
  EXPECT_EQ(FtpReplyFor(O::kOther, Diagnostic(kTransient, 9999)).code(), 451u);
  EXPECT_EQ(FtpReplyFor(O::kOther, Diagnostic(kInformative, 9999)).code(), 211u);
  // A type ISO 8571-3 does not define is taken as the severest.
  EXPECT_EQ(FtpReplyFor(O::kRead, Diagnostic(7, 3000)).code(), 550u);
}

TEST(FtamToFtp, TheRespondersTextReachesTheFtpUser) {
  v1::FtpReply reply =
      FtpReplyFor(O::kRead, Diagnostic(kPermanent, 3000, "/pub/x.txt: no such file on VMS"));
  EXPECT_EQ(reply.code(), 550u);
  EXPECT_EQ(reply.text(), "/pub/x.txt: no such file on VMS");
  // Without details, the reason RFC 1415 §9.2 names.
  EXPECT_EQ(FtpReplyFor(O::kRead, Diagnostic(kPermanent, 3000)).text(), "Filename not found");
  EXPECT_EQ(FtpReplyFor(O::kRead, Diagnostic(kPermanent, 6000)).text(), "FTAM diagnostic 6000");
  // Line breaks cannot end the reply early: they become spaces; the text is bounded.
  EXPECT_EQ(FtpReplyFor(O::kRead, Diagnostic(kPermanent, 3000, "a\r\n550 b\n")).text(),
            "a  550 b");
  std::string huge(5000, 'x');
  EXPECT_EQ(FtpReplyFor(O::kRead, Diagnostic(kPermanent, 3000, huge)).text().size(), kMaxReplyText);
}

TEST(FtamToFtp, RoundTripKeepsTheFarText) {
  // FTP server -> (9.1) FTAM diagnostic -> (9.2) FTP reply, as an FTP->FTAM->FTP relay does
  // it: the text survives. The tables are not inverses: 550 -> 3013 "file not available"
  // -> 450, as the RFC prints them.
  v1::FtamDiagnostic d =
      FtamDiagnosticFor(O::kRead, FtpFailure(v1::STATUS_NOT_FOUND, 550, "x: No such file"));
  v1::FtpReply reply = FtpReplyFor(O::kRead, d);
  EXPECT_EQ(reply.code(), 450u);
  EXPECT_EQ(reply.text(), "x: No such file");
}

TEST(FtamToFtp, ReasonsCoverEveryIdentifierTheTableNames) {
  std::set<uint32_t> ids;
  for (const FtamToFtpRow& row : FtamToFtpRows()) ids.insert(row.identifier);
  for (uint32_t id : ids) EXPECT_FALSE(FtamErrorReason(id).empty()) << id;
  EXPECT_EQ(FtamErrorReason(ftam_error::kFilenameNotFound), "Filename not found");
  EXPECT_TRUE(FtamErrorReason(6000).empty());
}

}  // namespace
}  // namespace gw::bridge
