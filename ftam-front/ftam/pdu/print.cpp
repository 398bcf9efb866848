#include "ftam/pdu/print.h"

#include <algorithm>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "ftam/pdu/diagnostics.h"

namespace gw::ftam {
namespace {

std::string Fmt(int64_t v) { return absl::StrCat(v); }
std::string Fmt(bool v) { return v ? "true" : "false"; }
std::string Fmt(const NamedBits& b) {
  std::string s = "{";
  bool first = true;
  for (int k = 0; k < 64; ++k) {
    if (!b.Test(k)) continue;
    absl::StrAppend(&s, first ? "" : ",", k);
    first = false;
  }
  return s + "}";
}
std::string Fmt(const std::string& v) { return absl::StrCat("\"", absl::CHexEscape(v), "\""); }
std::string Fmt(const Time& t) { return t.ToIso8601(); }
std::string Fmt(const RawValue& v) { return absl::StrCat("<", v.contents.size(), " octets>"); }
std::string Fmt(const Oid& o) { return o.ToString(); }
std::string Fmt(const ContentsType& c) {
  if (!c.is_document_type) return absl::StrCat(Fmt(c.constraint_set_name), "/", Fmt(c.abstract_syntax_name));
  std::string s = Fmt(c.document_type_name);
  if (c.parameter) absl::StrAppend(&s, "(param ", absl::BytesToHexString(*c.parameter), ")");
  return s;
}
std::string Fmt(const OpenContentsType& c) { return c.unknown ? "unknown" : absl::StrCat("proposed ", Fmt(c.proposed)); }
std::string Fmt(const ContentsTypeList& l) {
  std::string s = "[";
  for (size_t i = 0; i < l.size(); ++i) absl::StrAppend(&s, i ? " " : "", Fmt(l[i].name));
  return s + "]";
}
std::string Fmt(const Password&) { return "<password>"; }  // never printed
std::string Fmt(const ConcurrencyControl& c) {
  std::string s = "[";
  for (size_t i = 0; i < 8; ++i) absl::StrAppend(&s, i ? " " : "", c.lock[i]);
  return s + "]";
}
std::string Fmt(const FaduIdentity& f) {
  static constexpr const char* kKinds[] = {"first-last", "relative", "begin-end", "single-name", "name-list", "fadu-number"};
  return absl::StrCat(kKinds[f.kind % 6], ":", f.value);
}
std::string Fmt(const AccessContext& a) { return absl::StrCat(a.context); }
std::string Fmt(const Pathname& p) {
  std::string s;
  for (size_t i = 0; i < p.size(); ++i) absl::StrAppend(&s, i ? "/" : "", p[i]);
  return s;
}
template <typename T, Tag K>
std::string Fmt(const Valued<T, K>& v) { return v.no_value ? "no-value" : Fmt(v.value); }

std::string Fmt(const Attributes& a);
std::string Fmt(const Diagnostic& d);
std::string Fmt(const Charging& c);

template <typename T>
std::string FieldsInline(const T& v) {
  std::string s;
  auto visit = [&](const char* name, Tag, const auto& m) {
    if (m) absl::StrAppend(&s, s.empty() ? "" : " ", name, "=", Fmt(*m));
  };
  T::Fields(v, visit);
  return s;
}

}  // namespace

std::string FormatAttributes(const Attributes& a) { return absl::StrCat("{", FieldsInline(a), "}"); }
std::string FormatDiagnostic(const Diagnostic& d) {
  std::string s;
  for (const auto& e : d) {
    const char* name = e.error_identifier ? ErrorIdentifierName(*e.error_identifier) : nullptr;
    absl::StrAppend(&s, s.empty() ? "" : "; ", "type=", e.diagnostic_type.value_or(-1),
                    " id=", e.error_identifier.value_or(-1), name ? absl::StrCat("(", name, ")") : "",
                    " observer=", e.error_observer.value_or(-1), " source=", e.error_source.value_or(-1));
    if (e.suggested_delay) absl::StrAppend(&s, " delay=", *e.suggested_delay);
    if (e.further_details) absl::StrAppend(&s, " \"", absl::CHexEscape(*e.further_details), "\"");
  }
  return s;
}

namespace {
std::string Fmt(const Attributes& a) { return FormatAttributes(a); }
std::string Fmt(const Diagnostic& d) { return absl::StrCat("[", FormatDiagnostic(d), "]"); }
std::string Fmt(const Charging& c) {
  std::string s = "[";
  for (const auto& e : c) absl::StrAppend(&s, FieldsInline(e), ";");
  return s + "]";
}

// Indentation without a string per line.
std::ostream& Indent(std::ostream& os, int n) {
  static constexpr char kSpaces[] = "                                                                ";
  for (; n > 0; n -= static_cast<int>(sizeof kSpaces - 1))
    os.write(kSpaces, std::min<std::streamsize>(n, sizeof kSpaces - 1));
  return os;
}

template <typename T>
void Tree(std::ostream& os, const T& v, int indent) {
  auto visit = [&](const char* name, Tag, const auto& m) {
    if (!m) return;
    using M = std::decay_t<decltype(*m)>;
    Indent(os, indent) << name << ":";
    if constexpr (std::is_same_v<M, Attributes>) {
      os << "\n";
      Tree(os, *m, indent + 2);
    } else if constexpr (std::is_same_v<M, Diagnostic>) {
      os << "\n";
      for (const auto& e : *m) {
        Indent(os, indent + 2) << "-\n";
        Tree(os, e, indent + 4);
      }
    } else {
      os << " " << Fmt(*m) << "\n";
    }
  };
  T::Fields(v, visit);
}
}  // namespace

std::string Summary(const Pdu& p) {
  return std::visit(
      [](const auto& v) {
        std::string f = FieldsInline(v);
        return f.empty() ? std::string(std::decay_t<decltype(v)>::kName)
                         : absl::StrCat(std::decay_t<decltype(v)>::kName, " ", f);
      },
      p);
}

void PrintTree(std::ostream& os, const Pdu& p, int indent) {
  std::visit(
      [&](const auto& v) {
        Indent(os, indent) << std::decay_t<decltype(v)>::kName << "\n";
        Tree(os, v, indent + 2);
      },
      p);
}

}  // namespace gw::ftam
