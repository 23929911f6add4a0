#include <chatport/chat/types.h>

#include "name_rules.h"
#include "utf8.h"

#include <algorithm>
#include <array>

namespace chatport::chat {
namespace {

// Combining marks one character may carry: enough for any script's letters, too few to stack
// a name into a smear over its neighbours' lines.
constexpr int kMaxMarksInARow = 4;

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
    case ErrorCode::WrongPassword: return "wrong_password";
    case ErrorCode::PasswordRequired: return "password_required";
    case ErrorCode::HostKeyChanged: return "host_key_changed";
    case ErrorCode::NotAnnouncedRoom: return "not_announced_room";
    case ErrorCode::Banned: return "banned";
    case ErrorCode::HandshakeFailed: return "handshake_failed";
    case ErrorCode::DataFolder: return "data_folder";
    case ErrorCode::HistoryUnavailable: return "history_unavailable";
    case ErrorCode::FileUnreadable: return "file_unreadable";
    case ErrorCode::FileTooLarge: return "file_too_large";
    case ErrorCode::TransferBusy: return "transfer_busy";
    case ErrorCode::UnknownTransfer: return "unknown_transfer";
    case ErrorCode::InvalidPicture: return "invalid_picture";
    case ErrorCode::RulesNotKept: return "rules_not_kept";
  }
  return "unknown";
}

std::string_view transferFailureName(TransferFailure failure) noexcept {
  switch (failure) {
    case TransferFailure::Declined: return "declined";
    case TransferFailure::Cancelled: return "cancelled";
    case TransferFailure::CancelledByPeer: return "cancelled_by_peer";
    case TransferFailure::PeerLeft: return "peer_left";
    case TransferFailure::HashMismatch: return "hash_mismatch";
    case TransferFailure::TooLarge: return "too_large";
    case TransferFailure::Busy: return "busy";
    case TransferFailure::WriteFailed: return "write_failed";
    case TransferFailure::ReadFailed: return "read_failed";
    case TransferFailure::SessionEnded: return "session_ended";
    case TransferFailure::ProtocolError: return "protocol_error";
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
    case LeaveReason::TooFast: return "too_fast";
  }
  return "unknown";
}

std::string_view presenceName(Presence presence) noexcept {
  switch (presence) {
    case Presence::Available: return "available";
    case Presence::Away: return "away";
    case Presence::Busy: return "busy";
  }
  return "unknown";
}

bool isPicture(std::span<const std::byte> bytes) noexcept {
  if (bytes.empty()) return true;
  if (bytes.size() > kMaxPictureBytes) return false;
  constexpr std::array<unsigned char, 8> kPng{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  constexpr std::array<unsigned char, 3> kJpeg{0xFF, 0xD8, 0xFF};
  const auto startsWith = [&](const auto& signature) {
    return bytes.size() >= signature.size() &&
           std::equal(signature.begin(), signature.end(), bytes.begin(),
                      [](unsigned char a, std::byte b) { return a == static_cast<unsigned char>(b); });
  };
  return startsWith(kPng) || startsWith(kJpeg);
}

std::optional<ErrorCode> validateName(std::string_view name) {
  using detail::NameChar;
  std::size_t count = 0;
  bool refused = false;
  NameChar previous = NameChar::Blank;  // the start of a name is like a blank: nothing to sit on
  int marks = 0;
  const bool utf8 = detail::forEachCodePoint(name, [&](char32_t cp) {
    const NameChar c = detail::classifyNameChar(cp);
    switch (c) {
      case NameChar::Refused: refused = true; break;
      case NameChar::Blank: refused |= count == 0; break;  // no leading blanks
      case NameChar::Mark: refused |= previous == NameChar::Blank || ++marks > kMaxMarksInARow; break;
      case NameChar::Variation: refused |= previous != NameChar::Visible; break;
      case NameChar::Visible: break;
    }
    if (c != NameChar::Mark) marks = 0;
    previous = c;
    ++count;
  });
  // previous is the last character: no trailing blanks (which also refuses a blank name).
  if (!utf8 || count == 0 || count > kMaxNameCodePoints || refused || previous == NameChar::Blank)
    return ErrorCode::InvalidName;
  return std::nullopt;
}

std::optional<ErrorCode> validateText(std::string_view text) {
  if (text.size() > kMaxMessageBytes) return ErrorCode::MessageTooLong;
  if (!detail::isValidUtf8(text)) return ErrorCode::InvalidText;
  return std::nullopt;
}

}  // namespace chatport::chat
