// usage: node js-export.js <out.json> <blocks>
// Writes a core with unmodified hypercore 11 and dumps its manifest, an upgrade proof from 0 and a proof per block.
const Hypercore = require('hypercore')
const crypto = require('hypercore-crypto')
const { MerkleTree } = require("hypercore/lib/merkle-tree")
const fs = require('fs')
const os = require('os')
const path = require('path')

const out = process.argv[2]
const count = Number(process.argv[3])
const hex = (b) => b.toString('hex')
const nodes = (arr) => arr.map((n) => ({ index: n.index, size: n.size, hash: hex(n.hash) }))

;(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-js-'))
  const keyPair = crypto.keyPair(Buffer.alloc(32, 5))
  const core = new Hypercore(dir, { keyPair })
  await core.ready()
  for (let i = 0; i < count;) {
    const batch = []
    for (let k = 0; k < 1 + (i % 4) && i < count; k++, i++) batch.push(Buffer.from('js-block-' + i))
    await core.append(batch)
  }
  const up = await core.proof({ upgrade: { start: 0, length: core.length } })
  const blocks = []
  for (let i = 0; i < core.length; i++) {
    const p = await core.proof({ block: { index: i, nodes: MerkleTree.maxMissingNodes(2 * i, core.length) } })
    blocks.push({ index: i, value: hex(p.block.value), nodes: nodes(p.block.nodes) })
  }
  const combined = await core.proof({ block: { index: 2, nodes: 0 }, upgrade: { start: 0, length: core.length } })
  fs.writeFileSync(out, JSON.stringify({
    publicKey: hex(keyPair.publicKey),
    namespace: hex(core.manifest.signers[0].namespace),
    key: hex(core.key),
    discoveryKey: hex(core.discoveryKey),
    length: core.length,
    fork: core.fork,
    treeHash: hex(await core.treeHash()),
    upgrade: { start: 0, length: up.upgrade.length, nodes: nodes(up.upgrade.nodes), signature: hex(up.upgrade.signature) },
    combined: {
      block: { index: 2, value: hex(combined.block.value), nodes: nodes(combined.block.nodes) },
      upgrade: { start: 0, length: combined.upgrade.length, nodes: nodes(combined.upgrade.nodes), signature: hex(combined.upgrade.signature) }
    },
    blocks
  }))
  console.log('DONE ' + core.length)
  await core.close()
})().catch((e) => { console.log('ERROR ' + (e.stack || e.message)); process.exit(1) })
