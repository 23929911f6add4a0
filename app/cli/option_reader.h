#pragma once
// chatport-cli's arguments one at a time, for its parsers: an option's value follows it
// ("--port 5150") or is in it ("--port=5150").

#include <cstddef>
#include <string>
#include <vector>

namespace chatport::cli {

class OptionReader {
 public:
  explicit OptionReader(const std::vector<std::string>& args) : args_(args) {}

  /// Moves to the next argument; false after the last.
  bool next() {
    if (at_ >= args_.size()) return false;
    raw_ = &args_[at_++];
    arg_ = *raw_;
    value_.clear();
    inlineValue_ = false;
    if (const auto eq = arg_.find('='); arg_.rfind("--", 0) == 0 && eq != std::string::npos) {
      value_ = arg_.substr(eq + 1);
      arg_.erase(eq);
      inlineValue_ = true;
    }
    return true;
  }
  /// The argument: an option's name without its "=value", anything else as it was given.
  const std::string& arg() const noexcept { return arg_; }
  /// The argument as it was given.
  const std::string& raw() const noexcept { return *raw_; }
  /// The option's value, from "--name=value" or the argument after it; false with error set
  /// when there is none.
  bool value(std::string& out, std::string& error) {
    if (!inlineValue_) {
      if (at_ >= args_.size()) {
        error = arg_ + " needs a value";
        return false;
      }
      value_ = args_[at_++];
    }
    out = value_;
    return true;
  }

 private:
  const std::vector<std::string>& args_;
  std::size_t at_ = 0;
  const std::string* raw_ = nullptr;
  std::string arg_;
  std::string value_;
  bool inlineValue_ = false;
};

}  // namespace chatport::cli
