// A JS HyperDHT peer of the NAT testbed, run inside a peer namespace:
//   node peer.js <host> <bootstrapHost:port>
// Every DHT it makes binds <host> (the namespace's own address) on a random port, never 0.0.0.0. It reads one JSON
// command per stdin line and answers each with one JSON line:
//   {"cmd":"listen","seed":n,"opts":{...}}   fresh DHT, createServer(opts).listen(keyPair(seed)); echoes all data.
//       The key seed is 32 bytes: n as uint32 big-endian, then 0x4e bytes (see keySeed below)
//       -> {"event":"listening","publicKey","firewalled","ms"}; later, per connection:
//          {"event":"connection","path","remote","firewall":{local,remote}}
//   {"cmd":"connect","publicKey":hex,"opts":{...},"relayHost":h|null,"timeoutMs":n}
//       fresh DHT, connect(publicKey, opts), one message echoed back, then closed
//       -> {"event":"result","outcome":"direct|punched|relayed|failed","connectMs","echoMs","elapsedMs","path",
//           "remote","punches","firewall":{local,remote},"error"}; elapsedMs is the time to the outcome, failures too
//   {"cmd":"stats"}  -> {"event":"stats","punches","relaying"} of the listening DHT
// A fresh DHT per command keeps trials independent: the random-punch throttle (one per 20 s per DHT), socket
// pools and relay caches all start clean. Options named relayThrough take a hex public key.
const DHT = require('hyperdht')
const readline = require('readline')

const [host, bootstrapArg] = process.argv.slice(2)
const [bootHost, bootPort] = bootstrapArg.split(':')
const bootstrap = [{ host: bootHost, port: Number(bootPort) }]
const FIREWALLS = ['unknown', 'open', 'consistent', 'random']

let serverDht = null

// Limits of the steps that may hang (as JavaNatPeer's): a command always answers within the test's wait, so one stuck
// trial fails one cell and the peer keeps serving the next.
const READY_MS = 10000
const LISTEN_MS = 10000
const CLOSE_MS = 3000

function within (promise, ms, code) {
  let timer = null
  const limit = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(code + ' after ' + ms + ' ms'), { code })), ms)
  })
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer))
}

async function destroyWithin (dht, opts) {
  try {
    await within(dht.destroy(opts), CLOSE_MS, 'CLOSE_TIMEOUT')
    return null
  } catch (err) {
    return err.code || err.message
  }
}

function print (obj) {
  console.log(JSON.stringify(obj))
}

async function freshDht () {
  // A random port per DHT: no stale conntrack entry of an earlier trial in the NAT routers matches its packets.
  const port = 10000 + Math.floor(Math.random() * 50000)
  const dht = new DHT({ host, port, bootstrap })
  try {
    await within(dht.fullyBootstrapped(), READY_MS, 'READY_TIMEOUT')
  } catch (err) {
    await destroyWithin(dht, { force: true })
    throw err
  }
  return dht
}

function pathOf (dht, rawStream, relayHost) {
  if (!rawStream) return { path: 'none', remote: null }
  const remote = rawStream.remoteHost + ':' + rawStream.remotePort
  if (relayHost && rawStream.remoteHost === relayHost) return { path: 'relay', remote }
  if (rawStream.socket === dht.io.serverSocket) return { path: 'server-socket', remote }
  if (rawStream.socket === dht.io.clientSocket) return { path: 'client-socket', remote }
  return { path: 'puncher-socket', remote }
}

function recorder (target) {
  // The holepunch veto hook is the one place JS exposes both NAT classifications; it never vetoes here.
  return (remoteFirewall, localFirewall) => {
    target.local = FIREWALLS[localFirewall]
    target.remote = FIREWALLS[remoteFirewall]
    return true
  }
}

function keySeed (n) {
  const seed = Buffer.alloc(32, 0x4e)
  seed.writeUInt32BE(n >>> 0)
  return seed
}

function withKeys (opts) {
  const out = { ...opts }
  if (typeof out.relayThrough === 'string') out.relayThrough = Buffer.from(out.relayThrough, 'hex')
  return out
}

async function listen ({ seed, opts = {} }) {
  const previous = serverDht ? await destroyWithin(serverDht) : null
  serverDht = null
  const started = Date.now()
  serverDht = await freshDht()
  const dht = serverDht
  const firewall = {}
  const server = dht.createServer({ ...withKeys(opts), holepunch: recorder(firewall) }, (socket) => {
    socket.on('error', () => {})
    socket.on('data', (data) => socket.write(data))
    socket.once('open', () => print({ event: 'connection', ...pathOf(dht, socket.rawStream, null), firewall }))
  })
  const keyPair = DHT.keyPair(keySeed(seed))
  await within(server.listen(keyPair), LISTEN_MS, 'LISTEN_TIMEOUT')
  print({
    event: 'listening',
    publicKey: keyPair.publicKey.toString('hex'),
    firewalled: dht.firewalled,
    ms: Date.now() - started,
    ...(previous ? { previousServer: previous } : {})
  })
}

async function connect ({ publicKey, opts = {}, relayHost = null, timeoutMs = 20000 }) {
  const firewall = {}
  const result = { event: 'result', firewall }
  let dht
  try {
    dht = await freshDht()
  } catch (err) {
    print({ ...result, outcome: 'failed', error: err.code || err.message, elapsedMs: 0 })
    return
  }
  result.firewalled = dht.firewalled
  const started = performance.now()
  const socket = dht.connect(Buffer.from(publicKey, 'hex'), { ...withKeys(opts), holepunch: recorder(firewall) })
  const outcome = await new Promise((resolve) => {
    // NO_ECHO: the stream opened but carried nothing (hyperdht#304 looks like this); TIMEOUT: it never opened.
    const timer = setTimeout(() => {
      resolve({ outcome: 'failed', error: result.connectMs === undefined ? 'TIMEOUT' : 'NO_ECHO' })
    }, timeoutMs)
    socket.on('error', (err) => {
      clearTimeout(timer)
      resolve({ outcome: 'failed', error: err.code || err.message })
    })
    socket.once('open', () => {
      result.connectMs = Math.round(performance.now() - started)
      socket.write(Buffer.from('ping'))
    })
    socket.once('data', () => {
      clearTimeout(timer)
      result.echoMs = Math.round(performance.now() - started)
      const where = pathOf(dht, socket.rawStream, relayHost)
      const kind = where.path === 'relay' ? 'relayed' : where.path === 'puncher-socket' ? 'punched' : 'direct'
      resolve({ outcome: kind, ...where })
    })
  })
  result.elapsedMs = Math.round(performance.now() - started)
  Object.assign(result, outcome, { punches: { ...dht.stats.punches } })
  socket.destroy()
  const stuck = await destroyWithin(dht, { force: true })
  if (stuck) result.trace = stuck
  print(result)
}

async function stats () {
  const dht = serverDht
  print({ event: 'stats', punches: dht ? dht.stats.punches : null, relaying: dht ? dht.stats.relaying : null })
}

const commands = { listen, connect, stats }
const rl = readline.createInterface({ input: process.stdin })
let queue = Promise.resolve()
rl.on('line', (line) => {
  if (!line.trim()) return
  queue = queue.then(async () => {
    let command = null
    try {
      command = JSON.parse(line)
      await commands[command.cmd](command)
    } catch (err) {
      print({ event: 'error', cmd: command && command.cmd, error: err.code || err.message })
    }
  })
})
rl.on('close', () => {
  queue.then(async () => {
    if (serverDht) await serverDht.destroy()
    process.exit(0)
  })
})
