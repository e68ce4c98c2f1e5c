// udx-native against itself in one process on 127.0.0.1: bulk throughput and small-message round trips.
// usage: node bench.js bulk <bytes> | node bench.js rtt <count>
const UDX = require('udx-native')

const [mode, arg] = process.argv.slice(2)
const udx = new UDX()
const a = udx.createSocket()
const b = udx.createSocket()
a.bind(0, '127.0.0.1')
b.bind(0, '127.0.0.1')
const sa = udx.createStream(1)
const sb = udx.createStream(2)
sa.connect(a, 2, b.address().port, '127.0.0.1')
sb.connect(b, 1, a.address().port, '127.0.0.1')

if (mode === 'bulk') {
  const total = Number(arg)
  const chunk = Buffer.alloc(1 << 16, 7)
  let received = 0
  const start = process.hrtime.bigint()
  sb.on('data', (d) => {
    received += d.length
    if (received >= total) {
      const s = Number(process.hrtime.bigint() - start) / 1e9
      console.log('bulk', (total / s / 1e6).toFixed(1))
      process.exit(0)
    }
  })
  ;(async () => {
    for (let sent = 0; sent < total; sent += chunk.length) {
      if (!sa.write(chunk)) await new Promise((resolve) => sa.once('drain', resolve))
    }
  })()
} else {
  const count = Number(arg)
  const msg = Buffer.alloc(64, 1)
  let done = 0
  let pending = 0
  sb.on('data', (d) => sb.write(d))
  const start = process.hrtime.bigint()
  sa.on('data', (d) => {
    pending += d.length
    while (pending >= 64) {
      pending -= 64
      if (++done === count) {
        const s = Number(process.hrtime.bigint() - start) / 1e9
        console.log('rtt', (count / s).toFixed(0))
        process.exit(0)
      }
      sa.write(msg)
    }
  })
  sa.write(msg)
}
