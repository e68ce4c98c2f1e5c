// protomux-rpc client with the @hyperswarm/rpc capability handshake, over TCP + secret-stream.
// Usage: node rpc-cap-client.js <port> <serverPublicKeyHex> <capabilityKeyHex>
// Prints "OPEN" when the server's capability checked out, "BAD_CAPABILITY" if not, then the echo result or "CLOSED".
const net = require('net')
const SecretStream = require('@hyperswarm/secret-stream')
const ProtomuxRPC = require('protomux-rpc')
const HyperswarmCapability = require('hyperswarm-capability')

const [port, keyHex, capHex] = process.argv.slice(2)

async function main() {
  const socket = net.connect(Number(port), '127.0.0.1')
  const stream = new SecretStream(true, socket, { keyPair: SecretStream.keyPair() })
  stream.on('error', () => {})
  await stream.opened
  const cap = new HyperswarmCapability()
  const key = Buffer.from(capHex, 'hex')
  const rpc = new ProtomuxRPC(stream, {
    id: Buffer.from(keyHex, 'hex'),
    handshakeEncoding: HyperswarmCapability.Encoding,
    handshake: { capability: cap.generate(stream, key) }
  })
  rpc.on('close', () => console.log('CLOSED'))
  rpc.on('open', async (handshake) => {
    if (!handshake.capability || !cap.verify(stream, key, handshake.capability)) {
      console.log('BAD_CAPABILITY')
      rpc.destroy(new Error('Remote sent invalid capability'))
      return
    }
    console.log('OPEN')
    const reply = await rpc.request('echo', Buffer.from('capable'))
    console.log('ECHO ' + reply.toString())
  })
}

main().catch((err) => {
  console.log('FAILED ' + err.message)
  process.exit(1)
})
