#include <chatport/chat/types.h>

#include "utf8.h"

namespace chatport::chat {
namespace {

// C0, DEL and C1 (Unicode general category Cc), plus the line and paragraph separators, which
// would break a name across lines just as a newline would.
bool isControl(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

// Characters that show as nothing or as blank space: a name made only of these is invisible.
bool isBlank(char32_t cp) {
  return cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200D) ||
         cp == 0x202F || cp == 0x205F || cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF;
}

}  // namespace

std::string_view errorName(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::PortInUse: return "port_in_use";
    case ErrorCode::BindFailed: return "bind_failed";
    case ErrorCode::ConnectionRefused: return "connection_refused";
    case ErrorCode::HostUnreachable: return "host_unreachable";
    case ErrorCode::ConnectTimedOut: return "connect_timed_out";
    case ErrorCode::NameTaken: return "name_taken";
    case ErrorCode::InvalidName: return "invalid_name";
    case ErrorCode::VersionMismatch: return "version_mismatch";
    case ErrorCode::RoomFull: return "room_full";
    case ErrorCode::HostClosed: return "host_closed";
    case ErrorCode::Kicked: return "kicked";
    case ErrorCode::TooSlow: return "too_slow";
    case ErrorCode::RateLimited: return "rate_limited";
    case ErrorCode::MessageTooLong: return "message_too_long";
    case ErrorCode::InvalidText: return "invalid_text";
    case ErrorCode::UnknownRecipient: return "unknown_recipient";
    case ErrorCode::NotAllowed: return "not_allowed";
    case ErrorCode::NotConnected: return "not_connected";
    case ErrorCode::ProtocolError: return "protocol_error";
    case ErrorCode::ConnectionLost: return "connection_lost";
    case ErrorCode::Left: return "left";
  }
  return "unknown";
}

std::string_view leaveReasonName(LeaveReason reason) noexcept {
  switch (reason) {
    case LeaveReason::Quit: return "quit";
    case LeaveReason::Timeout: return "timeout";
    case LeaveReason::Kicked: return "kicked";
    case LeaveReason::Error: return "error";
    case LeaveReason::TooSlow: return "too_slow";
  }
  return "unknown";
}

std::optional<ErrorCode> validateName(std::string_view name) {
  std::size_t count = 0;
  bool control = false;
  bool visible = false;
  const bool utf8 = detail::forEachCodePoint(name, [&](char32_t cp) {
    ++count;
    control |= isControl(cp);
    visible |= !isBlank(cp);
  });
  if (!utf8 || count == 0 || count > kMaxNameCodePoints || control || !visible)
    return ErrorCode::InvalidName;
  return std::nullopt;
}

std::optional<ErrorCode> validateText(std::string_view text) {
  if (text.size() > kMaxMessageBytes) return ErrorCode::MessageTooLong;
  if (!detail::isValidUtf8(text)) return ErrorCode::InvalidText;
  return std::nullopt;
}

}  // namespace chatport::chat
