// A long-lived dht-rpc 6.27.0 driver for the Java interop tests: one process per test class, raw dht-rpc nodes on
// 127.0.0.1 only, every port chosen by the system. Commands arrive as JSON lines on stdin:
//   {"id": n, "op": "...", ...}  ->  {"id": n, "ok": true, "result": ...} or {"id": n, "ok": false, "error": "..."}
// Addresses are {"host", "port"}; ids, targets, tokens and values are hex.
const DHT = require('dht-rpc')
const peer = require('dht-rpc/lib/peer')
const { freePort, serve } = require('../../../../testkit/src/main/js/json-lines-driver')

const nodes = new Map()
const commits = new Map() // name -> number of token-carrying requests for its served command
const hex = (b) => (b ? Buffer.from(b).toString('hex') : null)
const buf = (h) => (h ? Buffer.from(h, 'hex') : null)
const addr = (a) => ({ host: a.host, port: a.port })

function describe (dht) {
  return {
    id: hex(dht.id),
    ephemeral: dht.ephemeral,
    firewalled: dht.firewalled,
    host: dht.host,
    port: dht.port,
    address: addr(dht.address()),
    serverPort: dht.io.serverSocket.address().port,
    clientPort: dht.io.clientSocket.address().port,
    remoteAddress: dht.remoteAddress(),
    table: dht.toArray().map((n) => ({ host: n.host, port: n.port }))
  }
}

function reply (m) {
  return {
    from: { host: m.from.host, port: m.from.port, id: hex(m.from.id) },
    to: addr(m.to),
    token: hex(m.token),
    error: m.error,
    value: hex(m.value),
    closerNodes: (m.closerNodes || []).map(addr)
  }
}

const ops = {
  async node ({ name, bootstrap = [], ephemeral, firewalled, quickFirewall, bootstrapper }) {
    let dht
    if (bootstrapper) {
      dht = DHT.bootstrapper(await freePort(), '127.0.0.1', { bootstrap })
    } else {
      const opts = { host: '127.0.0.1', bootstrap }
      if (ephemeral !== undefined) opts.ephemeral = ephemeral
      if (firewalled !== undefined) opts.firewalled = firewalled
      if (quickFirewall !== undefined) opts.quickFirewall = quickFirewall
      dht = new DHT(opts)
    }
    nodes.set(name, dht)
    await dht.fullyBootstrapped()
    return describe(dht)
  },
  async state ({ name }) {
    return describe(get(name))
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
  async ping ({ name, to, retry = true }) {
    return reply(await get(name).ping(to, { retry }))
  },
  async request ({ name, to, command, target, value, token, retry = true }) {
    return reply(await get(name).request({ command, target: buf(target), value: buf(value), token: buf(token) }, to,
      { retry }))
  },
  async findNode ({ name, target }) {
    const q = get(name).findNode(buf(target))
    await q.finished()
    return { closest: q.closestReplies.map((m) => hex(m.from.id)) }
  },
  async query ({ name, target, command, value, commit }) {
    const q = get(name).query({ target: buf(target), command, value: buf(value) }, { commit: !!commit })
    await q.finished()
    return { closest: q.closestReplies.map((m) => hex(m.from.id)) }
  },
  async serve ({ name, command }) {
    commits.set(name, 0)
    get(name).on('request', (req) => {
      if (req.command !== command) return req.error(DHT.ERROR_UNKNOWN_COMMAND)
      if (req.token) commits.set(name, commits.get(name) + 1)
      req.reply(Buffer.from('js'))
    })
    return true
  },
  async commits ({ name }) {
    return commits.get(name) || 0
  },
  async resetCommits () {
    for (const name of commits.keys()) commits.set(name, 0)
    return true
  },
  async has ({ name, nodeId }) {
    return get(name).table.get(buf(nodeId)) !== null
  },
  async check ({ name, nodeId }) {
    // JS's own upkeep step for one table node (the ping sweep calls it every 8 ticks)
    const dht = get(name)
    const node = dht.table.get(buf(nodeId))
    if (node) dht._check(node)
    return node !== null
  },
  async downHint ({ name, to, down }) {
    const value = Buffer.alloc(6)
    peer.ipv4.encode({ start: 0, end: 6, buffer: value }, down)
    const res = await new Promise((resolve, reject) =>
      get(name)._request(to, false, true, 3, null, value, null, resolve, reject))
    return reply(res)
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
  for (const dht of nodes.values()) await dht.destroy().catch(() => {})
})
