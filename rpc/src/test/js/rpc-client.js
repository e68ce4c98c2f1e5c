// secret-stream + protomux-rpc client over TCP or UDX for the Java interop tests.
// Usage: node rpc-client.js <port> <serverPublicKeyHex> [tcp|udx]
// Runs the scenario, printing one line per check, then "DONE"; then obeys stdin "end" / "destroy".
const transport = require('./transport')
const readline = require('readline')
const SecretStream = require('@hyperswarm/secret-stream')
const ProtomuxRPC = require('protomux-rpc')

const port = Number(process.argv[2])
const serverKey = Buffer.from(process.argv[3], 'hex')

function pattern(size) {
  const buf = Buffer.alloc(size)
  for (let i = 0; i < size; i++) buf[i] = (i * 31 + 7) & 0xff
  return buf
}

function describe(err) {
  const cause = err.cause ? { message: err.cause.message, code: err.cause.code, context: err.cause.context } : null
  return JSON.stringify({ code: err.code, message: err.message, cause })
}

async function main() {
  const raw = await transport.open(process.argv[4] || 'tcp', port)
  const stream = new SecretStream(true, raw, { keyPair: SecretStream.keyPair() })
  stream.on('error', () => {})
  const rpc = new ProtomuxRPC(stream, { id: serverKey })
  rpc.on('close', () => console.log('CLOSED'))

  for (const size of [0, 1, 64, 65536, 1 << 20]) {
    const value = pattern(size)
    const reply = await rpc.request('echo', value)
    const same = size === 0 ? reply === null : Buffer.isBuffer(reply) && reply.equals(value)
    console.log('ECHO ' + size + ' ' + (same ? 'ok' : 'bad'))
  }
  console.log('NULL ' + (await rpc.request('echo', null)))

  for (const method of ['fail', 'failCoded', 'nope']) {
    try {
      await rpc.request(method, Buffer.from('x'))
      console.log('ERROR none')
    } catch (err) {
      console.log('ERROR ' + method + ' ' + describe(err))
    }
  }

  rpc.event('ev', Buffer.from('one'))
  rpc.event('ev', Buffer.from('two'))
  console.log('EVENTS ' + (await rpc.request('events', null)).toString())

  const n = 10000
  const pending = []
  for (let i = 0; i < n; i++) {
    const value = Buffer.alloc(4)
    value.writeUInt32LE(i)
    pending.push(rpc.request('echo', value).then((r) => r.readUInt32LE(0) === i))
  }
  const results = await Promise.all(pending)
  console.log('PIPELINED ' + results.filter((x) => x).length)

  rpc.request('hang', null).then(
    () => console.log('HANG resolved'),
    (err) => console.log('HANG ' + err.code)
  )
  console.log('DONE')

  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'destroy') rpc.destroy()
    if (line === 'end') rpc.end()
  })
}

main().catch((err) => {
  console.log('FAILED ' + describe(err))
  process.exit(1)
})
