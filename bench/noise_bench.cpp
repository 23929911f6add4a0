// What the Noise module costs per connection and per message.
//
//   noise_bench [--seconds N]
//
// Prints the mean CPU time of: a key pair; a fingerprint; one whole XX / XXpsk3 handshake with
// both sides in this process (what a host and a joiner spend together, split() included);
// sealing and opening 64 B (a short chat message), 1 KiB and the largest transport plaintext
// (65519 bytes) with ChaCha20-Poly1305, in place and into a vector, on a thread that keeps a
// cipher handle (as the engine's loop threads do).

#include <chatport/noise/handshake_state.h>

#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

using namespace chatport::noise;

namespace {

double seconds = 1.0;

// Runs fn repeatedly for about `seconds` of this process's CPU time; the mean CPU time of one
// call in µs. CPU time, not wall time: on a machine shared with other work, the wall clock
// counts the time others had the core.
double timeEach(const std::function<void()>& fn) {
  for (int i = 0; i < 3; ++i) fn();  // warm caches and libgcrypt's lazy set-up
  std::size_t calls = 0;
  const std::clock_t start = std::clock();
  double elapsed = 0;
  do {
    for (int i = 0; i < 16; ++i) fn();
    calls += 16;
    elapsed = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  } while (elapsed < seconds);
  return elapsed * 1e6 / static_cast<double>(calls);
}

struct Session {
  CipherState initiatorSend, initiatorReceive, responderSend, responderReceive;
};

void connect(Protocol protocol, const KeyPair& a, const KeyPair& b, Session& out) {
  HandshakeConfig ic{.protocol = protocol, .role = Role::Initiator, .localStatic = a};
  HandshakeConfig rc{.protocol = protocol, .role = Role::Responder, .localStatic = b};
  if (protocol.pattern == Pattern::XXpsk3) ic.psk = rc.psk = Psk();
  HandshakeState i, r;
  std::vector<std::byte> message, payload;
  bool ok = !i.initialize(ic) && !r.initialize(rc);
  ok = ok && !i.writeMessage({}, message) && !r.readMessage(message, payload);
  ok = ok && !r.writeMessage({}, message) && !i.readMessage(message, payload);
  ok = ok && !i.writeMessage({}, message) && !r.readMessage(message, payload);
  ok = ok && !i.split(out.initiatorSend, out.initiatorReceive) && !r.split(out.responderSend, out.responderReceive);
  if (!ok) {
    std::fprintf(stderr, "noise_bench: handshake failed\n");
    std::exit(1);
  }
}

void row(const std::string& what, double us) { std::printf("%-48s %10.2f\n", what.c_str(), us); }

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) seconds = std::atof(argv[++i]);

  // As an engine loop thread: one cipher handle for every message (see cipher_state.h).
  const ThreadCipherScope threadCipher;
  const KeyPair a = KeyPair::generate();
  const KeyPair b = KeyPair::generate();
  std::printf("%-48s %10s\n", "operation", "µs each");
  row("key pair (system CSPRNG + X25519)", timeEach([] { (void)KeyPair::generate(); }));
  row("fingerprint", timeEach([&] { (void)fingerprint(a.publicKey()); }));
  for (Protocol p : {kXX, kXXpsk3, Protocol{Pattern::XX, HashAlgorithm::Sha256}})
    row("handshake, both sides: " + p.name().substr(6, p.name().find('_', 6) - 6) + " " +
            (p.hash == HashAlgorithm::Blake2b ? "BLAKE2b" : "SHA256"),
        timeEach([&] {
          Session s;
          connect(p, a, b, s);
        }));

  Session session;
  connect(kXX, a, b, session);
  for (std::size_t size : {std::size_t{64}, std::size_t{1024}, kMaxPlaintextSize}) {
    const std::string what = size == 1024 ? "1 KiB" : std::to_string(size) + " B";
    std::vector<std::byte> buffer(size + kTagSize, std::byte{0x5a});
    const auto plaintext = std::span<const std::byte>(buffer).first(size);
    std::vector<std::byte> sealed, opened;
    const double inPlace =
        timeEach([&] { (void)session.initiatorSend.encryptWithAd({}, plaintext, std::span<std::byte>(buffer)); });
    row("seal " + what + ", in place", inPlace);
    row("seal " + what + ", into a vector", timeEach([&] { (void)session.initiatorSend.encryptWithAd({}, plaintext, sealed); }));
    // Open one message again and again, moving the receiver's nonce back each time: the real,
    // authenticated path, without timing a sender too.
    const std::uint64_t nonce = session.initiatorSend.nonce();
    (void)session.initiatorSend.encryptWithAd({}, plaintext, sealed);
    std::error_code failed;
    const double open = timeEach([&] {
      session.responderReceive.setNonce(nonce);
      if (auto ec = session.responderReceive.decryptWithAd({}, sealed, opened)) failed = ec;
    });
    if (failed) {
      std::fprintf(stderr, "noise_bench: opening failed: %s\n", failed.message().c_str());
      return 1;
    }
    row("open " + what + ", into a vector", open);
    std::printf("%-48s %10.0f\n", ("  (seal " + what + " in place, MiB/s)").c_str(),
                static_cast<double>(size) / inPlace * 1e6 / (1 << 20));
  }
  return 0;
}
