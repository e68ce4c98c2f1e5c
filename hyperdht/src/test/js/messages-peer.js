// The pinned JS hyperdht as a codec and signing oracle for the Java tests.
//
//   node messages-peer.js capture   prints the golden cases (committed as src/test/resources/vectors/hyperdht-messages.json)
//   node messages-peer.js serve     answers one JSON request per stdin line with one JSON line on stdout
//
// Values travel as JSON in the shape the JS decoders return; buffers are hex strings, recognised by field name.
const readline = require('readline')
const c = require('compact-encoding')
const b4a = require('b4a')
const m = require('hyperdht/lib/messages.js')
const Persistent = require('hyperdht/lib/persistent.js')
const { NS } = require('hyperdht/lib/constants.js')
const DHT = require('hyperdht')
const HyperDhtAddress = require('hyperdht-address')

const BUFFERS = new Set(['noise', 'payload', 'publicKey', 'token', 'remoteToken', 'signature', 'refresh', 'value', 'key'])

function toJs (v, key) {
  if (v === null || v === undefined) return null
  if (Array.isArray(v)) return v.map((x) => toJs(x, key))
  if (typeof v === 'object') {
    const o = {}
    for (const [k, x] of Object.entries(v)) o[k] = toJs(x, k)
    return o
  }
  if (typeof v === 'string' && BUFFERS.has(key)) return b4a.from(v, 'hex')
  return v
}

function toJson (v) {
  if (v === null || v === undefined) return null
  if (b4a.isBuffer(v)) return b4a.toString(v, 'hex')
  if (Array.isArray(v)) return v.map(toJson)
  if (typeof v === 'object') {
    const o = {}
    for (const [k, x] of Object.entries(v)) if (k !== 'family') o[k] = toJson(x)
    return o
  }
  return v
}

const lookupRawReply = {
  preencode (state, v) { m.lookupRawReply.preencode(state, raw(v)) },
  encode (state, v) { m.lookupRawReply.encode(state, raw(v)) },
  decode (state) { return m.lookupRawReply.decode(state) }
}
function raw (v) {
  return { peers: v.peers.map((p) => c.encode(m.peer, p)), bump: v.bump }
}

const CODECS = {
  handshake: m.handshake,
  holepunch: m.holepunch,
  noisePayload: m.noisePayload,
  holepunchPayload: m.holepunchPayload,
  peer: m.peer,
  peers: m.peers,
  lookupRawReply,
  announce: m.announce,
  mutableSignable: m.mutableSignable,
  mutablePutRequest: m.mutablePutRequest,
  mutableGetResponse: m.mutableGetResponse,
  pluginRequest: m.pluginRequest
}

// hyperdht-address exports only encode(key, nodes) and decode(buffer).
function encodeJs (type, value) {
  if (type === 'hyperdhtAddress') return HyperDhtAddress.encode(value.key, value.nodes)
  return c.encode(CODECS[type], value)
}

function encode (type, json) {
  return b4a.toString(encodeJs(type, toJs(json)), 'hex')
}

function decode (type, hex) {
  const buffer = b4a.from(hex, 'hex')
  return toJson(type === 'hyperdhtAddress' ? HyperDhtAddress.decode(buffer) : c.decode(CODECS[type], buffer))
}

function handle (req) {
  switch (req.op) {
    case 'encode': return { hex: encode(req.type, req.value) }
    case 'decode': return { value: decode(req.type, req.hex) }
    case 'keyPair': {
      const kp = DHT.keyPair(b4a.from(req.seed, 'hex'))
      return { publicKey: toJson(kp.publicKey), secretKey: toJson(kp.secretKey) }
    }
    case 'signAnnounce': {
      const sign = req.unannounce ? Persistent.signUnannounce : Persistent.signAnnounce
      const ann = toJs(req.announce)
      const sig = sign(b4a.from(req.target, 'hex'), b4a.from(req.token, 'hex'), b4a.from(req.nodeId, 'hex'), ann,
        b4a.from(req.secretKey, 'hex'))
      return { signature: toJson(sig) }
    }
    case 'signMutable': {
      const sig = Persistent.signMutable(req.seq, b4a.from(req.value, 'hex'), { secretKey: b4a.from(req.secretKey, 'hex') })
      return { signature: toJson(sig) }
    }
    case 'hash': return { hash: toJson(DHT.hash(b4a.from(req.data, 'hex'))) }
    default: throw new Error('unknown op ' + req.op)
  }
}

function serve () {
  const rl = readline.createInterface({ input: process.stdin })
  rl.on('line', (line) => {
    let out
    try {
      out = handle(JSON.parse(line))
    } catch (err) {
      out = { error: err.message }
    }
    process.stdout.write(JSON.stringify(out) + '\n')
  })
  process.stdout.write(JSON.stringify({ ready: true }) + '\n')
}

// ---- golden cases -------------------------------------------------------------------------------------------

const A = { host: '127.0.0.1', port: 49737 }
const B = { host: '10.1.2.3', port: 65535 }
const C = { host: '88.99.3.86', port: 1 }
const V6 = { host: '::1', port: 5 }
const KP = DHT.keyPair(b4a.alloc(32, 1))
const PK = KP.publicKey
const FILL = (n, b) => b4a.alloc(n, b)

function cases () {
  const list = []
  const add = (name, type, value) => {
    const hex = b4a.toString(encodeJs(type, value), 'hex')
    list.push({ name, type, hex, value: decode(type, hex) })
  }
  const decodeOnly = (name, type, hex) => list.push({ name, type, hex, decodeOnly: true, value: decode(type, hex) })

  add('handshake FROM_CLIENT bare', 'handshake', { mode: 0, noise: FILL(3, 0xaa) })
  add('handshake FROM_CLIENT relayAddress', 'handshake', { mode: 0, noise: FILL(2, 0xbb), relayAddress: B })
  add('handshake FROM_SECOND_RELAY both', 'handshake', { mode: 3, noise: FILL(1, 1), peerAddress: A, relayAddress: C })
  add('handshake REPLY empty noise', 'handshake', { mode: 4, noise: b4a.alloc(0), peerAddress: B })
  add('holepunch FROM_SERVER no peer', 'holepunch', { mode: 1, id: 300, payload: FILL(44, 7) })
  add('holepunch REPLY peer', 'holepunch', { mode: 4, id: 0, payload: FILL(2, 9), peerAddress: C })
  add('noisePayload everything', 'noisePayload', {
    error: 3,
    firewall: 2,
    holepunch: { id: 70000, relays: [{ relayAddress: A, peerAddress: B }, { relayAddress: C, peerAddress: A }] },
    addresses4: [A, B],
    addresses6: [V6],
    udx: { reusableSocket: true, id: 4294967296, seq: 0 },
    secretStream: {},
    relayThrough: { publicKey: PK, token: FILL(32, 0x77) },
    relayAddresses: []
  })
  add('noisePayload relayAddresses only', 'noisePayload', { error: 0, firewall: 1, relayAddresses: [C] })
  add('noisePayload empty addresses omitted', 'noisePayload', { error: 1, firewall: 0, addresses4: [], addresses6: [] })
  decodeOnly('noisePayload version 2 stops', 'noisePayload', '02ff')
  decodeOnly('udx unknown feature bits dropped', 'noisePayload', '010800000103070100')
  add('holepunchPayload everything', 'holepunchPayload', {
    error: 0,
    firewall: 3,
    round: 2,
    connected: true,
    punching: true,
    addresses: [A],
    remoteAddress: B,
    token: FILL(32, 1),
    remoteToken: FILL(32, 2)
  })
  add('holepunchPayload empty addresses kept', 'holepunchPayload', { error: 2, firewall: 0, round: 0, addresses: [] })
  add('peer no relays', 'peer', { publicKey: PK, relayAddresses: [] })
  add('peers two', 'peers', [{ publicKey: PK, relayAddresses: [A, B, C] }, { publicKey: FILL(32, 2), relayAddresses: [] }])
  add('lookupRawReply bump 0 always written', 'lookupRawReply', { peers: [{ publicKey: PK, relayAddresses: [A] }], bump: 0 })
  add('lookupRawReply big bump', 'lookupRawReply', { peers: [], bump: 1735689600000 })
  decodeOnly('lookupRawReply without bump', 'lookupRawReply', '01' + b4a.toString(PK, 'hex') + '00')
  add('announce peer and signature', 'announce', { peer: { publicKey: PK, relayAddresses: [] }, signature: FILL(64, 5) })
  add('announce everything', 'announce', {
    peer: { publicKey: PK, relayAddresses: [A] },
    refresh: FILL(32, 3),
    signature: FILL(64, 4),
    bump: 1735689600000
  })
  add('announce refresh only', 'announce', { refresh: FILL(32, 8) })
  add('announce bump 0 omitted', 'announce', { peer: { publicKey: PK, relayAddresses: [] }, bump: 0 })
  add('mutableSignable seq 0 empty', 'mutableSignable', { seq: 0, value: b4a.alloc(0) })
  add('mutablePutRequest', 'mutablePutRequest', { publicKey: PK, seq: 65536, value: b4a.from('hi'), signature: FILL(64, 6) })
  add('mutableGetResponse', 'mutableGetResponse', { seq: 9007199254740991, value: FILL(300, 1), signature: FILL(64, 6) })
  add('pluginRequest with value', 'pluginRequest', { plugin: 'blind-relay', version: 1, command: 2, value: FILL(3, 1) })
  add('pluginRequest no value unicode', 'pluginRequest', { plugin: 'plüg', version: 0, command: 70000 })
  add('hyperdhtAddress nodes', 'hyperdhtAddress', { key: PK, nodes: [A, C] })
  add('hyperdhtAddress no nodes', 'hyperdhtAddress', { key: PK, nodes: null })
  decodeOnly('hyperdhtAddress bare key', 'hyperdhtAddress', b4a.toString(PK, 'hex'))

  const target = DHT.hash(PK)
  const token = FILL(32, 0x33)
  const nodeId = FILL(32, 0x44)
  const ann = { peer: { publicKey: PK, relayAddresses: [A, B, C, { host: '1.2.3.4', port: 5 }] }, refresh: FILL(32, 9), signature: null }
  const signing = {
    seed02: toJson(DHT.keyPair(FILL(32, 2))),
    seed03: toJson(DHT.keyPair(FILL(32, 3))),
    announceWithRefresh: {
      target: toJson(target),
      token: toJson(token),
      nodeId: toJson(nodeId),
      announce: toJson(ann),
      signature: toJson(Persistent.signAnnounce(target, token, nodeId, ann, KP))
    },
    unannounce: {
      target: toJson(target),
      token: toJson(token),
      nodeId: toJson(nodeId),
      announce: toJson({ peer: { publicKey: PK, relayAddresses: [] } }),
      signature: toJson(Persistent.signUnannounce(target, token, nodeId, { peer: { publicKey: PK, relayAddresses: [] } }, KP))
    },
    mutableSeq0Empty: toJson(Persistent.signMutable(0, b4a.alloc(0), KP)),
    mutableBigSeq: toJson(Persistent.signMutable(4294967296, b4a.from('hyperinfer'), KP)),
    ns: toJson(NS)
  }
  return { generatedBy: 'hyperdht/src/test/js/messages-peer.js capture (hyperdht ' + require('hyperdht/package.json').version + ')', cases: list, signing }
}

if (process.argv[2] === 'capture') process.stdout.write(JSON.stringify(cases(), null, 1) + '\n')
else serve()
