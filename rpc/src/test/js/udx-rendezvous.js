// The stand-in for HyperDHT's connection setup in the RPC-over-UDX tests and benchmarks (Java: UdxRendezvous).
// The client sends the datagram "HELLO <clientStreamId>" to the server's socket; the server connects a new stream to
// the sender and answers "WELCOME <serverStreamId> <clientStreamId>". A repeated HELLO gets the same answer.

// Serves `socket`: calls onStream(rawStream) once per new client, with the stream already connected.
function serve (udx, socket, onStream) {
  const accepted = new Map() // "host:port:clientId" -> server stream id
  let nextId = 1
  socket.on('message', (buf, peer) => {
    const text = buf.toString()
    if (!text.startsWith('HELLO ')) return
    const clientId = Number(text.slice(6))
    const key = peer.host + ':' + peer.port + ':' + clientId
    let id = accepted.get(key)
    if (id === undefined) {
      id = nextId++
      accepted.set(key, id)
      const raw = udx.createStream(id)
      raw.connect(socket, clientId, peer.port, peer.host)
      raw.on('close', () => accepted.delete(key))
      onStream(raw)
    }
    socket.trySend(Buffer.from('WELCOME ' + id + ' ' + clientId), peer.port, peer.host)
  })
}

// Resolves with a raw stream connected to the server at 127.0.0.1:port.
function connect (udx, socket, port) {
  const raw = udx.createStream(1 + Math.floor(Math.random() * 0xfffffff0))
  return new Promise((resolve, reject) => {
    const hello = Buffer.from('HELLO ' + raw.id)
    const retry = setInterval(() => socket.trySend(hello, port, '127.0.0.1'), 200)
    const giveUp = setTimeout(() => { clearInterval(retry); reject(new Error('no WELCOME')) }, 10000)
    socket.on('message', (buf) => {
      const [word, serverId, clientId] = buf.toString().split(' ')
      if (word !== 'WELCOME' || Number(clientId) !== raw.id || raw.connected) return
      clearInterval(retry)
      clearTimeout(giveUp)
      raw.connect(socket, Number(serverId), port, '127.0.0.1')
      resolve(raw)
    })
    socket.trySend(hello, port, '127.0.0.1')
  })
}

module.exports = { serve, connect }
