// Opens the reliable stream under a client's secret stream: TCP, or UDX through udx-rendezvous.js.
const net = require('net')
const UDX = require('udx-native')
const rendezvous = require('./udx-rendezvous')

async function open (transport, port) {
  if (transport === 'udx') {
    const udx = new UDX()
    const socket = udx.createSocket()
    socket.bind(0, '127.0.0.1')
    return rendezvous.connect(udx, socket, port)
  }
  const socket = net.connect(port, '127.0.0.1')
  socket.setNoDelay(true)
  return socket
}

module.exports = { open }
