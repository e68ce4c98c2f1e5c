// Plain TCP + secret-stream + protomux-rpc server for the Java interop tests.
// Usage: node rpc-server.js [seedHexByte=01]. Prints "LISTENING <port> <publicKeyHex>".
// stdin commands: "destroy" (close every channel from this side), "end" (graceful end).
const net = require('net')
const readline = require('readline')
const SecretStream = require('@hyperswarm/secret-stream')
const ProtomuxRPC = require('protomux-rpc')

const seed = Buffer.alloc(32, parseInt(process.argv[2] || '01', 16))
const keyPair = SecretStream.keyPair(seed)
const sessions = new Set()
let events = 0

const server = net.createServer((socket) => {
  socket.setNoDelay(true)
  const stream = new SecretStream(false, socket, { keyPair })
  stream.on('error', () => {})
  const rpc = new ProtomuxRPC(stream, { id: keyPair.publicKey })
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
  rpc.on('open', () => console.log('OPEN'))
  rpc.on('close', () => {
    sessions.delete(rpc)
    stream.destroy()
    console.log('CLOSED')
  })
})

server.listen(0, '127.0.0.1', () => {
  console.log('LISTENING ' + server.address().port + ' ' + keyPair.publicKey.toString('hex'))
})

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  for (const rpc of sessions) {
    if (line === 'destroy') rpc.destroy()
    if (line === 'end') rpc.end()
  }
})
