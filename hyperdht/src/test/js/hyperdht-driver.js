// A long-lived hyperdht 6.34.0 driver for the Java interop tests: one process per test class, HyperDHT nodes on
// 127.0.0.1 only, every port picked free first (hyperdht turns port 0 into its default 49737). JSON lines on stdin:
//   {"id": n, "op": "...", ...}  ->  {"id": n, "ok": true, "result": ...} or {"id": n, "ok": false, "error": "CODE"}
// Addresses are {"host", "port"}; keys, topics, tokens and values are hex; key pairs come from a seed byte, as
// DHT.keyPair(Buffer.alloc(32, seed)).
const DHT = require('hyperdht')
const c = require('compact-encoding')
const m = require('hyperdht/lib/messages')
const { COMMANDS } = require('hyperdht/lib/constants')
const Persistent = require('hyperdht/lib/persistent')
const { freePort, serve } = require('../../../../testkit/src/main/js/json-lines-driver')

const nodes = new Map()
const servers = new Map()
const sockets = new Map()
const hex = (b) => (b ? Buffer.from(b).toString('hex') : null)
const buf = (h) => (h ? Buffer.from(h, 'hex') : null)
const addr = (a) => ({ host: a.host, port: a.port })
const keyPair = (seed) => DHT.keyPair(Buffer.alloc(32, seed))

function describe (dht) {
  return {
    id: hex(dht.id),
    ephemeral: dht.ephemeral,
    firewalled: dht.firewalled,
    address: addr(dht.address()),
    clientPort: dht.io.clientSocket.address().port
  }
}

const from = (f) => ({ host: f.host, port: f.port, id: hex(f.id) })
const peer = (p) => ({ publicKey: hex(p.publicKey), relayAddresses: p.relayAddresses.map(addr) })

const ops = {
  async node ({ name, bootstrap = [], ephemeral, firewalled, quickFirewall }) {
    const opts = { host: '127.0.0.1', port: await freePort(), bootstrap }
    if (ephemeral !== undefined) opts.ephemeral = ephemeral
    if (firewalled !== undefined) opts.firewalled = firewalled
    if (quickFirewall !== undefined) opts.quickFirewall = quickFirewall
    const dht = new DHT(opts)
    nodes.set(name, dht)
    await dht.fullyBootstrapped()
    return describe(dht)
  },
  async waitPersistent ({ name, timeoutMs = 20000 }) {
    const dht = get(name)
    if (!dht.ephemeral) return describe(dht)
    await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('not persistent after ' + timeoutMs + ' ms')), timeoutMs)
      dht.once('persistent', () => { clearTimeout(t); resolve() })
    })
    return describe(dht)
  },
  async state ({ name }) {
    return describe(get(name))
  },
  async announce ({ name, topic, seed, relayAddresses = [], bump = 0, clear = false, badSignature = false }) {
    const opts = { bump, clear }
    if (badSignature) opts.signAnnounce = () => Buffer.alloc(64, 1)
    const q = get(name).announce(buf(topic), keyPair(seed), relayAddresses, opts)
    await q.finished()
    return { closest: q.closestReplies.map((r) => from(r.from)) }
  },
  async unannounce ({ name, topic, seed }) {
    await get(name).unannounce(buf(topic), keyPair(seed))
    return true
  },
  async lookup ({ name, topic }) {
    const replies = []
    for await (const r of get(name).lookup(buf(topic))) {
      replies.push({ from: from(r.from), peers: r.peers.map(peer), bump: r.bump })
    }
    return replies
  },
  async findPeer ({ name, publicKey }) {
    const replies = []
    for await (const r of get(name).findPeer(buf(publicKey))) {
      replies.push({ from: from(r.from), peer: peer(r.peer) })
    }
    return replies
  },
  async mutablePut ({ name, seed, value, seq }) {
    const r = await get(name).mutablePut(keyPair(seed), buf(value), { seq })
    return { seq: r.seq, signature: hex(r.signature), closest: r.closestNodes.length }
  },
  async mutableGet ({ name, publicKey, seq = 0, latest = true }) {
    const r = await get(name).mutableGet(buf(publicKey), { seq, latest })
    return r && { seq: r.seq, value: hex(r.value), signature: hex(r.signature), from: from(r.from) }
  },
  async immutablePut ({ name, value }) {
    const r = await get(name).immutablePut(buf(value))
    return { hash: hex(r.hash), closest: r.closestNodes.length }
  },
  async immutableGet ({ name, hash }) {
    const r = await get(name).immutableGet(buf(hash))
    return r && { value: hex(r.value), from: from(r.from) }
  },
  // One signed MUTABLE_PUT straight to `to` with a token from a MUTABLE_GET there; answers the reply's error code.
  async mutablePutTo ({ name, to, seed, value, seq }) {
    const dht = get(name)
    const kp = keyPair(seed)
    const target = DHT.hash(kp.publicKey)
    const got = await dht.request({ command: COMMANDS.MUTABLE_GET, target, value: c.encode(c.uint, 0) }, to)
    const signature = Persistent.signMutable(seq, buf(value), kp)
    const put = c.encode(m.mutablePutRequest, { publicKey: kp.publicKey, seq, value: buf(value), signature })
    const res = await dht.request({ token: got.token, command: COMMANDS.MUTABLE_PUT, target, value: put }, to)
    return { error: res.error, token: hex(res.token), closerNodes: res.closerNodes.length }
  },
  // An ANNOUNCE to `to` with a valid token and a signature for another node id: storing nodes must stay silent.
  async badAnnounce ({ name, to, topic, seed }) {
    const dht = get(name)
    const kp = keyPair(seed)
    const got = await dht.request({ command: COMMANDS.LOOKUP, target: buf(topic) }, to)
    const ann = { peer: { publicKey: kp.publicKey, relayAddresses: [] }, refresh: null, signature: null }
    ann.signature = Persistent.signAnnounce(buf(topic), got.token, Buffer.alloc(32), ann, kp)
    await dht.request({ token: got.token, command: COMMANDS.ANNOUNCE, target: buf(topic), value: c.encode(m.announce, ann) },
      to, { retry: false })
    return 'answered'
  },
  async listen ({ name, seed }) {
    const dht = get(name)
    const server = dht.createServer({ shareLocalAddress: false }, (socket) => {
      socket.on('error', () => {})
      socket.pipe(socket)
    })
    await server.listen(keyPair(seed))
    servers.set(name + '/' + seed, server)
    return { publicKey: hex(server.publicKey), relays: server._announcer.relays.map((r) => addr(r.relayAddress)) }
  },
  async connect ({ name, publicKey, localConnection = true, fastOpen = true, timeoutMs = 30000 }) {
    const dht = get(name)
    const socket = dht.connect(buf(publicKey), { localConnection, fastOpen })
    sockets.set(publicKey, socket)
    await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no open after ' + timeoutMs + ' ms')), timeoutMs)
      socket.once('open', () => { clearTimeout(t); resolve() })
      socket.once('error', (err) => { clearTimeout(t); reject(err) })
    })
    return {
      remotePublicKey: hex(socket.remotePublicKey),
      remote: { host: socket.rawStream.remoteHost, port: socket.rawStream.remotePort }
    }
  },
  async punches ({ name }) {
    return get(name).stats.punches
  },
  async destroy ({ name }) {
    await get(name).destroy()
    nodes.delete(name)
    return true
  }
}

function get (name) {
  const dht = nodes.get(name)
  if (!dht) throw new Error('no node ' + name)
  return dht
}

serve(ops, async () => {
  for (const s of sockets.values()) s.destroy()
  for (const dht of nodes.values()) await dht.destroy({ force: true }).catch(() => {})
})
