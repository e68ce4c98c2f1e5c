// The DHT "internet" of the NAT testbed: a bootstrapper and persistent, unfirewalled nodes, each on its own address
// of the internet namespace, plus an optional blind-relay server on the last node. Run inside that namespace.
//   node testnet.js <port> <host,host,...> [relaySeed]
// The first host runs the bootstrapper (DHT.bootstrapper, so it has an id too), every other host one node; all bind
// <port> on their own address, never 0.0.0.0. Prints one JSON line:
//   {"event":"ready","bootstrap":"h:p","nodes":[{"host","port","id"}],"relay":{"publicKey","host","port"}|null}
// then answers stdin lines: "stats" -> {"event":"stats","relay":<blind-relay stats>,"nodes":<count with ids>}.
// Exits when stdin ends (the Java side closing the process), after destroying every node.
const DHT = require('hyperdht')
const BlindRelay = require('blind-relay')
const readline = require('readline')

const [portArg, hostsArg, relaySeedArg] = process.argv.slice(2)
const port = Number(portArg)
const hosts = hostsArg.split(',')
const bootstrap = [{ host: hosts[0], port }]

async function main () {
  const nodes = [DHT.bootstrapper(port, hosts[0], { host: hosts[0] })]
  await nodes[0].fullyBootstrapped()
  for (const host of hosts.slice(1)) {
    const node = new DHT({ ephemeral: false, firewalled: false, bootstrap, host, port, anyPort: false })
    await node.fullyBootstrapped()
    nodes.push(node)
  }

  let relay = null
  let relayInfo = null
  if (relaySeedArg !== undefined) {
    const node = nodes[nodes.length - 1]
    relay = new BlindRelay.Server({ createStream: (opts) => node.createRawStream({ ...opts, framed: true }) })
    const server = node.createServer((socket) => {
      // A peer leaving resets its relay streams; that ends its session, never the relay.
      socket.on('error', () => {})
      relay.accept(socket, { id: socket.remotePublicKey }).on('error', () => {})
    })
    const keyPair = DHT.keyPair(Buffer.alloc(32, Number(relaySeedArg)))
    await server.listen(keyPair)
    relayInfo = { publicKey: keyPair.publicKey.toString('hex'), host: node.host, port: node.port }
  }

  const described = nodes.map((n) => ({ host: n.host, port: n.port, id: n.id ? n.id.toString('hex') : null }))
  console.log(JSON.stringify({
    event: 'ready', bootstrap: hosts[0] + ':' + port, nodes: described, relay: relayInfo
  }))

  const rl = readline.createInterface({ input: process.stdin })
  rl.on('line', (line) => {
    if (line.trim() === 'stats') {
      console.log(JSON.stringify({
        event: 'stats', relay: relay ? relay.stats : null, nodes: nodes.filter((n) => n.id).length
      }))
    }
  })
  rl.on('close', async () => {
    if (relay) await relay.close()
    for (const node of nodes.reverse()) await node.destroy()
    process.exit(0)
  })
}

main().catch((err) => {
  console.log(JSON.stringify({ event: 'error', error: err.code || err.message }))
  process.exit(1)
})
