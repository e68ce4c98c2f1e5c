// What the long-lived JS drivers of the Java interop tests share (see testkit JsDriver): a free UDP port on 127.0.0.1
// (hyperdht turns port 0 into its default 49737, so drivers pick one first), and the JSON-lines loop: each stdin line
// {"id", "op", ...} runs ops[op](msg) and prints {"id", "ok": true, "result"} or {"id", "ok": false, "error"}; the
// ready line is printed once the loop listens; stdin closing runs `onClose` and exits.
const dgram = require('dgram')
const readline = require('readline')

function freePort () {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4')
    s.on('error', reject)
    s.bind(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) })
  })
}

function serve (ops, onClose) {
  const rl = readline.createInterface({ input: process.stdin })
  rl.on('line', async (line) => {
    let msg
    try { msg = JSON.parse(line) } catch { return }
    try {
      const result = await ops[msg.op](msg)
      process.stdout.write(JSON.stringify({ id: msg.id, ok: true, result }) + '\n')
    } catch (err) {
      process.stdout.write(JSON.stringify({ id: msg.id, ok: false, error: err.code || err.message }) + '\n')
    }
  })
  rl.on('close', async () => {
    try { await onClose() } catch {}
    process.exit(0)
  })
  process.stdout.write(JSON.stringify({ ready: true }) + '\n')
}

// dht-rpc's adaptiveTimeout options that make every send of a request wait `ms` for its answer, whatever the peer's
// measured round trips (dht-rpc's own default is 1 s per send).
function fixedTimeout (ms) {
  return { fallback: [ms], min: ms, max: ms, jitter: 0 }
}

module.exports = { fixedTimeout, freePort, serve }
