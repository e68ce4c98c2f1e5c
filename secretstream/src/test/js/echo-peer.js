// A @hyperswarm/secret-stream peer over TCP on 127.0.0.1 for the Java interop tests.
//   node echo-peer.js server            -> prints "listening <port> <publicKeyHex>", echoes every message,
//                                          ends when the peer ends; stdin "destroy" destroys the connection
//   node echo-peer.js server-ik <tx> <rx> <hash> <pk> <remotePk>  -> as server, from a finished handshake
//   node echo-peer.js client <port> <sizes> <finish>
//                                       -> sends one message per size, checks each echo, then finish:
//                                          "end" (end and wait for close) or "destroy"
const net = require('net')
const SecretStream = require('@hyperswarm/secret-stream')
const readline = require('readline')

const [mode, ...args] = process.argv.slice(2)
const keyPair = SecretStream.keyPair()
let current = null

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'destroy' && current) current.destroy()
})

function pattern (size) {
  const b = Buffer.alloc(size)
  for (let i = 0; i < size; i++) b[i] = (i * 31 + size) & 255
  return b
}

function watch (stream) {
  stream.on('error', (err) => console.log('error ' + err.message))
  stream.on('end', () => console.log('remote-ended'))
  stream.on('close', () => console.log('closed'))
}

// "server-ik <tx> <rx> <hash> <publicKey> <remotePublicKey>" (hex): skip XX, start from a finished handshake.
function streamOptions () {
  if (mode !== 'server-ik') return { keyPair }
  const [tx, rx, hash, publicKey, remotePublicKey] = args.map((h) => Buffer.from(h, 'hex'))
  return { handshake: { tx, rx, hash, publicKey, remotePublicKey } }
}

if (mode === 'server' || mode === 'server-ik') {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const stream = new SecretStream(false, socket, streamOptions())
    current = stream
    watch(stream)
    stream.on('connect', () => console.log('open ' + stream.remotePublicKey.toString('hex')))
    stream.on('data', (data) => stream.write(data))
    stream.on('end', () => stream.end())
  })
  server.listen(0, '127.0.0.1', () => {
    console.log('listening ' + server.address().port + ' ' + keyPair.publicKey.toString('hex'))
  })
} else {
  const [port, sizesArg, finish] = args
  const sizes = sizesArg.split(',').map(Number)
  const socket = net.connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true })
  const stream = new SecretStream(true, socket, { keyPair })
  current = stream
  watch(stream)
  let next = 0
  stream.on('connect', () => {
    console.log('open ' + stream.remotePublicKey.toString('hex') + ' ' + keyPair.publicKey.toString('hex'))
    stream.write(pattern(sizes[0]))
  })
  stream.on('data', (data) => {
    const size = sizes[next]
    console.log((data.equals(pattern(size)) ? 'echo-ok ' : 'echo-bad ') + size + ' ' + data.length)
    next++
    if (next < sizes.length) stream.write(pattern(sizes[next]))
    else if (finish === 'destroy') stream.destroy()
    else stream.end()
  })
}
