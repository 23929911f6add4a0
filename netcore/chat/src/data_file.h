#pragma once
// Files in the data folder (KeyStore, RecentRooms): UTF-8 paths on every platform, replaced
// whole, and keys written as hex.

#include <array>
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace chatport::chat::data_file {

/// Folder and file names are UTF-8 everywhere in ChatPort; a path made from a narrow string
/// would read them in the Windows code page.
std::filesystem::path pathOf(std::string_view utf8);
std::string utf8Of(const std::filesystem::path& path);
/// The file called name in dataFolder (empty: KeyStore::defaultDataFolder()).
std::filesystem::path fileIn(const std::string& dataFolder, std::string_view name);

/// Writes text to path whole: a temporary file beside it, owner-only, then renamed over it.
/// The temporary name is this write's own, so two programs sharing the folder never write
/// into one file (the later rename wins whole). False with error set for a person.
bool replaceFile(const std::filesystem::path& path, const std::string& text, std::string& error);

std::string toHex(std::span<const std::byte> bytes);
/// False unless hex is exactly 64 hex digits.
bool fromHex(std::string_view hex, std::span<std::byte, 32> out);

}  // namespace chatport::chat::data_file
