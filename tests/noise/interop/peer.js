// The other side of ChatPort's Noise interoperability test: noise-protocol (libsodium) as a
// Noise_XX_25519_ChaChaPoly_BLAKE2b peer, driven line by line over standard input and output.
//
//   node peer.js initiator|responder
//
// Lines, bytes in hex:
//   out  static <pub>            first: this peer's static public key
//   in   hs <message>            a handshake message from ChatPort
//   out  read <payload>          the payload this peer read from it
//   out  hs <message>            a handshake message to ChatPort (payload "node-hs-<i>")
//   out  hash <h>                after the handshake: the handshake hash
//   out  remote-static <pub>     after the handshake: the static key ChatPort sent
//   in   t <ciphertext>          a transport message; answered with
//   out  t <ciphertext>          "echo:" + the plaintext, encrypted
//   in   rekey                   rekeys both directions; answered with "ok"
//   in   quit                    exits 0 (at any point)
// Any failure: "error <what>" and exit 1.
'use strict'

const noise = require('noise-protocol')
const cipherState = require('noise-protocol/cipher-state')({ cipher: require('noise-protocol/cipher')() })
const readline = require('readline')

const role = process.argv[2]
if (role !== 'initiator' && role !== 'responder') {
  process.stderr.write('usage: node peer.js initiator|responder\n')
  process.exit(2)
}
const initiator = role === 'initiator'
const MACLEN = 16
const MAXMSG = 65535

function say (line) { process.stdout.write(line + '\n') }
function fail (what) {
  say('error ' + what)
  process.exit(1)
}

const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]()
async function next () {
  const { value, done } = await lines.next()
  if (done) fail('end of input')
  return value
}
async function expect (word) {
  const line = await next()
  if (line === 'quit') process.exit(0)
  const space = line.indexOf(' ')
  const head = space < 0 ? line : line.slice(0, space)
  if (head !== word) fail(`expected "${word}", got "${line.slice(0, 40)}"`)
  return Buffer.from(space < 0 ? '' : line.slice(space + 1), 'hex')
}

async function main () {
  const statik = noise.keygen()
  say('static ' + Buffer.from(statik.publicKey).toString('hex'))

  const hs = noise.initialize('XX', initiator, Buffer.alloc(0), statik)
  let split = null
  for (let i = 0; i < 3 && split === null; i++) {
    const mine = (i % 2 === 0) === initiator
    try {
      if (mine) {
        const out = Buffer.alloc(MAXMSG)
        split = noise.writeMessage(hs, Buffer.from('node-hs-' + i), out) || null
        say('hs ' + out.subarray(0, noise.writeMessage.bytes).toString('hex'))
      } else {
        const message = await expect('hs')
        const payload = Buffer.alloc(MAXMSG)
        split = noise.readMessage(hs, message, payload) || null
        say('read ' + payload.subarray(0, noise.readMessage.bytes).toString('hex'))
      }
    } catch (e) {
      fail('handshake message ' + i + ': ' + e.message)
    }
  }
  if (split === null) fail('no split after three messages')
  // noise-protocol keeps h in the symmetric state after the chaining key (64 bytes each).
  say('hash ' + Buffer.from(hs.symmetricState.subarray(64, 128)).toString('hex'))
  say('remote-static ' + Buffer.from(hs.rs).toString('hex'))
  noise.destroy(hs)

  for (;;) {
    const line = await next()
    if (line === 'quit') process.exit(0)
    if (line === 'rekey') {
      cipherState.rekey(split.tx)
      cipherState.rekey(split.rx)
      say('ok')
      continue
    }
    if (!line.startsWith('t ')) fail('unknown line: ' + line.slice(0, 40))
    const ciphertext = Buffer.from(line.slice(2), 'hex')
    const plaintext = Buffer.alloc(Math.max(ciphertext.length - MACLEN, 0))
    try {
      cipherState.decryptWithAd(split.rx, plaintext, null, ciphertext)
    } catch (e) {
      fail('transport decrypt: ' + e.message)
    }
    const reply = Buffer.concat([Buffer.from('echo:'), plaintext])
    const out = Buffer.alloc(reply.length + MACLEN)
    cipherState.encryptWithAd(split.tx, out, null, reply)
    say('t ' + out.toString('hex'))
  }
}

main().catch(e => fail(e.stack || String(e)))
