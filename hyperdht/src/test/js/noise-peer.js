// One side of hyperdht's Noise IK connect handshake (lib/noise-wrap.js) over stdin/stdout, for NoiseWrapInteropIT.
//
//   node noise-peer.js initiator <server public key hex>   prints "msg1 <hex>", reads "msg2 <hex>"
//   node noise-peer.js responder <seed hex>                reads "msg1 <hex>", prints "msg2 <hex>"
//
// Both then print "payload <json>" (what the other side sent) and "final <json>" (keys, hash, holepunch secret),
// then a holepunch round each way through lib/secure-payload.js: print "sealed <hex>", read "sealed <hex>",
// print "opened <json>".
const readline = require('readline')
const b4a = require('b4a')
const DHT = require('hyperdht')
const NoiseWrap = require('hyperdht/lib/noise-wrap.js')
const SecurePayload = require('hyperdht/lib/secure-payload.js')

const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]()
async function expect (word) {
  const { value } = await lines.next()
  const [w, hex] = value.split(' ')
  if (w !== word) throw new Error('expected ' + word + ', got ' + value)
  return b4a.from(hex, 'hex')
}
function say (word, v) {
  process.stdout.write(word + ' ' + (b4a.isBuffer(v) ? b4a.toString(v, 'hex') : JSON.stringify(v, json)) + '\n')
}
function json (k, v) {
  return v && v.type === 'Buffer' ? b4a.toString(b4a.from(v.data), 'hex') : v
}

const CLIENT_PAYLOAD = {
  error: 0,
  firewall: 0,
  holepunch: null,
  addresses4: [{ host: '127.0.0.1', port: 49737 }],
  addresses6: [],
  udx: { reusableSocket: false, id: 5, seq: 0 },
  secretStream: {},
  relayThrough: null
}
const SERVER_PAYLOAD = {
  error: 0,
  firewall: 2,
  holepunch: { id: 1, relays: [{ relayAddress: { host: '10.0.0.2', port: 1002 }, peerAddress: { host: '10.0.0.4', port: 1004 } }] },
  addresses4: [],
  addresses6: [],
  udx: { reusableSocket: true, id: 9, seq: 0 },
  secretStream: {},
  relayThrough: null,
  relayAddresses: [{ host: '10.0.0.2', port: 1002 }]
}

async function main () {
  const [role, arg] = process.argv.slice(2)
  let wrap
  if (role === 'initiator') {
    wrap = new NoiseWrap(DHT.keyPair(), b4a.from(arg, 'hex'))
    say('msg1', wrap.send(CLIENT_PAYLOAD))
    say('payload', wrap.recv(await expect('msg2')))
  } else {
    wrap = new NoiseWrap(DHT.keyPair(b4a.from(arg, 'hex')), null)
    say('payload', wrap.recv(await expect('msg1')))
    say('msg2', wrap.send(SERVER_PAYLOAD))
  }
  const hs = wrap.final()
  say('final', {
    isInitiator: hs.isInitiator,
    publicKey: b4a.toString(hs.publicKey, 'hex'),
    remotePublicKey: b4a.toString(hs.remotePublicKey, 'hex'),
    tx: b4a.toString(hs.tx, 'hex'),
    rx: b4a.toString(hs.rx, 'hex'),
    hash: b4a.toString(hs.hash, 'hex'),
    holepunchSecret: b4a.toString(hs.holepunchSecret, 'hex')
  })
  const box = new SecurePayload(hs.holepunchSecret)
  say('sealed', box.encrypt({
    error: 0, firewall: 2, round: 1, connected: false, punching: true,
    addresses: [{ host: '10.0.0.4', port: 1004 }], remoteAddress: { host: '10.0.0.1', port: 1001 },
    token: box.token({ host: '10.0.0.1' }), remoteToken: null
  }))
  say('opened', box.decrypt(await expect('sealed')))
  process.exit(0)
}

main().catch((err) => {
  process.stderr.write(err.stack + '\n')
  process.exit(1)
})
