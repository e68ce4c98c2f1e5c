// @hyperswarm/rpc over hyperdht, for HyperDhtRpcBench: a server process or a client process on a DHT given by its
// bootstrap node, all on 127.0.0.1.
//   node hdht-bench-peer.js server <bootstrapPort> <seedBase> <keys>      prints "LISTENING <pk,pk,...>"
//   node hdht-bench-peer.js cold <bootstrapPort> <pk,pk,...>               prints "COLD <ms> ..." ("T" = timed out)
//   node hdht-bench-peer.js sequential|pipelined <bootstrapPort> <pk> <count> [window=1000] [warmUpMs=0]
//                                                                        prints "RESULT <mode> <count> <millis> <vcsw> <ivcsw> <cpuMicros>"
// Each load runs unmeasured first, again and again for warmUpMs (at least once).
// Cold: per key a fresh connection (the key was never connected, so no relay is cached): lookup, handshake, first
// echo, measured from connect() to the echo's answer; then the connection is destroyed.
const DHT = require('hyperdht')
const RPC = require('@hyperswarm/rpc')
const { freePort } = require('../../../../testkit/src/main/js/json-lines-driver')

const [mode, bootstrapPort, ...rest] = process.argv.slice(2)
const payload = Buffer.alloc(64, 7)
const COLD_TIMEOUT = 30000

async function main () {
  const dht = new DHT({ host: '127.0.0.1', port: await freePort(), bootstrap: [{ host: '127.0.0.1', port: Number(bootstrapPort) }] })
  await dht.fullyBootstrapped()
  if (mode === 'server') {
    const [seedBase, keys] = rest.map(Number)
    const publicKeys = []
    for (let i = 0; i < keys; i++) {
      const seed = Buffer.alloc(32)
      seed[0] = seedBase
      seed[1] = i & 0xff
      seed[2] = i >> 8
      const rpc = new RPC({ dht, keyPair: DHT.keyPair(seed) })
      const server = rpc.createServer()
      server.respond('echo', (req) => req)
      await server.listen()
      publicKeys.push(server.publicKey.toString('hex'))
    }
    console.log('LISTENING ' + publicKeys.join(','))
    return
  }
  const rpc = new RPC({ dht })
  if (mode === 'cold') {
    const times = []
    for (const hex of rest[0].split(',')) {
      const started = process.hrtime.bigint()
      const client = rpc.connect(Buffer.from(hex, 'hex'))
      try {
        await client.request('echo', payload, { timeout: COLD_TIMEOUT })
        times.push((Number(process.hrtime.bigint() - started) / 1e6).toFixed(2))
      } catch {
        times.push('T')
      }
      client.destroy()
    }
    console.log('COLD ' + times.join(' '))
  } else {
    const key = Buffer.from(rest[0], 'hex')
    const count = Number(rest[1])
    const windowSize = Number(rest[2] || 1000)
    const warmUpNs = BigInt(Number(rest[3] || 0)) * 1000000n
    const load = async () => {
      if (mode === 'sequential') {
        for (let i = 0; i < count; i++) await rpc.request(key, 'echo', payload)
      } else {
        for (let done = 0; done < count; done += windowSize) {
          const batch = []
          for (let i = 0; i < Math.min(windowSize, count - done); i++) batch.push(rpc.request(key, 'echo', payload))
          await Promise.all(batch)
        }
      }
    }
    const warmUpStart = process.hrtime.bigint()
    do {
      await load() // warm-up, as the Java peer does
    } while (process.hrtime.bigint() - warmUpStart < warmUpNs)
    console.log('MEASURING') // the bench samples the server's counters now
    const start = process.hrtime.bigint()
    const before = process.resourceUsage()
    const cpu = process.cpuUsage()
    await load()
    const took = (Number(process.hrtime.bigint() - start) / 1e6).toFixed(1)
    const used = process.cpuUsage(cpu)
    const after = process.resourceUsage() // context switches of the measured run: how often this process slept
    console.log('RESULT ' + mode + ' ' + count + ' ' + took + ' ' +
      (after.voluntaryContextSwitches - before.voluntaryContextSwitches) + ' ' +
      (after.involuntaryContextSwitches - before.involuntaryContextSwitches) + ' ' + (used.user + used.system))
  }
  await rpc.destroy()
  await dht.destroy()
  process.exit(0)
}

main().catch((err) => {
  console.log('FAILED ' + err.message)
  process.exit(1)
})
