// A hyperdht 6.34.0 + blind-relay 1.6.1 driver for the Java blind-relay interop tests: JS nodes, a JS relay server,
// echo servers and connects that name a relay (relayThrough), on 127.0.0.1 with ports picked free first.
// JSON lines as in json-lines-driver; keys are hex; key pairs come from a seed byte.
const DHT = require('hyperdht')
const { Server: RelayServer } = require('blind-relay')
const { freePort, serve } = require('../../../../testkit/src/main/js/json-lines-driver')
const { opened, keptStreams } = require('./kept-streams')

const nodes = new Map()
const servers = new Map()
const kept = keptStreams()
const { streams, keep } = kept
const relays = new Map()
const hex = (b) => (b ? Buffer.from(b).toString('hex') : null)
const buf = (h) => (h ? Buffer.from(h, 'hex') : null)
const keyPair = (seed) => DHT.keyPair(Buffer.alloc(32, seed))

function get (name) {
  const dht = nodes.get(name)
  if (!dht) throw new Error('no node ' + name)
  return dht
}

// Where a connection's raw stream sends: 'relay' when to a socket a relay's link streams use (the node's own, or a
// puncher socket when the control connection to the relay was punched), else 'direct'.
function pathOf (socket) {
  const raw = socket.rawStream
  for (const r of relays.values()) {
    if (raw.remoteHost === r.host && r.ports.has(raw.remotePort)) return 'relay'
  }
  return 'direct'
}

const ops = {
  async node ({ name, bootstrap = [], ephemeral, quickFirewall }) {
    const opts = { host: '127.0.0.1', port: await freePort(), bootstrap }
    if (ephemeral !== undefined) opts.ephemeral = ephemeral
    if (quickFirewall !== undefined) opts.quickFirewall = quickFirewall
    const dht = new DHT(opts)
    nodes.set(name, dht)
    await dht.fullyBootstrapped()
    return { firewalled: dht.firewalled, port: dht.address().port }
  },
  // A blind relay on a node, as hyperdht's relaying tests run one.
  async relayServer ({ name, seed }) {
    const dht = get(name)
    const relay = new RelayServer({ createStream: (opts) => dht.createRawStream({ ...opts, framed: true }) })
    const ports = new Set([dht.io.serverSocket.address().port, dht.io.clientSocket.address().port])
    const server = dht.createServer({ shareLocalAddress: false }, (socket) => {
      socket.on('error', () => {})
      const session = relay.accept(socket, { id: socket.remotePublicKey })
      session.on('error', () => {})
      session.on('pair', (isInitiator, token, stream) => {
        stream.once('connect', () => ports.add(stream.socket.address().port))
      })
    })
    await server.listen(keyPair(seed))
    relays.set(name, { relay, host: '127.0.0.1', ports })
    servers.set(name + '/' + seed, server)
    return { publicKey: hex(server.publicKey) }
  },
  async relayStats ({ name }) {
    const s = relays.get(name).relay.stats
    return { matched: s.pairings.matched, streamsOpened: s.streams.opened, streamsClosed: s.streams.closed }
  },
  // An echo server that never punches (holepunch: false) unless `punch`, optionally asking clients to pair through
  // `relayThrough`. `paths` reports where each accepted connection's stream sends now ('relay' or 'direct').
  async listen ({ name, seed, relayThrough, punch = false }) {
    const dht = get(name)
    const paths = []
    const opts = { shareLocalAddress: false }
    if (!punch) opts.holepunch = false
    if (relayThrough) opts.relayThrough = buf(relayThrough)
    const server = dht.createServer(opts, (socket) => {
      socket.on('error', () => {})
      paths.push(socket)
      socket.pipe(socket)
    })
    server.paths = paths
    await server.listen(keyPair(seed))
    servers.set(name + '/' + seed, server)
    return { publicKey: hex(server.publicKey) }
  },
  async paths ({ name, seed }) {
    return servers.get(name + '/' + seed).paths.map((s) => (s.destroyed ? 'closed' : pathOf(s)))
  },
  async closeServer ({ name, seed }) {
    await servers.get(name + '/' + seed).close()
    servers.delete(name + '/' + seed)
    return true
  },
  // `punch: false` vetoes the client's punch and skips the fast-open probe, so a relayed stream stays relayed.
  async connect ({ name, publicKey, relayThrough, punch = true, timeoutMs = 30000 }) {
    const opts = { localConnection: false }
    if (!punch) Object.assign(opts, { fastOpen: false, holepunch: () => false })
    if (relayThrough) opts.relayThrough = buf(relayThrough)
    const socket = get(name).connect(buf(publicKey), opts)
    try {
      await opened(socket, timeoutMs)
    } catch (err) {
      socket.destroy()
      throw err
    }
    return { stream: keep(socket) }
  },
  // Where a kept stream sends now (ask after some traffic: a relay's link streams report their sockets on connect).
  async streamPath ({ stream }) {
    const socket = streams.get(stream)
    const raw = socket.rawStream
    const relayPorts = [...relays.values()].map((r) => [...r.ports])
    return { path: pathOf(socket), remote: raw.remoteHost + ':' + raw.remotePort, relayPorts }
  },
  echo: kept.echo,
  closeStream: kept.closeStream
}

serve(ops, async () => {
  for (const s of streams.values()) s.destroy()
  for (const dht of nodes.values()) await dht.destroy({ force: true }).catch(() => {})
})
