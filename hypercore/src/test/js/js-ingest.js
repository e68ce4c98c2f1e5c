// usage: node js-ingest.js <core.json written by Java>
// Feeds a Java-written core (upgrade proof + block proofs) into unmodified hypercore 11 and reports one RESULT line.
const Hypercore = require('hypercore')
const fs = require('fs')
const os = require('os')
const path = require('path')

const j = JSON.parse(fs.readFileSync(process.argv[2]))
const hex = (s) => Buffer.from(s, 'hex')
const nodes = (arr) => arr.map((n) => ({ index: n.index, size: n.size, hash: hex(n.hash) }))
const upgradeOf = (sig) => ({ start: 0, length: j.upgrade.length, nodes: nodes(j.upgrade.nodes), additionalNodes: [], signature: sig })
const blockMsg = (b, value) => ({ fork: 0, hash: null, seek: null, upgrade: null, manifest: null, block: { index: b.index, value, nodes: nodes(b.nodes) } })

async function open () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-java-'))
  const manifest = { version: 1, signers: [{ publicKey: hex(j.publicKey), namespace: hex(j.namespace) }] }
  const core = new Hypercore(dir, hex(j.key), { manifest })
  await core.ready()
  return core
}

async function rejects (fn) {
  try { return (await fn()) === false } catch { return true }
}

;(async () => {
  const result = {}
  const bad = await open()
  const sig = hex(j.upgrade.signature)
  sig[10] ^= 1
  result.badSignatureRejected = await rejects(() => bad.core.verify({ fork: 0, block: null, hash: null, seek: null, manifest: null, upgrade: upgradeOf(sig) }, null))
  result.badSignatureLength = bad.length
  await bad.close()

  const core = await open()
  result.writable = core.writable
  result.discoveryKey = core.discoveryKey.toString('hex')
  await core.core.verify({ fork: 0, block: null, hash: null, seek: null, manifest: null, upgrade: upgradeOf(hex(j.upgrade.signature)) }, null)
  result.length = core.length
  const evil = hex(j.blocks[5].value)
  evil[0] ^= 1
  result.flippedBlockRejected = await rejects(() => core.core.verify(blockMsg(j.blocks[5], evil), null))
  let accepted = 0
  for (const b of j.blocks) {
    await core.core.verify(blockMsg(b, hex(b.value)), null)
    accepted++
  }
  let matching = 0
  for (const b of j.blocks) {
    const v = await core.get(b.index, { wait: false })
    if (v && v.equals(hex(b.value))) matching++
  }
  // treeHash() waits for the last block, so it is only asked once every block is in
  result.treeHash = (await core.treeHash()).toString('hex')
  result.accepted = accepted
  result.matching = matching
  result.contiguousLength = core.contiguousLength
  console.log('RESULT ' + JSON.stringify(result))
  await core.close()
})().catch((e) => { console.log('ERROR ' + (e.code || e.message)); process.exit(1) })
