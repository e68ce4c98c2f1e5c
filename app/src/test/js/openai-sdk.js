// Drives the local OpenAI-compatible endpoint with the official OpenAI SDK (pinned in interop/package.json).
// Usage: node openai-sdk.js BASE_URL API_KEY. Prints one line per check: "RESULT <name> <json>", then "DONE".
// The Java test (OpenAiSdkIT) holds the assertions; this script only calls and reports what the SDK saw.
'use strict'
const OpenAI = require('openai')

const [baseURL, apiKey] = process.argv.slice(2)
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30000 })

function report (name, value) {
  process.stdout.write('RESULT ' + name + ' ' + JSON.stringify(value) + '\n')
}

async function failure (fn) {
  try {
    await fn()
    return { thrown: false }
  } catch (e) {
    return {
      thrown: true,
      className: e.constructor.name,
      status: e.status,
      type: e.type,
      code: e.code,
      param: e.param,
      message: e.message
    }
  }
}

function cosine (a, b) {
  let dot = 0; let na = 0; let nb = 0
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
  return dot / Math.sqrt(na * nb)
}

async function main () {
  const chat = await client.chat.completions.create({
    model: 'builtin-echo',
    messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello sdk' }],
    max_tokens: 64,
    seed: 42,
    stop: ['never-seen'],
    temperature: 0
  })
  report('chat', chat)

  const chunks = []
  const stream = await client.chat.completions.create({
    model: 'builtin-echo',
    messages: [{ role: 'user', content: 'stream through the sdk' }],
    stream: true,
    stream_options: { include_usage: true }
  })
  for await (const chunk of stream) chunks.push(chunk)
  report('chatStream', chunks)

  const runner = client.chat.completions.stream({
    model: 'builtin-echo',
    messages: [{ role: 'user', content: 'accumulated by the helper' }]
  })
  report('chatStreamHelper', await runner.finalChatCompletion())

  report('completion', await client.completions.create({ model: 'builtin-echo', prompt: 'Once upon', max_tokens: 64 }))
  const textChunks = []
  const textStream = await client.completions.create({
    model: 'builtin-echo', prompt: 'a streamed prompt', max_tokens: 64, stream: true
  })
  for await (const chunk of textStream) textChunks.push(chunk)
  report('completionStream', textChunks)

  const texts = ['A cat is sleeping on the sofa.', 'A kitten naps on the couch.', 'Interest rates rose again.']
  const viaBase64 = await client.embeddings.create({ model: 'all-minilm-l6-v2', input: texts })
  const viaFloat = await client.embeddings.create({ model: 'all-minilm-l6-v2', input: texts[0], encoding_format: 'float' })
  const v = viaBase64.data.map(d => d.embedding)
  report('embeddings', {
    model: viaBase64.model,
    count: v.length,
    dims: v[0].length,
    similar: cosine(v[0], v[1]),
    unrelated: cosine(v[0], v[2]),
    base64VsFloat: cosine(v[0], viaFloat.data[0].embedding),
    usage: viaBase64.usage
  })

  const models = []
  for await (const m of client.models.list()) models.push(m)
  report('models', models)
  report('model', await client.models.retrieve('builtin-echo'))

  report('errTopP', await failure(() => client.chat.completions.create({
    model: 'builtin-echo', messages: [{ role: 'user', content: 'x' }], top_p: 0.5
  })))
  report('errTools', await failure(() => client.chat.completions.create({
    model: 'builtin-echo',
    messages: [{ role: 'user', content: 'x' }],
    tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }]
  })))
  report('errImage', await failure(() => client.chat.completions.create({
    model: 'builtin-echo',
    stream: true,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }]
  })))
  report('errN', await failure(() => client.chat.completions.create({
    model: 'builtin-echo', messages: [{ role: 'user', content: 'x' }], n: 2
  })))
  report('errModel', await failure(() => client.chat.completions.create({
    model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }]
  })))
  report('errKey', await failure(() => new OpenAI({ baseURL, apiKey: 'hi_wrong', maxRetries: 0 }).chat.completions.create({
    model: 'builtin-echo', messages: [{ role: 'user', content: 'x' }]
  })))
  report('errRoute', await failure(() => client.responses.create({ model: 'builtin-echo', input: 'x' })))
  process.stdout.write('DONE\n')
}

main().catch(e => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n')
  process.exit(1)
})
