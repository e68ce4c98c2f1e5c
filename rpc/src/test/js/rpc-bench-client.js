// Echo load generator against an RPC server over secret-stream + protomux-rpc on TCP or UDX.
// Usage: node rpc-bench-client.js <port> <serverPublicKeyHex> <pipelined|sequential> <count> <payloadBytes>
// [window=1000] [tcp|udx]. Prints "RESULT <mode> <count> <millis>".
const transport = require('./transport')
const SecretStream = require('@hyperswarm/secret-stream')
const ProtomuxRPC = require('protomux-rpc')

const [port, keyHex, mode, countArg, sizeArg, windowArg, transportArg] = process.argv.slice(2)
const count = Number(countArg)
const payload = Buffer.alloc(Number(sizeArg), 7)
const windowSize = Number(windowArg || 1000)

async function main() {
  const raw = await transport.open(transportArg || 'tcp', Number(port))
  const stream = new SecretStream(true, raw, { keyPair: SecretStream.keyPair() })
  stream.on('error', () => {})
  const rpc = new ProtomuxRPC(stream, { id: Buffer.from(keyHex, 'hex') })
  await rpc.request('echo', payload)
  const start = process.hrtime.bigint()
  if (mode === 'sequential') {
    for (let i = 0; i < count; i++) await rpc.request('echo', payload)
  } else {
    for (let done = 0; done < count; done += windowSize) {
      const batch = []
      for (let i = 0; i < Math.min(windowSize, count - done); i++) batch.push(rpc.request('echo', payload))
      await Promise.all(batch)
    }
  }
  const millis = Number(process.hrtime.bigint() - start) / 1e6
  console.log('RESULT ' + mode + ' ' + count + ' ' + millis.toFixed(1))
  rpc.destroy()
  stream.destroy()
  setTimeout(() => process.exit(0), 100)
}

main().catch((err) => {
  console.log('FAILED ' + err.message)
  process.exit(1)
})
