// A udx-native peer driven by line commands on stdin, reporting on stdout, for the Java interop tests.
// usage: node peer.js <streamId> <mode: echo|sink|source|rtt>
const UDX = require('udx-native')
const crypto = require('crypto')
const readline = require('readline')

const id = Number(process.argv[2])
const mode = process.argv[3] || 'echo'
const udx = new UDX()
const socket = udx.createSocket()
socket.bind(0, '127.0.0.1')
const stream = udx.createStream(id)

stream.on('error', (err) => console.log('error', err.code || err.message))
stream.on('close', () => console.log('closed'))
stream.on('message', (m) => {
  console.log('message', m.toString('hex'))
  if (mode === 'echo') stream.trySend(m)
})
stream.on('end', () => console.log('end'))

const hash = crypto.createHash('sha256')
let received = 0
stream.on('data', (data) => {
  received += data.length
  if (mode === 'echo') stream.write(data)
  else hash.update(data)
})
stream.on('end', () => {
  if (mode === 'sink') console.log('hash', hash.digest('hex'), received)
  if (mode !== 'source') stream.end()
})

async function source (total) {
  const out = crypto.createHash('sha256')
  const chunk = 1 << 20
  for (let sent = 0; sent < total; sent += chunk) {
    const buf = crypto.randomBytes(Math.min(chunk, total - sent))
    out.update(buf)
    if (!stream.write(buf)) await new Promise((resolve) => stream.once('drain', resolve))
  }
  stream.end()
  console.log('sent', out.digest('hex'), total)
}

// Sequential 64-byte echoes against an echoing peer; prints "rtt <round trips per second>".
function rtt (count) {
  const msg = Buffer.alloc(64, 1)
  let done = 0
  let pending = 0
  const start = process.hrtime.bigint()
  stream.removeAllListeners('data')
  stream.on('data', (d) => {
    pending += d.length
    while (pending >= 64) {
      pending -= 64
      if (++done === count) {
        console.log('rtt', (count / (Number(process.hrtime.bigint() - start) / 1e9)).toFixed(0))
        return
      }
      stream.write(msg)
    }
  })
  stream.write(msg)
}

const commands = {
  connect: (remoteId, port) => {
    stream.connect(socket, Number(remoteId), Number(port), '127.0.0.1')
    console.log('connected')
  },
  source: (n) => source(Number(n)),
  rtt: (n) => rtt(Number(n)),
  write: (hex) => stream.write(Buffer.from(hex, 'hex')),
  send: (hex) => stream.trySend(Buffer.from(hex, 'hex')),
  end: () => stream.end(),
  destroy: () => stream.destroy(),
  exit: () => process.exit(0)
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, ...args] = line.trim().split(' ')
  if (commands[cmd]) commands[cmd](...args)
})

console.log('ready', socket.address().port, id)
