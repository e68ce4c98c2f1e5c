// A @hyperswarm/secret-stream peer over a udx-native stream on 127.0.0.1, for the Java interop tests.
//   node udx-peer.js <streamId> <initiator|responder>   -> prints "ready <port>", then takes stdin lines:
//     connect <remoteId> <port>  connect the UDX stream to the Java side and start the secret stream on it
//     send <sizes> <marker>      send one unordered message per size (comma list), first byte = marker,
//                                then one ordered message "sent" so the Java side knows the burst is out
//     end | destroy              end or destroy the secret stream
// It echoes every ordered message, answers every unordered one with send(), and ends when the peer ends.
// Reports: "open <remotePublicKey> <publicKey> <handshakeHash>", "message <len> <hex>", "data <len>",
// "remote-ended", "error <msg>", "raw-error <code>", "closed", "raw-closed".
const UDX = require('udx-native')
const SecretStream = require('@hyperswarm/secret-stream')
const readline = require('readline')

const [idArg, role] = process.argv.slice(2)
const udx = new UDX()
const socket = udx.createSocket()
socket.bind(0, '127.0.0.1')
const raw = udx.createStream(Number(idArg))
raw.on('error', (err) => console.log('raw-error ' + (err.code || err.message)))
raw.on('close', () => console.log('raw-closed'))
let stream = null

function pattern (size, marker) {
  const b = Buffer.alloc(size)
  for (let i = 0; i < size; i++) b[i] = (i * 31 + size) & 255
  if (size > 0) b[0] = marker
  return b
}

function start () {
  stream = new SecretStream(role === 'initiator', raw)
  stream.on('connect', () => {
    const hex = (b) => b.toString('hex')
    console.log(['open', hex(stream.remotePublicKey), hex(stream.publicKey), hex(stream.handshakeHash)].join(' '))
  })
  stream.on('data', (data) => {
    console.log('data ' + data.length)
    stream.write(data)
  })
  stream.on('message', (message) => {
    console.log('message ' + message.length + ' ' + message.toString('hex'))
    stream.send(message)
  })
  stream.on('end', () => {
    console.log('remote-ended')
    stream.end()
  })
  stream.on('error', (err) => console.log('error ' + err.message))
  stream.on('close', () => console.log('closed'))
}

const commands = {
  connect: (remoteId, port) => {
    raw.connect(socket, Number(remoteId), Number(port), '127.0.0.1')
    start()
    console.log('connected')
  },
  send: (sizes, marker) => {
    for (const size of sizes.split(',').map(Number)) stream.send(pattern(size, Number(marker)))
    stream.write(Buffer.from('sent'))
  },
  end: () => stream.end(),
  destroy: () => stream.destroy()
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, ...args] = line.trim().split(' ')
  if (commands[cmd]) commands[cmd](...args)
})

console.log('ready ' + socket.address().port)
