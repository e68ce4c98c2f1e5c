// secret-stream + protomux-rpc server over TCP or UDX for the Java interop tests and benchmarks.
// Usage: node rpc-server.js [seedHexByte=01] [capabilityKeyHex|-] [tcp|udx]. Prints "LISTENING <port>
// <publicKeyHex> <pid>"; over UDX the port is a UDX socket's and clients connect through udx-rendezvous.js.
// With a capability key it checks the client's as @hyperswarm/rpc's server does: "OPEN" or "BAD_CAPABILITY".
// stdin commands: "destroy" (close every channel from this side), "end" (graceful end).
const net = require('net')
const UDX = require('udx-native')
const rendezvous = require('./udx-rendezvous')
const readline = require('readline')
const SecretStream = require('@hyperswarm/secret-stream')
const ProtomuxRPC = require('protomux-rpc')
const HyperswarmCapability = require('hyperswarm-capability')

const seed = Buffer.alloc(32, parseInt(process.argv[2] || '01', 16))
const keyPair = SecretStream.keyPair(seed)
const capKey = process.argv[3] && process.argv[3] !== '-' ? Buffer.from(process.argv[3], 'hex') : null
const transport = process.argv[4] || 'tcp'
const cap = new HyperswarmCapability()
const sessions = new Set()
let events = 0

async function serve (raw) {
  const stream = new SecretStream(false, raw, { keyPair })
  stream.on('error', () => {})
  // the capability is derived from the handshake hash, so wait for the handshake (hyperdht's streams have it)
  if (capKey && !(await stream.opened)) return
  const rpc = new ProtomuxRPC(stream, {
    id: keyPair.publicKey,
    ...(capKey && { handshakeEncoding: HyperswarmCapability.Encoding, handshake: { capability: cap.generate(stream, capKey) } })
  })
  sessions.add(rpc)
  rpc.respond('echo', (req) => req)
  rpc.respond('fail', () => { throw new Error('boom') })
  rpc.respond('failCoded', () => {
    const err = new Error('coded boom')
    err.code = 'E_CODED'
    err.context = 'some context'
    throw err
  })
  rpc.respond('hang', () => new Promise(() => {}))
  rpc.respond('ev', (req) => {
    events++
    console.log('EVENT ' + (req ? req.toString() : 'null'))
  })
  rpc.respond('events', () => Buffer.from(String(events)))
  rpc.on('open', (handshake) => {
    if (capKey && !(handshake && handshake.capability && cap.verify(stream, capKey, handshake.capability))) {
      console.log('BAD_CAPABILITY')
      rpc.destroy(new Error('Remote sent invalid capability'))
      return
    }
    console.log('OPEN')
  })
  rpc.on('close', () => {
    sessions.delete(rpc)
    stream.destroy()
    console.log('CLOSED')
  })
}

function listening (port) {
  console.log('LISTENING ' + port + ' ' + keyPair.publicKey.toString('hex') + ' ' + process.pid)
}

if (transport === 'udx') {
  const udx = new UDX()
  const socket = udx.createSocket()
  socket.bind(0, '127.0.0.1')
  rendezvous.serve(udx, socket, serve)
  listening(socket.address().port)
} else {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true)
    serve(socket)
  })
  server.listen(0, '127.0.0.1', () => listening(server.address().port))
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  for (const rpc of sessions) {
    if (line === 'destroy') rpc.destroy()
    if (line === 'end') rpc.end()
  }
})
