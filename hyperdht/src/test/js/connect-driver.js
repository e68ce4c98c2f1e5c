// A long-lived hyperdht 6.34.0 driver for the Java connection interop tests (servers, connects, echo), one process per
// test class, everything on 127.0.0.1 with ports picked free first (hyperdht turns port 0 into its default 49737).
// JSON lines on stdin: {"id": n, "op": "...", ...} -> {"id": n, "ok": true, "result": ...} or {"id", "ok": false,
// "error": "CODE"}. Addresses are {"host", "port"}; keys are hex; key pairs come from a seed byte,
// DHT.keyPair(Buffer.alloc(32, seed)).
const DHT = require('hyperdht')
const NoiseWrap = require('hyperdht/lib/noise-wrap')
const NoiseSecretStream = require('@hyperswarm/secret-stream')
const { fixedTimeout, freePort, serve } = require('../../../../testkit/src/main/js/json-lines-driver')
const { opened, keptStreams } = require('./kept-streams')

const nodes = new Map()
const servers = new Map()
const kept = keptStreams()
const { streams, keep } = kept
const hex = (b) => (b ? Buffer.from(b).toString('hex') : null)
const buf = (h) => (h ? Buffer.from(h, 'hex') : null)
const addr = (a) => ({ host: a.host, port: a.port })
const keyPair = (seed) => DHT.keyPair(Buffer.alloc(32, seed))

function get (name) {
  const dht = nodes.get(name)
  if (!dht) throw new Error('no node ' + name)
  return dht
}

function describe (dht) {
  return { id: hex(dht.id), ephemeral: dht.ephemeral, firewalled: dht.firewalled, address: addr(dht.address()) }
}

// Which of a node's sockets a connection runs on: its server or client socket, or a puncher socket of its pool.
function socketKind (dht, socket) {
  if (socket === dht.io.serverSocket) return 'server'
  if (socket === dht.io.clientSocket) return 'client'
  return dht._socketPool.lookup(socket) ? 'puncher' : 'other'
}

const ops = {
  // A testnet of `size` JS nodes (the first one bootstraps the others, as hyperdht/testnet.js, but on free ports).
  async testnet ({ prefix, size }) {
    const first = new DHT({ ephemeral: false, firewalled: false, bootstrap: [], host: '127.0.0.1', port: await freePort() })
    await first.fullyBootstrapped()
    nodes.set(prefix + '0', first)
    const bootstrap = [{ host: '127.0.0.1', port: first.address().port }]
    for (let i = 1; i < size; i++) {
      const n = new DHT({ ephemeral: false, firewalled: false, bootstrap, host: '127.0.0.1', port: await freePort() })
      await n.fullyBootstrapped()
      nodes.set(prefix + i, n)
    }
    return { bootstrap }
  },
  // `requestTimeout` (ms): every send of the node's requests waits that long for its answer (dht-rpc's
  // adaptiveTimeout, pinned to one value), instead of dht-rpc's 1 s: a refused connect waits out its handshake's sends.
  async node ({ name, bootstrap = [], ephemeral, firewalled, quickFirewall, requestTimeout }) {
    const opts = { host: '127.0.0.1', port: await freePort(), bootstrap }
    if (ephemeral !== undefined) opts.ephemeral = ephemeral
    if (firewalled !== undefined) opts.firewalled = firewalled
    if (quickFirewall !== undefined) opts.quickFirewall = quickFirewall
    if (requestTimeout !== undefined) opts.adaptiveTimeout = fixedTimeout(requestTimeout)
    const dht = new DHT(opts)
    nodes.set(name, dht)
    await dht.fullyBootstrapped()
    return describe(dht)
  },
  async state ({ name }) {
    return { ...describe(get(name)), remoteAddress: get(name).remoteAddress() }
  },
  // An echo server; `reject` lists client keys (hex) its firewall turns away; `vetoPunch` makes its holepunch
  // callback refuse every punch. Each connection's socket kind is recorded for `accepted`.
  async listen ({ name, seed, shareLocalAddress = true, reject = [], vetoPunch = false }) {
    const dht = get(name)
    const opts = {
      shareLocalAddress,
      firewall: (remotePublicKey) => reject.includes(hex(remotePublicKey))
    }
    if (vetoPunch) opts.holepunch = () => false
    const accepted = []
    const server = dht.createServer(opts, (socket) => {
      socket.on('error', () => {})
      accepted.push(socketKind(dht, socket.rawStream.socket))
      socket.pipe(socket)
    })
    server.accepted = accepted
    await server.listen(keyPair(seed))
    servers.set(name + '/' + seed, server)
    return { publicKey: hex(server.publicKey), relayAddresses: server.relayAddresses.map(addr) }
  },
  // The socket kinds of the connections a server accepted so far.
  async accepted ({ name, seed }) {
    return servers.get(name + '/' + seed).accepted
  },
  // A node's punch counters (dht.stats.punches) and its socket pool's.
  async punches ({ name }) {
    const dht = get(name)
    return { ...dht.stats.punches, socketsAdded: dht.stats.socketPool.socketsAdded, socketsRemoved: dht.stats.socketPool.socketsRemoved }
  },
  async closeServer ({ name, seed }) {
    await servers.get(name + '/' + seed).close()
    servers.delete(name + '/' + seed)
    return true
  },
  // dht.connect; `noLookup` replaces findPeer with an empty lookup for this connect, so only the seeds can work.
  async connect ({ name, publicKey, seed, relayAddresses, localConnection = true, noLookup = false, timeoutMs = 30000, fastOpen, vetoPunch = false }) {
    const dht = get(name)
    const findPeer = dht.findPeer
    if (noLookup) {
      dht.findPeer = () => ({ destroy () {}, async * [Symbol.asyncIterator] () {} })
    }
    const opts = { localConnection }
    if (fastOpen !== undefined) opts.fastOpen = fastOpen
    if (vetoPunch) opts.holepunch = () => false
    if (seed !== undefined) opts.keyPair = keyPair(seed)
    if (relayAddresses) opts.relayAddresses = relayAddresses
    const socket = dht.connect(buf(publicKey), opts)
    try {
      await opened(socket, timeoutMs)
    } catch (err) {
      socket.destroy()
      throw err
    } finally {
      dht.findPeer = findPeer
    }
    return { stream: keep(socket), remotePublicKey: hex(socket.remotePublicKey), socket: socketKind(dht, socket.rawStream.socket) }
  },
  // One Noise message 1 sent through every relay in `relays` at once (the first one named is not favoured): the
  // message 2 each relay returned, then a connection on the first answer, as connect.js makes it.
  async handshakeVia ({ name, publicKey, relays, seed = 99 }) {
    const dht = get(name)
    const rawStream = dht.createRawStream({ framed: true })
    const noise = new NoiseWrap(keyPair(seed), buf(publicKey))
    const message1 = noise.send({
      error: 0,
      firewall: 0,
      holepunch: null,
      addresses4: [],
      addresses6: [],
      udx: { reusableSocket: false, id: rawStream.id, seq: 0 },
      secretStream: {},
      relayThrough: null
    })
    const target = DHT.hash(buf(publicKey))
    const replies = await Promise.all(relays.map((to) => dht._router.peerHandshake(target, { noise: message1 }, to)))
    const message2 = replies.map((r) => hex(r.noise)) // before recv, which wipes the ephemeral key in place
    const first = replies[0]
    const payload = noise.recv(first.noise)
    const host = first.relayed ? first.serverAddress.host : relays[0].host
    const port = first.relayed ? first.serverAddress.port : relays[0].port
    rawStream.connect(dht.socket, payload.udx.id, port, host)
    const socket = new NoiseSecretStream(true, rawStream, { handshake: noise.final(), keepAlive: 5000 })
    await opened(socket, 20000)
    return {
      stream: keep(socket),
      message2,
      relayed: replies.map((r) => r.relayed),
      serverAddress: addr(first.serverAddress)
    }
  },
  echo: kept.echo,
  closeStream: kept.closeStream,
  async findPeer ({ name, publicKey }) {
    const replies = []
    for await (const r of get(name).findPeer(buf(publicKey))) {
      replies.push({ from: addr(r.from), relayAddresses: r.peer.relayAddresses.map(addr) })
    }
    return replies
  },
  async lookup ({ name, topic }) {
    const replies = []
    for await (const r of get(name).lookup(buf(topic))) {
      replies.push({ from: addr(r.from), peers: r.peers.map((p) => ({ publicKey: hex(p.publicKey), relayAddresses: p.relayAddresses.map(addr) })) })
    }
    return replies
  },
  async destroy ({ name }) {
    await get(name).destroy()
    nodes.delete(name)
    return true
  }
}

serve(ops, async () => {
  for (const s of streams.values()) s.destroy()
  for (const dht of nodes.values()) await dht.destroy({ force: true }).catch(() => {})
})
