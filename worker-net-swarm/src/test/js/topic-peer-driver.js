// A plain JS peer of the worker network for SwarmInteropIT: hyperdht 6.34.0 and @hyperswarm/rpc 3.5.0 from
// interop/node_modules and nothing of ours, used the way the JS worker framework's net facility uses them: the topic
// key is BLAKE2b-256 of the topic's UTF-8 bytes (hypercore-crypto hash), dht.lookup finds announcers' keys,
// rpc.request calls one; a server announces its key under a topic with its relay addresses. Payloads are UTF-8 JSON.
// JSON lines on stdin (testkit json-lines-driver): {"id", "op", ...} -> {"id", "ok", "result" | "error"}.
const DHT = require('hyperdht')
const RPC = require('@hyperswarm/rpc')
const crypto = require('hypercore-crypto')
const { freePort, serve } = require('../../../../testkit/src/main/js/json-lines-driver')

let dht = null
let rpc = null
const servers = []
const topicKey = (topic) => crypto.hash(Buffer.from(topic, 'utf-8'))
const json = (value) => Buffer.from(JSON.stringify(value), 'utf-8')
const parse = (buf) => JSON.parse(Buffer.from(buf).toString('utf-8'))
const hex = (b) => Buffer.from(b).toString('hex')

function describeError (err) {
  return { code: err.code || null, message: err.message, cause: err.cause ? { code: err.cause.code || null, message: err.cause.message, context: err.cause.context || null } : null }
}

const ops = {
  async node ({ bootstrap }) {
    // One key pair for the node and the RPC: @hyperswarm/rpc's requests connect with the node's default key pair,
    // its servers listen with its own, and a worker judges (allowOnly) the key the handshake proves.
    const keyPair = DHT.keyPair()
    dht = new DHT({ host: '127.0.0.1', port: await freePort(), bootstrap, ephemeral: true, keyPair })
    await dht.fullyBootstrapped()
    rpc = new RPC({ dht, keyPair })
    return { publicKey: hex(rpc.defaultKeyPair.publicKey) }
  },
  // Announcers of the topic (own key left out), then a call to the first of them.
  async topicRequest ({ topic, method, payload }) {
    const keys = []
    for await (const reply of dht.lookup(topicKey(topic))) {
      for (const peer of reply.peers) {
        const k = hex(peer.publicKey)
        if (!keys.includes(k) && k !== hex(rpc.defaultKeyPair.publicKey)) keys.push(k)
      }
    }
    if (keys.length === 0) throw new Error('ERR_NO_PEERS')
    try {
      const reply = await rpc.request(Buffer.from(keys[0], 'hex'), method, json(payload), { timeout: 20000 })
      return { announcers: keys, reply: parse(reply) }
    } catch (err) {
      return { announcers: keys, error: describeError(err) }
    }
  },
  // A streaming call: the open frame as the request, stream.chunk events on this connection, the end frame as reply.
  async stream ({ publicKey, method, payload, stream = 1 }) {
    const client = rpc.connect(Buffer.from(publicKey, 'hex'))
    const chunks = []
    client.rpc.respond('stream.chunk', (value) => { chunks.push(parse(value)) })
    try {
      const end = parse(await client.request(method, json({ stream, payload }), { timeout: 20000 }))
      return { chunks, end }
    } finally {
      client.destroy()
    }
  },
  // An RPC server on this node's key: 'hello' answers who called (the key its handshake proved) and what was sent;
  // 'quota' fails the way JS worker handlers do, with the code as the message. Announced under `topic`.
  async serve ({ topic }) {
    const server = rpc.createServer()
    server.respond('hello', (req, conn) => json({ hello: parse(req), from: hex(conn.stream.remotePublicKey) }))
    server.respond('quota', () => { throw new Error('ERR_QUOTA') })
    await server.listen()
    servers.push(server)
    await dht.announce(topicKey(topic), rpc.defaultKeyPair).finished()
    return { publicKey: hex(server.publicKey) }
  }
}

serve(ops, async () => {
  for (const s of servers) await s.close().catch(() => {})
  if (rpc) await rpc.destroy({ force: true }).catch(() => {})
  if (dht) await dht.destroy({ force: true }).catch(() => {})
})
