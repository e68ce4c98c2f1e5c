#!/usr/bin/env node
// A Hyperinfer client in plain JS: hyperdht and @hyperswarm/rpc (the versions pinned in interop/package.json) and
// Node's own modules, nothing else. Written from docs/PROTOCOL.md; the section numbers below point there.
// It joins a running network through one bootstrap node, finds a gateway, registers a new user, logs in, creates an
// API key and streams one inference, printing each step. Any failure ends it with exit status 1 and one line on
// stderr naming the step and the error; bad arguments end it with exit status 2.
//
//   node journey.js --bootstrap HOST:PORT [--prompt TEXT] [--model ID] [--timeout SECONDS]
//
// The new user's address and password are made up. Secrets (password, session token, API key) are never printed.
'use strict'
const DHT = require('hyperdht')
const RPC = require('@hyperswarm/rpc')
const dgram = require('dgram')
const { randomBytes } = require('crypto')

const USAGE = 'usage: node journey.js --bootstrap HOST:PORT [--prompt TEXT] [--model ID] [--timeout SECONDS]'
const GATEWAY_TOPIC = 'hyperinfer/gateway'
const CALL_TIMEOUT_MS = 20000

class StepError extends Error {
  constructor (step, message) {
    super(`${step} failed: ${message}`)
    this.step = step
  }
}

function parseArgs (argv) {
  const opts = { prompt: 'Hello from the JS example client', model: 'builtin-echo', timeout: 120 }
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]
    const value = argv[i + 1]
    if (!['--bootstrap', '--prompt', '--model', '--timeout'].includes(name) || value === undefined) {
      throw new Error(`unknown option or missing value: ${name}`)
    }
    opts[name.slice(2)] = value
    i++
  }
  if (!opts.bootstrap) throw new Error('--bootstrap HOST:PORT is required')
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(opts.bootstrap)
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new Error(`--bootstrap must be IPv4:PORT, not ${opts.bootstrap}`)
  opts.bootstrap = { host: m[1], port: Number(m[2]) }
  opts.timeout = Number(opts.timeout)
  if (!(opts.timeout > 0)) throw new Error('--timeout must be a positive number of seconds')
  return opts
}

// hyperdht reads port 0 as its default port 49737 (PROTOCOL.md 2), so a client that wants any port picks a free one.
function freePort (host) {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4')
    s.on('error', reject)
    s.bind(0, host, () => { const { port } = s.address(); s.close(() => resolve(port)) })
  })
}

const json = (value) => Buffer.from(JSON.stringify(value), 'utf-8')
const parse = (buf) => (buf && buf.length ? JSON.parse(Buffer.from(buf).toString('utf-8')) : null)
const hex = (buf) => Buffer.from(buf).toString('hex')
const short = (key) => key.slice(0, 12)

// A worker's error is REQUEST_ERROR with the worker's code, message and details in its cause (PROTOCOL.md 6).
function describe (err) {
  if (err && err.code === 'REQUEST_ERROR' && err.cause) {
    const details = err.cause.context ? ` ${err.cause.context}` : ''
    return `${err.cause.code || 'ERR_UNKNOWN'}: ${err.cause.message}${details}`
  }
  return `${(err && err.code) || 'ERROR'}: ${(err && err.message) || err}`
}

// Errors after which another gateway may do better (PROTOCOL.md 6 and 10).
function gatewayGone (err) {
  if (err && err.code === 'REQUEST_ERROR') return err.cause && err.cause.code === 'ERR_PEER_UNAVAILABLE'
  return true
}

async function findGateways (dht, self, deadline) {
  const topic = DHT.hash(Buffer.from(GATEWAY_TOPIC, 'utf-8'))
  while (true) {
    const keys = []
    for await (const reply of dht.lookup(topic)) {
      for (const peer of reply.peers) {
        const key = hex(peer.publicKey)
        if (key !== self && !keys.includes(key)) keys.push(key)
      }
    }
    if (keys.length > 0) return keys
    if (Date.now() + 1000 > deadline) throw new StepError('finding a gateway', `nobody announces ${GATEWAY_TOPIC}`)
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

// One connection to a gateway for every call, so stream.chunk events come back on the connection that asked (5).
class Gateway {
  constructor (rpc, key) {
    this.key = key
    this.client = rpc.connect(Buffer.from(key, 'hex'))
    this.chunks = new Map()
    this.client.rpc.respond('stream.chunk', (value) => {
      const frame = parse(value)
      const sink = frame && this.chunks.get(frame.stream)
      if (sink) sink(frame)
    })
  }

  async call (method, request) {
    return parse(await this.client.request(method, json(request), { timeout: CALL_TIMEOUT_MS }))
  }

  // Opens stream `id`, hands each chunk's data to onChunk in sequence order, returns the end frame's value.
  async stream (id, method, payload, onChunk) {
    const received = []
    this.chunks.set(id, (frame) => received.push(frame))
    try {
      const end = parse(await this.client.request(method, json({ stream: id, payload }), { timeout: CALL_TIMEOUT_MS }))
      if (!end || end.stream !== id || !Number.isInteger(end.chunks)) throw new Error(`bad end frame ${JSON.stringify(end)}`)
      received.sort((a, b) => a.seq - b.seq)
      received.forEach((frame, i) => {
        if (frame.seq !== i) throw new Error(`chunk ${i} missing (got seq ${frame.seq})`)
        onChunk(frame.data, frame.seq)
      })
      if (received.length !== end.chunks) throw new Error(`end frame counts ${end.chunks} chunks, ${received.length} arrived`)
      return end.value
    } finally {
      this.chunks.delete(id)
    }
  }

  destroy () {
    this.client.destroy()
  }
}

async function journey (opts, print) {
  const deadline = Date.now() + opts.timeout * 1000
  const host = opts.bootstrap.host.startsWith('127.') ? '127.0.0.1' : '0.0.0.0'
  const keyPair = DHT.keyPair()
  // One key pair for the node and the RPC: rpc.request and rpc.connect prove the node's key (PROTOCOL.md 3).
  const dht = new DHT({ bootstrap: [opts.bootstrap], keyPair, ephemeral: true, host, port: await freePort(host) })
  const rpc = new RPC({ dht, keyPair })
  let gateway = null
  try {
    await dht.fullyBootstrapped()
    if (dht.toArray().length === 0) {
      throw new StepError('joining', `no DHT node answered at ${opts.bootstrap.host}:${opts.bootstrap.port}`)
    }
    const self = hex(keyPair.publicKey)
    print(`[1/6] joined the DHT through ${opts.bootstrap.host}:${opts.bootstrap.port} as ${short(self)}`)

    const keys = await findGateways(dht, self, deadline)
    const email = `js-example-${randomBytes(6).toString('hex')}@example.com`
    const password = `Js-${randomBytes(15).toString('base64url')}`
    let registered = null
    for (const key of keys) {
      const candidate = new Gateway(rpc, key)
      try {
        registered = await candidate.call('register', { email, password })
        gateway = candidate
        print(`[2/6] gateway ${short(key)} (${keys.length} announce ${GATEWAY_TOPIC})`)
        break
      } catch (err) {
        candidate.destroy()
        if (!gatewayGone(err)) throw new StepError('register', describe(err))
        print(`      gateway ${short(key)} did not answer (${describe(err)}); trying the next`)
      }
    }
    if (!gateway) throw new StepError('register', `none of the ${keys.length} gateways answered`)
    print(`[3/6] registered ${registered.email}: user ${registered.userId}`)

    const login = await step('login', () => gateway.call('login', { email, password }))
    if (typeof login.session !== 'string') throw new StepError('login', 'the reply has no session')
    print(`[4/6] logged in: session ${login.sessionId}, expires ${login.expiresAt}`)

    const created = await step('createApiKey',
      () => gateway.call('createApiKey', { session: login.session, name: 'js-example-client' }))
    if (typeof created.apiKey !== 'string') throw new StepError('createApiKey', 'the reply has no apiKey')
    print(`[5/6] created API key ${created.key.keyId} ("${created.key.name}")`)

    print(`[6/6] infer ${opts.model}: ${JSON.stringify(opts.prompt)}`)
    let text = ''
    const end = await step('infer', () => gateway.stream(1, 'infer',
      { apiKey: created.apiKey, model: opts.model, prompt: opts.prompt },
      (data, seq) => {
        if (typeof data.text === 'string') text += data.text
        print(`      chunk ${seq}: ${JSON.stringify(data.text !== undefined ? data.text : data)}`)
      }))
    const usage = end && end.usage
    if (!usage || !Number.isInteger(usage.totalTokens)) throw new StepError('infer', `the end has no usage: ${JSON.stringify(end)}`)
    print(`      end: finishReason ${end.finishReason}, processor ${end.processor}, attempts ${end.attempts}`)
    print(`usage ${JSON.stringify(usage)}`)
    print(`answer ${JSON.stringify(text)}`)
  } finally {
    if (gateway) gateway.destroy()
    await rpc.destroy({ force: true }).catch(() => {})
    await dht.destroy({ force: true }).catch(() => {})
  }
}

async function step (name, fn) {
  try {
    return await fn()
  } catch (err) {
    throw err instanceof StepError ? err : new StepError(name, describe(err))
  }
}

async function main () {
  let opts
  try {
    opts = parseArgs(process.argv.slice(2))
  } catch (err) {
    process.stderr.write(`error: ${err.message}\n${USAGE}\n`)
    process.exit(2)
  }
  const timer = setTimeout(() => {
    process.stderr.write(`error: the journey did not finish within ${opts.timeout} s\n`)
    process.exit(1)
  }, opts.timeout * 1000)
  try {
    await journey(opts, (line) => process.stdout.write(line + '\n'))
    process.stdout.write('ok\n')
    clearTimeout(timer)
    process.exit(0)
  } catch (err) {
    process.stderr.write(`error: ${err instanceof StepError ? err.message : describe(err)}\n`)
    process.exit(1)
  }
}

main()
