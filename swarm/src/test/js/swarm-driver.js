// A long-lived hyperswarm 4.17.2 driver for the Java swarm interop tests: JS swarms on their own hyperdht nodes, on
// 127.0.0.1 with ports picked free first, bootstrapping from the Java testnet. JSON lines (see testkit
// json-lines-driver.js). Keys are hex; key pairs come from a seed byte, DHT.keyPair(Buffer.alloc(32, seed)).
// Every connection answers "ping:X" with "pong:X"; a key passed to `ban` is refused by the swarm's firewall.
// `keepAlive: false` turns the node's connection keep-alive off, so empty frames (a peer's keep-alive probes) arrive
// as empty messages, which the swarm counts (`connections` reports them as `empties`).
const DHT = require('hyperdht')
const Hyperswarm = require('hyperswarm')
const { fixedTimeout, freePort, serve } = require('../../../../testkit/src/main/js/json-lines-driver')

const swarms = new Map()
const hex = (b) => Buffer.from(b).toString('hex')
const buf = (h) => Buffer.from(h, 'hex')

function get (name) {
  const s = swarms.get(name)
  if (!s) throw new Error('no swarm ' + name)
  return s
}

const ops = {
  // `requestTimeout` (ms): every send of the node's requests waits that long for its answer (dht-rpc's
  // adaptiveTimeout, pinned to one value), instead of dht-rpc's 1 s: a refused dial waits out its handshake's sends.
  async swarm ({ name, seed, bootstrap, keepAlive = true, requestTimeout }) {
    const dht = new DHT({
      host: '127.0.0.1',
      port: await freePort(),
      bootstrap,
      ephemeral: true,
      connectionKeepAlive: keepAlive ? undefined : false,
      adaptiveTimeout: requestTimeout === undefined ? undefined : fixedTimeout(requestTimeout)
    })
    await dht.fullyBootstrapped()
    const banned = new Set()
    const swarm = new Hyperswarm({ dht, keyPair: DHT.keyPair(Buffer.alloc(32, seed)), firewall: (key) => banned.has(hex(key)) })
    const entry = { swarm, dht, banned, open: new Map(), events: 0, empties: 0 }
    swarm.on('connection', (conn) => {
      const key = hex(conn.remotePublicKey)
      entry.events++
      entry.open.set(key, conn)
      conn.on('error', () => {})
      conn.on('data', (d) => {
        if (d.length === 0) {
          entry.empties++
          return
        }
        const s = d.toString()
        if (s.startsWith('ping:')) conn.write('pong:' + s.slice(5))
      })
      conn.on('close', () => { if (entry.open.get(key) === conn) entry.open.delete(key) })
    })
    swarms.set(name, entry)
    return { publicKey: hex(swarm.keyPair.publicKey) }
  },
  async join ({ name, topic, server = true, client = true, limit }) {
    const discovery = get(name).swarm.join(buf(topic), { server, client, limit })
    await discovery.flushed()
    return true
  },
  async leave ({ name, topic }) {
    await get(name).swarm.leave(buf(topic))
    return true
  },
  async flush ({ name }) {
    return get(name).swarm.flush()
  },
  async joinPeer ({ name, key }) {
    get(name).swarm.joinPeer(buf(key))
    return true
  },
  // The open connections: remote key -> whether this side dialed it; and the swarm's dials (attempted, opened,
  // closed: a refused dial closes without opening).
  async connections ({ name }) {
    const e = get(name)
    const out = {}
    for (const [key, conn] of e.open) out[key] = conn.isInitiator
    return { open: out, events: e.events, empties: e.empties, dials: e.swarm.stats.connects.client }
  },
  async ban ({ name, key }) {
    const e = get(name)
    e.banned.add(key)
    const conn = e.open.get(key)
    if (conn) conn.destroy()
    return true
  },
  // What dht-rpc does when udx's interface watcher reports a change: 'network-change', then 'network-update'.
  async networkChange ({ name }) {
    const dht = get(name).dht
    dht._onnetworkchange(dht.io.networkInterfaces.interfaces)
    return true
  },
  async suspend ({ name }) {
    await get(name).swarm.suspend()
    return true
  },
  async resume ({ name }) {
    await get(name).swarm.resume()
    return true
  },
  async destroy ({ name }) {
    const e = get(name)
    swarms.delete(name)
    await e.swarm.destroy()
    return true
  }
}

serve(ops, async () => {
  for (const e of swarms.values()) await e.swarm.destroy().catch(() => {})
})
