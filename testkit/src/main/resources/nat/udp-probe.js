// Plain UDP probes that show how a testbed NAT maps and filters, with no DHT involved.
//   node udp-probe.js reflect <host,host,...> <port,port,...>
//     binds every host:port; answers each datagram with {"seen":"<source ip:port>"}; prints {"event":"ready"};
//     stdin lines {"from":"host:port","to":"ip:port","text":"..."} send text from that socket.
//   node udp-probe.js probe <host> <ip:port,ip:port,...>
//     one socket on host (random port); sends to every target until each has answered, then prints
//     {"event":"mapped","local":port,"mapped":{"<target>":"<source as the target saw it>"}};
//     afterwards prints {"event":"got","from":"ip:port","text":"..."} for every datagram that reaches it.
const dgram = require('dgram')
const readline = require('readline')

const [mode, hostsArg, listArg] = process.argv.slice(2)
const print = (obj) => console.log(JSON.stringify(obj))

function bind (host, port) {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4')
    socket.once('error', reject)
    socket.bind(port, host, () => resolve(socket))
  })
}

async function reflect () {
  const sockets = new Map()
  for (const host of hostsArg.split(',')) {
    for (const port of listArg.split(',').map(Number)) {
      const socket = await bind(host, port)
      socket.on('message', (_, rinfo) => {
        socket.send(JSON.stringify({ seen: rinfo.address + ':' + rinfo.port }), rinfo.port, rinfo.address)
      })
      sockets.set(host + ':' + port, socket)
    }
  }
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const { from, to, text } = JSON.parse(line)
    const [host, port] = to.split(':')
    sockets.get(from).send(text, Number(port), host)
  })
  print({ event: 'ready' })
}

async function probe () {
  const socket = await bind(hostsArg, 0)
  const targets = listArg.split(',')
  const mapped = {}
  let done = false
  socket.on('message', (msg, rinfo) => {
    const from = rinfo.address + ':' + rinfo.port
    if (!done && targets.includes(from)) {
      mapped[from] = JSON.parse(msg.toString()).seen
      if (Object.keys(mapped).length === targets.length) {
        done = true
        clearInterval(timer)
        print({ event: 'mapped', local: socket.address().port, mapped })
      }
      return
    }
    print({ event: 'got', from, text: msg.toString() })
  })
  const send = () => {
    for (const t of targets) {
      if (mapped[t]) continue
      const [host, port] = t.split(':')
      socket.send('map', Number(port), host)
    }
  }
  const timer = setInterval(send, 250)
  send()
}

;(mode === 'reflect' ? reflect() : probe()).catch((err) => {
  print({ event: 'error', error: err.message })
  process.exit(1)
})
process.stdin.on('end', () => process.exit(0)).resume()
