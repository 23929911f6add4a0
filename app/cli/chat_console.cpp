#include "chat_console.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>

namespace chatport::cli {

using namespace chatport::chat;

namespace {

// "WORD rest" -> WORD, and rest without the separating spaces.
std::pair<std::string, std::string> firstWord(std::string_view s) {
  const auto start = s.find_first_not_of(' ');
  if (start == std::string_view::npos) return {};
  s = s.substr(start);
  const auto space = s.find(' ');
  if (space == std::string_view::npos) return {std::string(s), {}};
  std::string_view rest = s.substr(space);
  const auto restStart = rest.find_first_not_of(' ');
  return {std::string(s.substr(0, space)),
          restStart == std::string_view::npos ? std::string() : std::string(rest.substr(restStart))};
}

int exitCodeFor(ErrorCode reason) {
  switch (reason) {
    case ErrorCode::Left:
    case ErrorCode::HostClosed:
    case ErrorCode::Kicked: return kExitOk;
    default: return kExitNetwork;
  }
}

}  // namespace

ChatConsole::ChatConsole(const CommandLine& options, ChatCore& core, InputInbox& inbox,
                         EventPrinter& printer, std::string password)
    : options_(options), core_(core), inbox_(inbox), printer_(printer), password_(std::move(password)),
      mayAskPassword_(options.role == Role::Joiner && Terminal::stdinIsTerminal() &&
                      Terminal::canHideWhileReading()),
      pace_(options.role == Role::Joiner && !Terminal::stdinIsTerminal()) {}

void ChatConsole::startSession() {
  state_.starting(options_.role, options_.name);
  if (options_.role == Role::Host) {
    core_.submit(HostCommand{options_.name, options_.bindAddress, options_.port, password_, options_.announce,
                             options_.anyPortIfTaken, options_.discovery});
  } else {
    core_.submit(JoinCommand{options_.name, options_.host, options_.port, password_, options_.acceptNewHostKey,
                             options_.expectedHostKey});
  }
}

int ChatConsole::run() {
  startSession();

  std::vector<Event> batch;
  std::optional<SendPacer::Clock::time_point> sendNext;  // a paced line waits until then
  while (!finished_) {
    InputInbox::Taken taken = inbox_.wait(sendNext);
    sendNext.reset();
    if (taken.quit) {
      if (passwordPrompt_) {
        passwordPrompt_.reset();  // no session to leave: the join was refused
        finished_ = true;
        break;
      }
      leave();
    }
    if (taken.endOfInput) endOfInput_ = true;
    for (auto& line : taken.lines) {
      if (passwordPrompt_)
        passwordTyped(std::move(line));
      else
        held_.push_back(std::move(line));
    }
    if (passwordPrompt_ && endOfInput_) {
      passwordPrompt_.reset();
      finished_ = true;
      break;
    }

    // Drain until empty: that re-arms the core's wake callback.
    while (core_.drainEvents(batch, 256) > 0) {
      for (const auto& event : batch) onEvent(event);
      batch.clear();
    }
    // Held lines wait for the client list too: /msg and /kick look names up in it.
    if (state_.phase() == ClientState::Phase::Connected && state_.haveList() && !leaving_) {
      while (!held_.empty() && !leaving_) {
        if (!held_.front().empty() && !pacer_.take(SendPacer::Clock::now())) {
          sendNext = pacer_.nextAt();
          break;
        }
        const std::string line = std::move(held_.front());
        held_.pop_front();
        onLine(line);
      }
      if (endOfInput_ && !options_.stay && held_.empty() && transfersOver()) leave();
    }
    printer_.flush();
  }
  printer_.flush();
  return exitCode_;
}

void ChatConsole::onEvent(const Event& event) {
  state_.apply(event);
  printer_.print(event);
  onFileEvent(event);
  std::visit(
      [this](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, ConnectedEvent>) {
          if (pace_) pacer_.setLimit(e.sendRate, e.sendBurst, SendPacer::Clock::now());
        } else if constexpr (std::is_same_v<E, BansEvent>) {
          banned_ = e.banned;
        } else if constexpr (std::is_same_v<E, RateLimitEvent>) {
          // The host lifted this side's limit, or put it back.
          if (pace_ && e.who == state_.self()) pacer_.setLimit(e.sendRate, e.sendBurst, SendPacer::Clock::now());
        } else if constexpr (std::is_same_v<E, DisconnectedEvent>) {
          if (!e.willReconnect) {
            exitCode_ = exitCodeFor(e.reason);
            if (!held_.empty() && e.reason != ErrorCode::Left)
              printer_.localError("not_sent", std::to_string(held_.size()) + " lines read were not sent");
            const bool passwordRefused =
                e.reason == ErrorCode::PasswordRequired || e.reason == ErrorCode::WrongPassword;
            if (passwordRefused && mayAskPassword_ && !leaving_ && !endOfInput_ && passwordPrompts_ < kPasswordPrompts)
              askForPassword();
            else
              finished_ = true;
          }
        }
      },
      event);
}

void ChatConsole::onFileEvent(const Event& event) {
  if (const auto* offer = std::get_if<FileOfferEvent>(&event)) {
    if (offer->outgoing) {
      if (sendsUnanswered_ > 0 && !offer->resumed) --sendsUnanswered_;  // the answer to a /send
      if (offer->to != kNoClient) offersOpen_.insert(offer->id);
    } else if (!options_.acceptFilesInto.empty()) {
      core_.submit(AcceptFileCommand{offer->id, options_.acceptFilesInto});
    }
  } else if (const auto* p = std::get_if<FileProgressEvent>(&event)) {
    transfers_.emplace(p->id, p->peer, p->outgoing);
  } else if (const auto* done = std::get_if<FileDoneEvent>(&event)) {
    offersOpen_.erase(done->id);
    std::erase_if(transfers_, [&](const auto& t) { return std::get<0>(t) == done->id && std::get<2>(t) == done->outgoing; });
  } else if (const auto* failed = std::get_if<FileFailedEvent>(&event)) {
    offersOpen_.erase(failed->id);
    std::erase_if(transfers_, [&](const auto& t) {
      return std::get<0>(t) == failed->id && std::get<2>(t) == failed->outgoing &&
             (failed->peer == kNoClient || std::get<1>(t) == failed->peer || !failed->outgoing);
    });
  } else if (const auto* error = std::get_if<ErrorEvent>(&event)) {
    switch (error->code) {
      case ErrorCode::FileUnreadable:
      case ErrorCode::FileTooLarge:
      case ErrorCode::TransferBusy:
      case ErrorCode::UnknownRecipient:
      case ErrorCode::NotConnected:
      case ErrorCode::ConnectionLost:
        if (sendsUnanswered_ > 0) --sendsUnanswered_;
        break;
      default: break;
    }
  } else if (const auto* gone = std::get_if<DisconnectedEvent>(&event); gone && !gone->willReconnect) {
    sendsUnanswered_ = 0;
    offersOpen_.clear();
    transfers_.clear();
  }
}

void ChatConsole::askForPassword() {
  ++passwordPrompts_;
  printer_.flush();
  const std::string where = options_.host.find(':') != std::string::npos
                                ? "[" + options_.host + "]:" + std::to_string(options_.port)
                                : options_.host + ":" + std::to_string(options_.port);
  // Echo off before the prompt shows: what is typed after it is never echoed.
  passwordPrompt_ = std::make_unique<Terminal::EchoOff>();
  std::fputs(("Password for the room at " + where + " (an empty line gives up): ").c_str(), stderr);
  std::fflush(stderr);
}

void ChatConsole::passwordTyped(std::string password) {
  passwordPrompt_.reset();
  if (password.empty()) {
    finished_ = true;  // with the refusal's exit status
    return;
  }
  password_ = std::move(password);
  startSession();
}

void ChatConsole::leave() {
  if (leaving_) return;
  leaving_ = true;
  core_.submit(LeaveCommand{});
}

void ChatConsole::submitPicture(const std::string& path) {
  SetPictureCommand command;  // no path: none
  if (!path.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      printer_.localError("file_unreadable", "cannot read " + path);
      return;
    }
    // One byte over the limit is enough for the core to say it is too large.
    command.picture.resize(kMaxPictureBytes + 1);
    in.read(reinterpret_cast<char*>(command.picture.data()), static_cast<std::streamsize>(command.picture.size()));
    command.picture.resize(static_cast<std::size_t>(in.gcount()));
    if (command.picture.empty()) command.picture.push_back(std::byte{0});  // an empty file is no picture either
  }
  core_.submit(std::move(command));
}

void ChatConsole::onLine(const std::string& line) {
  if (line.empty()) return;
  if (line[0] != '/') {
    core_.submit(SendCommand{line});
    return;
  }
  if (line.size() > 1 && line[1] == '/') {  // "//text" sends "/text"
    core_.submit(SendCommand{line.substr(1)});
    return;
  }
  const auto [command, rest] = firstWord(std::string_view(line).substr(1));
  if (command == "quit") {
    leave();
  } else if (command == "who") {
    std::vector<Participant> list;
    for (const auto& [id, p] : state_.roster()) list.push_back(p);
    printer_.printList(list);
  } else if (command == "away" || command == "busy" || command == "back") {
    if (!rest.empty()) {
      printer_.localError("usage", "/" + command);
      return;
    }
    core_.submit(SetPresenceCommand{command == "away"   ? Presence::Away
                                    : command == "busy" ? Presence::Busy
                                                        : Presence::Available});
  } else if (command == "picture") {
    submitPicture(rest);
  } else if (command == "bans") {
    printer_.printBans(banned_);
  } else if (command == "unban") {
    if (rest.empty()) {
      printer_.localError("usage", "/unban NICK|FINGERPRINT");
      return;
    }
    // By their key's fingerprint, or by the name they were banned under (as /bans shows both).
    // Two people banned under one name are told apart by their fingerprints, never guessed at.
    const BannedPerson* named = nullptr;
    std::size_t sameName = 0;
    for (const auto& b : banned_) {
      if (b.fingerprint == rest) {
        named = &b;
        sameName = 1;
        break;
      }
      if (b.name == rest && sameName++ == 0) named = &b;
    }
    if (!named)
      printer_.localError("unknown_recipient", "nobody called " + rest + " is banned (/bans lists who is)");
    else if (sameName > 1)
      printer_.localError("ambiguous_name", std::to_string(sameName) + " people banned were called " + rest +
                                                ": /unban FINGERPRINT lets one join again (/bans shows them)");
    else
      core_.submit(UnbanCommand{named->fingerprint});
  } else if (command == "nick") {
    if (rest.empty()) {
      printer_.localError("usage", "/nick NEW");
      return;
    }
    state_.renaming(rest);
    core_.submit(RenameCommand{rest});
  } else if (command == "msg" || command == "kick" || command == "ban" || command == "exempt" ||
             command == "unexempt") {
    const auto [nick, text] = firstWord(rest);
    if (nick.empty() || (command == "msg" && text.empty())) {
      printer_.localError("usage", command == "msg" ? "/msg NICK TEXT" : "/" + command + " NICK");
      return;
    }
    const Participant* who = state_.findByName(nick);
    if (!who) {
      printer_.localError("unknown_recipient", "nobody here is called " + nick);
      return;
    }
    if (command == "msg")
      core_.submit(PrivateCommand{who->id, text});
    else if (command == "exempt" || command == "unexempt")
      core_.submit(ExemptCommand{who->id, command == "exempt"});
    else
      core_.submit(KickCommand{who->id, command == "ban"});
  } else if (command == "send") {
    // The path may hold spaces: a last word that names someone here is the recipient.
    std::string path = rest;
    ClientId to = kNoClient;
    if (const auto space = rest.rfind(' '); space != std::string::npos) {
      if (const Participant* who = state_.findByName(std::string_view(rest).substr(space + 1))) {
        to = who->id;
        path = rest.substr(0, space);
      }
    }
    if (path.empty()) {
      printer_.localError("usage", "/send PATH [NICK]");
      return;
    }
    ++sendsUnanswered_;
    core_.submit(SendFileCommand{to, path});
  } else if (command == "accept" || command == "decline" || command == "cancel" || command == "pause" ||
             command == "resume") {
    // accept: ID [DIR]; decline: ID; cancel, pause, resume: ID [NICK] (a sender's copy for NICK).
    const auto [number, more] = firstWord(rest);
    TransferId id = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), id);
    if (number.empty() || ec != std::errc{} || end != number.data() + number.size() ||
        (command == "decline" && !more.empty())) {
      printer_.localError("usage", command == "accept"    ? "/accept ID [DIR]"
                                   : command == "decline" ? "/decline ID"
                                                          : "/" + command + " ID [NICK]");
      return;
    }
    ClientId peer = kNoClient;
    if (command != "accept" && !more.empty()) {
      const Participant* who = state_.findByName(more);
      if (!who) {
        printer_.localError("unknown_recipient", "nobody here is called " + more);
        return;
      }
      peer = who->id;
    }
    if (command == "accept")
      core_.submit(AcceptFileCommand{id, more.empty() ? std::string(".") : more});
    else if (command == "decline")
      core_.submit(DeclineFileCommand{id});
    else if (command == "cancel")
      core_.submit(CancelFileCommand{id, peer});
    else
      core_.submit(PauseFileCommand{id, command == "pause", peer});
  } else {
    printer_.localError("unknown_command", "unknown command /" + command +
                                               " (try /msg, /who, /nick, /away, /send, /accept, /kick, /ban, /quit)");
  }
}

}  // namespace chatport::cli
