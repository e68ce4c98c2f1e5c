// Echo load generator against an RPC server over protomux-rpc + secret-stream + udx-native (see rpc-udx-server.js
// for the rendezvous). Usage: node rpc-udx-bench-client.js <port> <serverPublicKeyHex> <pipelined|sequential> <count>
// <payloadBytes> [window=1000]. Prints "RESULT <mode> <count> <millis>".
const UDX = require('udx-native')
const SecretStream = require('@hyperswarm/secret-stream')
const ProtomuxRPC = require('protomux-rpc')

const [port, keyHex, mode, countArg, sizeArg, windowArg] = process.argv.slice(2)
const count = Number(countArg)
const payload = Buffer.alloc(Number(sizeArg), 7)
const windowSize = Number(windowArg || 1000)

function connect (udx, socket) {
  const raw = udx.createStream(1 + Math.floor(Math.random() * 0xfffffff0))
  return new Promise((resolve, reject) => {
    const hello = Buffer.from('HELLO ' + raw.id)
    const retry = setInterval(() => socket.trySend(hello, Number(port), '127.0.0.1'), 200)
    const giveUp = setTimeout(() => { clearInterval(retry); reject(new Error('no WELCOME')) }, 10000)
    socket.on('message', (buf) => {
      const [word, serverId, clientId] = buf.toString().split(' ')
      if (word !== 'WELCOME' || Number(clientId) !== raw.id || raw.connected) return
      clearInterval(retry)
      clearTimeout(giveUp)
      raw.connect(socket, Number(serverId), Number(port), '127.0.0.1')
      resolve(raw)
    })
    socket.trySend(hello, Number(port), '127.0.0.1')
  })
}

async function main () {
  const udx = new UDX()
  const socket = udx.createSocket()
  socket.bind(0, '127.0.0.1')
  const raw = await connect(udx, socket)
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
  socket.close().catch(() => {})
  setTimeout(() => process.exit(0), 100)
}

main().catch((err) => {
  console.log('FAILED ' + err.message)
  process.exit(1)
})
