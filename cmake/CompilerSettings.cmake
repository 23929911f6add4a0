# Warnings and sanitizers applied to every ChatPort target through one interface library.
add_library(chatport_options INTERFACE)
add_library(ChatPort::options ALIAS chatport_options)

target_compile_options(chatport_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wno-missing-field-initializers)
if(CHATPORT_WERROR)
  target_compile_options(chatport_options INTERFACE -Werror)
endif()

if(CHATPORT_SANITIZE)
  target_compile_options(chatport_options INTERFACE -fsanitize=${CHATPORT_SANITIZE}
    -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(chatport_options INTERFACE -fsanitize=${CHATPORT_SANITIZE})
  # A sanitizer brings its own allocator and counts its shadow memory as resident; what tunes or
  # measures glibc's heap asks this, since clang 14 names a sanitizer only through __has_feature.
  target_compile_definitions(chatport_options INTERFACE CHATPORT_SANITIZED=1)
endif()

if(CHATPORT_BUILD_FUZZERS)
  # Coverage instrumentation in all the code the harnesses reach, so libFuzzer sees which
  # inputs go somewhere new; the harnesses themselves add -fsanitize=fuzzer (fuzz/).
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "The fuzzers need clang (libFuzzer): configure with the fuzz preset")
  endif()
  target_compile_options(chatport_options INTERFACE -fsanitize=fuzzer-no-link)
  target_link_options(chatport_options INTERFACE -fsanitize=fuzzer-no-link)
endif()

if(WIN32)
  # One self-contained .exe per program: nothing to install beside it under Wine or Windows.
  target_link_options(chatport_options INTERFACE -static)
  target_compile_definitions(chatport_options INTERFACE WIN32_LEAN_AND_MEAN NOMINMAX _WIN32_WINNT=0x0601)
endif()
