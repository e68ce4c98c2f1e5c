// What the connection drivers share: streams kept by id for later ops, waiting for a stream to open, and the seeded
// echo that proves every byte came back.
const crypto = require('crypto')

// Resolves once the stream opened, rejects with its error (or after timeoutMs).
function opened (socket, timeoutMs) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no open after ' + timeoutMs + ' ms')), timeoutMs)
    socket.once('open', () => { clearTimeout(t); resolve() })
    socket.once('error', (err) => { clearTimeout(t); reject(err) })
    socket.once('close', () => { clearTimeout(t); reject(new Error('closed before open')) })
  })
}

// A table of open streams: keep(socket) -> id; the echo and closeStream ops work on those ids.
function keptStreams () {
  const streams = new Map()
  let next = 0
  return {
    streams,
    keep (socket) {
      const id = 's' + (++next)
      socket.on('error', () => {})
      streams.set(id, socket)
      socket.once('close', () => streams.delete(id))
      return id
    },
    // Writes `size` seeded bytes in 64 KiB chunks and reads them back; the SHA-256 of both.
    async echo ({ stream, size, seed = 1 }) {
      const socket = streams.get(stream)
      if (!socket) throw new Error('no stream ' + stream)
      const data = Buffer.alloc(size)
      for (let i = 0; i < size; i++) data[i] = (i * 31 + seed * 7) & 0xff
      const received = []
      let got = 0
      const done = new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('echo timed out at ' + got + ' bytes')), 30000)
        socket.on('data', (d) => {
          received.push(d)
          got += d.length
          if (got >= size) { clearTimeout(t); resolve() }
        })
        socket.once('error', (err) => { clearTimeout(t); reject(err) })
      })
      for (let at = 0; at < size; at += 65536) socket.write(data.subarray(at, Math.min(size, at + 65536)))
      await done
      socket.removeAllListeners('data')
      const sha = (b) => crypto.createHash('sha256').update(b).digest('hex')
      return { sent: sha(data), received: sha(Buffer.concat(received)) }
    },
    async closeStream ({ stream }) {
      const socket = streams.get(stream)
      if (socket) socket.destroy()
      return true
    }
  }
}

module.exports = { opened, keptStreams }
