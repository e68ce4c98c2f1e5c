// usage: node bee-interop.js read <blocks file>   -> loads Java-written blocks into a JS core, reads them with Hyperbee
//        node bee-interop.js write <blocks file>  -> writes a bee with unmodified Hyperbee and dumps its raw blocks
// Blocks files hold each block as a 4-byte big-endian length followed by the block, like export.js's bee.blocks.
const Hypercore = require('hypercore')
const Hyperbee = require('hyperbee')
const fs = require('fs')
const os = require('os')
const path = require('path')

const [mode, file] = process.argv.slice(2)
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bee-'))

async function read () {
  const raw = fs.readFileSync(file)
  const blocks = []
  for (let at = 0; at < raw.length;) {
    const n = raw.readUInt32BE(at)
    blocks.push(raw.subarray(at + 4, at + 4 + n))
    at += 4 + n
  }
  const core = new Hypercore(tmp())
  await core.append(blocks)
  const bee = new Hyperbee(core, { keyEncoding: 'utf-8', valueEncoding: 'utf-8' })
  await bee.ready()
  const entries = []
  for await (const { key, value } of bee.createReadStream()) entries.push([key, value])
  const reversed = []
  for await (const { key } of bee.createReadStream({ gte: 'k100', lt: 'k200', reverse: true, limit: 5 })) reversed.push(key)
  const users = []
  for await (const { key, value } of bee.sub('users').createReadStream()) users.push([key, value])
  const got = await bee.get('k042')
  const json = await bee.sub('docs', { valueEncoding: 'json' }).get('one')
  console.log('RESULT ' + JSON.stringify({ version: bee.version, entries, reversed, users, k042: got && got.value, json: json && json.value }))
  await bee.close()
}

async function write () {
  const core = new Hypercore(tmp())
  const bee = new Hyperbee(core, { keyEncoding: 'utf-8', valueEncoding: 'utf-8' })
  await bee.ready()
  for (let i = 0; i < 250; i++) await bee.put('j' + String((i * 37) % 250).padStart(3, '0'), 'v' + i)
  for (let i = 0; i < 250; i += 3) await bee.del('j' + String(i).padStart(3, '0'))
  const b = bee.batch()
  for (let i = 0; i < 40; i++) await b.put('batch' + i, 'x' + i)
  await b.del('j001')
  await b.flush()
  await bee.sub('users').put('carol', 'C')
  const out = fs.openSync(file, 'w')
  for (let i = 0; i < core.length; i++) {
    const blk = await core.get(i)
    const hdr = Buffer.alloc(4)
    hdr.writeUInt32BE(blk.length)
    fs.writeSync(out, hdr)
    fs.writeSync(out, blk)
  }
  fs.closeSync(out)
  const entries = []
  for await (const { key, value } of bee.createReadStream()) entries.push([key, value])
  console.log('RESULT ' + JSON.stringify({ version: bee.version, entries }))
  await bee.close()
}

;(mode === 'read' ? read() : write()).catch((e) => { console.log('ERROR ' + (e.stack || e.message)); process.exit(1) })
