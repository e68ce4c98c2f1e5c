// protomux-rpc over secret-stream over udx-native: the JS echo server of the UDX benchmarks (RpcUdxEchoBench,
// RpcUdxScaleBench). Connections start with a tiny rendezvous on the server's socket, standing in for what HyperDHT
// does before a stream exists: the client sends the datagram "HELLO <clientStreamId>", the server connects a new
// stream to it and answers "WELCOME <serverStreamId> <clientStreamId>"; then a secret stream (XX, client initiates)
// carries a protomux-rpc channel whose id is the server's public key.
// Usage: node rpc-udx-server.js [seedHexByte=05]. Prints "LISTENING <port> <publicKeyHex> <pid>", then on stdin
// "stats" prints "STATS <open connections> <requests served>".
const UDX = require('udx-native')
const SecretStream = require('@hyperswarm/secret-stream')
const ProtomuxRPC = require('protomux-rpc')
const readline = require('readline')

const seed = Buffer.alloc(32, parseInt(process.argv[2] || '05', 16))
const keyPair = SecretStream.keyPair(seed)
const udx = new UDX()
const socket = udx.createSocket()
socket.bind(0, '127.0.0.1')
const accepted = new Map() // "host:port:clientId" -> server stream id, so a repeated HELLO gets the same answer
let nextId = 1
let open = 0
let served = 0

socket.on('message', (buf, peer) => {
  const text = buf.toString()
  if (!text.startsWith('HELLO ')) return
  const clientId = Number(text.slice(6))
  const key = peer.host + ':' + peer.port + ':' + clientId
  let id = accepted.get(key)
  if (id === undefined) {
    id = nextId++
    accepted.set(key, id)
    serve(udx.createStream(id), clientId, peer, key)
  }
  socket.trySend(Buffer.from('WELCOME ' + id + ' ' + clientId), peer.port, peer.host)
})

function serve (raw, clientId, peer, key) {
  raw.connect(socket, clientId, peer.port, peer.host)
  const stream = new SecretStream(false, raw, { keyPair })
  stream.on('error', () => {})
  const rpc = new ProtomuxRPC(stream, { id: keyPair.publicKey })
  open++
  rpc.respond('echo', (req) => { served++; return req })
  rpc.on('close', () => stream.destroy())
  stream.on('close', () => { open--; accepted.delete(key) })
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'stats') console.log('STATS ' + open + ' ' + served)
})

console.log('LISTENING ' + socket.address().port + ' ' + keyPair.publicKey.toString('hex') + ' ' + process.pid)
