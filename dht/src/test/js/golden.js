// Generates golden behaviour of the pure dht-rpc helpers from the pinned JS, for the Java unit tests.
// Usage (from interop/): NODE_PATH=node_modules node ../dht/src/test/js/golden.js > ../dht/src/test/resources/golden/dht-rpc.json
// Deterministic: a small seeded PRNG, no Math.random.
const NatSampler = require('nat-sampler')
const Table = require('kademlia-routing-table')
const Health = require('dht-rpc/lib/health')

let seed = 0x2f6b1a3d
function rnd () { // xorshift32
  seed ^= seed << 13; seed >>>= 0
  seed ^= seed >>> 17
  seed ^= seed << 5; seed >>>= 0
  return seed / 4294967296
}
function int (n) { return Math.floor(rnd() * n) }
function id () { const b = Buffer.alloc(32); for (let i = 0; i < 32; i++) b[i] = int(256); return b }
function idNear (base, bits) { // shares the first `bits` bits with base, then random
  const b = id()
  for (let i = 0; i < 32; i++) {
    if (bits >= 8) { b[i] = base[i]; bits -= 8; continue }
    const mask = (0xff << (8 - bits)) & 0xff
    b[i] = (base[i] & mask) | (b[i] & ~mask & 0xff)
    break
  }
  return b
}

const nat = []
for (let c = 0; c < 40; c++) {
  const s = new NatSampler()
  const hosts = ['1.1.1.1', '2.2.2.2', '3.3.3.3'].slice(0, 1 + int(3))
  const ports = [1000, 2000, 3000, 4000].slice(0, 1 + int(4))
  const steps = []
  const n = 1 + int(60)
  for (let i = 0; i < n; i++) {
    const host = hosts[int(hosts.length)]
    const port = ports[int(ports.length)]
    s.add(host, port)
    steps.push([host, port, s.host, s.port])
  }
  nat.push(steps)
}

const tables = []
for (let c = 0; c < 8; c++) {
  const self = id()
  const t = new Table(self)
  const ops = []
  const ids = []
  const n = 20 + int(250)
  for (let i = 0; i < n; i++) {
    const nid = rnd() < 0.6 ? idNear(self, int(12)) : id()
    ids.push(nid)
    ops.push(['add', nid.toString('hex'), t.add({ id: nid })])
  }
  for (let i = 0; i < 10; i++) {
    const victim = ids[int(ids.length)]
    ops.push(['remove', victim.toString('hex'), t.remove(victim)])
  }
  for (let i = 0; i < 8; i++) {
    const target = rnd() < 0.5 ? idNear(self, int(10)) : id()
    const k = rnd() < 0.7 ? 20 : 1 + int(40)
    ops.push(['closest', target.toString('hex'), k, t.closest(target, k).map(x => x.id.toString('hex'))])
  }
  ops.push(['size', t.size])
  tables.push({ id: self.toString('hex'), ops })
}

const health = []
for (let c = 0; c < 30; c++) {
  const dht = { stats: { requests: { responses: 0, timeouts: 0 } }, events: [],
    _online () { this.events.push('online') }, _degraded () { this.events.push('degraded') }, _offline () { this.events.push('offline') } }
  const h = new Health(dht)
  const ticks = []
  const n = 5 + int(40)
  const mode = int(4)
  for (let i = 0; i < n; i++) {
    let r = int(10); let t = int(10)
    if (mode === 1) r = int(2)
    if (mode === 2) { r = i > n / 2 ? 0 : int(10); t = int(10) }
    if (mode === 3 && rnd() < 0.3) { r = 0; t = 0 }
    dht.stats.requests.responses += r
    dht.stats.requests.timeouts += t
    dht.events = []
    if (rnd() < 0.03) { h.reset(); ticks.push(['reset', h.online, h.degraded]); continue }
    h.update()
    ticks.push([r, t, h.online, h.degraded, dht.events[0] || null])
  }
  health.push(ticks)
}

process.stdout.write(JSON.stringify({ nat, tables, health }) + '\n')
