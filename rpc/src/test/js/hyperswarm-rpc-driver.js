// A long-lived @hyperswarm/rpc 3.5.0 driver over hyperdht 6.34.0 for the Java interop tests: DHT nodes on 127.0.0.1
// (ports picked free first), RPC servers and clients by seed. JSON lines on stdin: {"id", "op", ...} -> {"id", "ok":
// true, "result"} or {"id", "ok": false, "error"}. Keys are hex; key pairs are DHT.keyPair(Buffer.alloc(32, seed)).
const DHT = require('hyperdht')
const RPC = require('@hyperswarm/rpc')
const { freePort, serve } = require('../../../../testkit/src/main/js/json-lines-driver')

const nodes = new Map()
const rpcs = new Map()
const servers = new Map()
const received = []
const hex = (b) => (b ? Buffer.from(b).toString('hex') : null)
const buf = (h) => (h ? Buffer.from(h, 'hex') : null)
const keyPair = (seed) => DHT.keyPair(Buffer.alloc(32, seed))
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function dht (name) {
  const d = nodes.get(name)
  if (!d) throw new Error('no node ' + name)
  return d
}

// One RPC object per node and seed: its key pair serves and connects (the DHT key is the node's own).
function rpcFor (name, seed) {
  const k = name + '/' + seed
  if (!rpcs.has(k)) {
    const rpc = new RPC({ dht: dht(name), keyPair: keyPair(seed) })
    rpcs.set(k, rpc)
  }
  return rpcs.get(k)
}

function describeError (err) {
  return { code: err.code || null, message: err.message, cause: err.cause ? { code: err.cause.code || null, message: err.cause.message, context: err.cause.context || null } : null }
}

const ops = {
  async node ({ name, bootstrap = [], ephemeral = true, quickFirewall, connectionKeepAlive }) {
    const opts = { host: '127.0.0.1', port: await freePort(), bootstrap, ephemeral }
    if (quickFirewall !== undefined) opts.quickFirewall = quickFirewall
    if (connectionKeepAlive !== undefined) opts.connectionKeepAlive = connectionKeepAlive
    const d = new DHT(opts)
    nodes.set(name, d)
    await d.fullyBootstrapped()
    return { firewalled: d.firewalled, publicKey: hex(d.defaultKeyPair.publicKey) }
  },
  async server ({ name, seed, capability, reject = [] }) {
    const rpc = rpcFor(name, seed)
    const server = rpc.createServer({
      capability: buf(capability),
      firewall: (remotePublicKey) => reject.includes(hex(remotePublicKey))
    })
    server.respond('echo', (req) => req)
    server.respond('fail', () => { throw new Error('boom') })
    server.respond('failCoded', () => {
      const err = new Error('coded boom')
      err.code = 'E_CODED'
      err.context = 'some context'
      throw err
    })
    server.respond('whoami', (req, rpc) => rpc.stream.remotePublicKey)
    // answers, then sends the request's value back as an event 'pong' on the same connection
    server.respond('notify', (req, rpc) => {
      setImmediate(() => rpc.event('pong', req))
      return Buffer.from('ok')
    })
    await server.listen()
    servers.set(name + '/' + seed, server)
    return { publicKey: hex(server.publicKey) }
  },
  async closeServer ({ name, seed }) {
    await servers.get(name + '/' + seed).close()
    servers.delete(name + '/' + seed)
    return true
  },
  async request ({ name, seed, publicKey, method, value, timeoutMs = 20000, capability }) {
    try {
      const opts = { timeout: timeoutMs }
      if (capability) opts.capability = buf(capability)
      const res = await rpcFor(name, seed).request(buf(publicKey), method, buf(value), opts)
      return { value: hex(res) }
    } catch (err) {
      return { error: describeError(err) }
    }
  },
  // `count` requests in flight at once; how many came back equal to what was sent, and how long it took.
  async pipelined ({ name, seed, publicKey, count, size = 64 }) {
    const rpc = rpcFor(name, seed)
    const key = buf(publicKey)
    const started = Date.now()
    const calls = []
    for (let i = 0; i < count; i++) {
      const value = Buffer.alloc(size, i & 0xff)
      value.writeUInt32LE(i, 0)
      calls.push(rpc.request(key, 'echo', value).then((res) => Buffer.compare(res, value) === 0, () => false))
    }
    const results = await Promise.all(calls)
    return { ok: results.filter(Boolean).length, ms: Date.now() - started }
  },
  async sleep ({ ms }) {
    await sleep(ms)
    return true
  },
  // A client of its own that sends 'notify' and waits for the server's 'pong' event on the same connection.
  async eventBack ({ name, seed, publicKey, value }) {
    const client = rpcFor(name, seed).connect(buf(publicKey))
    const pong = new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no pong')), 15000)
      client.rpc.respond('pong', (req) => { clearTimeout(t); resolve(req) })
    })
    const answer = await client.request('notify', buf(value))
    const got = await pong
    client.destroy()
    return { answer: hex(answer), pong: hex(got) }
  },
  // Events from Java clients are counted here.
  async listenEvents ({ name, seed }) {
    const server = servers.get(name + '/' + seed)
    server.respond('ev', (req) => { received.push(hex(req)) })
    return true
  },
  async events () {
    return received
  }
}

serve(ops, async () => {
  for (const rpc of rpcs.values()) await rpc.destroy({ force: true }).catch(() => {})
  for (const d of nodes.values()) await d.destroy({ force: true }).catch(() => {})
})
