// Human-readable rendering of FTAM PDUs for the decode tool and test failure messages:
// a one-line summary (all present members, compact) and an indented tree.
#pragma once

#include <ostream>
#include <string>

#include "ftam/pdu/pdu.h"

namespace gw::ftam {

std::string Summary(const Pdu& p);
void PrintTree(std::ostream& os, const Pdu& p, int indent = 0);
std::string FormatDiagnostic(const Diagnostic& d);
std::string FormatAttributes(const Attributes& a);

}  // namespace gw::ftam
