# Every dependency comes from Debian's packages (scripts/install-deps.sh installs them).
find_package(Threads REQUIRED)

if(CMAKE_CROSSCOMPILING AND WIN32)
  # Debian ships spdlog and fmt for Linux only; their headers serve the Windows build in
  # header-only mode. A private include folder exposes just those two, never /usr/include.
  set(_hdrs "${CMAKE_BINARY_DIR}/third_party_headers")
  file(MAKE_DIRECTORY "${_hdrs}")
  foreach(_lib spdlog fmt)
    if(NOT EXISTS "${_hdrs}/${_lib}")
      file(CREATE_LINK "/usr/include/${_lib}" "${_hdrs}/${_lib}" SYMBOLIC)
    endif()
  endforeach()
  add_library(chatport_spdlog INTERFACE)
  target_include_directories(chatport_spdlog SYSTEM INTERFACE "${_hdrs}")
  target_compile_definitions(chatport_spdlog INTERFACE SPDLOG_HEADER_ONLY FMT_HEADER_ONLY)
  add_library(spdlog::spdlog ALIAS chatport_spdlog)

  # libgcrypt for the Noise module: Debian's libgcrypt-mingw-w64-dev and
  # libgpg-error-mingw-w64-dev, linked statically like everything else in the Windows build.
  find_path(GCRYPT_INCLUDE_DIR gcrypt.h REQUIRED)
  find_library(GCRYPT_LIBRARY NAMES libgcrypt.a REQUIRED)
  find_library(GPG_ERROR_LIBRARY NAMES libgpg-error.a REQUIRED)
  add_library(chatport_gcrypt INTERFACE)
  target_include_directories(chatport_gcrypt SYSTEM INTERFACE "${GCRYPT_INCLUDE_DIR}")
  # libgpg-error's Windows port uses Winsock for its estream sockets.
  target_link_libraries(chatport_gcrypt INTERFACE "${GCRYPT_LIBRARY}" "${GPG_ERROR_LIBRARY}" ws2_32)
  add_library(ChatPort::gcrypt ALIAS chatport_gcrypt)

  if(CHATPORT_BUILD_TESTS)
    set(gtest_disable_pthreads OFF CACHE BOOL "" FORCE)
    set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
    add_subdirectory(/usr/src/googletest "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL SYSTEM)
    # googletest 1.11+ defines these aliases itself.
    if(NOT TARGET GTest::gtest)
      add_library(GTest::gtest ALIAS gtest)
      add_library(GTest::gtest_main ALIAS gtest_main)
    endif()
  endif()
else()
  find_package(spdlog REQUIRED)
  find_package(PkgConfig REQUIRED)
  # libgcrypt 1.9+ for gcry_ecc_mul_point (X25519); Debian 12 has 1.10.
  pkg_check_modules(GCRYPT REQUIRED IMPORTED_TARGET GLOBAL libgcrypt>=1.9)
  add_library(ChatPort::gcrypt ALIAS PkgConfig::GCRYPT)
  if(CHATPORT_WITH_URING)
    pkg_check_modules(URING REQUIRED IMPORTED_TARGET liburing)
  endif()
  pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
  if(CHATPORT_BUILD_TESTS)
    find_package(GTest REQUIRED)
  endif()
endif()

if(CHATPORT_HISTORY)
  find_package(SQLite3 REQUIRED)  # CMake's FindSQLite3: SQLite::SQLite3
endif()

if(CHATPORT_BUILD_TESTS)
  include(GoogleTest)
endif()
